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
  'outputReasoningTokens',
  'inputImageTokens',
  'cachedTextTokens',
  'cachedAudioTokens',
  'cachedImageTokens',
  'transcriptionSeconds',
  'transcriptionInputTokens',
  'transcriptionOutputTokens',
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

const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const o = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/**
 * One response's usage, read defensively: any field of the server's object may be missing.
 * Counting rules, as recorded in the 2026 sessions: `reasoning_tokens` (absent from the SDK types)
 * sit INSIDE output text tokens and are not added again; `cached_tokens` is part of input tokens;
 * the cached split by modality comes in `cached_tokens_details` when the server sends it.
 */
export function fromResponseUsage(u: RealtimeResponseUsage | null | undefined): UsageTotals {
  const inDetails = o(u?.input_token_details);
  const cachedDetails = o(inDetails.cached_tokens_details);
  const outDetails = o(u?.output_token_details);
  return {
    ...zeroUsage(),
    responses: 1,
    inputTokens: n(u?.input_tokens),
    outputTokens: n(u?.output_tokens),
    totalTokens: n(u?.total_tokens),
    inputTextTokens: n(u?.input_token_details?.text_tokens),
    inputAudioTokens: n(u?.input_token_details?.audio_tokens),
    inputCachedTokens: n(u?.input_token_details?.cached_tokens),
    outputTextTokens: n(u?.output_token_details?.text_tokens),
    outputAudioTokens: n(u?.output_token_details?.audio_tokens),
    outputReasoningTokens: n(outDetails.reasoning_tokens),
    inputImageTokens: n(inDetails.image_tokens),
    cachedTextTokens: n(cachedDetails.text_tokens),
    cachedAudioTokens: n(cachedDetails.audio_tokens),
    cachedImageTokens: n(cachedDetails.image_tokens),
  };
}

/**
 * An input transcription's usage (conversation.item.input_audio_transcription.completed). Models
 * billed by time send `{type: "duration", seconds}`; it is counted, not dropped.
 */
export function fromTranscriptionUsage(v: unknown): UsageTotals | null {
  const u = o(v);
  if (u.type === 'duration') return { ...zeroUsage(), transcriptionSeconds: n(u.seconds) };
  if (u.type === 'tokens') return { ...zeroUsage(), transcriptionInputTokens: n(u.input_tokens), transcriptionOutputTokens: n(u.output_tokens) };
  return null;
}

/** Share of input tokens served from the prompt cache, 0…1; null before any input. */
export function cacheHitShare(u: UsageTotals): number | null {
  return u.inputTokens > 0 ? Math.min(1, u.inputCachedTokens / u.inputTokens) : null;
}
