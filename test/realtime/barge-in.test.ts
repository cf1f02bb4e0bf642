import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { received, replyCompleted, sent, silence, sleep, speak, startPair, tone, unhandledRejections, waitForPhase, type Pair } from './harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

const LONG_REPLY = 'This is a long answer that goes on for quite a while so that there is time to interrupt it in the middle of a sentence.';

describe('barge-in', () => {
  test('speaking over the reply stops playback and truncates to the samples actually played', async () => {
    pair = await startPair({ sim: { respond: () => ({ text: LONG_REPLY, audioMs: 6000 }), paceFactor: 4 } });
    const { session, sim, speaker } = pair;
    await session.connect();
    speak(session, tone(600), silence(700));
    await waitForPhase(session, 'assistant-speaking');
    await sleep(700); // the user hears ~0.7 s, while more has already arrived
    const assistant = session.conversation.items().find((i) => i.role === 'assistant')!;
    const interruptedAt = performance.now();
    speak(session, tone(500)); // the user talks over it
    const truncate = await sim.connections[0]!.waitFor('conversation.item.truncate', undefined, 'received');
    const played = speaker.playedMs(assistant.id);
    const receivedMs = pair.audio.filter((a) => a.itemId === assistant.id && a.at < interruptedAt + 1000).reduce((n, a) => n + a.bytes / 48, 0);
    assert.equal(truncate.item_id, assistant.id);
    assert.equal(truncate.content_index, 0);
    assert.ok(Number.isInteger(truncate.audio_end_ms));
    assert.ok(Math.abs(truncate.audio_end_ms - played) <= 20, `audio_end_ms ${truncate.audio_end_ms} vs played ${played}`);
    assert.ok(truncate.audio_end_ms <= receivedMs, 'never more than was received');
    assert.ok(truncate.audio_end_ms > 300 && truncate.audio_end_ms < 2000);
    assert.equal(received(sim, 'conversation.item.truncate').length, 1, 'exactly one truncate');
    // Server VAD with interrupt_response cancels by itself: the client adds no response.cancel.
    assert.equal(received(sim, 'response.cancel').length, 0);
    await sim.connections[0]!.waitFor('conversation.item.truncated');
    assert.equal(sent(sim, 'error').length, 0, 'the truncate was valid for the server');
    const item = session.conversation.get(assistant.id)!;
    assert.equal(item.status, 'interrupted');
    assert.equal(item.truncatedAtMs, truncate.audio_end_ms);
    assert.equal(speaker.isPlaying, false, 'playback stopped');
  });

  test('deltas of the interrupted response that arrive late are dropped; the next reply plays from its start', async () => {
    let turn = 0;
    pair = await startPair({ sim: { respond: () => (turn++ === 0 ? { text: LONG_REPLY, audioMs: 8000 } : { text: 'Sure.', audioMs: 600 }), paceFactor: 3, lateDeltasAfterCancel: 3 } });
    const { session, sim, speaker } = pair;
    await session.connect();
    speak(session, tone(600), silence(700));
    await waitForPhase(session, 'assistant-speaking');
    await sleep(500);
    const first = session.conversation.items().find((i) => i.role === 'assistant')!;
    const textBefore = first.text;
    const next = replyCompleted(session);
    speak(session, tone(500));
    await sim.connections[0]!.waitFor('response.done', (e) => e.response.status === 'cancelled');
    const stoppedAt = performance.now();
    speak(session, silence(800));
    const second = await next;
    const lateSent = sent(sim, 'response.output_audio.delta').filter((e) => e.response_id === first.responseId).length;
    const handedOn = pair.audio.filter((a) => a.responseId === first.responseId && a.at >= stoppedAt).length;
    assert.ok(session.stats.droppedDeltas >= 3, `dropped ${session.stats.droppedDeltas}`);
    assert.equal(handedOn, 0, 'not one late sample reached the speaker');
    assert.ok(lateSent > 0);
    assert.equal(session.conversation.get(first.id)!.text.length >= textBefore.length, true);
    await speaker.drained();
    assert.equal(Math.round(speaker.playedMs(second.id)), second.audioMs, 'the new reply plays whole');
  });

  test('push-to-talk: pressing talk while the assistant speaks cancels, truncates and opens a new turn', async () => {
    pair = await startPair({ settings: { turnDetection: { mode: 'none' } }, sim: { respond: () => ({ text: LONG_REPLY, audioMs: 6000 }), paceFactor: 2 } });
    const { session, sim, speaker } = pair;
    await session.connect();
    session.beginTurn();
    speak(session, tone(500));
    session.endTurn();
    await waitForPhase(session, 'assistant-speaking');
    await sleep(600);
    session.beginTurn();
    const truncate = await sim.connections[0]!.waitFor('conversation.item.truncate', undefined, 'received');
    const assistant = session.conversation.items().find((i) => i.role === 'assistant')!;
    assert.ok(Math.abs(truncate.audio_end_ms - speaker.playedMs(assistant.id)) <= 20);
    // With no server VAD the client must cancel the still-active response itself.
    const cancelled = await sim.connections[0]!.waitFor('response.done');
    assert.equal(cancelled.response.status, 'cancelled');
    assert.equal(received(sim, 'response.cancel').length, 1);
    assert.equal(session.state.turnOpen, true);
    assert.equal(sent(sim, 'error').length, 0);
  });

  test('interrupting after the reply has fully arrived still truncates what was not yet heard', async () => {
    pair = await startPair({ sim: { respond: () => ({ text: 'Short but not instant.', audioMs: 2500 }), paceFactor: Infinity } });
    const { session, sim, speaker } = pair;
    await session.connect();
    speak(session, tone(600), silence(700));
    const assistant = await replyCompleted(session); // all audio received, still playing
    await sleep(400);
    await session.interrupt();
    const truncate = await sim.connections[0]!.waitFor('conversation.item.truncate', undefined, 'received');
    assert.equal(truncate.item_id, assistant.id);
    assert.ok(truncate.audio_end_ms < 2500);
    assert.ok(Math.abs(truncate.audio_end_ms - speaker.playedMs(assistant.id)) <= 20);
    assert.equal(received(sim, 'response.cancel').length, 0, 'nothing to cancel: the response was done');
    assert.equal(session.conversation.get(assistant.id)!.status, 'interrupted');
  });

  test('a reply heard to the end is not truncated by a later interrupt', async () => {
    pair = await startPair({ sim: { respond: () => ({ text: 'Tiny.', audioMs: 400 }), paceFactor: Infinity } });
    const { session, sim, speaker } = pair;
    await session.connect();
    speak(session, tone(600), silence(700));
    await replyCompleted(session);
    await speaker.drained();
    await waitForPhase(session, 'listening');
    await session.interrupt();
    await sleep(50);
    assert.equal(received(sim, 'conversation.item.truncate').length, 0);
  });
});
