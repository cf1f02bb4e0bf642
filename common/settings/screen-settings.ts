// The "look at my screen" settings, a zod schema for main/settings/settings-schema.ts under `screen`.
// Every capture asks first (the look_at_screen tool's policy, "ask" by default, in the tools
// section); these say how big it is sent, whether history keeps its thumbnail, and the periodic mode.
import { z } from 'zod';

export const screenSettingsSchema = z
  .object({
    /** 'high' reads small text (a 1280 × 720 capture is about 1,100 tokens); 'low' is 85 tokens, a rough look. */
    detail: z.enum(['low', 'high', 'auto']).default('high'),
    /** Long side of the image sent, px. */
    maxSide: z.number().int().min(320).max(2048).default(1280),
    /** History keeps the capture's small thumbnail only if this is on; otherwise only its size and cost. */
    storeInHistory: z.boolean().default(false),
    /**
     * Off (null) by default. On, the screen is captured every this many seconds while connected and
     * sent as context, without asking each time; a persistent indicator shows while it runs.
     */
    periodicSeconds: z.number().int().min(10).max(3600).nullable().default(null),
  })
  .prefault({});

export type ScreenSettings = z.infer<typeof screenSettingsSchema>;
