// The wake-word settings, a zod schema for main/settings/settings-schema.ts under `wakeWord`.
// Off by default: while it is on the microphone is open (processed on this machine only).
import { z } from 'zod';
import { SHIPPED_PHRASES } from './wake-phrases';

const phrases = Object.keys(SHIPPED_PHRASES) as [keyof typeof SHIPPED_PHRASES, ...Array<keyof typeof SHIPPED_PHRASES>];

export const wakeWordSettingsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** A shipped phrase, or 'custom' for the .onnx phrase model at customModelPath. */
    phrase: z.enum([...phrases, 'custom']).default('hey_jarvis'),
    /** A phrase model trained with openWakeWord's recipe (e.g. "Hey Hark"); used when phrase is 'custom'. */
    customModelPath: z
      .string()
      .max(4096)
      .default('')
      .refine((p) => p === '' || /\.onnx$/i.test(p), 'must be the path of an .onnx file'),
    /** 0..1; the score threshold is 1 − sensitivity. 0.4 measured no false wakes on ten minutes of speech. */
    sensitivity: z.number().min(0.05).max(0.95).default(0.4),
    /** After a wake, no other wake for this long. */
    cooldownMs: z.number().int().min(0).max(60_000).default(2000),
    /** A conversation the wake word started goes back to waiting after this long without speech. */
    idleSeconds: z.number().int().min(10).max(3600).default(30),
    /** Audio kept from just before the wake was confirmed, so the first words after the phrase are not cut. */
    preRollMs: z.number().int().min(0).max(1000).default(250),
  })
  .prefault({})
  .refine((w) => w.phrase !== 'custom' || w.customModelPath !== '', { message: 'a custom phrase needs the path of its .onnx model', path: ['customModelPath'] });

export type WakeWordSettings = z.infer<typeof wakeWordSettingsSchema>;
