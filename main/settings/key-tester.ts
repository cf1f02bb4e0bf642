// "Test key": opens a real session with the current settings and key, and reports in words.
import type { KeyTestResult } from '../../preload/api';
import type { SessionOptions } from '../realtime/session';
import type { Settings } from '../../common/settings/settings-schema';
import { redactText, registerSecret } from '../security/redact';
import { Deadline } from '../deadline';

/** The part of RealtimeSession a test connection needs. */
export interface TestSession {
  connect(): Promise<void>;
  disconnect(): void;
  on(event: 'state', fn: (s: { phase: string; error?: { message: string } }) => void): unknown;
}

export interface KeyTestDeps {
  key: string | null;
  settings: Settings;
  createSession(opts: Pick<SessionOptions, 'settings' | 'apiKey'>): TestSession;
  timeoutMs?: number;
}

export async function testKey(d: KeyTestDeps): Promise<KeyTestResult> {
  if (!d.key) return { ok: false, message: 'No API key is set. Paste one above, or set OPENAI_API_KEY.' };
  registerSecret(d.key);
  const session = d.createSession({ settings: d.settings, apiKey: d.key });
  const timeoutMs = d.timeoutMs ?? 15_000;
  try {
    const answer = new Promise<void>((resolve, reject) => {
      // A network failure is retried forever by the session; for a test the first one is the answer.
      session.on('state', (s) => {
        if (s.phase === 'reconnecting' && s.error) reject(new Error(s.error.message));
      });
      session.connect().then(resolve, (f: { message?: string }) => reject(new Error(f?.message ?? String(f))));
    });
    await Deadline.race(answer, timeoutMs, () => {
      throw new Error(`No answer within ${Math.round(timeoutMs / 1000)} s.`);
    });
    return { ok: true, message: `The key works: a ${d.settings.model} session opened and accepted Hark's settings.` };
  } catch (e) {
    return { ok: false, message: redactText(`The key test failed: ${(e as Error).message}`) };
  } finally {
    session.disconnect();
  }
}
