// When to try again after a recoverable failure, and when to stop: exponential backoff with jitter,
// so a fleet of clients does not reconnect in lockstep; never more than one attempt a second
// (renewals included); and after `maxAttempts` attempts or `giveUpAfterMs` of outage the session
// stops "offline" instead of trying forever. With the defaults the attempts come after about
// 1, 2, 4, 8, 15, 15, 15, 15 s (×0.75–1.0): the session gives up about a minute and a quarter into
// an outage, well inside the two-minute bound, and the app tries again when the OS reports the
// network back or the machine resumes.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** A connection that stayed up this long resets the attempt count. */
  stableMs: number;
  /** Attempts in one outage before going offline. */
  maxAttempts: number;
  /** Longest outage before going offline, whatever the attempt count. */
  giveUpAfterMs: number;
  /** Floor between two connection attempts of any kind. */
  minIntervalMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 15_000, stableMs: 10_000, maxAttempts: 8, giveUpAfterMs: 120_000, minIntervalMs: 1000 };

export function backoffDelay(attempt: number, o: Pick<BackoffOptions, 'baseMs' | 'maxMs'>, random: () => number = Math.random): number {
  const raw = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.75 + 0.25 * random()));
}

/** Whether an outage has lasted long enough to stop trying. */
export function shouldGiveUp(attempt: number, outageMs: number, o: Pick<BackoffOptions, 'maxAttempts' | 'giveUpAfterMs'>): boolean {
  return attempt > o.maxAttempts || outageMs > o.giveUpAfterMs;
}
