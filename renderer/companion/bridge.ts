// What the companion window may call: the session's contract, plus the window's and the settings
// calls, which a host may not offer (an older preload, a test stub), so each is optional and every
// call goes through `ask`, which turns a missing method or a refusal into a fallback, never a crash.
import type { CompanionApi } from '../../preload/api';

/** The session's calls, which every host offers; the window's and the settings calls are optional. */
type SessionCalls = 'connect' | 'disconnect' | 'snapshot' | 'beginTurn' | 'endTurn' | 'cancelTurn' | 'interrupt' | 'sendText' | 'setMuted' | 'sendAudioFrame' | 'reportInterrupted' | 'on';

export type Bridge = Pick<CompanionApi, SessionCalls> & Partial<Omit<CompanionApi, SessionCalls>>;

export async function ask<T>(run: (() => Promise<T>) | undefined, fallback: T, onError?: (message: string) => void): Promise<T> {
  if (!run) return fallback;
  try {
    return await run();
  } catch (e) {
    onError?.(e instanceof Error ? e.message : String(e));
    return fallback;
  }
}
