// Against the real OpenAI Realtime API, only when a key is present: one typed turn through the
// talk command's engine, answered with audio. Everything else runs against the simulator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runTalk } from '../../main/talk/talk';

test('live: a typed turn gets a spoken answer from OpenAI', { timeout: 90_000 }, async (t) => {
  if (!process.env.OPENAI_API_KEY) {
    t.skip('OPENAI_API_KEY is not set, so the live smoke test did not run');
    return;
  }
  const result = await runTalk({ inputs: [{ kind: 'text', text: 'Say the single word "ready".' }], turnDetection: 'server_vad', simulate: false, turnTimeoutMs: 60_000 });
  assert.equal(result.ok, true, result.reason);
  const reply = result.items.find((i) => i.role === 'assistant' && i.type === 'message');
  assert.ok(reply && reply.text.length > 0);
  assert.ok(result.played.length > 24_000 * 0.2, 'some audio was played');
});
