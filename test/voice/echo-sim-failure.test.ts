// The echo simulation starts a real detector worker; when the simulation fails (here: a setting out of
// range), the error must reach the test and the worker must stop, or the test file never ends and
// the whole suite hangs instead of failing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../support/run-command';

const root = new URL('../..', import.meta.url).pathname;

test('a failing echo simulation rejects and lets the process end', async () => {
  const script = join(mkdtempSync(join(tmpdir(), 'hark-echo-sim-')), 'fail.mjs');
  writeFileSync(
    script,
    `import { simulateEcho } from ${JSON.stringify(join(root, 'test/voice/echo-sim.ts'))};
    simulateEcho([], { delayMs: 10, gainDb: -10, settings: { postRollMs: -5 } })
      .then(() => console.log('resolved'), (e) => console.log('rejected: ' + e.message));`,
  );
  const r = await runCommand(['--import', 'tsx', script], { cwd: root, timeoutMs: 30_000 });
  assert.ok(!r.hung, 'the process was still running 30 s after the simulation failed: the detector worker was left running');
  assert.match(r.stdout, /rejected: .*postRollMs/s);
  assert.equal(r.code, 0);
});
