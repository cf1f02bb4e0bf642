// Bad input from the server or the network must not take the session down or lose a finished turn:
// events with the right type and wrong fields, prototype-pollution keys, and mic audio produced while
// the connection is down (which must never reach the next session).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { replyCompleted, silence, sleep, speak, startPair, tone, unhandledRejections, waitForPhase, type Pair } from './harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

const HOSTILE: object[] = [
  { type: 'response.output_audio.delta', response_id: 42, item_id: null, delta: 12345 },
  { type: 'response.output_audio.delta', response_id: 'resp_x', item_id: 'item_x', delta: 'QUJD$$RA==' },
  { type: 'response.output_audio_transcript.delta', response_id: 'r', item_id: { nested: true }, delta: ['a'] },
  { type: 'response.done', response: 'not an object' },
  { type: 'response.done' },
  { type: 'response.created', response: null },
  { type: 'conversation.item.added', item: null, previous_item_id: 7 },
  { type: 'conversation.item.done', item: { id: 5, type: 'message', role: 'assistant', content: 'nope' } },
  { type: 'response.function_call_arguments.done', item_id: 'x', call_id: 'call_x', name: 'get_current_time', arguments: 99 },
  { type: 'input_audio_buffer.speech_started' },
  { type: 'input_audio_buffer.speech_stopped', audio_end_ms: 'soon' },
  { type: 'conversation.item.input_audio_transcription.completed', item_id: 'unknown', transcript: null },
  { type: 'conversation.item.truncated', item_id: 'unknown', audio_end_ms: -5 },
  { type: 'rate_limits.updated', rate_limits: 'many' },
  { type: 'error', error: null },
  { type: 'error', error: { code: 12, message: { deep: 1 } } },
  { type: 'session.created', session: 'x' },
  { type: '__proto__', __proto__: { polluted: true } },
  JSON.parse('{"type":"response.output_item.added","__proto__":{"polluted":true},"item":{"__proto__":{"polluted":true}}}'),
];

describe('hostile input', () => {
  test('well-typed events with wrong fields: the session survives, and the next turn completes', async () => {
    pair = await startPair();
    const { session, sim } = pair;
    await session.connect();
    const first = replyCompleted(session);
    speak(session, tone(500), silence(700));
    await first;
    await waitForPhase(session, 'listening');
    const finished = session.conversation.items().map((i) => ({ id: i.id, text: i.text, status: i.status }));
    for (const e of HOSTILE) sim.connections[0]!.send(e as Record<string, unknown>);
    await sleep(200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
    assert.equal(sim.connections.length, 1, 'no reconnect was needed');
    assert.equal(session.conversation.usage.responses, 1, 'a response.done without a response counts for nothing');
    assert.equal(session.stats.unreadableMessages, 6, 'the four events missing the ids they need, and the two unreadable errors, are counted');
    const told = pair.notices.filter((n) => n.code === 'malformed_event');
    assert.equal(told.length, 1, 'and the user is told once');
    assert.match(told[0]!.message, /^Ignored a malformed "response\.output_audio\.delta" event from the server \(response_id is missing\)/);
    // The finished turn is unchanged.
    for (const f of finished) {
      const now = session.conversation.get(f.id)!;
      assert.equal(now.text, f.text);
      assert.equal(now.status, f.status);
    }
    // A stray speech_started may have flipped the phase; the conversation still goes on.
    const next = replyCompleted(session);
    speak(session, tone(500), silence(700));
    assert.equal((await next).status, 'completed');
    assert.ok(pair.audio.every((a) => a.bytes % 2 === 0));
  });

  test('mic audio while the connection is down is dropped, never replayed into the next session', async () => {
    pair = await startPair({ session: { backoff: { baseMs: 400, maxMs: 400, stableMs: 5000 } } });
    const { session, sim } = pair;
    await session.connect();
    speak(session, silence(200));
    await sleep(50);
    sim.connections[0]!.terminate();
    await waitForPhase(session, 'reconnecting');
    speak(session, tone(3000)); // three seconds spoken into the outage
    await waitForPhase(session, 'listening');
    await sleep(100);
    assert.equal(sim.connections[1]!.appendedMs(), 0, 'nothing of the outage reached the new session');
    const reply = replyCompleted(session);
    speak(session, tone(500), silence(700));
    await reply;
    assert.ok(Math.abs(sim.connections[1]!.appendedMs() - 1200) <= 40, `only the new turn: ${sim.connections[1]!.appendedMs()} ms`);
  });
});
