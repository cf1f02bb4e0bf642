// `talk` against an endpoint that never answers: --timeout bounds the connecting too, and the
// command ends with exit code 1 and one line saying why, instead of "reconnecting" forever.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

describe('talk with an unreachable endpoint', () => {
  test('exits 1 within --timeout with a one-line reason naming the endpoint, and no key', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const t0 = performance.now();
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'main/talk/talk.ts', '--text', 'hello', '--endpoint', `ws://127.0.0.1:${port}/v1/realtime`, '--timeout', '3'], {
        cwd: root,
        env: { ...process.env, OPENAI_API_KEY: 'sk-test-CANARY-0123456789abcdef', HARK_REALTIME_URL: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (c) => resolve({ code: c ?? -1, stderr: err }));
    });
    const secs = (performance.now() - t0) / 1000;
    assert.equal(code, 1, stderr);
    assert.ok(secs < 15, `ended after ${secs.toFixed(1)} s`);
    const last = stderr.trim().split('\n').at(-1)!;
    assert.match(last, /^talk: .*127\.0\.0\.1/, last);
    assert.ok(!stderr.includes('CANARY'));
  });
});
