// The usage and cost settings, as a zod schema for main/settings/settings-schema.ts to include under
// `usage`. Every field has a default, so an old settings file stays valid.
import { z } from 'zod';
import { DEFAULT_PRICES } from './price-table';

const perMillion = z.number().finite().min(0).max(10_000);

export const modelPriceSchema = z.strictObject({
  textInput: perMillion,
  audioInput: perMillion,
  cachedInput: perMillion,
  textOutput: perMillion,
  audioOutput: perMillion,
});

export const usageSettingsSchema = z
  .object({
    /** USD per 1M tokens, by model name (a dated snapshot matches its base name). */
    prices: z.record(z.string().min(1).max(100), modelPriceSchema).default(() => structuredClone(DEFAULT_PRICES)),
    /** Disconnect once today's estimated spend reaches this many USD; null = no cap. */
    dailyCapUsd: z.number().finite().positive().max(10_000).nullable().default(null),
  })
  .prefault({});

export type UsageSettings = z.infer<typeof usageSettingsSchema>;
