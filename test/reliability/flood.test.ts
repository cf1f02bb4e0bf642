// A reply flood (B5 test 18): the server streams a 5-minute reply at 50× real time. The core must
// stay responsive (B5: event-loop delay p99 under 20 ms; printed, and bounded here at 100 ms), hand each delta on as its own message well
// under 64 KB (what crosses IPC to the window's player), and keep nothing of the audio itself: the
// player's ring is what bounds queued audio (120 s, the rest of an item past it dropped, checked in
// test/renderer/playback.test.ts), so the core's retained heap after the flood stays small.
//
// HARK_FLOOD_MINUTES sets the reply length (npm test: 2 min at 50× = 2.4 s; `npm run soak`: 5).
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { PlayedPosition } from '../../preload/api';
import { RealtimeSession } from '../../main/realtime/session';
import { settingsSchema } from '../../common/settings/settings-schema';
import { ToolRegistry } from '../../main/tools/tool-registry';
import { silence, tone } from '../realtime/harness';
import { startChildSimulator } from '../../simulator/child-process';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const MINUTES = Number(process.env.HARK_FLOOD_MINUTES ?? 2);

test(`a ${MINUTES}-minute reply at 50× real time`, { timeout: 30_000 + MINUTES * 10_000 }, async () => {
  const sim = await startChildSimulator(`{ paceFactor: 50, replyDelayMs: 10, transcriptionDelayMs: 10, audioChunkMs: 100, respond: () => ({ text: 'a very long answer', audioMs: ${MINUTES * 60_000} }) }`);
  // The window's player, as far as the core can tell: it takes every delta and says what it played.
  const playback = { stop: async (): Promise<PlayedPosition> => ({ itemId: null, playedMs: 0 }) };
  const session = new RealtimeSession({
    settings: settingsSchema.parse({ endpoint: { kind: 'custom', url: sim.url } }),
    apiKey: 'sk-test-CANARY-flood-0000',
    tools: new ToolRegistry([]),
    playback,
  });
  let deltas = 0;
  let biggest = 0;
  let audioMs = 0;
  session.on('audio', (a) => {
    deltas++;
    biggest = Math.max(biggest, a.pcm.byteLength);
    audioMs += a.pcm.byteLength / 48;
  });
  try {
    await session.connect();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const h = monitorEventLoopDelay({ resolution: 1 });
    const done = new Promise<{ status: string }>((resolve) => session.on('response', resolve));
    const t0 = performance.now();
    for (const clip of [tone(500), silence(700)]) for (let at = 0; at < clip.length; at += 960) session.appendAudio(clip.subarray(at, at + 960));
    h.enable();
    const r = await done;
    h.disable();
    const seconds = (performance.now() - t0) / 1000;
    gc();
    const retained = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    const p99 = h.percentile(99) / 1e6;
    console.log(`flood: ${(audioMs / 1000).toFixed(0)} s of audio in ${seconds.toFixed(1)} s (${deltas} deltas, largest ${biggest} bytes); event-loop delay p50 ${(h.percentile(50) / 1e6).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${(h.max / 1e6).toFixed(2)} ms; heap retained after gc ${retained.toFixed(2)} MiB`);
    assert.equal(r.status, 'completed');
    assert.ok(audioMs >= MINUTES * 60_000 * 0.99, `the whole reply arrived: ${audioMs} ms`);
    // B5's criterion is p99 < 20 ms (the figure above goes to docs/reliability.md); on a shared
    // machine a test may only hold a generous bound, so this one fails only on a blocked loop.
    assert.ok(p99 < 100, `event-loop p99 ${p99.toFixed(2)} ms`);
    assert.ok(biggest < 64 * 1024, `largest delta message ${biggest} bytes`);
    // 2 minutes of PCM16 is 5.5 MiB; the core keeps none of it.
    assert.ok(retained < 1, `heap retained ${retained.toFixed(2)} MiB`);
  } finally {
    session.disconnect();
    sim.kill();
  }
});
