// Runs every test/**/*.test.ts with node's own test runner (through tsx), one file at a time:
// the audio suites drive real Chromium and the timing-sensitive ones must not share the 2 cores.
// Prints node's spec report, then one plain "N passed, N failed, N skipped" line read from a
// TAP copy of the same run, so the result is unambiguous to any reader of the log.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : walk(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}

let files = walk(join(root, 'test')).sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}
const tap = join(mkdtempSync(join(tmpdir(), 'hark-tests-')), 'report.tap');
const r = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files.map((f) => relative(root, f)),
  ],
  { cwd: root, stdio: 'inherit' },
);
const report = (() => { try { return readFileSync(tap, "utf8"); } catch { return ""; } })();
const count = (name) => Number((report.match(new RegExp(`^# ${name} (\\d+)$`, "m")) ?? [])[1] ?? 0);
if (!report) console.log('\nno test report was written');
else console.log(`\n${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped') + count('todo')} skipped`);
process.exit(r.status ?? 1);
