import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { TestClient } from './client';
import { toneWithSilence } from '../../simulator/pcm';
import { startSimulator } from '../../simulator/server';

const REPLAY = new URL('../../../shared/fixtures/realtime-replay/', import.meta.url).pathname;

describe('replay', () => {
  it('barge-in.json driven by a scripted client: recorded events and ids, live VAD fills, answered truncation', async () => {
    const path = `${REPLAY}barge-in.json`;
    const scenario = JSON.parse(readFileSync(path, 'utf8'));
    const sim = await startSimulator({ replay: path, replaySpeed: 10, paceFactor: Infinity });
    try {
      const c = await TestClient.connect(sim.url);
      const created = await c.waitFor('session.created');
      assert.equal(created.session.id, scenario.session.id);
      c.appendPcm(toneWithSilence(300, 1200, 400));
      const first = await c.waitFor('input_audio_buffer.speech_started');
      assert.equal(first.item_id, 'item_BaPtRNjvJHF1DHtZbfEhw');
      assert.equal(first.audio_start_ms, 0, 'live: onset 300 ms − padding 300 ms');
      const stopped = await c.waitFor('input_audio_buffer.speech_stopped');
      assert.equal(stopped.audio_end_ms, 1700, 'live: tone end 1500 ms + 200 ms silence');

      // Speak over the reply as soon as it starts playing.
      await c.waitFor('response.output_audio.delta', (e) => e.item_id === 'item_BaPtRVrWOjQ8ccr91r1xd');
      c.appendPcm(toneWithSilence(0, 500, 400));
      const second = await c.waitFor('input_audio_buffer.speech_started', (e) => e.item_id === 'item_BaPtTxZSbMFYXQjTrlCtc');
      assert.equal(second.audio_start_ms, 1700, 'live: onset 1900 ms − 300 ms padding, clamped at the last commit (1700 ms)');
      const cancelled = await c.waitFor('response.done', (e) => e.response.status === 'cancelled');
      assert.equal(cancelled.response.id, 'resp_BaPtRRglWS4808sbMovDx');
      const played = c.events.filter((e) => e.type === 'response.output_audio.delta' && e.item_id === 'item_BaPtRVrWOjQ8ccr91r1xd').length * 100;
      c.send({ type: 'conversation.item.truncate', item_id: 'item_BaPtRVrWOjQ8ccr91r1xd', content_index: 0, audio_end_ms: played + 100 });
      await c.waitFor('error', (e) => e.error.param === 'audio_end_ms');
      c.send({ type: 'conversation.item.truncate', item_id: 'item_BaPtRVrWOjQ8ccr91r1xd', content_index: 0, audio_end_ms: 800 });
      assert.equal((await c.waitFor('conversation.item.truncated')).audio_end_ms, 800);
      const final = await c.waitFor('response.done', (e) => e.response.status === 'completed', 10_000);
      assert.equal(final.response.id, 'resp_cLD3EySmElINUNFB93XB7');
      await c.waitFor('rate_limits.updated', (e) => e.event_id === 'event_nva2aHQndQjqZPzBkgfTA');

      const recordedIds = scenario.steps.filter((s: any) => s.send).map((s: any) => s.send.event_id);
      const servedIds = c.events.map((e) => e.event_id).filter((id) => recordedIds.includes(id));
      assert.deepEqual(servedIds, recordedIds, 'every recorded event, in order, with its recorded id');
      const lateAfterSpeech = c.types(c.events.indexOf(second)).filter((t) => t === 'response.output_audio.delta').length;
      assert.ok(lateAfterSpeech >= 5, 'the five in-flight deltas still arrive after speech_started');
      c.close();
    } finally {
      await sim.close();
    }
  });

  it('function-call.json: waits for commit, response.create and the tool output', async () => {
    const sim = await startSimulator({ replay: `${REPLAY}function-call.json`, replaySpeed: 20, paceFactor: Infinity });
    try {
      const c = await TestClient.connect(sim.url);
      await c.waitFor('session.created');
      c.appendPcm(toneWithSilence(300, 1200, 400));
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(!c.types().includes('input_audio_buffer.committed'), 'nothing before the client commits');
      c.send({ type: 'input_audio_buffer.commit' });
      await c.waitFor('conversation.item.done');
      c.send({ type: 'response.create' });
      const args = await c.waitFor('response.function_call_arguments.done', () => true, 10_000);
      const joined = c.events.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta).join('');
      assert.equal(joined, args.arguments);
      await c.waitFor('response.done');
      c.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: args.call_id, output: '{"error":"unknown tool"}' } });
      const echoed = await c.waitFor('conversation.item.done', (e) => e.item.type === 'function_call_output');
      c.send({ type: 'response.create' });
      const added = await c.waitFor('conversation.item.added', (e) => e.item.id === 'item_XmGkcYM9kUwY3WTQR8dUt', 10_000);
      assert.equal(added.previous_item_id, echoed.item.id, '$last_item resolved to the tool output');
      const done = await c.waitFor('response.done', (e) => e.response.id === 'resp_YIyRYZpc2hUaT4OCMyiLv', 10_000);
      assert.equal(done.response.status, 'completed');
      c.close();
    } finally {
      await sim.close();
    }
  });

  it('bad-key.json: the recorded error then close 3000', async () => {
    const sim = await startSimulator({ replay: `${REPLAY}bad-key.json` });
    try {
      const c = await TestClient.connect(sim.url);
      assert.deepEqual(await c.closed, { code: 3000, reason: 'invalid_request_error.invalid_api_key' });
      assert.equal(c.events[0].event_id, 'event_5wRcWL0bKFw5FJtcU09cQ');
      assert.equal(c.events.length, 1);
    } finally {
      await sim.close();
    }
  });
});
