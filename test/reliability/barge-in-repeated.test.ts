// Barge-in again and again (B5 test 8): the user talks over the reply at a random point of its
// audio, each reply cut by the next question. Per barge-in: playback stops soon after the server's
// speech_started reaches the core, the truncate names what was really played (the speaker's sample
// counter is the truth), never more than was received, and each interrupted item is truncated
// exactly once. The renderer's own stop (worklet quanta) is checked in test/renderer/.
//
// HARK_BARGE_INS sets the count (npm test: 15; `npm run soak`: 200).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { received, silence, sleep, speak, startPair, tone, unhandledRejections } from '../realtime/harness';

const COUNT = Number(process.env.HARK_BARGE_INS ?? 15);
const LONG_REPLY = 'This is a long answer that goes on for quite a while so that there is time to interrupt it in the middle of a sentence.';

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const pct = (v: number[], q: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))]!;

test(`${COUNT} barge-ins at random points of the reply`, { timeout: 20_000 + COUNT * 3000 }, async () => {
  const rand = rng(8);
  const pair = await startPair({ sim: { respond: () => ({ text: LONG_REPLY, audioMs: 6000 }), paceFactor: 4 } });
  const { session, sim, speaker } = pair;
  let speechStartedAt = 0;
  session.on('wire', (w: { dir: string; event: { type?: string } }) => {
    if (w.dir === 'in' && w.event.type === 'input_audio_buffer.speech_started') speechStartedAt = performance.now();
  });
  const stopMs: number[] = [];
  const errMs: number[] = [];
  const overReceived: string[] = [];
  const interrupted: string[] = [];
  try {
    await session.connect();
    speak(session, tone(600), silence(700));
    let last: string | null = null;
    for (let k = 0; k < COUNT; k++) {
      // The next reply is audible.
      const t0 = performance.now();
      let item: string | undefined;
      while (performance.now() - t0 < 8000) {
        item = session.conversation.items().findLast((i) => i.role === 'assistant' && i.status === 'in_progress')?.id;
        if (item && item !== last && speaker.isPlaying && speaker.playedMs(item) > 0) break;
        await sleep(5);
      }
      assert.ok(item && item !== last, `barge-in ${k}: no new reply became audible`);
      last = item!;
      await sleep(40 + Math.floor(rand() * 900));
      const stopsBefore = speaker.stops.length;
      const truncatesBefore = received(sim, 'conversation.item.truncate').length;
      speechStartedAt = 0;
      speak(session, tone(400), silence(700)); // talks over it, and asks the next question
      const t1 = performance.now();
      while (received(sim, 'conversation.item.truncate').length === truncatesBefore && performance.now() - t1 < 5000) await sleep(2);
      const truncate = received(sim, 'conversation.item.truncate').at(-1);
      assert.ok(truncate && received(sim, 'conversation.item.truncate').length === truncatesBefore + 1, `barge-in ${k}: one truncate`);
      assert.equal(truncate.item_id, item);
      interrupted.push(item!);
      assert.ok(speaker.stops.length > stopsBefore && speechStartedAt > 0, `barge-in ${k}: playback stopped on speech_started`);
      stopMs.push(Math.max(0, speaker.stops.at(-1)! - speechStartedAt));
      errMs.push(Math.abs(truncate.audio_end_ms - speaker.playedMs(item!)));
      const receivedMs = pair.audio.filter((a) => a.itemId === item).reduce((n, a) => n + a.bytes / 48, 0);
      if (truncate.audio_end_ms > receivedMs) overReceived.push(`${k}: ${truncate.audio_end_ms} > ${receivedMs}`);
    }
    const truncates = received(sim, 'conversation.item.truncate').map((t) => t.item_id as string);
    console.log(`${COUNT} barge-ins: stop after speech_started p50 ${pct(stopMs, 0.5).toFixed(2)} ms, p95 ${pct(stopMs, 0.95).toFixed(2)} ms, p99 ${pct(stopMs, 0.99).toFixed(2)} ms; |audio_end_ms - played| p95 ${pct(errMs, 0.95).toFixed(2)} ms, max ${Math.max(...errMs).toFixed(2)} ms; truncates ${truncates.length} for ${interrupted.length} items`);
    assert.ok(pct(stopMs, 0.95) <= 50 && pct(stopMs, 0.99) <= 100, `stop p95 ${pct(stopMs, 0.95)} ms, p99 ${pct(stopMs, 0.99)} ms`);
    assert.ok(pct(errMs, 0.95) <= 20, `truncation error p95 ${pct(errMs, 0.95)} ms`);
    assert.deepEqual(overReceived, [], 'audio_end_ms never beyond the audio received');
    assert.deepEqual(truncates, interrupted, 'exactly one truncate per interrupted item');
    assert.equal(sim.connections.at(-1)!.sent.filter((e) => e.event.type === 'error').length, 0, 'every truncate valid for the server');
    assert.equal(unhandledRejections(), 0);
  } finally {
    await pair.close();
  }
});
