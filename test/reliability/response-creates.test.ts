// Every response.create the client sends is settled by whatever answers it: a reply, a refusal
// because one is already running, a rate limit (retried within bounds, then told), or any other
// error. A refused create must never leave push-to-talk or typed text unable to ask again.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { received, replyCompleted, sleep, speak, startPair, tone, unhandledRejections, waitForPhase, type Pair } from '../realtime/harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

async function pushToTalk(p: Pair): Promise<void> {
  assert.equal(p.session.beginTurn(), true);
  speak(p.session, tone(400));
  assert.equal(p.session.endTurn(), true);
}

describe('response.create is always settled', () => {
  test('each create carries a tag in response.metadata, and the response.created that answers it echoes the tag', { timeout: 15_000 }, async () => {
    pair = await startPair({ settings: { turnDetection: { mode: 'none' } } });
    const { session, sim } = pair;
    await session.connect();
    for (let k = 0; k < 2; k++) {
      const reply = replyCompleted(session);
      assert.equal(session.sendText(`typed ${k}`), true);
      await reply;
    }
    const tags = received(sim, 'response.create').map((e: any) => e.response?.metadata?.hark_create);
    assert.equal(tags.length, 2);
    assert.ok(tags.every((t: unknown) => typeof t === 'string') && tags[0] !== tags[1], `distinct tags: ${JSON.stringify(tags)}`);
    const echoed = sim.connections[0]!.sent.filter((x) => x.event.type === 'response.created').map((x) => x.event.response.metadata?.hark_create);
    assert.deepEqual(echoed, tags);
  });

  test('a rate-limited create is retried after the reset the server announced, and the turn is answered', { timeout: 15_000 }, async () => {
    pair = await startPair({ settings: { turnDetection: { mode: 'none' } } });
    const { session, sim } = pair;
    await session.connect();
    sim.setFaults({ rejectCreates: { code: 'rate_limit_exceeded', message: 'Rate limit reached for tokens. Try again in 0.3s.', count: 1, resetSeconds: 0.3 } });
    const reply = replyCompleted(session);
    const t0 = performance.now();
    await pushToTalk(pair);
    const item = await reply;
    assert.equal(item.status, 'completed');
    const creates = sim.connections[0]!.received.filter((r) => r.event?.type === 'response.create');
    assert.equal(creates.length, 2, 'one refused, one retried');
    assert.ok(creates[1]!.t - creates[0]!.t >= 280, `the retry waited for the reset: ${Math.round(creates[1]!.t - creates[0]!.t)} ms`);
    const told = pair.notices.filter((n) => n.code === 'rate_limit_exceeded');
    assert.equal(told.length, 1, 'the user is told once that the reply waits for the rate limit');
    assert.ok(performance.now() - t0 < 5000);
  });

  test('a create refused with another error is settled: the next turn asks again and is answered', { timeout: 15_000 }, async () => {
    pair = await startPair({ settings: { turnDetection: { mode: 'none' } } });
    const { session, sim } = pair;
    await session.connect();
    sim.setFaults({ rejectCreates: { code: 'server_error', message: 'The server had an error while processing your request.', count: 1 } });
    await pushToTalk(pair);
    while (!pair.notices.some((n) => n.code === 'server_error')) await sleep(10);
    await waitForPhase(session, 'listening');
    const reply = replyCompleted(session);
    await pushToTalk(pair);
    assert.equal((await reply).status, 'completed');
    assert.equal(received(sim, 'response.create').length, 2);
    // Typed text works too.
    const typed = replyCompleted(session);
    assert.equal(session.sendText('and now typed'), true);
    assert.equal((await typed).status, 'completed');
  });

  test('a rate limit that does not lift gives up after a bounded number of tries, says so, and the next turn works', { timeout: 15_000 }, async () => {
    pair = await startPair({ settings: { turnDetection: { mode: 'none' } } });
    const { session, sim } = pair;
    await session.connect();
    sim.setFaults({ rejectCreates: { code: 'rate_limit_exceeded', message: 'Rate limit reached.', count: 1000, resetSeconds: 0.01 } });
    await pushToTalk(pair);
    while (!pair.notices.some((n) => n.code === 'rate_limited_gave_up')) await sleep(20);
    const tries = received(sim, 'response.create').length;
    assert.ok(tries >= 2 && tries <= 6, `bounded retries: ${tries}`);
    await sleep(400);
    assert.equal(received(sim, 'response.create').length, tries, 'no retry after giving up');
    await waitForPhase(session, 'listening');
    sim.setFaults({ rejectCreates: null });
    const reply = replyCompleted(session);
    await pushToTalk(pair);
    assert.equal((await reply).status, 'completed');
  });
});
