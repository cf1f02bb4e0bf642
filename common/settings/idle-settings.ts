// The idle auto-disconnect setting, for main/settings/settings-schema.ts to include under
// `app.idleDisconnectMinutes` (or its own section).
import { z } from 'zod';

/** Minutes without speech before Hark disconnects; null = stay connected. */
export const idleDisconnectMinutesSchema = z.number().int().min(1).max(24 * 60).nullable().default(10);
