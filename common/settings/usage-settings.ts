// The usage and cost settings, as a zod schema for main/settings/settings-schema.ts to include under
// `usage`. Every field has a default, so an old settings file stays valid.
import { z } from 'zod';
import { DEFAULT_PRICES, PRICES_DATED } from '../price-table';

const perMillion = z.number().finite().min(0).max(10_000);

export const modelPriceSchema = z.strictObject({
  textInput: perMillion,
  audioInput: perMillion,
  cachedInput: perMillion,
  cachedTextInput: perMillion.optional(),
  cachedAudioInput: perMillion.optional(),
  imageInput: perMillion.optional(),
  cachedImageInput: perMillion.optional(),
  textOutput: perMillion,
  audioOutput: perMillion,
  /** USD per minute of audio, for models billed by duration. */
  perMinute: z.number().finite().min(0).max(100).optional(),
  confirmed: z.boolean().optional(),
});

export const usageSettingsSchema = z
  .object({
    /** USD per 1M tokens, by model name (a dated snapshot matches its base name). Dated PRICES_DATED. */
    prices: z.record(z.string().min(1).max(100), modelPriceSchema).default(() => structuredClone(DEFAULT_PRICES)),
    /** When the default price rows were last checked against the published prices (shown in settings). */
    pricesDated: z.string().max(40).default(PRICES_DATED),
    /** Disconnect once today's estimated spend reaches this many USD; null = no cap. */
    dailyCapUsd: z.number().finite().positive().max(10_000).nullable().default(null),
  })
  .prefault({});

export type UsageSettings = z.infer<typeof usageSettingsSchema>;
