import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { TestClient } from './client';
import { toneWithSilence } from '../../simulator/pcm';
import { startSimulator, type Simulator } from '../../simulator/server';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../shared/fixtures/realtime/${name}`, import.meta.url), 'utf8'));
const MANUAL = { type: 'realtime', audio: { input: { turn_detection: null } } };

/** The event order without audio deltas and with runs of one delta type collapsed, so it compares as a list. */
function collapse(types: string[]): string[] {
  const kept = types.filter((t) => t !== 'response.output_audio.delta');
  return kept.filter((t, i) => !(t.endsWith('.delta') && kept[i - 1] === t));
}

describe('turns', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ paceFactor: Infinity, updateDelayMs: 1, transcriptionDelayMs: 20 });
  });
  after(() => sim.close());

  async function manualClient(session: object = MANUAL) {
    const c = await TestClient.connect(sim.url);
    c.send({ type: 'session.update', session });
    await c.waitFor('session.updated');
    return c;
  }

  it('server VAD turn: exact speech times, then the §5(b) order through rate_limits.updated', async () => {
    const c = await TestClient.connect(sim.url);
    await c.waitFor('session.created');
    c.appendPcm(toneWithSilence(500, 1000, 600));
    await c.waitFor('rate_limits.updated');
    const started = await c.waitFor('input_audio_buffer.speech_started');
    const stopped = await c.waitFor('input_audio_buffer.speech_stopped');
    assert.equal(started.audio_start_ms, 200, 'onset 500 ms − prefix padding 300 ms');
    assert.equal(stopped.audio_end_ms, 1700, 'speech end 1500 ms + silence_duration_ms 200');
    assert.equal(started.item_id, stopped.item_id);
    const types = collapse(c.types(1));
    assert.deepEqual(types, [
      'input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed',
      'conversation.item.added', 'conversation.item.done', 'response.created', 'response.output_item.added',
      'conversation.item.added', 'response.content_part.added', 'response.output_audio_transcript.delta',
      'response.output_audio.done', 'response.output_audio_transcript.done', 'response.content_part.done',
      'conversation.item.done', 'response.output_item.done', 'response.done', 'rate_limits.updated',
    ]);
    // The recorded GA prefix (speech_started … first transcript delta) has exactly these types in this order.
    assert.deepEqual(types.slice(0, 10), fixture('ga-ws-vad-turn-start.json').map((e: any) => e.type));
    const all = c.types();
    const firstAudio = all.indexOf('response.output_audio.delta');
    assert.ok(firstAudio > all.indexOf('response.output_audio_transcript.delta'), 'transcript leads');
    assert.ok(all.lastIndexOf('response.output_audio_transcript.delta') > firstAudio, 'transcript and audio deltas interleave');
    const deltas = c.events.filter((e) => e.type.endsWith('.delta'));
    assert.ok(deltas.every((d) => typeof d.obfuscation === 'string' && d.obfuscation.length >= 8));
    assert.ok(c.events.filter((e) => e.item).every((e) => !('object' in e.item)), 'GA items carry no object');
    const transcriptDone = await c.waitFor('response.output_audio_transcript.done');
    assert.equal(transcriptDone.transcript, 'I heard (spoken for 1.7 s). How can I help?');
    const done = await c.waitFor('response.done');
    assert.equal(done.response.status, 'completed');
    const u = done.response.usage;
    assert.equal(u.total_tokens, u.input_tokens + u.output_tokens);
    assert.deepEqual(Object.keys(u.input_token_details), Object.keys(fixture('ga-ws-event-samples.json')[2].response.usage.input_token_details));
    assert.ok(u.output_token_details.audio_tokens > 0);
    const rl = await c.waitFor('rate_limits.updated');
    assert.deepEqual(rl.rate_limits.map((r: any) => r.name), ['tokens']);
    c.close();
  });

  it('text turn tail matches the recorded GA text turn', async () => {
    const c = await manualClient({ type: 'realtime', output_modalities: ['text'] });
    const from = c.events.length;
    c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Say hi' }] } });
    c.send({ type: 'response.create' });
    await c.waitFor('rate_limits.updated');
    const recorded = fixture('ga-ws-text-turn-and-nonfatal-errors.json').slice(0, 17).map((e: any) => e.type);
    assert.deepEqual(collapse(c.types(from)), collapse(recorded));
    const done = await c.waitFor('response.output_text.done');
    const deltas = c.events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join('');
    assert.equal(deltas, done.text);
    assert.equal(done.text, 'I heard Say hi. How can I help?');
    c.close();
  });

  it('manual turn: commit_empty under 100 ms (event_id echoed), commit, response; second response.create conflicts', async () => {
    sim.options.paceFactor = 20;
    try {
      const c = await manualClient();
      c.appendPcm(toneWithSilence(0, 50, 0), 50);
      c.send({ type: 'input_audio_buffer.commit', event_id: 'commit_10' });
      const empty = await c.waitFor('error');
      assert.equal(empty.error.code, 'input_audio_buffer_commit_empty');
      assert.equal(empty.error.message, 'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has 50.00ms of audio.');
      assert.equal(empty.error.event_id, 'commit_10');
      c.appendPcm(toneWithSilence(0, 1000, 0));
      c.send({ type: 'input_audio_buffer.commit' });
      const committed = await c.waitFor('input_audio_buffer.committed');
      const added = await c.waitFor('conversation.item.added', (e) => e.item.id === committed.item_id);
      assert.deepEqual(added.item.content, [{ type: 'input_audio', transcript: null }]);
      c.send({ type: 'response.create' });
      const created = await c.waitFor('response.created');
      c.send({ type: 'response.create', event_id: 'second' });
      const conflict = await c.waitFor('error', (e) => e.error.code === 'conversation_already_has_active_response');
      assert.equal(conflict.error.event_id, 'second');
      assert.equal(conflict.error.message, `Conversation already has an active response in progress: ${created.response.id}. Wait until the response is finished before creating a new one.`);
      await c.waitFor('response.done');
      assert.equal(c.events.filter((e) => e.type === 'response.created').length, 1);
      assert.equal(c.events.filter((e) => e.type === 'response.done').length, 1);
      c.send({ type: 'input_audio_buffer.clear' });
      await c.waitFor('input_audio_buffer.cleared');
      c.close();
    } finally {
      sim.options.paceFactor = Infinity;
    }
  });

  it('function call: arguments reassembled from deltas equal .done; tool output must reference a call; reply quotes it', async () => {
    const c = await manualClient({
      type: 'realtime',
      tools: [{ type: 'function', name: 'get_time', description: 'now', parameters: { type: 'object', properties: {} } }],
    });
    sim.options.respond = (ctx) =>
      ctx.toolOutputs.length ? { text: `The tool said: ${ctx.toolOutputs[0]!.output}` } : { text: 'Let me check.', toolCalls: [{ name: 'get_time', arguments: '{"zone":"Europe/Paris","format":"24h"}' }] };
    try {
      c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What time is it?' }] } });
      c.send({ type: 'response.create' });
      await c.waitFor('rate_limits.updated');
      const done = await c.waitFor('response.done');
      const argsDone = await c.waitFor('response.function_call_arguments.done');
      const deltas = c.events.filter((e) => e.type === 'response.function_call_arguments.delta');
      assert.ok(deltas.length > 1);
      assert.equal(deltas.map((d) => d.delta).join(''), argsDone.arguments);
      assert.equal(argsDone.name, 'get_time');
      assert.match(argsDone.call_id, /^call_[A-Za-z0-9]{16}$/);
      const added = await c.waitFor('response.output_item.added', (e) => e.item.type === 'function_call');
      assert.deepEqual(added.item, { id: argsDone.item_id, type: 'function_call', status: 'in_progress', name: 'get_time', call_id: argsDone.call_id, arguments: '' });
      assert.equal(added.output_index, 1, 'after the spoken preamble');
      const callTypes = c.types().slice(c.types().indexOf('response.function_call_arguments.done'));
      assert.deepEqual(callTypes.slice(0, 5), ['response.function_call_arguments.done', 'conversation.item.done', 'response.output_item.done', 'response.done', 'rate_limits.updated']);
      assert.deepEqual(done.response.output.map((o: any) => [o.type, o.status]), [['message', 'completed'], ['function_call', 'completed']]);

      c.send({ type: 'conversation.item.create', event_id: 'x1', item: { type: 'function_call_output', call_id: 'call_nope', output: '12:00' } });
      const bad = await c.waitFor('error');
      assert.equal(bad.error.event_id, 'x1');
      const n = c.events.length;
      c.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: argsDone.call_id, output: '12:00' } });
      await c.waitFor('conversation.item.done', (e) => e.item.type === 'function_call_output');
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(!c.types(n).includes('response.created'), 'the server does not answer tool output by itself');
      c.send({ type: 'response.create' });
      const reply = await c.waitFor('response.output_audio_transcript.done', () => true, 5000, n);
      assert.equal(reply.transcript, 'The tool said: 12:00');
    } finally {
      delete sim.options.respond;
      c.close();
    }
  });

  it('default brain calls the first tool with "time" in its name', async () => {
    const c = await manualClient({ type: 'realtime', tools: [{ type: 'function', name: 'lookup' }, { type: 'function', name: 'get_local_time' }] });
    c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'what is the time' }] } });
    c.send({ type: 'response.create' });
    const args = await c.waitFor('response.function_call_arguments.done');
    assert.deepEqual([args.name, args.arguments], ['get_local_time', '{}']);
    c.close();
  });

  it('response.cancel: late deltas, item incomplete, cancelled/client_cancelled; then cancel_not_active', async () => {
    sim.options.paceFactor = 2;
    try {
      const c = await manualClient();
      c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'tell me a long story please' }] } });
      c.send({ type: 'response.create' });
      await c.waitFor('response.output_audio.delta');
      c.send({ type: 'response.cancel' });
      const done = await c.waitFor('response.done');
      assert.deepEqual(done.response.status_details, { type: 'cancelled', reason: 'client_cancelled' });
      assert.equal(done.response.status, 'cancelled');
      assert.equal(done.response.output[0].status, 'incomplete');
      const itemDone = await c.waitFor('response.output_item.done');
      assert.equal(itemDone.item.status, 'incomplete');
      const conn = sim.connections.at(-1)!;
      const cancelAt = conn.received.find((r) => r.event.type === 'response.cancel')!.t;
      const lateDeltas = conn.sent.filter((r) => r.t >= cancelAt && r.event.type === 'response.output_audio.delta');
      assert.equal(lateDeltas.length, 2);
      c.send({ type: 'response.cancel', event_id: 'c2' });
      const err = await c.waitFor('error');
      assert.deepEqual([err.error.code, err.error.message, err.error.event_id], ['response_cancel_not_active', 'Cancellation failed: no active response found', 'c2']);
      c.close();
    } finally {
      sim.options.paceFactor = Infinity;
    }
  });

  it('barge-in: speech during a reply cancels it with turn_detected, in the §5(e) order', async () => {
    sim.options.paceFactor = 1;
    try {
      const c = await TestClient.connect(sim.url);
      c.appendPcm(toneWithSilence(200, 600, 400));
      await c.waitFor('response.output_audio.delta');
      const from = c.events.length;
      c.appendPcm(toneWithSilence(0, 500, 300));
      const done = await c.waitFor('response.done');
      assert.deepEqual(done.response.status_details, { type: 'cancelled', reason: 'turn_detected' });
      const tail = collapse(c.types(from)).filter((t) => t !== 'response.output_audio.delta');
      assert.deepEqual(tail.slice(0, 7), [
        'input_audio_buffer.speech_started', 'response.output_audio.done', 'response.output_audio_transcript.done',
        'response.content_part.done', 'conversation.item.done', 'response.output_item.done', 'response.done',
      ]);
      const second = await c.waitFor('response.created', () => true, 5000, from);
      assert.notEqual(second.response.id, done.response.id);
      c.close();
    } finally {
      sim.options.paceFactor = Infinity;
    }
  });

  it('truncate: ok shortens the transcript; too long and unknown item are errors', async () => {
    const c = await manualClient();
    c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] } });
    c.send({ type: 'response.create' });
    const done = await c.waitFor('response.done');
    const item = done.response.output[0];
    const audioMs = c.events.filter((e) => e.type === 'response.output_audio.delta').reduce((ms, e) => ms + Buffer.from(e.delta, 'base64').length / 48, 0);
    c.send({ type: 'conversation.item.truncate', item_id: item.id, content_index: 0, audio_end_ms: audioMs + 1, event_id: 't1' });
    const tooLong = await c.waitFor('error');
    assert.equal(tooLong.error.message, `Audio content of ${audioMs}ms is already shorter than ${audioMs + 1}ms`);
    assert.equal(tooLong.error.event_id, 't1');
    c.send({ type: 'conversation.item.truncate', item_id: item.id, content_index: 0, audio_end_ms: Math.floor(audioMs / 2) });
    const truncated = await c.waitFor('conversation.item.truncated');
    assert.deepEqual(truncated, { type: 'conversation.item.truncated', event_id: truncated.event_id, item_id: item.id, content_index: 0, audio_end_ms: Math.floor(audioMs / 2) });
    c.send({ type: 'conversation.item.retrieve', item_id: item.id });
    const retrieved = await c.waitFor('conversation.item.retrieved');
    const full = item.content[0].transcript;
    assert.ok(retrieved.item.content[0].transcript.length < full.length && full.startsWith(retrieved.item.content[0].transcript));
    c.send({ type: 'conversation.item.truncate', item_id: 'item_missing', content_index: 0, audio_end_ms: 0 });
    await c.waitFor('error', (e) => e.error.param === 'item_id');
    c.close();
  });

  it('input transcription arrives on its own clock, after the reply here; null → failed', async () => {
    sim.options.transcriptionDelayMs = 300;
    let next: string | null = 'hello there';
    sim.options.userTranscript = () => next;
    try {
      const c = await TestClient.connect(sim.url);
      c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { transcription: { model: 'gpt-4o-mini-transcribe' } } } } });
      await c.waitFor('session.updated');
      c.appendPcm(toneWithSilence(100, 500, 400));
      const completed = await c.waitFor('conversation.item.input_audio_transcription.completed');
      assert.equal(completed.transcript, 'hello there');
      assert.equal(completed.usage.type, 'tokens');
      const types = c.types();
      assert.ok(types.indexOf('response.done') < types.indexOf('conversation.item.input_audio_transcription.delta'), 'out of step with the reply');
      assert.equal(c.events.filter((e) => e.type === 'conversation.item.input_audio_transcription.delta').map((e) => e.delta).join(''), 'hello there');
      next = null;
      c.appendPcm(toneWithSilence(100, 500, 400));
      const failed = await c.waitFor('conversation.item.input_audio_transcription.failed');
      assert.equal(failed.content_index, 0);
      c.close();
    } finally {
      sim.options.transcriptionDelayMs = 20;
      delete sim.options.userTranscript;
    }
  });

  it('conversation.item.create honours previous_item_id "root" and reports added/done', async () => {
    const c = await manualClient();
    c.send({ type: 'conversation.item.create', item: { id: 'item_a', type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Be brief.' }] } });
    await c.waitFor('conversation.item.done', (e) => e.item.id === 'item_a');
    c.send({ type: 'conversation.item.create', previous_item_id: 'root', item: { id: 'item_b', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] } });
    const added = await c.waitFor('conversation.item.added', (e) => e.item.id === 'item_b');
    assert.equal(added.previous_item_id, null);
    c.send({ type: 'conversation.item.delete', item_id: 'item_a' });
    await c.waitFor('conversation.item.deleted');
    c.close();
  });
});
