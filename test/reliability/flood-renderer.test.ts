// The reply flood in the window (B5 test 18, renderer part): 5 minutes of reply audio pushed into
// the real player page in real Chromium at 50× real time, as main forwards it. The main thread has
// no long task over 50 ms, and the ring holds at most its documented 120 s: past it the rest of the
// item is dropped and counted (the policy), nothing grows. The long-task observer is first shown
// to work (a 120 ms busy task must appear), so "no long task" is a measurement, not a blind spot.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sleep, type Session } from '../chromium/harness';
import { emitTone, openSilentPlayer, stats } from '../renderer/scenarios';

let s: Session;
before(async () => {
  s = await openSilentPlayer('hark-flood-');
});
after(async () => {
  await s?.close();
});

test('5 minutes of reply audio at 50× real time: no long task over 50 ms, the ring capped at 120 s', { timeout: 60_000 }, async () => {
  await s.page.evaluate(() => {
    (window as any).__longTasks = [];
    new PerformanceObserver((list) => (window as any).__longTasks.push(...list.getEntries().map((e) => ({ d: e.duration, t: e.startTime })))).observe({ type: 'longtask' });
  });
  // The observer sees long tasks here: a 120 ms busy loop must show as one.
  await s.page.evaluate(() => {
    setTimeout(() => {
      const t = performance.now();
      while (performance.now() - t < 120);
    }, 0);
  });
  await sleep(300);
  const probe = (await s.page.evaluate(() => (window as any).__longTasks)) as Array<{ d: number; t: number }>;
  assert.ok(probe.some((x) => x.d >= 100), `the long-task observer works: ${JSON.stringify(probe)}`);
  const floodStart = (await s.page.evaluate(() => performance.now())) as number;
  const before = await stats(s);
  // 100 ms deltas (2,400 samples), ten every 20 ms: one second of audio per 20 ms.
  let at = 0;
  const t0 = performance.now();
  for (let tick = 0; tick < 300; tick++) {
    at = emitTone(s, 'resp-flood', 'item-flood', new Array(10).fill(2400), at);
    await sleep(20);
  }
  const seconds = (performance.now() - t0) / 1000;
  await sleep(300);
  const st = await stats(s);
  const longTasks = ((await s.page.evaluate(() => (window as any).__longTasks)) as Array<{ d: number; t: number }>).filter((x) => x.t >= floodStart).map((x) => x.d);
  const pushedS = (st.pushedSamples - before.pushedSamples) / 24_000;
  const droppedS = (st.droppedSamples - before.droppedSamples) / 24_000;
  console.log(`renderer flood: 300 s sent in ${seconds.toFixed(1)} s; ${pushedS.toFixed(1)} s taken into the ring, ${droppedS.toFixed(1)} s dropped past the cap, ${st.bufferedSamples / 24_000} s buffered, ${st.overflows - before.overflows} overflow; long tasks ${longTasks.length} (max ${longTasks.length ? Math.max(...longTasks).toFixed(0) : 0} ms)`);
  assert.equal(st.capacity, 120 * 24_000, 'the documented cap: 120 s');
  assert.ok(st.bufferedSamples <= st.capacity, `buffered ${st.bufferedSamples}`);
  assert.equal(st.overflows - before.overflows, 1, 'one overflow for the item');
  assert.ok(Math.abs(pushedS + droppedS - 300) < 0.01, 'every sample either taken or dropped and counted');
  assert.ok(droppedS > 150, `the rest past the cap dropped: ${droppedS} s`);
  assert.ok(longTasks.every((d) => d < 50), `long tasks: ${longTasks.join(', ')}`);
  assert.deepEqual(s.pageErrors, []);
});
