// Renderer audio latencies and the 24 kHz-vs-48 kHz context comparison, in real headless Chromium.
// Run: node --import tsx bench/audio-latency.ts [runs=50]
// Prints a JSON summary; docs/audio-engine.md quotes it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extent, goertzel, pcm16ToFloat, percentile, rms } from '../test/chromium/analysis';
import { sleep, startSession, type Session } from '../test/chromium/harness';
import { tonePcm, writeWav } from '../test/chromium/wav';
import { Decimator2 } from '../renderer/audio/resample';
import { chromiumCpu } from './chromium-cpu';

const RUNS = Number(process.argv[2] ?? 50);
const dir = mkdtempSync(join(tmpdir(), 'hark-bench-'));
const stat = (xs: number[]) => ({ n: xs.length, median: +percentile(xs, 50).toFixed(2), p95: +percentile(xs, 95).toFixed(2), max: +Math.max(...xs).toFixed(2) });

async function quality(rate: number) {
  // 1 kHz, 10 kHz (near the top of the band) and 15 kHz (above 12 kHz Nyquist: must not alias to 9 kHz).
  const wav = writeWav(join(dir, `q${rate}.wav`), [
    { ms: 1000, hz: 1000, amp: 0.5 },
    { ms: 1000, hz: 10_000, amp: 0.5 },
    { ms: 1000, hz: 15_000, amp: 0.5 },
    { ms: 500, silence: true },
  ]);
  const s = await startSession(wav);
  await s.open({ gate: 1, rate });
  await sleep(1000);
  s.received.frames.length = 0;
  await sleep(3700);
  const pcm = pcm16ToFloat(Buffer.concat(s.received.frames.map((f) => Buffer.from(f.pcm))));
  const info = await s.page.evaluate(() => (window as any).hark.info());
  await s.close();
  // Locate segments by the 1 kHz onset: find the 1 s window where 1 kHz dominates.
  const W = 2400; // 100 ms windows
  const result: Record<string, number> = {};
  let best1k = -1;
  let bestA = 0;
  for (let i = 0; i + W <= pcm.length; i += W) {
    const a = goertzel(pcm, 1000, 24000, i, i + W);
    if (a > bestA) {
      bestA = a;
      best1k = i;
    }
  }
  const seg = (name: string, hz: number, alias?: number) => {
    // the window with most energy at hz
    let at = 0;
    let amp = 0;
    for (let i = 0; i + W <= pcm.length; i += W) {
      const a = goertzel(pcm, hz, 24000, i, i + W);
      if (a > amp) {
        amp = a;
        at = i;
      }
    }
    result[`${name}_dBFS`] = +(20 * Math.log10(amp / 0.5)).toFixed(2); // relative to the input level
    if (alias !== undefined) result[`${name}_rms_dB`] = +(20 * Math.log10(rms(pcm, at, at + W) / 0.354)).toFixed(1);
    return at;
  };
  void best1k;
  seg('1k', 1000);
  seg('10k', 10_000);
  // 15 kHz (above the 12 kHz Nyquist of 24 kHz) from its own file: anything captured is leakage,
  // and an aliasing resampler would put it at 24 − 15 = 9 kHz.
  const wav15 = writeWav(join(dir, `a${rate}.wav`), [{ ms: 1000, hz: 15_000, amp: 0.5 }]);
  const s15 = await startSession(wav15);
  await s15.open({ gate: 1, rate });
  await sleep(800);
  s15.received.frames.length = 0;
  await sleep(1000);
  const p15 = pcm16ToFloat(Buffer.concat(s15.received.frames.map((f) => Buffer.from(f.pcm))));
  await s15.close();
  result['15k_alias_at_9k_dB'] = +(20 * Math.log10(Math.max(1e-7, goertzel(p15, 9000, 24000)) / 0.5)).toFixed(1);
  result['15k_residual_rms_dB'] = +(20 * Math.log10(Math.max(1e-7, rms(p15)) / 0.354)).toFixed(1);
  return { ...result, baseLatency: info.baseLatency, outputLatency: info.outputLatency };
}

async function latencies(rate: number, latency?: string) {
  const wav = writeWav(join(dir, `l${rate}.wav`), [{ ms: 1000, hz: 440, amp: 0.5 }]);
  const s: Session = await startSession(wav);
  await s.open({ gate: 1, rate, ...(latency !== undefined ? { latency } : {}) });
  await sleep(500);
  const profileCpu0 = cpuOf(s);
  const t0 = performance.now();
  await sleep(Math.max(2000, RUNS * 20 + 500)); // ≥ RUNS frames, mic running, player idle
  const cpuPerSec = (cpuOf(s) - profileCpu0) / ((performance.now() - t0) / 1000);
  const capture: number[] = await s.page.evaluate(() => (window as any).hark.timing.capture.slice(5));

  // Delta received by the renderer → first sample rendered.
  for (let i = 0; i < RUNS; i++) {
    const pcm = tonePcm(2400, 1000, 0.5);
    s.bridge.emit('audio:delta', { responseId: `r${i}`, itemId: `d${i}`, pcm: pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer });
    s.bridge.emit('audio:done', { responseId: `r${i}`, itemId: `d${i}` });
    await sleep(130 + (i % 7) * 3);
  }
  const firstSample = await s.page.evaluate(() => {
    const t = (window as any).hark.timing;
    const render: number[] = [];
    const heard: number[] = [];
    for (const [id, at] of t.deltaArrival as Map<string, number>) {
      if (!id.startsWith('d')) continue;
      render.push(t.firstRendered.get(id) - at);
      heard.push(t.startedHeard.get(id) - at);
    }
    return { render, heard };
  });

  // Interrupt → silence, and played-ms error vs the tap.
  const stopMs: number[] = [];
  const errMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await s.page.evaluate(() => (window as any).hark.tapReset());
    const pcm = tonePcm(24_000, 1000, 0.5);
    s.bridge.emit('audio:delta', { responseId: `ri${i}`, itemId: `i${i}`, pcm: pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer });
    await sleep(150 + ((i * 37) % 250));
    const r = await s.page.evaluate(async () => {
      const t0 = performance.now();
      const res = await (window as any).hark.engine.player.interrupt();
      return { ...res, ms: performance.now() - t0 };
    });
    await sleep(60);
    const tap = await s.page.evaluate(() => (window as any).hark.tapDump());
    const e = extent(tap.samples, 0.01)!;
    const truth = ((e.last - e.first + 2) / tap.rate) * 1000;
    stopMs.push(r.ms);
    errMs.push(r.playedMs - truth);
  }
  const info = await s.page.evaluate(() => (window as any).hark.info());
  await s.close();
  return {
    rate,
    latencyHint: latency ?? 'default',
    baseLatencyMs: info.baseLatency * 1000,
    outputLatencyMs: info.outputLatency * 1000,
    chromiumCpuPerSec: +cpuPerSec.toFixed(3),
    captureRenderToBridgeMs: stat(capture),
    captureJitterMs: stat(capture.map((x) => x - Math.min(...capture))),
    deltaToFirstSampleRenderedMs: stat(firstSample.render),
    deltaToStartedHeardOnMainMs: stat(firstSample.heard),
    interruptToWorkletStoppedRoundTripMs: stat(stopMs),
    playedMsErrorVsTap: stat(errMs),
    playedMsAbsErrorVsTap: stat(errMs.map(Math.abs)),
  };
}

function cpuOf(s: Session): number {
  return chromiumCpu(s.profile);
}

function firCost() {
  const d = new Decimator2();
  const input = new Float32Array(128).map((_, i) => Math.sin(i / 7));
  const out = new Float32Array(64);
  const quanta = 375 * 20; // 20 s at 48 kHz
  for (let i = 0; i < 1000; i++) d.process(input, 128, out);
  const t0 = performance.now();
  for (let i = 0; i < quanta; i++) d.process(input, 128, out);
  const ms = performance.now() - t0;
  return { decimatorUsPerQuantum: +((ms * 1000) / quanta).toFixed(2), cpuShareOfOneCore: +(ms / 20_000).toFixed(5) };
}

// AUDIO_LATENCY_HINTS=interactive,0 compares latencyHint values at 48 kHz (the latencies only).
if (process.env.AUDIO_LATENCY_HINTS) {
  const hints = process.env.AUDIO_LATENCY_HINTS.split(',');
  const rows = [];
  for (const h of hints) rows.push(await latencies(48_000, h));
  console.log(JSON.stringify(rows, null, 2));
  process.exit(0);
}

const out = {
  runs: RUNS,
  quality: { ctx24k: await quality(24_000), ctx48k: await quality(48_000) },
  firCost: firCost(),
  latency24k: await latencies(24_000),
  latency48k: await latencies(48_000),
};
console.log(JSON.stringify(out, null, 2));
