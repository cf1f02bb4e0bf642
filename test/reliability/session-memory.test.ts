// A long conversation must not grow the session's bookkeeping without bound: the per-response
// records (status, received audio, first-audio time, interrupted ids) are needed only while a
// response can still send events, so only the recent ones are kept. What the user said and heard
// (the conversation) is kept whole; that is history, not a leak. Nor may each reconnect add a copy
// of the conversation's bookkeeping: the ids of the items carried into a new session matter only to
// that session.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replyCompleted, sleep, startPair, unhandledRejections, waitForPhase } from '../realtime/harness';

const TURNS = 120;

test(`the per-response records stay bounded over ${TURNS} turns, and every turn is answered`, { timeout: 30_000 }, async () => {
  const pair = await startPair({ sim: { paceFactor: 50, replyDelayMs: 1, respond: () => ({ text: 'ok', audioMs: 60 }) } as never });
  try {
    const { session } = pair;
    await session.connect();
    for (let t = 0; t < TURNS; t++) {
      const reply = replyCompleted(session);
      assert.equal(session.sendText(`turn ${t}`), true);
      await reply;
    }
    // The records live in the session's rooms: the response queue and the playback ledger.
    const rooms = session as unknown as Record<'queue' | 'ledger', Record<string, Map<unknown, unknown> | Set<unknown>>>;
    const sizes = { responses: rooms.queue.responses!.size, audio: rooms.ledger.audio!.size, firstAudioAt: rooms.ledger.firstAudioAt!.size, dropped: rooms.ledger.dropped!.size };
    for (const [k, n] of Object.entries(sizes)) assert.ok(n <= 64, `${k} holds ${n} entries after ${TURNS} turns`);
    assert.equal(session.conversation.items().filter((i) => i.role === 'assistant' && i.status === 'completed').length, TURNS, 'the conversation keeps every reply');
    assert.equal(unhandledRejections(), 0);
  } finally {
    await pair.close();
  }
});

test('the ids of carried items are kept for the current session only, not once per reconnect', { timeout: 30_000 }, async () => {
  const pair = await startPair({ sim: { paceFactor: 50, replyDelayMs: 1, respond: () => ({ text: 'ok', audioMs: 60 }) } as never, session: { backoff: { baseMs: 10, maxMs: 20, stableMs: 5_000, minIntervalMs: 50 } } });
  try {
    const { session, sim } = pair;
    await session.connect();
    for (let t = 0; t < 5; t++) {
      const reply = replyCompleted(session);
      session.sendText(`turn ${t}`);
      await reply;
    }
    const RECONNECTS = 8;
    for (let k = 0; k < RECONNECTS; k++) {
      sim.connections.at(-1)!.terminate();
      await waitForPhase(session, 'reconnecting');
      await waitForPhase(session, 'listening');
      await sleep(20);
    }
    const carried = (session as unknown as { feed: { carried: Set<string> } }).feed.carried.size;
    const items = session.conversation.items().length;
    assert.ok(carried <= items, `${carried} carried ids after ${RECONNECTS} reconnects of a ${items}-item conversation`);
    assert.equal(unhandledRejections(), 0);
  } finally {
    await pair.close();
  }
});
