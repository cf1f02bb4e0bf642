// Runs every test/**/*.test.ts with node's own test runner (through tsx) in two lanes:
// - the shared lane, two files at a time: most suites wait on sockets, child processes and audio
//   time, so two fit on this 2-core machine and the whole run takes about half as long;
// - the alone lane, one file at a time, after it: the suites that drive real Chromium audio, whose
//   render quantum must never wait for a busy core (ALONE below).
// Prints node's spec report, then one plain "N passed, N failed, N skipped" line read from the TAP
// copies of the runs, so the result is unambiguous to any reader of the log.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
// Suites that start Chromium (renderer audio, the windows, the full stack), and those that time a
// barge-in or the reconnect floor in real time to the millisecond. A suite that imports the browser
// or one of the harnesses that start it is found by BROWSER below; list the others here.
const BROWSER = /playwright-core|chromium\/harness|companion\/stack|settings\/settings-page/;
const ALONE = [
  'test/reliability/close-matrix',
  'test/voice/barge-in',
  'test/voice/echo-session',
];
// The longest suites of the shared lane (each about a minute: recorded sessions replayed in real
// time, the echo guard's 180 replies) start first, so the lane does not end on one of them alone.
const LONG_FIRST = ['test/talk/recorded-sessions-2026', 'test/talk/recorded-sessions', 'test/voice/echo-guard', 'test/voice/wake-word', 'test/talk/talk-command', 'test/reliability/kill-cycles'];
const concurrency = Number(process.env.HARK_TEST_CONCURRENCY ?? 2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : walk(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}

let files = walk(join(root, 'test')).sort().map((f) => relative(root, f));
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}
const alone = (f) => ALONE.some((a) => f.startsWith(a)) || BROWSER.test(readFileSync(join(root, f), 'utf8'));
const rank = (f) => {
  const i = LONG_FIRST.findIndex((l) => f.startsWith(l));
  return i < 0 ? LONG_FIRST.length : i;
};
const lanes = [
  { files: files.filter((f) => !alone(f)).sort((a, b) => rank(a) - rank(b)), concurrency },
  { files: files.filter(alone), concurrency: 1 },
].filter((l) => l.files.length);

const dir = mkdtempSync(join(tmpdir(), 'hark-tests-'));
const totals = { pass: 0, fail: 0, skipped: 0 };
let status = 0;
for (const [i, lane] of lanes.entries()) {
  const tap = join(dir, `lane-${i}.tap`);
  const r = spawnSync(
    process.execPath,
    [
      '--import', 'tsx', '--test', `--test-concurrency=${lane.concurrency}`,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...lane.files,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) status = r.status ?? 1;
  const report = (() => { try { return readFileSync(tap, 'utf8'); } catch { return ''; } })();
  if (!report) {
    console.log(`\nno test report was written for ${lane.files.length} files`);
    status ||= 1;
    continue;
  }
  const count = (name) => Number((report.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  totals.pass += count('pass');
  totals.fail += count('fail') + count('cancelled');
  totals.skipped += count('skipped') + count('todo');
}
console.log(`\n${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(status);
