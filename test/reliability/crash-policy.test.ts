// Main's policy for exceptions nobody caught: logged (redacted), the user told once, the app keeps
// running. Exercised on a real child Node process, since "keeps running" is about the process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;

const CHILD = `
import { installCrashPolicy } from './main/app/crash-policy.ts';
import { registerSecret } from './main/security/redact.ts';
registerSecret('sk-test-CANARY-crash-0001');
const told = [];
installCrashPolicy(process, { log: (l) => process.stderr.write(l + '\\n'), tell: (m) => told.push(m) });
setTimeout(() => { throw new Error('boom with sk-test-CANARY-crash-0001 inside'); }, 10);
setTimeout(() => { Promise.reject(new Error('rejected CONFIDENTIAL sk-proj-CANARYabcdefghijkl')); }, 20);
setTimeout(() => { throw new Error('second boom'); }, 30);
setTimeout(() => { process.stdout.write(JSON.stringify({ alive: true, told })); process.exit(0); }, 200);
`;

describe('uncaught exceptions in main', () => {
  test('logged redacted, told once, the process keeps running', { timeout: 20_000 }, async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (c) => resolve({ code: c ?? -1, stdout: out, stderr: err }));
    });
    assert.equal(code, 0, stderr);
    const r = JSON.parse(stdout) as { alive: boolean; told: string[] };
    assert.equal(r.alive, true);
    assert.equal(r.told.length, 1, 'the user is told once');
    assert.match(r.told[0]!, /keeps running/);
    assert.match(stderr, /boom with sk-…0001/);
    assert.match(stderr, /rejected/);
    assert.match(stderr, /second boom/);
    assert.ok(!stderr.includes('CANARY-crash') && !stderr.includes('sk-proj-CANARY'), stderr);
  });
});
