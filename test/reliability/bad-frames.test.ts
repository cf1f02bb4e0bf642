// Bad input at volume: 1,000 malformed frames (openai-node's corpus shapes plus random JSON, each
// carrying a CONFIDENTIAL marker) interleaved with a conversation; frames of 1 MB and 10 MB; JSON
// nested 100,000 levels. The socket stays open for everything under the cap, the conversation
// completes, each bad frame is counted, and no message to the user repeats any payload text.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import fc from 'fast-check';
import { replyCompleted, silence, sleep, speak, startPair, tone, unhandledRejections, waitForPhase, type Pair } from '../realtime/harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

const CORPUS = ['null', '0', '1', 'false', 'true', '""', '"CONFIDENTIAL"', '[]', '[1,2]', '{}', '{"type":null}', '{"type":1}', '{"type":true}', '{"type":["x"]}', '{"type":{"a":1}}', '{"notype":"CONFIDENTIAL"}', '{"type":"__proto__"}', '{"type":"constructor"}', '{"type":"toString"}', 'CONFIDENTIAL not json', '{"type":"error","error":"CONFIDENTIAL"}'];

describe('bad frames at volume', () => {
  test('1,000 malformed frames interleaved with a turn: counted, told without payload, the turn completes', { timeout: 30_000 }, async () => {
    pair = await startPair();
    const { session, sim } = pair;
    await session.connect();
    const random = fc.sample(fc.oneof(fc.json(), fc.string()), { numRuns: 1000 - CORPUS.length, seed: 3 }).map((s, i) => (i % 2 ? `${s}CONFIDENTIAL-${i}` : s));
    const frames = [...CORPUS, ...random];
    const conn = sim.connections[0]!;
    const reply = replyCompleted(session);
    let sent = 0;
    for (const f of frames.slice(0, 500)) conn.sendRaw(f), sent++;
    speak(session, tone(500), silence(700));
    for (const f of frames.slice(500)) conn.sendRaw(f), sent++;
    assert.equal((await reply).status, 'completed');
    await waitForPhase(session, 'listening');
    assert.equal(sim.connections.length, 1, 'the socket stayed open');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // Frames that parse into an event of an unknown type are ignored as forward-compatible, the rest counted as unreadable.
    const counted = session.stats.unreadableMessages + session.stats.unknownEvents;
    assert.ok(counted >= 900 && counted <= sent, `counted ${counted} of ${sent}`);
    assert.ok(pair.notices.length <= 3, `${pair.notices.length} notices`);
    assert.ok(!JSON.stringify(pair.notices).includes('CONFIDENTIAL'), 'no payload text in any notice');
    console.log(`1,000 malformed frames: ${session.stats.unreadableMessages} unreadable, ${session.stats.unknownEvents} unknown types, ${pair.notices.length} notices`);
  });

  test('a 1 MB frame is read; a 10 MB frame closes with 1009; 100,000-level JSON is counted, not thrown', { timeout: 30_000 }, async () => {
    pair = await startPair();
    const { session, sim } = pair;
    await session.connect();
    const conn = sim.connections[0]!;
    conn.sendRaw(JSON.stringify({ type: 'simulator.big', event_id: 'event_big', padding: 'x'.repeat(1_000_000) }));
    conn.sendRaw(`{"type":"simulator.deep","event_id":"event_deep","d":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    await sleep(300);
    assert.equal(sim.connections.length, 1, '1 MB and deep frames do not cost the socket');
    const before = process.memoryUsage().rss;
    conn.sendRaw(JSON.stringify({ type: 'simulator.huge', padding: 'x'.repeat(10_000_000) }));
    await waitForPhase(session, 'reconnecting');
    await waitForPhase(session, 'listening');
    console.log(`10 MB frame: closed at the cap, RSS +${((process.memoryUsage().rss - before) / 2 ** 20).toFixed(1)} MiB in this process (server's copy included)`);
    assert.ok(pair.notices.some((n) => /oversized/.test(n.message)));
    const reply = replyCompleted(session);
    speak(session, tone(500), silence(700));
    assert.equal((await reply).status, 'completed');
  });
});
