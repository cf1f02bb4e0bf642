// The settings that depend on today's models: reasoning effort, context truncation (a cost lever on
// 128k models) and what Connect does after an explicit Disconnect. Zod schemas for
// main/settings/settings-schema.ts to include; every field has a default, so older files stay valid.
import { z } from 'zod';
import { REASONING_EFFORTS } from '../models';

/** Low by default: a voice companion's first word matters more than deep thought. */
export const reasoningEffortSchema = z.enum(REASONING_EFFORTS).default('low');

export const truncationSettingsSchema = z
  .object({
    /**
     * retention_ratio: when the context fills, drop the oldest part down to `retentionRatio` of the
     * limit in one go (fewer cache misses than dropping a little every turn). auto: the server's
     * own policy. disabled: never drop; the server fails a turn that does not fit.
     */
    mode: z.enum(['retention_ratio', 'auto', 'disabled']).default('retention_ratio'),
    retentionRatio: z.number().min(0.1).max(1).default(0.8),
    /**
     * Most tokens the conversation may hold after the instructions; null = the model's own limit.
     * 32k keeps a long session on a 128k model at about a quarter of the input cost per turn.
     */
    postInstructionsTokens: z.number().int().min(1_000).max(96_000).nullable().default(32_000),
  })
  .prefault({});

export const conversationSettingsSchema = z
  .object({
    /** Connect after an explicit Disconnect: ask, continue the conversation, or start a new one. */
    afterDisconnect: z.enum(['ask', 'continue', 'new']).default('ask'),
    /** Most tokens (estimated) of a past conversation's text that a resumed session is seeded with. */
    resumeBudgetTokens: z.number().int().min(500).max(64_000).default(8_000),
  })
  .prefault({});

export type TruncationSettings = z.infer<typeof truncationSettingsSchema>;
export type ConversationSettings = z.infer<typeof conversationSettingsSchema>;
