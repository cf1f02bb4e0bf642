// The local-voice settings, a zod schema for main/settings/settings-schema.ts under `localVoice`.
// Every field has a default, so an old settings file stays valid.
import { z } from 'zod';

export const localVoiceSettingsSchema = z
  .object({
    /** Run Silero VAD on the mic: instant barge-in, post-roll, buffering while connecting. */
    enabled: z.boolean().default(true),
    /**
     * Speakers: a barge-in needs speech the assistant's own echo does not explain. On, the server
     * no longer interrupts by itself (interrupt_response off): Hark cancels on a confirmed barge-in.
     */
    echoGuard: z.boolean().default(true),
    /** The mic is closed while the assistant speaks; the talk key still interrupts. */
    halfDuplex: z.boolean().default(false),
    /** Push-to-talk: audio kept after the key is released, unless speech ends sooner. */
    postRollMs: z.number().int().min(0).max(2000).default(300),
    /** Speech while the session connects is kept (up to this long) and sent once it is ready. */
    connectBufferMs: z.number().int().min(0).max(30_000).default(10_000),
  })
  .prefault({});

export type LocalVoiceSettings = z.infer<typeof localVoiceSettingsSchema>;
