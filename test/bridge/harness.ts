/// <reference path="../../renderer/audio/assets.d.ts" />
// Test page: boots the real AudioEngine against the test bridge (same origin, so the same strict
// CSP as the app applies) and exposes probes on window.hark for the tests and the benchmark.
// Options come from the query string: rate, latency, ec, ns, agc, gate, capacityMs, prebufferMs, preRollMs.
import type { Notice } from '../../preload/api';
import { AudioEngine } from '../../renderer/audio/audio-engine';
import { memoryStore } from '../../renderer/audio/devices';
import { connectBrowserCompanion } from './browser-companion';
import tapUrl from './tap.worklet.ts?worker&url';

const q = new URLSearchParams(location.search);
const flag = (name: string, dflt: boolean) => (q.has(name) ? q.get(name) === '1' : dflt);
const num = (name: string) => (q.has(name) ? Number(q.get(name)) : undefined);

export interface Timing {
  /** Capture: now − (render time of the frame's last sample), ms, per frame sent. */
  capture: number[];
  /** Delta arrival (performance.now) per item. */
  deltaArrival: Map<string, number>;
  /** Estimated render time (performance.now scale) of each item's first sample. */
  firstRendered: Map<string, number>;
  /** When the main thread heard 'started' for each item. */
  startedHeard: Map<string, number>;
}

async function boot() {
  const companion = await connectBrowserCompanion(`ws://${location.host}/bridge`);
  const inputStore = q.get('store') === 'memory' ? memoryStore() : undefined;
  const engine = await AudioEngine.start({
    companion,
    ...(q.has('rate') ? { contextRate: num('rate') as 24000 | 48000 } : {}),
    ...(q.has('latency') ? { latencyHint: Number.isNaN(Number(q.get('latency'))) ? (q.get('latency') as AudioContextLatencyCategory) : Number(q.get('latency')) } : {}),
    capture: { echoCancellation: flag('ec', false), noiseSuppression: flag('ns', false), autoGainControl: flag('agc', false) },
    player: { capacityMs: num('capacityMs'), prebufferMs: num('prebufferMs') },
    preRollMs: num('preRollMs') ?? 300,
    gateOpen: flag('gate', false),
    ...(inputStore ? { inputStore } : {}),
  });
  const ctx = engine.context;
  await ctx.audioWorklet.addModule(tapUrl);
  const tap = new AudioWorkletNode(ctx, 'hark-test-tap', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
  engine.player.node.connect(tap);

  const notices: Notice[] = [];
  engine.events.notice = (n) => notices.push(n);
  const levelWaiters: { thr: number; resolve: () => void }[] = [];
  let levelCount = 0;
  engine.events.levels = (l) => {
    levelCount++;
    for (let i = levelWaiters.length - 1; i >= 0; i--) {
      const w = levelWaiters[i]!;
      if (l.input.rms > w.thr) {
        levelWaiters.splice(i, 1);
        w.resolve();
      }
    }
  };

  // Context frame → performance.now() of its rendering: getOutputTimestamp gives when a frame is
  // heard; the render thread runs outputLatency ahead of that.
  const renderTimeOf = (frame: number) => {
    const ts = ctx.getOutputTimestamp();
    return (ts.performanceTime ?? 0) + (frame / ctx.sampleRate - (ts.contextTime ?? 0)) * 1000 - ctx.outputLatency * 1000;
  };
  const timing: Timing = { capture: [], deltaArrival: new Map(), firstRendered: new Map(), startedHeard: new Map() };
  engine.events.frameSent = (endFrame) => timing.capture.push(performance.now() - renderTimeOf(endFrame));
  companion.on('audio:delta', (d) => {
    if (!timing.deltaArrival.has(d.itemId)) timing.deltaArrival.set(d.itemId, performance.now());
  });
  engine.player.events.started = (itemId, frame) => {
    timing.startedHeard.set(itemId, performance.now());
    timing.firstRendered.set(itemId, renderTimeOf(frame));
  };

  let tapReply: ((v: { startFrame: number; samples: Float32Array }) => void) | null = null;
  tap.port.onmessage = (e: MessageEvent<{ startFrame: number; samples: Float32Array }>) => tapReply?.(e.data);

  const hark = {
    engine,
    notices,
    timing,
    get levelCount() {
      return levelCount;
    },
    waitInputAbove: (thr: number) => new Promise<void>((resolve) => levelWaiters.push({ thr, resolve })),
    tapReset: () => tap.port.postMessage({ type: 'reset' }),
    /** The tap's recording as PCM16-ish numbers would lose precision: return floats as an array. */
    tapDump: () =>
      new Promise<{ startFrame: number; rate: number; samples: number[] }>((resolve) => {
        tapReply = (v) => resolve({ startFrame: v.startFrame, rate: ctx.sampleRate, samples: Array.from(v.samples) });
        tap.port.postMessage({ type: 'dump' });
      }),
    info: () => ({
      sampleRate: ctx.sampleRate,
      baseLatency: ctx.baseLatency,
      outputLatency: ctx.outputLatency,
      state: ctx.state,
      visibility: document.visibilityState,
      deviceId: engine.capture.deviceId,
      label: engine.capture.label,
    }),
  };
  (window as unknown as { hark: typeof hark }).hark = hark;
  document.getElementById('status')!.textContent = 'ready';
  dispatchEvent(new Event('hark-boot'));
}

boot().catch((e: unknown) => {
  document.getElementById('status')!.textContent = `failed: ${e instanceof Error ? e.stack : String(e)}`;
  dispatchEvent(new Event('hark-boot'));
});
