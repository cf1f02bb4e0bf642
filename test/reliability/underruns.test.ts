// Underrun resilience (B5 test 13): the server pauses 300 ms mid-reply, 20 times in one response,
// into the real player in real Chromium. Each pause is one underrun and playback resumes in the same
// stream; the played-sample counter (what a truncate is cut at) stays exact; and no gap edge
// clicks: the largest step between two output samples stays near the tone's own (a 1 kHz tone at
// 0.5 moves at most 0.065 a sample at 48 kHz; a hard cut to silence would step up to 0.5).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sleep, type Session } from '../chromium/harness';
import { emitTone, ev, openSilentPlayer, stats } from '../renderer/scenarios';

let s: Session;
before(async () => {
  s = await openSilentPlayer('hark-underruns-');
});
after(async () => {
  await s?.close();
});

test('20 pauses of 300 ms in one reply: 20 underruns, an exact counter, no click at the gap edges', { timeout: 60_000 }, async () => {
  await ev(s, 'tapReset');
  const st0 = await stats(s);
  let at = 0;
  for (let k = 0; k < 20; k++) {
    at = emitTone(s, 'resp-u', 'item-u', [4800], at); // 200 ms, continuing the tone's phase
    await sleep(200 + 300);
  }
  s.bridge.emit('audio:done', { responseId: 'resp-u', itemId: 'item-u' });
  await sleep(500);
  const st = await stats(s);
  const tap = await ev<{ rate: number; samples: number[] }>(s, 'tapDump');
  let maxStep = 0;
  for (let i = 1; i < tap.samples.length; i++) maxStep = Math.max(maxStep, Math.abs(tap.samples[i]! - tap.samples[i - 1]!));
  const toneStep = (0.5 * 2 * Math.PI * 1000) / tap.rate;
  console.log(`underruns: ${st.underruns - st0.underruns} for 20 pauses; played ${st.playedSamples - st0.playedSamples} of ${20 * 4800} samples; largest output step ${maxStep.toFixed(3)} (the tone's own ${toneStep.toFixed(3)})`);
  assert.equal(st.underruns - st0.underruns, 20);
  assert.equal(st.playedSamples - st0.playedSamples, 20 * 4800, 'the counter is exact');
  assert.ok(maxStep < 0.1, `a click: step ${maxStep.toFixed(3)}`);
  assert.deepEqual(s.pageErrors, []);
});
