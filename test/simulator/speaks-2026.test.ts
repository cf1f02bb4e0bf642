// The simulator behaves like the 2026 recordings (../shared/fixtures/realtime-replay/preamble-tool,
// tool-round, three-turns, idle-nudge): a 2.x model's preamble and call in one response with the
// call streaming while the preamble is open, phase, reasoning_tokens inside text output,
// previous_item_id null on a response item's conversation.item.done, the tool-output echo only at the
// next response.create, live transcription deltas before the commit (gpt-realtime-whisper, billed by
// duration), the idle nudge with its system item and empty user item, and the model's own defaults.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClient } from './client';
import { toneWithSilence } from '../../simulator/pcm';
import { startSimulator } from '../../simulator/server';

const TIME_TOOL = { type: 'function', name: 'get_current_time', description: 'time', parameters: { type: 'object', properties: {} } };

describe('the simulator speaks 2026', () => {
  it('gpt-realtime-2.1: defaults 500 ms and marin; gpt-realtime keeps 200 ms and alloy', async () => {
    const sim = await startSimulator({ paceFactor: Infinity });
    try {
      const a = await TestClient.connect(sim.url, { model: 'gpt-realtime-2.1' });
      const s2 = (await a.waitFor('session.created')).session;
      assert.equal(s2.audio.input.turn_detection.silence_duration_ms, 500);
      assert.equal(s2.audio.output.voice, 'marin');
      const b = await TestClient.connect(sim.url, { model: 'gpt-realtime' });
      const s1 = (await b.waitFor('session.created')).session;
      assert.equal(s1.audio.input.turn_detection.silence_duration_ms, 200);
      assert.equal(s1.audio.output.voice, 'alloy');
      b.send({ type: 'session.update', event_id: 'e1', session: { type: 'realtime', reasoning: { effort: 'low' } } });
      const err = await b.waitFor('error');
      assert.equal(err.error.param, 'session.reasoning');
      assert.equal(err.error.event_id, 'e1');
      a.close();
      b.close();
    } finally {
      await sim.close();
    }
  });

  it('a preamble and a call in one response; the echo of a tool output waits for the next response.create', async () => {
    const sim = await startSimulator({ paceFactor: 20 });
    try {
      const c = await TestClient.connect(sim.url, { model: 'gpt-realtime-2.1' });
      await c.waitFor('session.created');
      c.send({ type: 'session.update', session: { type: 'realtime', tools: [TIME_TOOL], audio: { input: { turn_detection: null } } } });
      await c.waitFor('session.updated');
      c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What time is it?' }] } });
      c.send({ type: 'response.create' });
      const call = await c.waitFor('response.output_item.added', (e) => e.item.type === 'function_call');
      const callIndex = c.events.indexOf(call);
      const preambleDone = c.events.findIndex((e) => e.type === 'response.output_item.done' && e.item.type === 'message');
      assert.ok(preambleDone === -1 || preambleDone > callIndex, 'the call is added while the preamble is still open');
      const added = c.events.find((e) => e.type === 'response.output_item.added' && e.item.type === 'message');
      assert.equal(added.item.phase, 'commentary');
      // Answer before response.done, as the recorded client did.
      c.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: call.item.call_id, output: '{"local":"10:00"}' } });
      const done = await c.waitFor('response.done');
      assert.deepEqual(done.response.output.map((o: any) => o.type), ['message', 'function_call']);
      assert.ok(done.response.usage.output_token_details.reasoning_tokens > 0);
      assert.ok(done.response.usage.output_token_details.reasoning_tokens <= done.response.usage.output_token_details.text_tokens, 'inside text output');
      const itemDone = c.events.filter((e) => e.type === 'conversation.item.done' && e.item.role === 'assistant');
      assert.ok(itemDone.every((e) => e.previous_item_id === null));
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(!c.events.some((e) => e.type === 'conversation.item.added' && e.item.type === 'function_call_output'), 'no echo yet');
      const before = c.events.length;
      c.send({ type: 'response.create' });
      const echo = await c.waitFor('conversation.item.added', (e) => e.item.type === 'function_call_output', 5000, before);
      const created = await c.waitFor('response.created', () => true, 5000, before);
      assert.ok(c.events.indexOf(echo) < c.events.indexOf(created), 'the echo comes first, then the answer');
      const answer = await c.waitFor('response.output_item.added', (e) => e.item.type === 'message', 5000, c.events.indexOf(created));
      assert.equal(answer.item.phase, 'final_answer');
      c.close();
    } finally {
      await sim.close();
    }
  });

  it('gpt-realtime-whisper: transcript deltas stream before speech_stopped and the commit, and usage is a duration', async () => {
    const sim = await startSimulator({ paceFactor: Infinity, userTranscript: () => 'one two three four five six seven eight' });
    try {
      const c = await TestClient.connect(sim.url, { model: 'gpt-realtime-2.1' });
      await c.waitFor('session.created');
      c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { transcription: { model: 'gpt-realtime-whisper' } } } } });
      await c.waitFor('session.updated');
      c.appendPcm(toneWithSilence(200, 3000, 800));
      const started = await c.waitFor('input_audio_buffer.speech_started');
      const committed = await c.waitFor('input_audio_buffer.committed');
      const early = c.events.slice(0, c.events.indexOf(committed)).filter((e) => e.type === 'conversation.item.input_audio_transcription.delta');
      assert.ok(early.length >= 3, `deltas before the commit: ${early.length}`);
      assert.ok(early.every((e) => e.item_id === started.item_id), 'keyed by the item speech_started announced');
      const completed = await c.waitFor('conversation.item.input_audio_transcription.completed');
      assert.equal(completed.transcript, 'one two three four five six seven eight');
      const all = c.events.filter((e) => e.type === 'conversation.item.input_audio_transcription.delta').map((e) => e.delta).join('');
      assert.equal(all, completed.transcript, 'the deltas join to the final transcript, none twice');
      assert.equal(completed.usage.type, 'duration');
      assert.ok(completed.usage.seconds > 2);
      c.close();
    } finally {
      await sim.close();
    }
  });

  it('the idle nudge as recorded: timeout_triggered, a system item, the silent buffer as an empty user item, the reply', async () => {
    const sim = await startSimulator({ paceFactor: Infinity, respond: (ctx) => ({ text: ctx.turnIndex === 0 ? 'Hi there.' : 'Are you still there?', audioMs: 400 }) });
    try {
      const c = await TestClient.connect(sim.url, { model: 'gpt-realtime-2.1-mini' });
      await c.waitFor('session.created');
      c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { transcription: { model: 'gpt-realtime-whisper' }, turn_detection: { type: 'server_vad', idle_timeout_ms: 5000 } } } } });
      await c.waitFor('session.updated');
      c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Say hi.' }] } });
      c.send({ type: 'response.create' });
      await c.waitFor('response.done');
      c.appendPcm(new Int16Array(24_000 * 6));
      const t = await c.waitFor('input_audio_buffer.timeout_triggered', () => true, 10_000);
      const from = c.events.indexOf(t);
      await c.waitFor('response.done', () => true, 5000, from);
      const order = c.types(from).filter((x) => ['conversation.item.added', 'input_audio_buffer.committed', 'response.created'].includes(x));
      const after = c.events.slice(from);
      const system = after.find((e) => e.type === 'conversation.item.added' && e.item.role === 'system');
      assert.match(system.item.content[0].text, /No user speech was detected/);
      const user = after.find((e) => e.type === 'conversation.item.added' && e.item.role === 'user');
      assert.equal(user.item.id, t.item_id);
      assert.deepEqual(order.slice(0, 4), ['conversation.item.added', 'input_audio_buffer.committed', 'conversation.item.added', 'response.created'], 'system note, commit, user item, reply');
      const tr = await c.waitFor('conversation.item.input_audio_transcription.completed', (e) => e.item_id === t.item_id);
      assert.equal(tr.transcript, '');
      c.close();
    } finally {
      await sim.close();
    }
  });
});
