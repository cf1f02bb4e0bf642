import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { TestClient } from './client';
import { encodePcm16, toneWithSilence } from '../../simulator/pcm';
import { startSimulator } from '../../simulator/server';

describe('session lifetime, pings and TLS', () => {
  it('closes 1001 with the recorded reason when the session cap elapses; expires_at reflects it', async () => {
    const sim = await startSimulator({ sessionLifetimeMs: 300 });
    try {
      const c = await TestClient.connect(sim.url);
      const created = await c.waitFor('session.created');
      assert.ok(Math.abs(created.session.expires_at - Date.now() / 1000) < 2);
      const t0 = Date.now();
      assert.deepEqual(await c.closed, { code: 1001, reason: 'Your session hit the maximum duration of 60 minutes.' });
      assert.ok(Date.now() - t0 < 2000);
    } finally {
      await sim.close();
    }
  });

  it('pings every pingIntervalMs', async () => {
    const sim = await startSimulator({ pingIntervalMs: 50 });
    try {
      const c = await TestClient.connect(sim.url);
      let pings = 0;
      c.ws.on('ping', () => pings++);
      await new Promise((r) => setTimeout(r, 400));
      assert.ok(pings >= 3 && pings <= 10, `pings: ${pings}`);
      c.close();
    } finally {
      await sim.close();
    }
  });

  it('TLS mode: wss:// with the exposed CA', async () => {
    const sim = await startSimulator({ tls: true });
    try {
      assert.match(sim.url, /^wss:\/\/127\.0\.0\.1:\d+\/v1\/realtime$/);
      assert.match(sim.ca ?? '', /BEGIN CERTIFICATE/);
      const c = await TestClient.connect(sim.url, { ca: sim.ca });
      await c.waitFor('session.created');
      c.close();
      await assert.rejects(TestClient.connect(sim.url), /self[- ]signed|certificate/i);
    } finally {
      await sim.close();
    }
  });

  for (const model of ['gpt-realtime', 'gpt-realtime-2.1'])
  it(`the official openai OpenAIRealtimeWS client runs a manual turn against it (${model})`, async () => {
    const sim = await startSimulator({ tls: true, paceFactor: Infinity });
    try {
      const client = new OpenAI({ apiKey: 'sk-test-openai-sdk-key', baseURL: `https://127.0.0.1:${sim.port}/v1` });
      const rt = new OpenAIRealtimeWS({ model, options: { ca: sim.ca } }, client);
      const seen: string[] = [];
      const errors: unknown[] = [];
      rt.on('event', (e) => seen.push(e.type));
      rt.on('error', (e) => errors.push(e));
      const updated = new Promise((resolve) => rt.on('session.updated', resolve));
      const done = new Promise<any>((resolve) => rt.on('response.done', resolve));
      await new Promise<void>((resolve, reject) => {
        rt.socket.once('open', () => resolve());
        rt.socket.once('error', reject);
      });
      rt.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } }, ...(model.startsWith('gpt-realtime-2') ? { reasoning: { effort: 'low' } } : {}) } });
      await updated;
      rt.send({ type: 'input_audio_buffer.append', audio: encodePcm16(toneWithSilence(0, 600, 0)) });
      rt.send({ type: 'input_audio_buffer.commit' });
      rt.send({ type: 'response.create' });
      const final = await done;
      assert.equal(final.response.status, 'completed');
      assert.ok(seen.includes('response.output_audio.delta'));
      assert.deepEqual(seen.slice(0, 2), ['session.created', 'session.updated']);
      assert.deepEqual(errors, []);
      const conn = await sim.waitForConnection(0);
      assert.equal(conn.headers.authorization, 'Bearer sk-test-openai-sdk-key');
      assert.ok(conn.appendedMs() === 600);
      rt.close();
    } finally {
      await sim.close();
    }
  });
});
