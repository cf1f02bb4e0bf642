// `npm run simulator` as a user runs it: it prints a URL, a Realtime client connected there gets a
// session, Ctrl-C ends it cleanly, and a wrong option is named in words.
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCommand } from '../support/run-command';
import { TestClient } from './client';

const root = new URL('../..', import.meta.url).pathname;
const entry = ['--import', 'tsx', 'simulator/run.ts'];

test('the simulator runs on its own, prints its URL and serves a session there', async () => {
  const child = spawn(process.execPath, entry, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening at (ws:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing a URL: ${out}`)));
  });
  const client = await TestClient.connect(url);
  const created = await client.waitFor('session.created');
  assert.equal(created.session.type, 'realtime');
  client.close();
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  assert.equal(await exit, 0);
});

test('a wrong option is named, with the usage, and exits 2', async () => {
  const r = await runCommand([...entry, '--port', 'eighty'], { cwd: root });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--port: "eighty" is not a port number/);
  assert.match(r.stderr, /--replay FILE/);
});
