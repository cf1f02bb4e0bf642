// The renderer's audio cost in real Chromium, with the same fake devices throughout: a blank page
// (the browser's own floor), Hark's companion page disconnected, listening and speaking (joined to
// the session core and the simulator as main joins them), and the audio harness page at a 24 kHz
// and a 48 kHz context, listening and speaking, to compare the two rates. CPU is the OS's
// accounting of the whole Chromium tree, by process type; "Hark's share" is a state minus blank.
//   npx tsx bench/renderer-cpu.ts [seconds per state=15]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, startSession, type Session } from '../test/chromium/harness';
import { tonePcm, writeWav } from '../test/chromium/wav';
import { startCompanionStack } from '../test/companion/stack';
import { chromiumCpuByType } from './chromium-cpu';

const SECONDS = Number(process.argv[2] ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'hark-renderer-cpu-'));
const wav = writeWav(join(dir, 'mic.wav'), [{ ms: 30_000, silence: true }]);
const rows: { state: string; total: number; byType: Record<string, number> }[] = [];

/** CPU seconds per second of the Chromium tree over the next SECONDS, by process type. */
async function measure(state: string, profile: string, during?: () => Promise<void>): Promise<void> {
  await sleep(1500); // let the state settle
  const a = chromiumCpuByType(profile);
  const t0 = performance.now();
  await (during ? Promise.all([during(), sleep(SECONDS * 1000)]) : sleep(SECONDS * 1000));
  const b = chromiumCpuByType(profile);
  const s = (performance.now() - t0) / 1000;
  const byType: Record<string, number> = {};
  for (const [k, v] of b) byType[k] = (v - (a.get(k) ?? 0)) / s;
  rows.push({ state, total: Object.values(byType).reduce((x, y) => x + y, 0), byType });
  process.stderr.write(`  ${state}: ${(rows.at(-1)!.total * 100).toFixed(1)} % of one core\n`);
}

/** Reply audio as the session delivers it: 100 ms deltas, paced in real time, for SECONDS. */
async function stream(s: Session): Promise<void> {
  const pcm = tonePcm(2400, 440, 0.3);
  const end = performance.now() + SECONDS * 1000;
  let next = performance.now();
  for (let i = 0; performance.now() < end; i++) {
    s.bridge.emit('audio:delta', { responseId: 'r-bench', itemId: 'i-bench', pcm: pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer });
    next += 100;
    await sleep(Math.max(0, next - performance.now()));
  }
  s.bridge.emit('audio:done', { responseId: 'r-bench', itemId: 'i-bench' });
}

// The browser's floor: the same Chromium, the same fake devices, a blank page.
{
  const s = await startSession(wav);
  // An empty document on the pages' own loopback origin (a secure context, so the mic can open).
  await s.page.route(`${s.origin}/blank`, (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
  await s.page.goto(`${s.origin}/blank`);
  await measure('blank page', s.profile);
  // The floor any voice page pays: the same blank page with the mic open into a running context.
  await s.page.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    const ctx = new AudioContext({ sampleRate: 48_000, latencyHint: 'interactive' });
    ctx.createMediaStreamSource(stream).connect(ctx.destination);
    await ctx.resume();
    (window as any).keep = { stream, ctx };
  });
  await measure('blank page, mic open into a 48 kHz context', s.profile);
  await s.close();
}

// Hark's companion page: disconnected, listening, speaking (a long reply played in real time).
{
  const stack = await startCompanionStack({
    connect: false,
    micWav: wav,
    sim: { paceFactor: 1, respond: () => ({ text: 'word '.repeat(200), audioMs: (SECONDS + 10) * 1000 }) },
  });
  await measure('Hark disconnected', stack.s.profile);
  await stack.services.connect();
  await measure('Hark listening', stack.s.profile);
  stack.session.sendText('Tell me a long story.');
  await sleep(500);
  await measure('Hark speaking', stack.s.profile);
  await stack.close();
}

// The audio engine alone at each context rate (the harness page): mic open, then a reply streaming.
for (const rate of [24_000, 48_000]) {
  const s = await startSession(wav);
  await s.open({ gate: 1, rate });
  await measure(`engine ${rate / 1000} kHz listening`, s.profile);
  await measure(`engine ${rate / 1000} kHz speaking`, s.profile, () => stream(s));
  await s.close();
}

const blank = rows[0]!.total;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
console.log(`Chromium CPU, % of one core, ${SECONDS} s per state (${new Date().toISOString()})`);
const micFloor = rows[1]!.total;
console.log("| state | whole Chromium | minus blank page (Hark's share) | minus blank page with the mic open | renderer process |");
console.log('|---|---|---|---|---|');
for (const [i, r] of rows.entries()) {
  const t = (k: string) => pct(Object.entries(r.byType).filter(([n]) => n.startsWith(k)).reduce((a, [, v]) => a + v, 0));
  console.log(`| ${r.state} | ${pct(r.total)} | ${i === 0 ? '–' : pct(r.total - blank)} | ${i < 2 ? '–' : pct(r.total - micFloor)} | ${t('renderer')} |`);
}
console.log('');
console.log('by process type (% of one core):');
for (const r of rows) console.log(`  ${r.state}: ${Object.entries(r.byType).filter(([, v]) => v > 0.0005).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`);
process.exit(0);
