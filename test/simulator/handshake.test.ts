import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { TestClient } from './client';
import { startSimulator, type Simulator } from '../../simulator/server';

describe('handshake', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ sessionLifetimeMs: 10 * 60_000 });
  });
  after(() => sim.close());

  async function rejection(opts: Parameters<typeof TestClient.connect>[1]) {
    const c = await TestClient.connect(sim.url, opts);
    const close = await c.closed;
    return { close, events: c.events };
  }

  it('bad key: one error invalid_api_key (key masked), close 3000, no session.created', async () => {
    const { close, events } = await rejection({ key: 'sk-bad-0123456789abcd' });
    assert.deepEqual(close, { code: 3000, reason: 'invalid_request_error.invalid_api_key' });
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'error');
    assert.equal(events[0].error.code, 'invalid_api_key');
    assert.equal(events[0].error.message, 'Incorrect API key provided: sk-bad-0*****abcd. You can find your API key at https://platform.openai.com/account/api-keys.');
    assert.equal(events[0].error.event_id, null);
    assert.match(events[0].event_id, /^event_[A-Za-z0-9]{21}$/);
  });

  it('no key: code null, close 3000 invalid_request_error', async () => {
    const { close, events } = await rejection({ key: null });
    assert.deepEqual(close, { code: 3000, reason: 'invalid_request_error' });
    assert.deepEqual(events.map((e) => [e.error.code, e.error.message]), [[null, 'Missing bearer or basic authentication in header']]);
  });

  it('unknown model: invalid_model, close 4000', async () => {
    const { close, events } = await rejection({ model: 'gpt-nope' });
    assert.deepEqual(close, { code: 4000, reason: 'invalid_request_error.invalid_model' });
    assert.equal(events[0].error.message, 'Model "gpt-nope" is not supported in realtime mode. Supported models are listed at https://platform.openai.com/docs/models.');
  });

  it('no model: missing_model, close 4000', async () => {
    const { close, events } = await rejection({ model: null });
    assert.deepEqual(close, { code: 4000, reason: 'invalid_request_error.missing_model' });
    assert.equal(events[0].error.code, 'missing_model');
  });

  it('OpenAI-Beta header: beta_api_shape_disabled, close 4000', async () => {
    const { close, events } = await rejection({ headers: { 'OpenAI-Beta': 'realtime=v1' } });
    assert.deepEqual(close, { code: 4000, reason: 'invalid_request_error.beta_api_shape_disabled' });
    assert.equal(events[0].error.code, 'beta_api_shape_disabled');
  });

  it('accepts the documented models, dated variants, api-key on the Azure path and the browser subprotocol', async () => {
    for (const model of ['gpt-realtime', 'gpt-realtime-mini', 'gpt-realtime-2', 'gpt-realtime-2.1', 'gpt-realtime-2.1-mini', 'gpt-realtime-1.5', 'gpt-realtime-2025-08-28']) {
      const c = await TestClient.connect(sim.url, { model });
      const created = await c.waitFor('session.created');
      assert.equal(created.session.model, model);
      c.close();
    }
    const azure = await TestClient.connect(sim.url.replace('/v1/realtime', '/openai/v1/realtime'), { key: null, headers: { 'api-key': 'azure-key' } });
    await azure.waitFor('session.created');
    azure.close();
    const browser = await TestClient.connect(sim.url, { key: null, protocols: ['realtime', 'openai-insecure-api-key.ek_abc'] });
    assert.equal(browser.ws.protocol, 'realtime');
    await browser.waitFor('session.created');
    browser.close();
  });

  it('session.created comes first with the recorded GA defaults', async () => {
    const c = await TestClient.connect(sim.url);
    const created = await c.waitFor('session.created');
    assert.equal(c.events[0].type, 'session.created');
    const s = created.session;
    assert.match(s.id, /^sess_[A-Za-z0-9]{21}$/);
    assert.equal(s.object, 'realtime.session');
    assert.deepEqual(s.audio.input.turn_detection, {
      type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200, idle_timeout_ms: null, create_response: true, interrupt_response: true,
    });
    assert.equal(s.audio.output.voice, 'alloy');
    assert.deepEqual(s.output_modalities, ['audio']);
    const expected = Date.now() / 1000 + 600;
    assert.ok(Math.abs(s.expires_at - expected) < 5, `expires_at ${s.expires_at} vs ${expected}`);
    const conn = await sim.waitForConnection(sim.connections.length - 1);
    assert.equal(conn.id, s.id);
    assert.equal(conn.headers.authorization, 'Bearer sk-test-good-key-1234');
    c.close();
  });

  it('other paths are refused at the HTTP level', async () => {
    const ws = new WebSocket(sim.url.replace('/v1/realtime', '/v1/nope'));
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 404);
  });
});
