// A question asked just before the connection died is answered after the reconnect: the new
// session replays the finished turns and then asks for one reply; a reply that was cut stays
// marked interrupted and is never duplicated.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { received, silence, sleep, speak, startPair, tone, unhandledRejections, waitForPhase, type Pair } from '../realtime/harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

const DROPS = [
  { name: 'before response.created', fault: { type: 'response.created' } },
  { name: 'mid audio', fault: { type: 'response.output_audio.delta', nth: 3 } },
];

describe('the turn in flight at a drop', () => {
  for (const d of DROPS) {
    test(`dropped ${d.name}: answered once in the new session`, { timeout: 15_000 }, async () => {
      pair = await startPair({ sim: { replyDelayMs: 120, userTranscript: () => 'what time is it', respond: () => ({ text: 'It is noon, more or less, by my reckoning.', audioMs: 1500 }) } });
      const { session, sim } = pair;
      await session.connect();
      sim.setFaults({ dropAtEvent: d.fault });
      speak(session, tone(500), silence(700));
      await waitForPhase(session, 'reconnecting');
      sim.setFaults({ dropAtEvent: null });
      const answered = new Promise<void>((resolve) => {
        session.on('response', (r) => {
          if (r.status === 'completed') resolve();
        });
      });
      await answered;
      await sleep(100);
      // The new session got the question as history, then exactly one response.create.
      const c1 = received(sim, 'conversation.item.create', 1).map((e) => e.item.content?.[0]?.text);
      assert.ok(c1.includes('what time is it'), JSON.stringify(c1));
      assert.equal(received(sim, 'response.create', 1).length, 1, 'one create after the replay');
      const assistants = session.conversation.items().filter((i) => i.role === 'assistant');
      const completed = assistants.filter((i) => i.status === 'completed');
      assert.equal(completed.length, 1, 'one finished reply');
      assert.ok(assistants.every((i) => i.status === 'completed' || i.status === 'interrupted'));
      assert.ok(assistants.length <= 2, 'the cut reply is not duplicated');
    });
  }

  test('a drop between turns (nothing owed) asks for nothing after the reconnect', { timeout: 15_000 }, async () => {
    pair = await startPair({ sim: { userTranscript: () => 'hello' } });
    const { session, sim } = pair;
    await session.connect();
    const done = new Promise<void>((resolve) => session.on('response', (r) => r.status === 'completed' && resolve()));
    speak(session, tone(500), silence(700));
    await done;
    await waitForPhase(session, 'listening');
    sim.connections[0]!.terminate();
    await waitForPhase(session, 'reconnecting');
    await waitForPhase(session, 'listening');
    await sleep(300);
    assert.equal(received(sim, 'response.create', 1).length, 0);
  });
});
