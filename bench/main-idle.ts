// Main's cost while it sits in the tray, disconnected: CPU per minute and timer wake-ups per minute,
// with the services wired as the app wires them (main/app/services.ts) over the fake Electron the
// shell tests use. Each timer that fires is traced to the line that armed it, so a periodic
// wake-up names its source.
//   npx tsx bench/main-idle.ts [seconds=60]
import { createHook } from 'node:async_hooks';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppServices } from '../test/fakes/app-services';
import { localVoicePaths } from '../main/voice/local-voice-paths';
import { createFakeElectron } from '../test/fakes/electron';

const seconds = Number(process.argv[2] ?? 60);
const root = new URL('..', import.meta.url).pathname;

// Where each timer was armed: the first stack frame inside the project, outside this file.
const origin = new Map<number, string>();
const fired = new Map<string, number>();
let counting = false;
const hook = createHook({
  init(id, type) {
    if (type === 'PROMISE') return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 40;
    const frames = (new Error().stack ?? '').split('\n').slice(2);
    Error.stackTraceLimit = limit;
    const own = frames.find((f) => f.includes(root) && !f.includes('node_modules') && !f.includes('bench/main-idle'));
    const first = frames.find((f) => !f.includes('node:internal/async_hooks') && !f.includes('node:internal/timers') && !f.includes('(node:timers'));
    origin.set(id, `${type} ${(own ?? first ?? '?').trim().replace(root, '')}${process.env.IDLE_STACKS ? `\n${frames.join('\n')}` : ''}`);
  },
  before(id) {
    if (!counting) return;
    const where = origin.get(id);
    if (where) fired.set(where, (fired.get(where) ?? 0) + 1);
  },
  destroy(id) {
    origin.delete(id);
  },
});
hook.enable();

/** utime+stime per thread name of this process, ms (Linux /proc; empty elsewhere). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = `${st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'))}${tid === String(process.pid) ? ' (main thread)' : ` ${tid}`}`;
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + ((+f[11]! + +f[12]!) * 1000) / 100);
    }
  } catch {
    // not Linux
  }
  return out;
}

const fake = createFakeElectron();
const services = await createAppServices(fake, {
  localVoicePaths: localVoicePaths({ sourceRoot: root }),
});
await services.start([]);
// Start-up settles (windows load, the local voice worker loads its models: over 10 s of CPU on a busy
// machine) before the idle minute is counted; IDLE_SETTLE_S changes the wait, IDLE_STACKS=1 prints
// the whole stack that armed each timer.
await new Promise((r) => setTimeout(r, Number(process.env.IDLE_SETTLE_S ?? 30) * 1000));
const phase = services.session.state.phase;
counting = true;
const threads0 = threadCpu();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const cpu = process.cpuUsage(cpu0);
const threads1 = threadCpu();
const wallMin = (performance.now() - t0) / 60_000;
counting = false;
// This script's own wait is one wake-up; it is not the app's.
for (const [k, n] of fired) if (k.includes('main-idle')) fired.delete(k);
const total = [...fired.values()].reduce((a, b) => a + b, 0);
console.log(`main idle in the tray (${phase}), ${seconds} s counted:`);
console.log(`  CPU ${(((cpu.user + cpu.system) / 1000) / wallMin).toFixed(1)} ms per minute (user+sys of the whole process, worker threads included)`);
console.log(`  timer wake-ups ${(total / wallMin).toFixed(1)} per minute`);
for (const [where, n] of [...fired].sort((a, b) => b[1] - a[1])) console.log(`    ${(n / wallMin).toFixed(1)}/min  ${where}`);
console.log('  CPU by thread (ms per minute):');
for (const [name, ms] of threads1) {
  const d = ms - (threads0.get(name) ?? 0);
  if (d > 0) console.log(`    ${(d / wallMin).toFixed(1)}  ${name}`);
}
await services.stop();
hook.disable();
process.exit(0);
