// The close-code matrix, each code repeated: the server closes every new connection at once. The
// recoverable codes are retried, never faster than one attempt a second; the others stop after the
// first attempt with the code in words. HARK_CLOSE_REPEATS sets the repeats (npm test: 2; soak: 10).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sleep, startPair, unhandledRejections, waitForPhase } from '../realtime/harness';

const REPEATS = Number(process.env.HARK_CLOSE_REPEATS ?? 2);
const RECOVERABLE = [1001, 1006, 1011, 1012, 1013];
const TERMINAL = [1000, 1002, 1008];

describe('close-code matrix', () => {
  for (const code of RECOVERABLE) {
    test(`${code} × ${REPEATS}: retried, at most one attempt a second`, { timeout: 10_000 + REPEATS * 3000 }, async () => {
      const pair = await startPair({ session: { backoff: { baseMs: 50, maxMs: 200, stableMs: 5000, maxAttempts: 100, minIntervalMs: 1000 } } });
      try {
        const starts: number[] = [];
        const watch = (async () => {
          for (let n = 0; n <= REPEATS; n++) {
            await pair.sim.waitForConnection(n);
            starts.push(performance.now());
          }
        })();
        pair.sim.setFaults(code === 1006 ? { dropAtEvent: { type: 'session.created' } } : { closeAtEvent: { type: 'session.created', code, reason: 'test close' } });
        void pair.session.connect().catch(() => {});
        await watch;
        const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
        assert.ok(gaps.every((g) => g >= 950), `${code}: gaps ${gaps.map(Math.round)}`);
        assert.notEqual(pair.session.state.phase, 'error', `${code} is not given up after ${REPEATS} tries`);
        console.log(`close ${code}: ${REPEATS} reconnects, gaps ${gaps.map(Math.round).join(', ')} ms`);
      } finally {
        await pair.close();
      }
    });
  }

  test(`${TERMINAL.join(', ')}: one attempt, then the error in words`, { timeout: 20_000 }, async () => {
    for (const code of TERMINAL) {
      const pair = await startPair();
      try {
        pair.sim.setFaults({ closeAtEvent: { type: 'session.created', code, reason: 'test close' } });
        await pair.session.connect().catch(() => {});
        await waitForPhase(pair.session, 'error');
        await sleep(1200);
        assert.equal(pair.sim.connections.length, 1, `${code}: no second attempt`);
        assert.match(pair.session.state.error!.message, new RegExp(String(code)));
      } finally {
        await pair.close();
      }
    }
    assert.equal(unhandledRejections(), 0);
  });
});
