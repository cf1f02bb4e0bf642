// Playback in real Chromium: rendered (tapped) audio is continuous across odd-sized deltas,
// interrupt() is sample-true, stalls count as underruns and the ring's cap holds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runs } from '../chromium/analysis';
import { sleep, waitFor, type Session } from '../chromium/harness';
import { emitTone, ev, gapless, interruptTruth, openSilentPlayer, stats } from './scenarios';


describe('playback', () => {
  let s: Session;
  before(async () => {
    s = await openSilentPlayer('hark-playback-');
  });
  after(async () => {
    await s?.close();
  });

  test('deltas of 37 ms, 100 ms and odd sizes are all rendered, with no gap', async () => {
    await gapless(s);
  });

  test('24 kHz context (no FIR of ours): the output is the input, sample for sample', async () => {
    await s.open({ rate: 24_000 });
    await gapless(s);
    await interruptTruth(s, 'bridge', 9);
    await s.open();
  });

  test('interrupt over the bridge: silent, and playedMs within one quantum of the tap', async () => {
    await interruptTruth(s, 'bridge', 7);
  });

  test('interrupt(): the output is silent from the quantum after the request', async () => {
    await interruptTruth(s, 'direct', 8);
    assert.deepEqual(s.pageErrors, []);
  });

  test('a producer stall is one underrun; playback resumes and the counter stays true', async () => {
    await ev(s, 'tapReset');
    const before = await stats(s);
    const at = emitTone(s, 'resp-u', 'item-u', [7200]); // 300 ms
    await sleep(800); // stall: no 'audio:done', so running dry is an underrun
    emitTone(s, 'resp-u', 'item-u', [7200], at);
    s.bridge.emit('audio:done', { responseId: 'resp-u', itemId: 'item-u' });
    await sleep(600);
    const st = await stats(s);
    assert.equal(st.underruns - before.underruns, 1);
    const rate = (await s.page.evaluate(() => (window as any).hark.info())).sampleRate as number;
    const starvedMs = ((st.starvedFrames - before.starvedFrames) / (rate / 1000)) | 0;
    assert.ok(starvedMs > 300 && starvedMs < 700, `starved ${starvedMs} ms`);
    assert.equal(st.playedSamples - before.playedSamples, 14_400);
    const tap = await ev<{ rate: number; samples: number[] }>(s, 'tapDump');
    const r = runs(tap.samples, tap.rate / 100, 0.05).filter((x) => x.end - x.start >= tap.rate / 20);
    const shape = r.map((x) => `${x.loud ? 'tone' : 'gap'} ${Math.round(((x.end - x.start) / tap.rate) * 1000)}`);
    const tones = r.filter((x) => x.loud);
    assert.equal(tones.length, 2, shape.join(', '));
    // The end of the item (after 'audio:done') is a drain, not an underrun.
    await sleep(200);
    assert.equal((await stats(s)).underruns, st.underruns);
  });

  test('the ring cap holds: overflow drops the rest of the item, counts it and tells the user', async () => {
    await s.open({ capacityMs: 500 });
    const st0 = await stats(s);
    assert.equal(st0.capacity, 12_000);
    emitTone(s, 'resp-c', 'item-c', new Array(20).fill(2400)); // 2 s into a 0.5 s ring
    await sleep(100);
    const mid = await stats(s);
    assert.ok(mid.bufferedSamples <= 12_000, `buffered ${mid.bufferedSamples}`);
    assert.equal(mid.overflows, 1);
    assert.equal(mid.pushedSamples + mid.droppedSamples, 48_000);
    assert.ok(mid.droppedSamples >= 30_000, `dropped ${mid.droppedSamples}`);
    const notice = await waitFor(() => s.page.evaluate(() => (window as any).hark.notices.find((n: any) => n.code === 'audio-overflow')), 2000, 'overflow notice');
    assert.match(notice.message, /skipped/);
    // Later deltas of the overflowed item are dropped too (a clean cut, not a jump back in).
    emitTone(s, 'resp-c', 'item-c', [2400]);
    s.bridge.emit('audio:done', { responseId: 'resp-c', itemId: 'item-c' });
    await sleep(800);
    const end = await stats(s);
    assert.equal(end.droppedSamples, mid.droppedSamples + 2400);
    assert.equal(end.playedSamples, end.pushedSamples);
    assert.equal(end.underruns, 0);
    // The next item plays normally.
    emitTone(s, 'resp-d', 'item-d', [2400]);
    s.bridge.emit('audio:done', { responseId: 'resp-d', itemId: 'item-d' });
    await sleep(300);
    assert.equal((await stats(s)).playedSamples, end.playedSamples + 2400);
  });
});
