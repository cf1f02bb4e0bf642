// UsageTotals arithmetic. The session reports running totals; one response's usage is the step.
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

/** b − a, never negative: a smaller total means the session's count started over. */
export function usageStep(before: UsageTotals, after: UsageTotals): UsageTotals {
  const restarted = FIELDS.some((f) => after[f] < before[f]);
  return restarted ? { ...after } : (Object.fromEntries(FIELDS.map((f) => [f, after[f] - before[f]])) as unknown as UsageTotals);
}

/** A stored record read back: numbers where numbers belong, zero where something is off. */
export function readUsage(v: unknown): UsageTotals {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  return Object.fromEntries(FIELDS.map((f) => [f, typeof o[f] === 'number' && Number.isFinite(o[f]) && (o[f] as number) >= 0 ? o[f] : 0])) as unknown as UsageTotals;
}
