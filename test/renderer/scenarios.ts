// Scenarios shared by the visible and hidden-page suites. Each asserts generously: behaviour, not
// tight timing.
import assert from 'node:assert/strict';
import { FRAME_BYTES } from '../../preload/api';
import { dominantHz, extent, pcm16ToFloat, rms, runs } from '../chromium/analysis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, startSession, waitFor, type Session } from '../chromium/harness';
import { tonePcm, writeWav } from '../chromium/wav';

const RATE = 24_000;

/** The player page, opened with a silent fake mic: the suites that only play need nothing else. */
export async function openSilentPlayer(prefix: string): Promise<Session> {
  const wav = writeWav(join(mkdtempSync(join(tmpdir(), prefix)), 'silence.wav'), [{ ms: 1000, silence: true }]);
  const s = await startSession(wav);
  await s.open();
  return s;
}
export const ev = <T>(s: Session, fn: string, ...args: unknown[]): Promise<T> =>
  s.page.evaluate(([fn, args]) => (window as any).hark[fn as string](...(args as unknown[])), [fn, args] as const) as Promise<T>;
export const stats = (s: Session) => s.page.evaluate(() => (window as any).hark.engine.player.stats());

/** Emits a phase-continuous 1 kHz tone as deltas of the given sizes (samples). */
export function emitTone(s: Session, responseId: string, itemId: string, sizes: number[], from = 0, amp = 0.5): number {
  let at = from;
  for (const n of sizes) {
    const pcm = tonePcm(n, 1000, amp, at);
    s.bridge.emit('audio:delta', { responseId, itemId, pcm: pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer });
    at += n;
  }
  return at;
}

export async function captureRate(s: Session): Promise<void> {
  await waitFor(() => s.received.frames.length >= 10, 8000, 'first frames');
  const startN = s.received.frames.length;
  const t0 = performance.now();
  await sleep(2000);
  const frames = s.received.frames.slice(startN);
  const rate = frames.length / ((performance.now() - t0) / 1000);
  assert.ok(rate > 45 && rate < 55, `frames per second ${rate.toFixed(1)}`);
  assert.ok(frames.every((f) => f.pcm.byteLength === FRAME_BYTES));
  const pcm = pcm16ToFloat(Buffer.concat(frames.map((f) => Buffer.from(f.pcm))));
  assert.ok(rms(pcm) > 0.05, 'the fake mic tone is in the frames');
}

/** Deltas of odd sizes play back as one continuous, sample-exact tone. */
export async function gapless(s: Session): Promise<void> {
  await ev(s, 'tapReset');
  // 37 ms, 100 ms, odd sizes, a 2-sample delta, 200 ms …: 1.5 s in all.
  const sizes = [888, 2400, 317, 1201, 2, 4800, 53, 2400, 999, 1777, 3163, 3200, 6000, 8800];
  const total = sizes.reduce((a, b) => a + b, 0);
  const half = 6;
  const mid = emitTone(s, 'resp-g', 'item-g', sizes.slice(0, half));
  await sleep(150); // the rest arrives while the first part is playing
  emitTone(s, 'resp-g', 'item-g', sizes.slice(half), mid);
  s.bridge.emit('audio:done', { responseId: 'resp-g', itemId: 'item-g' });
  await sleep((total / RATE) * 1000 + 400);
  const tap = await ev<{ rate: number; samples: number[] }>(s, 'tapDump');
  const x = tap.samples;
  const e = extent(x, 0.01);
  assert.ok(e, 'the tap heard the tone');
  const playedMs = ((e.last - e.first + 1) / tap.rate) * 1000;
  assert.ok(Math.abs(playedMs - (total / RATE) * 1000) < 6, `rendered ${playedMs.toFixed(1)} ms of ${((total / RATE) * 1000).toFixed(1)}`);
  // No gap: every 1 ms window inside the tone is loud.
  const win = tap.rate / 1000;
  const quiet = runs(x.slice(e.first, e.last + 1), win, 0.2).filter((r) => !r.loud);
  assert.ok(quiet.length <= 1 && (quiet[0]?.end ?? 0) - (quiet[0]?.start ?? 0) <= 2 * win, `quiet windows inside: ${JSON.stringify(quiet)}`);
  assert.equal(dominantHz(x, tap.rate, 900, 1100, 2, e.first, e.last), 1000);
  if (tap.rate === RATE) {
    // At 24 kHz the output is the input, sample for sample: no sample lost, none repeated.
    let maxErr = 0;
    const start = e.first - 1; // sin(0) = 0 is the tone's true first sample
    for (let i = 0; i < total; i++) maxErr = Math.max(maxErr, Math.abs(x[start + i]! - 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE)));
    assert.ok(maxErr < 2e-4, `max sample error ${maxErr}`);
  }
  const st = await stats(s);
  assert.equal(st.underruns, 0);
  assert.equal(st.pushedSamples, total);
  assert.equal(st.playedSamples, total);
}

/** interrupt(): output silent within a quantum; played ms within one quantum of the tap's truth. */
export async function interruptTruth(s: Session, via: 'bridge' | 'direct', requestId = 7): Promise<{ errMs: number }> {
  await ev(s, 'tapReset');
  const resp = `resp-i${requestId}`;
  const item = `item-i${requestId}`;
  const at = emitTone(s, resp, item, new Array(30).fill(2400)); // 3 s, far more than will play
  await sleep(700 + (requestId % 5) * 37);
  let reply: { itemId: string | null; playedMs: number; frame?: number };
  if (via === 'bridge') {
    const before = s.received.sends.length;
    s.bridge.emit('audio:interrupt', { requestId });
    const msg = await waitFor(() => s.received.sends.slice(before).find((m) => m.channel === 'audio:interrupted'), 3000, 'interrupted');
    reply = msg.payload as { requestId: number; itemId: string; playedMs: number };
    assert.equal((msg.payload as { requestId: number }).requestId, requestId);
  } else {
    reply = await s.page.evaluate(() => (window as any).hark.engine.player.interrupt());
  }
  assert.equal(reply.itemId, item);
  // Late deltas of the cut response never reach the ring.
  const pushedBefore = (await stats(s)).pushedSamples;
  emitTone(s, resp, item, [2400, 2400], at);
  await sleep(300);
  const st = await stats(s);
  assert.equal(st.pushedSamples, pushedBefore, 'late deltas of the cut response are dropped');
  assert.equal(st.bufferedSamples, 0);
  const tap = await ev<{ rate: number; startFrame: number; samples: number[] }>(s, 'tapDump');
  const e = extent(tap.samples, 0.01);
  assert.ok(e);
  const truthMs = ((e.last - e.first + 2) / tap.rate) * 1000; // +1: the tone's first sample is 0
  const quantumMs = (128 / tap.rate) * 1000;
  const errMs = reply.playedMs - truthMs;
  assert.ok(Math.abs(errMs) <= quantumMs + 0.1, `played ${reply.playedMs.toFixed(2)} ms vs tap ${truthMs.toFixed(2)} ms`);
  // Silent after the cut, for the rest of the recording.
  assert.ok(rms(tap.samples, e.last + 1) < 1e-4);
  if (reply.frame !== undefined) {
    const lastLoudFrame = tap.startFrame + e.last;
    assert.ok(lastLoudFrame < reply.frame + 128, `last loud frame ${lastLoudFrame}, cut at quantum ${reply.frame}`);
  }
  return { errMs };
}
