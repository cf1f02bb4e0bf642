// When the client connects again, and when it stops: a fatal error decides whatever the close that
// follows it; renewals obey the same one-attempt-a-second floor and backoff as reconnects; and
// reconnects give up after a bounded number of attempts into an "offline" state that says why.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../simulator/server';
import { sleep, startPair, unhandledRejections, waitForPhase, type Pair } from '../realtime/harness';

let pair: Pair | null = null;
let sim: Simulator | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  await sim?.close();
  sim = null;
  assert.equal(unhandledRejections(), 0);
});

const FATAL = ['insufficient_quota', 'invalid_api_key', 'account_deactivated', 'billing_hard_limit_reached'] as const;
const CLOSES = ['1001', '1011', 'tcp drop', 'left open'] as const;

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('fatal errors decide, whatever the close', () => {
  for (const code of FATAL) {
    test(`${code}, then ${CLOSES.join(' / ')}: told in words, no further connection`, { timeout: 20_000 }, async () => {
      sim = await startSimulator({ paceFactor: 10, updateDelayMs: 1 });
      for (const close of CLOSES) {
        const before: number = sim.connections.length;
        pair = await startPair({ simulator: sim });
        await pair.session.connect();
        const conn = sim.connections.at(-1)!;
        conn.send({ type: 'error', error: { type: 'invalid_request_error', code, message: `server says ${code}`, param: null, event_id: null } });
        if (close === '1001') conn.close(1001, 'going away');
        else if (close === '1011') conn.close(1011, 'internal error');
        else if (close === 'tcp drop') conn.terminate();
        await until(() => pair!.session.state.phase === 'error', 3000, `${code}/${close} to reach the error state`);
        await sleep(400); // several backoff periods of the harness (50–200 ms)
        assert.equal(sim.connections.length - before, 1, `${code}/${close}: no reconnect`);
        const s = pair.session.state;
        assert.equal(s.error?.fatal, true, `${code}/${close}: fatal`);
        assert.equal(s.error?.code, code);
        assert.ok(!/Reconnecting/.test(s.error!.message) && s.error!.message.length > 20, `${code}/${close}: said in words: ${s.error!.message}`);
        assert.equal(pair.notices.filter((n) => n.level === 'error').length, 1, `${code}/${close}: told once`);
        await pair.close();
        pair = null;
      }
    });
  }
});

describe('renewal goes through the connection policy', () => {
  test('a server that closes every session with "maximum duration" gets at most one attempt a second', { timeout: 20_000 }, async () => {
    pair = await startPair({ sim: { sessionLifetimeMs: 40 } });
    await pair.session.connect().catch(() => {});
    const t0 = performance.now();
    await sleep(3000);
    const n = pair.sim.connections.length;
    const elapsed = (performance.now() - t0) / 1000;
    assert.ok(n <= Math.ceil(elapsed) + 1, `${n} connections in ${elapsed.toFixed(1)} s`);
    assert.ok(n >= 2, 'it does renew');
  });
});

describe('reconnects give up', () => {
  test('after the attempt bound the session is offline, says why, and connects again when asked', { timeout: 20_000 }, async () => {
    // A port with nothing listening: every attempt is refused at once.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    sim = await startSimulator({ paceFactor: 10, updateDelayMs: 1 });
    pair = await startPair({ simulator: sim, session: { backoff: { baseMs: 20, maxMs: 40, stableMs: 5000, maxAttempts: 3, minIntervalMs: 0 } } });
    const url = `ws://127.0.0.1:${port}/v1/realtime`;
    const { settingsSchema } = await import('../../common/settings/settings-schema');
    const settings = settingsSchema.parse({ endpoint: { kind: 'custom', url } });
    pair.session.applySettings(settings);
    const err = await pair.session.connect().then(() => null, (f: { code: string; message: string }) => f);
    assert.equal(err?.code, 'offline');
    assert.match(err!.message, /offline/i);
    assert.match(err!.message, /127\.0\.0\.1/);
    const s = pair.session.state;
    assert.equal(s.phase, 'error');
    assert.equal(s.error?.code, 'offline');
    assert.equal(s.error?.fatal, false, 'offline is not the key or the account: trying again makes sense');
    const attempts = pair.states.filter((x) => x.phase === 'reconnecting').length;
    await sleep(300);
    assert.equal(pair.states.filter((x) => x.phase === 'reconnecting').length, attempts, 'no attempt after giving up');
    // The network is back (the app calls connect() on `online` / resume).
    pair.session.applySettings(settingsSchema.parse({ endpoint: { kind: 'custom', url: sim.url } }));
    await pair.session.connect();
    assert.equal(pair.session.state.phase, 'listening');
  });
});
