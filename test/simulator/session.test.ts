import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient } from './client';
import { startSimulator, type Simulator } from '../../simulator/server';

describe('session.update', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ paceFactor: Infinity, updateDelayMs: 1 });
  });
  after(() => sim.close());

  async function rejected(c: TestClient, session: unknown) {
    const from = c.events.length;
    c.send({ type: 'session.update', event_id: 'evt_u', session });
    const err = await c.waitFor('error', () => true, 2000, from);
    assert.equal(err.error.event_id, 'evt_u');
    assert.equal(err.error.type, 'invalid_request_error');
    return err.error;
  }

  it('applies a valid update and acks with the full session (no client event_id)', async () => {
    const c = await TestClient.connect(sim.url);
    c.send({
      type: 'session.update',
      event_id: 'evt_ok',
      session: { type: 'realtime', instructions: 'Be brief.', audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'high' } }, output: { voice: 'marin' } } },
    });
    const updated = await c.waitFor('session.updated');
    assert.notEqual(updated.event_id, 'evt_ok');
    assert.equal(updated.session.instructions, 'Be brief.');
    assert.equal(updated.session.audio.output.voice, 'marin');
    assert.deepEqual(updated.session.audio.input.turn_detection, { type: 'semantic_vad', eagerness: 'high', create_response: true, interrupt_response: true });
    assert.deepEqual(updated.session.audio.input.format, { type: 'audio/pcm', rate: 24000 }, 'untouched fields stay');
    c.close();
  });

  it('rejects beta fields, unknown nested fields, missing type and wrong rate, applying nothing', async () => {
    const c = await TestClient.connect(sim.url);
    await c.waitFor('session.created');
    const conn = sim.connections.at(-1)!;
    const before = structuredClone(conn.session);
    const cases: [unknown, string, string][] = [
      [{ type: 'realtime', instructions: 'x', voice: 'alloy' }, 'unknown_parameter', 'session.voice'],
      [{ type: 'realtime', modalities: ['text'] }, 'unknown_parameter', 'session.modalities'],
      [{ type: 'realtime', input_audio_transcription: { model: 'whisper-1' } }, 'unknown_parameter', 'session.input_audio_transcription'],
      [{ type: 'realtime', turn_detection: null }, 'unknown_parameter', 'session.turn_detection'],
      [{ type: 'realtime', audio: { input: { bogus: 1 } } }, 'unknown_parameter', 'session.audio.input.bogus'],
      [{ instructions: 'x' }, 'missing_required_parameter', 'session.type'],
      [{ type: 'realtime', instructions: 'x', audio: { input: { format: { type: 'audio/pcm', rate: 16000 } } } }, 'integer_below_min_value', 'session.audio.input.format.rate'],
      [{ type: 'realtime', model: 'gpt-realtime-mini' }, 'invalid_value', 'session.model'],
    ];
    for (const [session, code, param] of cases) {
      const err = await rejected(c, session);
      assert.deepEqual([err.code, err.param], [code, param]);
    }
    assert.equal((await rejected(c, { type: 'realtime', voice: 'x' })).message, "Unknown parameter: 'session.voice'.");
    assert.equal((await rejected(c, { instructions: 'x' })).message, "Missing required parameter: 'session.type'.");
    assert.match((await rejected(c, { type: 'realtime', audio: { input: { format: { type: 'audio/pcm', rate: 16000 } } } })).message, /Expected a value >= 24000/);
    assert.deepEqual(conn.session, before, 'nothing of a rejected update applies');
    assert.ok(!c.types().includes('session.updated'));
    c.close();
  });

  it("refuses a voice change once assistant audio exists", async () => {
    const c = await TestClient.connect(sim.url);
    c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
    await c.waitFor('session.updated');
    c.send({ type: 'response.create' });
    await c.waitFor('response.done');
    const err = await rejected(c, { type: 'realtime', audio: { output: { voice: 'cedar' } } });
    assert.deepEqual([err.code, err.message], ['cannot_update_voice', "Cannot update a conversation's voice if assistant audio is present."]);
    c.close();
  });

  it('non-fatal input errors: unknown type, non-JSON, binary; the session keeps working', async () => {
    const c = await TestClient.connect(sim.url);
    await c.waitFor('session.created');
    c.send({ type: 'nope', event_id: 'n1' });
    c.ws.send('not json');
    c.ws.send(Buffer.alloc(64));
    await c.waitFor('error', (e) => e.error.code === 'invalid_event');
    const errors = c.events.filter((e) => e.type === 'error').map((e) => e.error);
    assert.deepEqual(errors.map((e) => [e.code, e.param, e.event_id]), [['invalid_value', 'type', 'n1'], ['invalid_json', null, null], ['invalid_event', null, null]]);
    assert.equal(
      errors[0].message,
      "Invalid value: 'nope'. Supported values are: 'session.update', 'session.close', 'input_audio_buffer.append', 'session.input_audio_buffer.append', 'input_audio_buffer.commit', 'input_audio_buffer.clear', 'conversation.item.create', 'conversation.item.truncate', 'conversation.item.delete', 'conversation.item.retrieve', 'response.create', and 'response.cancel'.",
    );
    assert.equal(errors[2].message, 'Expected a text WebSocket message; binary frames are not supported.');
    const conn = sim.connections.at(-1)!;
    assert.ok(conn.received.some((r) => r.event === 'not json'), 'raw invalid frames are recorded');
    c.send({ type: 'session.update', session: { type: 'realtime', instructions: 'still here' } });
    assert.equal((await c.waitFor('session.updated')).session.instructions, 'still here');
    c.close();
  });
});
