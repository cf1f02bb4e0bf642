// Nothing a server sends may throw out of the message handler: a 10 KB frame nested 5,000 levels
// deep, with the event log listening, is counted and skipped; the same socket keeps working.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { EventLog } from '../../main/app/event-log';
import { replyCompleted, silence, sleep, speak, startPair, tone, unhandledRejections, type Pair } from '../realtime/harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

describe('deeply nested frames', () => {
  test('a 5,000-level frame does not throw into ws, and the same socket answers the next turn', { timeout: 15_000 }, async () => {
    let uncaught = 0;
    const onUncaught = () => void uncaught++;
    process.on('uncaughtException', onUncaught);
    try {
      pair = await startPair();
      const { session, sim } = pair;
      const log = new EventLog(session);
      await session.connect();
      const deep = `{"type":"simulator.deep","event_id":"event_deep","payload":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const deepObj = `{"type":"response.output_item.added","response_id":"r","item":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
      sim.connections[0]!.sendRaw(deep);
      sim.connections[0]!.sendRaw(deepObj);
      await sleep(100);
      assert.equal(uncaught, 0, 'no exception escaped into ws');
      const reply = replyCompleted(session);
      speak(session, tone(500), silence(700));
      assert.equal((await reply).status, 'completed');
      assert.equal(sim.connections.length, 1, 'the same socket: no ping-timeout reconnect was needed');
      assert.ok(log.entries().some((e) => e.type === 'simulator.deep'), 'the event log has the frame, cut to a safe depth');
      assert.doesNotThrow(() => JSON.stringify(log.entries()));
      log.dispose();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
