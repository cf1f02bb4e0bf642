// Estimated cost of tokens. The defaults are EDITABLE DEFAULTS, copied from OpenAI's public price
// list as we last read it; they are not authoritative, prices change, and the user can correct them in
// settings. The figure the window shows is an estimate, never a bill.
import type { UsageTotals } from '../../preload/api';

export interface ModelPrice {
  /** USD per 1M tokens. */
  textInput: number;
  audioInput: number;
  cachedInput: number;
  textOutput: number;
  audioOutput: number;
}

export const DEFAULT_PRICES: Record<string, ModelPrice> = {
  'gpt-realtime': { textInput: 4, audioInput: 32, cachedInput: 0.4, textOutput: 16, audioOutput: 64 },
  'gpt-realtime-mini': { textInput: 0.6, audioInput: 10, cachedInput: 0.3, textOutput: 2.4, audioOutput: 20 },
  'gpt-4o-realtime-preview': { textInput: 5, audioInput: 40, cachedInput: 2.5, textOutput: 20, audioOutput: 80 },
  'gpt-4o-mini-realtime-preview': { textInput: 0.6, audioInput: 10, cachedInput: 0.3, textOutput: 2.4, audioOutput: 20 },
};

/** The price of a model: an exact entry, else the longest entry the name starts with (dated snapshots). */
export function priceFor(model: string, table: Record<string, ModelPrice>): ModelPrice | null {
  if (table[model]) return table[model];
  let best: string | null = null;
  for (const name of Object.keys(table)) if (model.startsWith(`${name}-`) && (!best || name.length > best.length)) best = name;
  return best ? table[best]! : null;
}

/**
 * USD for some usage. The usage counts cached input tokens only as a total, not by modality, so the
 * cached part is taken out of text and audio input in proportion to their shares.
 */
export function costOf(u: UsageTotals, price: ModelPrice | null): number | null {
  if (!price) return null;
  const input = u.inputTextTokens + u.inputAudioTokens;
  const cached = Math.min(u.inputCachedTokens, input);
  const textShare = input > 0 ? u.inputTextTokens / input : 0;
  const text = u.inputTextTokens - cached * textShare;
  const audio = u.inputAudioTokens - cached * (1 - textShare);
  const usd =
    text * price.textInput +
    audio * price.audioInput +
    cached * price.cachedInput +
    u.outputTextTokens * price.textOutput +
    u.outputAudioTokens * price.audioOutput;
  return usd / 1_000_000;
}
