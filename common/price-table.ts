// Estimated cost of tokens. The defaults are EDITABLE DEFAULTS, copied from OpenAI's public model
// pages as we last read them (PRICES_DATED); prices change, and the user can correct them in
// settings. The figure the window shows is an estimate, never a bill.
import type { UsageTotals } from './bridge-types';

/** When the default rows below were last checked against OpenAI's published prices. */
export const PRICES_DATED = '2026-12-01';

export interface ModelPrice {
  /** USD per 1M tokens. */
  textInput: number;
  audioInput: number;
  /** Cached input; per modality where the model's page lists it apart. */
  cachedInput: number;
  cachedTextInput?: number;
  cachedAudioInput?: number;
  imageInput?: number;
  cachedImageInput?: number;
  textOutput: number;
  audioOutput: number;
  /** USD per minute of input audio, for models billed by duration (transcription). */
  perMinute?: number;
  /** False when a figure of this row could not be confirmed on a published page. */
  confirmed?: boolean;
}

// Source: developers.openai.com/api/docs/models/<name> (read 2026-12-01). gpt-realtime and
// gpt-realtime-mini: text/audio prices as published for them in 2025; their image and per-modality
// cached prices were not found, so those rows say confirmed: false.
export const DEFAULT_PRICES: Record<string, ModelPrice> = {
  'gpt-realtime-2.1': { textInput: 4, audioInput: 32, cachedInput: 0.4, cachedTextInput: 0.4, cachedAudioInput: 0.4, imageInput: 5, cachedImageInput: 0.5, textOutput: 24, audioOutput: 64 },
  'gpt-realtime-2.1-mini': { textInput: 0.6, audioInput: 10, cachedInput: 0.3, cachedTextInput: 0.06, cachedAudioInput: 0.3, imageInput: 0.8, cachedImageInput: 0.08, textOutput: 2.4, audioOutput: 20 },
  'gpt-realtime-2': { textInput: 4, audioInput: 32, cachedInput: 0.4, cachedTextInput: 0.4, cachedAudioInput: 0.4, imageInput: 5, cachedImageInput: 0.5, textOutput: 24, audioOutput: 64 },
  'gpt-realtime-1.5': { textInput: 4, audioInput: 32, cachedInput: 0.4, cachedTextInput: 0.4, cachedAudioInput: 0.4, imageInput: 5, cachedImageInput: 0.5, textOutput: 16, audioOutput: 64 },
  'gpt-realtime': { textInput: 4, audioInput: 32, cachedInput: 0.4, textOutput: 16, audioOutput: 64, confirmed: false },
  'gpt-realtime-mini': { textInput: 0.6, audioInput: 10, cachedInput: 0.3, textOutput: 2.4, audioOutput: 20, confirmed: false },
  'gpt-4o-realtime-preview': { textInput: 5, audioInput: 40, cachedInput: 2.5, textOutput: 20, audioOutput: 80, confirmed: false },
  'gpt-4o-mini-realtime-preview': { textInput: 0.6, audioInput: 10, cachedInput: 0.3, textOutput: 2.4, audioOutput: 20 },
  'gpt-realtime-whisper': { textInput: 0, audioInput: 0, cachedInput: 0, textOutput: 0, audioOutput: 0, perMinute: 0.017 },
};

/** The price of a model: an exact entry, else the longest entry the name starts with (dated snapshots). */
export function priceFor(model: string, table: Record<string, ModelPrice>): ModelPrice | null {
  if (table[model]) return table[model];
  let best: string | null = null;
  for (const name of Object.keys(table)) if (model.startsWith(`${name}-`) && (!best || name.length > best.length)) best = name;
  return best ? table[best]! : null;
}

/**
 * USD for some usage. Cached tokens are part of input tokens: they are taken out of their modality
 * and priced at the cached rate. When the server gave no split by modality, the cached part is taken
 * out of text and audio in proportion to their shares. Reasoning tokens are inside text output and
 * are not counted again. Transcription is priced by `transcription`'s row (per minute or per token).
 */
export function costOf(u: UsageTotals, price: ModelPrice | null, transcription?: ModelPrice | null): number | null {
  if (!price) return null;
  const image = u.inputImageTokens ?? 0;
  const cachedTotal = Math.min(u.inputCachedTokens, u.inputTextTokens + u.inputAudioTokens + image);
  const split = (u.cachedTextTokens ?? 0) + (u.cachedAudioTokens ?? 0) + (u.cachedImageTokens ?? 0);
  let cText: number;
  let cAudio: number;
  let cImage: number;
  if (split > 0 && split <= cachedTotal + 0.5) {
    cText = Math.min(u.cachedTextTokens, u.inputTextTokens);
    cAudio = Math.min(u.cachedAudioTokens, u.inputAudioTokens);
    cImage = Math.min(u.cachedImageTokens, image);
  } else {
    const input = u.inputTextTokens + u.inputAudioTokens;
    const textShare = input > 0 ? u.inputTextTokens / input : 0;
    cText = cachedTotal * textShare;
    cAudio = cachedTotal * (1 - textShare);
    cImage = 0;
  }
  const usd =
    (u.inputTextTokens - cText) * price.textInput +
    (u.inputAudioTokens - cAudio) * price.audioInput +
    (image - cImage) * (price.imageInput ?? price.textInput) +
    cText * (price.cachedTextInput ?? price.cachedInput) +
    cAudio * (price.cachedAudioInput ?? price.cachedInput) +
    cImage * (price.cachedImageInput ?? price.cachedInput) +
    u.outputTextTokens * price.textOutput +
    u.outputAudioTokens * price.audioOutput;
  let total = usd / 1_000_000;
  if (transcription) {
    total += ((u.transcriptionSeconds ?? 0) / 60) * (transcription.perMinute ?? 0);
    total += ((u.transcriptionInputTokens ?? 0) * transcription.audioInput + (u.transcriptionOutputTokens ?? 0) * transcription.textOutput) / 1_000_000;
  }
  return total;
}
