// Token counts: one response's, as `response.done` reports them, and their sums (a conversation, a
// day). The session, the meter and the history all count with these.
import type { RealtimeResponseUsage } from 'openai/resources/realtime/realtime';
import type { UsageTotals } from '../../preload/api';

const FIELDS = [
  'responses',
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'inputTextTokens',
  'inputAudioTokens',
  'inputCachedTokens',
  'outputTextTokens',
  'outputAudioTokens',
] as const satisfies readonly (keyof UsageTotals)[];

export function zeroUsage(): UsageTotals {
  return Object.fromEntries(FIELDS.map((f) => [f, 0])) as unknown as UsageTotals;
}

export function addUsage(a: UsageTotals, b: UsageTotals): UsageTotals {
  return Object.fromEntries(FIELDS.map((f) => [f, a[f] + b[f]])) as unknown as UsageTotals;
}

/** A stored record read back: numbers where numbers belong, zero where something is off. */
export function readUsage(v: unknown): UsageTotals {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  return Object.fromEntries(FIELDS.map((f) => [f, typeof o[f] === 'number' && Number.isFinite(o[f]) && (o[f] as number) >= 0 ? o[f] : 0])) as unknown as UsageTotals;
}

/** One response's usage, read defensively: any field of the server's object may be missing. */
export function fromResponseUsage(u: RealtimeResponseUsage | null | undefined): UsageTotals {
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return {
    responses: 1,
    inputTokens: n(u?.input_tokens),
    outputTokens: n(u?.output_tokens),
    totalTokens: n(u?.total_tokens),
    inputTextTokens: n(u?.input_token_details?.text_tokens),
    inputAudioTokens: n(u?.input_token_details?.audio_tokens),
    inputCachedTokens: n(u?.input_token_details?.cached_tokens),
    outputTextTokens: n(u?.output_token_details?.text_tokens),
    outputAudioTokens: n(u?.output_token_details?.audio_tokens),
  };
}
