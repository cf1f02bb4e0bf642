// Tokens and estimated cost: the last response, this conversation, today, and the daily cap.
import type { UsageSummary } from '../../preload/api';
import { ask, type Bridge } from './bridge';

export class UsageStore {
  summary = $state<UsageSummary | null>(null);
  readonly #c: Bridge;

  constructor(c: Bridge) {
    this.#c = c;
    c.on('usage:summary', (s) => (this.summary = s));
  }

  async load(): Promise<void> {
    const c = this.#c;
    const s = await ask(c.usage && (() => c.usage!()), null);
    if (s) this.summary = s;
  }
}

export function usd(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'no price';
  return v < 0.01 && v > 0 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`;
}
