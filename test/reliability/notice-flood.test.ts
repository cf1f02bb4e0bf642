// Bad frames are counted, and told once per kind per minute: a server that sends 32 malformed
// error events or 32 unreadable frames produces one notice each, not 32.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { NoticeThrottle } from '../../main/realtime/notice-throttle';
import { sleep, startPair, unhandledRejections, type Pair } from '../realtime/harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

describe('notice flood', () => {
  test('32 malformed error events and 32 unreadable frames: one notice per kind', { timeout: 15_000 }, async () => {
    pair = await startPair();
    const { session, sim } = pair;
    await session.connect();
    const conn = sim.connections[0]!;
    for (let i = 0; i < 32; i++) {
      conn.send({ type: 'error', error: i % 2 ? null : { code: 12, message: { deep: i } } });
      conn.sendRaw(`not json ${i}`);
      conn.send({ type: 'response.output_audio.delta', delta: 5 });
    }
    await sleep(200);
    const byCode = new Map<string, number>();
    for (const n of pair.notices) byCode.set(n.code ?? '', (byCode.get(n.code ?? '') ?? 0) + 1);
    assert.ok(pair.notices.length <= 3, `notices: ${JSON.stringify([...byCode])}`);
    for (const [code, count] of byCode) assert.equal(count, 1, `${code} told once`);
    assert.ok(session.stats.unreadableMessages >= 64, `every bad frame counted: ${session.stats.unreadableMessages}`);
  });

  test('the throttle tells a kind again after a minute', () => {
    let now = 0;
    const t = new NoticeThrottle(60_000, () => now);
    assert.equal(t.allow('bad_frame'), true);
    assert.equal(t.allow('bad_frame'), false);
    assert.equal(t.allow('other'), true);
    now = 59_999;
    assert.equal(t.allow('bad_frame'), false);
    now = 60_000;
    assert.equal(t.allow('bad_frame'), true);
  });
});
