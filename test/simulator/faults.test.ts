import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TestClient } from './client';
import { defaultFaults } from '../../simulator/faults';
import { startSimulator, type Simulator } from '../../simulator/server';

const MANUAL = { type: 'realtime', audio: { input: { turn_detection: null } } };

describe('faults', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ paceFactor: Infinity, updateDelayMs: 1 });
  });
  beforeEach(() => sim.setFaults(defaultFaults));
  after(() => sim.close());

  async function turn(c: TestClient, text = 'hi') {
    c.send({ type: 'session.update', session: MANUAL });
    await c.waitFor('session.updated');
    c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
    c.send({ type: 'response.create' });
  }

  it('dropAtEvent: the socket dies (1006) instead of the nth event', async () => {
    sim.setFaults({ dropAtEvent: { type: 'response.output_audio.delta', nth: 2 } });
    const c = await TestClient.connect(sim.url);
    await turn(c);
    const close = await c.closed;
    assert.equal(close.code, 1006);
    assert.equal(c.events.filter((e) => e.type === 'response.output_audio.delta').length, 1);
  });

  it('closeAtEvent: a close frame with the code instead of the event', async () => {
    sim.setFaults({ closeAtEvent: { type: 'response.created', code: 1011, reason: 'server_error' } });
    const c = await TestClient.connect(sim.url);
    await turn(c);
    assert.deepEqual(await c.closed, { code: 1011, reason: 'server_error' });
    assert.ok(!c.types().includes('response.created'));
  });

  it('noPong: pings go unanswered and nothing more is sent', async () => {
    const c = await TestClient.connect(sim.url);
    await c.waitFor('session.created');
    sim.setFaults({ noPong: true });
    let pong = false;
    c.ws.on('pong', () => (pong = true));
    c.ws.ping();
    c.send({ type: 'nope' });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(pong, false);
    assert.deepEqual(c.types(), ['session.created']);
    sim.setFaults({ noPong: false });
    c.ws.ping();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(pong, true, 'answers again once cleared');
    c.close();
  });

  it('malformedJson, unknownEvents and hugeFrameBytes go before response.created and do not disturb the turn', async () => {
    sim.setFaults({ malformedJson: 2, unknownEvents: 3, hugeFrameBytes: 2_000_000 });
    const c = await TestClient.connect(sim.url);
    await turn(c);
    await c.waitFor('response.done');
    const createdAt = c.raw.findIndex((r) => r.includes('"type":"response.created"') && r.startsWith('{"type":"response.created","event_id"'));
    const before = c.raw.slice(0, createdAt);
    assert.equal(before.filter((r) => { try { JSON.parse(r); return false; } catch { return true; } }).length, 2);
    assert.equal(c.types().filter((t) => t.startsWith('simulator.unknown_event')).length, 3);
    const huge = c.raw.find((r) => r.includes('simulator.huge_frame'))!;
    assert.equal(huge.length, 2_000_000);
    assert.equal((await c.waitFor('response.done')).response.status, 'completed');
    c.close();
  });

  it('badBase64: deltas rotate through invalid characters, odd byte counts and truncation', async () => {
    sim.setFaults({ badBase64: true });
    const c = await TestClient.connect(sim.url);
    await turn(c, 'a long enough sentence to get several audio deltas');
    await c.waitFor('response.done');
    const deltas = c.events.filter((e) => e.type === 'response.output_audio.delta').map((e) => e.delta as string);
    assert.ok(deltas.length >= 3);
    assert.match(deltas[0]!, /[^A-Za-z0-9+/=]/);
    assert.equal(Buffer.from(deltas[1]!, 'base64').length % 2, 1);
    assert.notEqual(deltas[2]!.length % 4, 0);
    c.close();
  });

  it("argSplit 'every' and 'none'", async () => {
    sim.options.respond = () => ({ toolCalls: [{ name: 'f', arguments: '{"a":1}' }] });
    try {
      sim.setFaults({ argSplit: 'every' });
      const c = await TestClient.connect(sim.url);
      await turn(c);
      await c.waitFor('response.done');
      assert.deepEqual(c.events.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta), [...'{"a":1}']);
      c.close();
      sim.setFaults({ argSplit: 'none' });
      const d = await TestClient.connect(sim.url);
      await turn(d);
      assert.equal((await d.waitFor('response.function_call_arguments.done')).arguments, '{"a":1}');
      assert.ok(!d.types().includes('response.function_call_arguments.delta'));
      d.close();
    } finally {
      delete sim.options.respond;
    }
  });

  it('rejectNextUpdate rejects exactly one update; rateLimitRemaining shows in rate_limits.updated', async () => {
    sim.setFaults({ rejectNextUpdate: { code: 'invalid_value', message: 'nope', param: 'session.instructions' }, rateLimitRemaining: 7 });
    const c = await TestClient.connect(sim.url);
    c.send({ type: 'session.update', event_id: 'u1', session: MANUAL });
    const err = await c.waitFor('error');
    assert.deepEqual([err.error.code, err.error.message, err.error.param, err.error.event_id], ['invalid_value', 'nope', 'session.instructions', 'u1']);
    await turn(c);
    const rl = await c.waitFor('rate_limits.updated');
    assert.equal(rl.rate_limits[0].remaining, 7);
    c.close();
  });

  it('reply.fail ends the response as failed with status_details.error', async () => {
    sim.options.respond = () => ({ fail: { code: 'server_error', message: 'boom' } });
    try {
      const c = await TestClient.connect(sim.url);
      await turn(c);
      const done = await c.waitFor('response.done');
      assert.equal(done.response.status, 'failed');
      assert.deepEqual(done.response.status_details.error, { type: 'server_error', code: 'server_error', message: 'boom' });
      c.close();
    } finally {
      delete sim.options.respond;
    }
  });
});
