import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { received, replyCompleted, silence, sleep, speak, startPair, tone, unhandledRejections, waitForPhase, type Pair } from './harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

describe('session renewal before the 60-minute cap', () => {
  test('renews at an idle moment and carries the finished conversation as text', async () => {
    // A 3 s "hour": renewal is due after 50% of it, and must wait for the reply to finish playing.
    pair = await startPair({
      sim: { sessionLifetimeMs: 3000, userTranscript: () => 'remember the blue door', respond: () => ({ text: 'The blue door, noted.', audioMs: 2200 }), paceFactor: Infinity },
      session: { renewAfterFraction: 0.5 },
    });
    const { session, sim, speaker } = pair;
    const t0 = performance.now();
    await session.connect();
    const reply = replyCompleted(session);
    speak(session, tone(600), silence(700));
    await reply;
    const firstSession = sim.connections[0]!;
    // Renewal is due at 1.5 s while the reply (2.2 s of audio) is still playing: it must wait.
    await sleep(Math.max(0, 1800 - (performance.now() - t0)));
    assert.ok(speaker.isPlaying, 'the reply is still playing past the renewal point');
    assert.equal(sim.connections.length, 1, 'no renewal while the assistant is audible');
    await speaker.drained();
    const idleAt = performance.now();
    while (sim.connections.length < 2) await sleep(5);
    await waitForPhase(session, 'listening');
    // B5: the gap between the old session and the new one is at most 1.5 s on loopback.
    const gapMs = performance.now() - idleAt;
    console.log(`renewal: the new session listens ${gapMs.toFixed(0)} ms after the reply finished playing`);
    assert.ok(gapMs <= 1500, `gap ${gapMs.toFixed(0)} ms`);
    await sleep(100);
    assert.equal(session.stats.renewals, 1);
    assert.ok(firstSession.isClosed, 'the old session was closed by the client');
    const carried = received(sim, 'conversation.item.create', 1).map((e) => [e.item.role, e.item.content[0].type, e.item.content[0].text]);
    assert.deepEqual(carried, [
      ['user', 'input_text', 'remember the blue door'],
      ['assistant', 'output_text', 'The blue door, noted.'],
    ]);
    assert.equal(pair.notices.filter((n) => n.level !== 'info').length, 0, 'nothing alarming for the user');
    // The carried items are not shown twice, and the conversation continues in the new session.
    assert.equal(session.conversation.items().length, 2);
    const next = replyCompleted(session);
    speak(session, tone(600), silence(700));
    assert.equal((await next).status, 'completed');
    assert.equal(session.conversation.items().length, 4);
  });

  test('when the cap arrives mid-reply (close 1001), a new session starts at once with the context', async () => {
    pair = await startPair({
      sim: { sessionLifetimeMs: 1200, userTranscript: () => 'hello', respond: () => ({ text: 'A reply that is cut by the hour.', audioMs: 3000 }), paceFactor: 1 },
      session: { renewAfterFraction: 0.99 },
    });
    const { session, sim } = pair;
    await session.connect();
    speak(session, tone(300), silence(700));
    while (sim.connections.length < 2) await sleep(20);
    await waitForPhase(session, 'listening');
    // The cut turn is asked again in the new session; with a 1.2 s "hour" that reply may meet the
    // cap too, so more than one renewal is fine here.
    assert.ok(session.stats.renewals >= 1);
    assert.ok(pair.notices.some((n) => n.code === 'session_renewed'));
    assert.ok(!pair.notices.some((n) => n.level === 'error'));
    const cut = session.conversation.items().find((i) => i.role === 'assistant');
    if (cut) assert.notEqual(cut.status, 'in_progress', 'a reply cut by the cap is not left open');
  });
});
