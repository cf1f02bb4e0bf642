// The audio engine's page alone (capture and playback worklets, no Svelte app) through a soak-like
// conversation: a 4 s reply every 10 s, every third cut short, the mic streaming throughout. Its
// renderer RSS per minute tells what of the companion window's growth the engine and Chromium's
// media stack own, and what the app's page adds.
//   npx tsx bench/engine-rss.ts [minutes=15]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, startSession } from '../test/chromium/harness';
import { tonePcm, writeWav } from '../test/chromium/wav';
import { heapAfterGc, pageRenderer } from './chromium-cpu';
import { slope } from './stats';

const minutes = Number(process.argv[2] ?? 15);
const wav = writeWav(join(mkdtempSync(join(tmpdir(), 'hark-engine-rss-')), 'mic.wav'), [{ ms: 30_000, silence: true }]);
const s = await startSession(wav);
await s.open();
const cdp = await s.page.context().newCDPSession(s.page);
const pcm = tonePcm(2400, 440, 0.3);
const delta = () => pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer;
const points: Array<[number, number]> = [];
const heap: Array<[number, number]> = [];
const t0 = performance.now();
for (let turn = 0; performance.now() - t0 < minutes * 60_000; turn++) {
  const cut = turn % 3 === 2;
  const id = `item_${turn}`;
  for (let i = 0; i < (cut ? 15 : 40); i++) {
    s.bridge.emit('audio:delta', { responseId: `resp_${turn}`, itemId: id, pcm: delta() });
    await sleep(100);
  }
  if (cut) s.bridge.emit('audio:interrupt', { requestId: turn });
  s.received.frames.length = 0;
  await sleep(cut ? 8500 : 6000);
  const min = (performance.now() - t0) / 60_000;
  if (Math.floor(min) > points.length) {
    const used = await heapAfterGc(cdp);
    const { rssMiB } = pageRenderer(s.profile);
    points.push([min, rssMiB]);
    heap.push([min, used]);
    console.log(`minute ${points.length}: renderer RSS ${rssMiB.toFixed(1)} MiB, JS heap after gc ${used.toFixed(2)} MiB`);
  }
}
const after = points.filter(([m]) => m >= Math.min(5, minutes / 3));
console.log(`engine page, ${minutes} min: renderer RSS slope ${(slope(after) * 60).toFixed(1)} MiB/h, JS heap ${(slope(heap.filter(([m]) => m >= Math.min(5, minutes / 3))) * 60).toFixed(2)} MiB/h (after minute ${Math.min(5, minutes / 3).toFixed(1)})`);
await s.close();
