// The history settings, as a zod schema for main/settings/settings-schema.ts to include under
// `history`. Every field has a default, so an old settings file stays valid.
import { z } from 'zod';

export const historySettingsSchema = z
  .object({
    /** Off: nothing new is written; what is stored stays browsable until deleted. */
    enabled: z.boolean().default(true),
    /** Also keep the assistant's reply audio as WAV files next to the transcript. */
    saveAudio: z.boolean().default(false),
    /** Conversations older than this are deleted at start; null = keep forever. */
    retentionDays: z.number().int().min(1).max(3650).nullable().default(90),
  })
  .prefault({});

export type HistorySettings = z.infer<typeof historySettingsSchema>;
