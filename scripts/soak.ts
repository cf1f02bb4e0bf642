// `npm run soak -- [--minutes N] [--skip-suite]`: the long reliability figures of B5 that do not
// belong in CI. First the reliability suite at full counts (100 kill cycles, 1,000 create races,
// 10,000 event sequences, 200 barge-ins, a 5-minute flood) and 100 kill cycles against a server
// process for the client's memory (scripts/kill-cycles.ts); then a conversation soak against a simulator in a child process (so the
// memory measured is the client's alone): one spoken turn every 10 s, every third one a barge-in
// over the reply, with the mic streaming 20 ms frames throughout as the app's does. It reports the
// RSS slope per hour after warm-up and the CPU time per append early vs late (a quadratic buffer
// shows as growth). B5 asks for 120 minutes; --minutes sets the length (default 120).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RealtimeSession } from '../main/realtime/session';
import { settingsSchema } from '../common/settings/settings-schema';
import { ToolRegistry } from '../main/tools/tool-registry';
import { Speaker } from '../main/talk/speaker';
import { killCycles } from './kill-cycles';
import { startChildSimulator } from '../simulator/child-process';
import { slope } from '../bench/stats';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '120' }, 'skip-suite': { type: 'boolean', default: false } } });
const minutes = Number(values.minutes);
const root = new URL('..', import.meta.url).pathname;
// A real collection before each heap reading (retained memory, not garbage), without a CLI flag.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

function suite(): void {
  console.log('== reliability suite at full counts');
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'test/reliability'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, HARK_KILL_CYCLES: '100', HARK_KILL_MAX_RESTART_MS: '3000', HARK_RACE_SEEDS: '1000', HARK_FC_SEQUENCES: '10000', HARK_FC_IPC: '1000', HARK_CLOSE_REPEATS: '10', HARK_BARGE_INS: '200', HARK_FLOOD_MINUTES: '5' },
  });
  if (r.status !== 0) console.log('(the suite reported failures; see above)');
}

async function killMemory(): Promise<void> {
  console.log('\n== kill cycles against a server process, for the client\'s memory');
  const r = await killCycles(100);
  if (!r.ok) console.log('(kill cycles: a cycle timed out or RSS grew more than 10 %)');
}

function tone(ms: number): Buffer {
  const n = Math.round((ms * 24_000) / 1000);
  const out = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) out.writeInt16LE(Math.round(16000 * Math.sin((2 * Math.PI * 440 * i) / 24_000)), i * 2);
  return out;
}

async function conversationSoak(): Promise<void> {
  console.log(`\n== conversation soak: ${minutes} min, one turn every 10 s, every third a barge-in`);
  // The simulator in a process of its own, real-time paced.
  const sim = await startChildSimulator('{ paceFactor: 1, updateDelayMs: 5, transcriptionDelayMs: 100 }');
  // The stand-in for the window's player keeps nothing it played (the talk command's recording
  // for --out is not the app's memory).
  const speaker = new Speaker({ record: false });
  const session = new RealtimeSession({
    settings: settingsSchema.parse({ endpoint: { kind: 'custom', url: sim.url } }),
    apiKey: 'sk-test-CANARY-soak-000000',
    tools: new ToolRegistry([]),
    playback: speaker,
  });
  session.on('audio', (a) => speaker.push(a));
  let replies = 0;
  let truncations = 0;
  session.on('response', (r) => {
    if (r.status === 'completed') replies++;
  });
  await session.connect();

  const speech = tone(700);
  const frame = 960; // 20 ms
  const silence = Buffer.alloc(frame);
  let mic: Buffer | null = null;
  let at = 0;
  // Per-minute CPU spent inside appendAudio, and the number of appends.
  const perMinute: Array<{ cpuUs: number; appends: number }> = [];
  let cur = { cpuUs: 0, appends: 0 };
  const started = performance.now();
  const timer = setInterval(() => {
    const chunk = mic && at < mic.length ? mic.subarray(at, (at += frame)) : silence;
    const c0 = process.cpuUsage();
    session.appendAudio(chunk);
    const c = process.cpuUsage(c0);
    cur.cpuUs += c.user + c.system;
    cur.appends++;
  }, 20);
  const rss: Array<[number, number]> = [];
  // Heap and array buffers still reachable after a full collection: what is really retained.
  const heap: Array<[number, number]> = [];
  const buffers: Array<[number, number]> = [];
  const sample = setInterval(() => {
    perMinute.push(cur);
    cur = { cpuUs: 0, appends: 0 };
    const m = (performance.now() - started) / 60_000;
    gc();
    const mu = process.memoryUsage();
    rss.push([m, mu.rss / 2 ** 20]);
    heap.push([m, mu.heapUsed / 2 ** 20]);
    buffers.push([m, mu.arrayBuffers / 2 ** 20]);
    const pm = perMinute.at(-1)!;
    console.log(`minute ${perMinute.length}: RSS ${(mu.rss / 2 ** 20).toFixed(1)} MiB, heap after gc ${(mu.heapUsed / 2 ** 20).toFixed(2)} MiB, array buffers ${(mu.arrayBuffers / 2 ** 20).toFixed(2)} MiB, ${(pm.cpuUs / Math.max(1, pm.appends)).toFixed(1)} µs CPU per append, ${replies} replies, ${truncations} barge-ins, ${session.conversation.items().length} items, phase ${session.state.phase}`);
  }, 60_000);
  let turn = 0;
  const end = started + minutes * 60_000;
  while (performance.now() < end) {
    turn++;
    if (turn % 3 === 0) {
      // Barge in: ask, wait for the reply to be audible, then talk over it.
      const t0 = performance.now();
      mic = speech;
      at = 0;
      while (!speaker.isPlaying && performance.now() - t0 < 6000) await new Promise((r) => setTimeout(r, 20));
      if (speaker.isPlaying) {
        await new Promise((r) => setTimeout(r, 300));
        mic = speech;
        at = 0;
        truncations++;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (performance.now() - t0))));
    } else {
      mic = speech;
      at = 0;
      await new Promise((r) => setTimeout(r, 10_000));
    }
  }
  clearInterval(timer);
  clearInterval(sample);
  session.disconnect();
  speaker.close();
  await sim.kill();

  const warm = Math.min(10, minutes * 0.2);
  const perHour = (pts: Array<[number, number]>) => {
    const a = pts.filter(([m]) => m >= warm);
    return a.length >= 2 ? slope(a) * 60 : NaN;
  };
  const mbPerHour = perHour(rss);
  const per = (i: number) => (perMinute[i] ? perMinute[i]!.cpuUs / Math.max(1, perMinute[i]!.appends) : NaN);
  const early = Math.min(9, perMinute.length - 1);
  const late = perMinute.length - 1;
  console.log(`\nsoak: ${minutes} min, ${turn} turns, ${replies} replies completed, ${truncations} barge-ins, ${session.stats.reconnects} reconnects`);
  console.log(`core RSS slope after ${warm.toFixed(1)} min of warm-up: ${mbPerHour.toFixed(2)} MiB/h (criterion < 5 MB/h); retained after gc: heap ${perHour(heap).toFixed(2)} MiB/h, array buffers ${perHour(buffers).toFixed(2)} MiB/h`);
  console.log('renderer: not covered here (this soak runs the main-process core in Node; the window\'s player is stood in for by the talk speaker); npm run soak:renderer measures it');
  console.log(`CPU per append: minute ${early + 1} ${per(early).toFixed(1)} µs, minute ${late + 1} ${per(late).toFixed(1)} µs (${((per(late) / per(early) - 1) * 100).toFixed(1)} %; criterion within 10 %)`);
  // One minute is noisy on a shared machine, so also the median of five minutes at each end.
  const median = (from: number, to: number) => {
    const v = perMinute.slice(Math.max(0, from), Math.max(0, to)).map((_, i) => per(Math.max(0, from) + i)).sort((x, y) => x - y);
    return v.length ? v[Math.floor(v.length / 2)]! : NaN;
  };
  const m0 = median(early, early + 5);
  const m1 = median(late - 4, late + 1);
  console.log(`CPU per append, median of 5 minutes: from minute ${early + 1} ${m0.toFixed(1)} µs, last 5 ${m1.toFixed(1)} µs (${((m1 / m0 - 1) * 100).toFixed(1)} %)`);
}

if (!values['skip-suite']) {
  suite();
  await killMemory();
}
await conversationSoak();
process.exit(0);
