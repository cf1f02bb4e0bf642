// The 2026 recordings of gpt-realtime-2.x (preambles, phase, streaming transcription, the idle nudge)
// replayed through the talk command; the harness is recorded-replay.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkAgainstRecording, replay } from './recorded-replay';

describe('2026 recordings (gpt-realtime-2.x) replayed through the talk command', () => {
  test('preamble-tool: a commentary preamble and a call in one response, the final answer in the next', async () => {
    const r = await replay('preamble-tool');
    checkAgainstRecording(r);
    const creates = r.wire.map((e, i) => ({ e, i })).filter(({ e }) => e.type === 'response.create');
    const fco = r.wire.findIndex((e) => e.type === 'conversation.item.create' && e.item.type === 'function_call_output');
    assert.equal(creates.filter(({ i }) => i > fco).length, 1, 'exactly one response.create after the tool output');
    const order = r.entries.filter((e) => e.role === 'assistant' && e.type === 'message').map((e) => e.phase);
    assert.deepEqual(order, ['commentary', 'final_answer']);
    assert.ok(r.log.some((l) => l.includes('done: "It’s foggy and 12 degrees in London."')), 'the answer, not the preamble, answers the turn');
  });
  test('tool-round: a response that is only a function call, then the answer', async () => {
    checkAgainstRecording(await replay('tool-round'));
  });
  test('vad-turn: input transcription deltas interleaved with the reply', async () => {
    checkAgainstRecording(await replay('vad-turn'));
  });
  test('three-turns: transcription deltas before the commit, a cache hit then a miss', async () => {
    checkAgainstRecording(await replay('three-turns'));
  });
  test('idle-nudge without an idle timeout: no nudge is served, both turns answered', async () => {
    const r = await replay('idle-nudge');
    checkAgainstRecording(r);
    assert.ok(!r.wire.some((e) => e.type === 'session.update' && e.session.audio?.input?.turn_detection?.idle_timeout_ms), 'no idle timeout asked for');
  });
  test('idle-nudge with --idle-timeout 5000: the nudge is played, hidden as a turn, and not taken as the answer', async () => {
    const r = await replay('idle-nudge', { idleTimeoutMs: 5000 });
    checkAgainstRecording(r);
    const update = r.wire.find((e) => e.type === 'session.update');
    assert.equal(update.session.audio.input.turn_detection.idle_timeout_ms, 5000);
    assert.ok(!r.result.items.some((i) => (i.role as string) === 'system'), 'the server\'s system item is no one\'s turn');
    assert.ok(r.log.some((l) => l === 'turn 2/2 done: "No problem, welcome back. What would you like to talk about?"'), r.log.join('\n'));
    assert.ok(!r.log.some((l) => l.includes('done: "Hey, I\'m still here!')), 'the nudge reply answers no turn');
  });
});
