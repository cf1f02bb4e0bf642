// When to try again after a recoverable failure: exponential backoff with jitter, so a fleet of
// clients does not reconnect in lockstep, and never faster than about once a second.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** A connection that stayed up this long resets the attempt count. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 15_000, stableMs: 10_000 };

export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const raw = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.75 + 0.25 * random()));
}
