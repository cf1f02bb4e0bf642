import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { received, replyCompleted, sent, silence, speak, startPair, tone, unhandledRejections, waitForPhase, type Pair } from './harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

describe('turns', () => {
  test('server VAD: speech is detected, committed and answered with audio', async () => {
    pair = await startPair({ sim: { userTranscript: () => 'what is the weather' } });
    const { session, sim } = pair;
    await session.connect();
    assert.equal(session.state.phase, 'listening');
    const config = received(sim, 'session.update')[0].session;
    assert.equal(config.type, 'realtime');
    assert.equal(config.audio.input.turn_detection.type, 'server_vad');
    assert.equal(sim.connections[0]!.headers['openai-beta'], undefined, 'no beta header is ever sent');

    const reply = replyCompleted(session);
    speak(session, silence(200), tone(800), silence(900));
    const assistant = await reply;
    assert.equal(assistant.role, 'assistant');
    assert.equal(assistant.status, 'completed');
    assert.ok(assistant.text.length > 0);
    assert.equal(assistant.modality, 'audio');

    const items = session.conversation.items();
    const user = items[0]!;
    assert.equal(user.role, 'user');
    assert.equal(user.modality, 'audio');
    await waitForPhase(session, 'listening');
    assert.equal(session.conversation.get(user.id)!.text, 'what is the weather', 'the transcript arrives out of step and still lands on the user item');
    assert.equal(session.conversation.get(user.id)!.status, 'completed');
    assert.ok(items.indexOf(user) < items.indexOf(assistant), 'the user item comes before the reply');

    // Every delta is decoded once and handed on with its ids; the sum is the item's audio length.
    const bytes = pair.audio.filter((a) => a.itemId === assistant.id).reduce((n, a) => n + a.bytes, 0);
    assert.equal(Math.round(bytes / 48), assistant.audioMs);
    const phases = pair.states.map((s) => s.phase);
    for (const p of ['connecting', 'listening', 'user-speaking', 'thinking', 'assistant-speaking'] as const) assert.ok(phases.includes(p), `passes through ${p}`);
    // Appends are 20–40 ms of audio each.
    for (const a of received(sim, 'input_audio_buffer.append')) {
      const ms = (Buffer.from(a.audio, 'base64').length / 48);
      assert.ok(ms >= 20 && ms <= 40, `append of ${ms} ms`);
    }
    assert.equal(session.conversation.usage.responses, 1);
    assert.ok(session.conversation.usage.totalTokens > 0, 'usage comes from response.done');
  });

  test('push-to-talk: clear at the start, commit and response.create at the end', async () => {
    pair = await startPair({ settings: { turnDetection: { mode: 'none' } } });
    const { session, sim } = pair;
    await session.connect();
    const gates: boolean[] = [];
    session.on('gate', (g) => gates.push(g.open));
    speak(session, tone(300)); // gate closed: dropped
    assert.equal(received(sim, 'input_audio_buffer.append').length, 0, 'no audio leaves while the gate is closed');

    session.beginTurn();
    assert.equal(session.state.turnOpen, true);
    speak(session, tone(600));
    const reply = replyCompleted(session);
    assert.equal(session.endTurn(), true);
    await reply;
    const types = sim.connections[0]!.received.map((r) => r.event.type).filter((t: string) => t !== 'input_audio_buffer.append');
    assert.deepEqual(types.slice(-3), ['input_audio_buffer.clear', 'input_audio_buffer.commit', 'response.create']);
    assert.deepEqual(gates, [true, false]);
    assert.equal(sent(sim, 'error').length, 0);
  });

  test('push-to-talk: a turn under 100 ms is refused with a clear message, not a server error', async () => {
    pair = await startPair({ settings: { turnDetection: { mode: 'none' } } });
    const { session, sim } = pair;
    await session.connect();
    session.beginTurn();
    speak(session, tone(60));
    assert.equal(session.endTurn(), false);
    assert.equal(received(sim, 'input_audio_buffer.commit').length, 0);
    const n = pair.notices.find((x) => x.code === 'turn_too_short');
    assert.match(n!.message, /too short/);
    // Cancel discards without a reply.
    session.beginTurn();
    speak(session, tone(400));
    session.cancelTurn();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(received(sim, 'response.create').length, 0);
    assert.equal(session.state.turnOpen, false);
  });

  test('typed text joins the same conversation, and waits for the active reply', async () => {
    pair = await startPair({ sim: { userTranscript: () => 'hello there' } });
    const { session, sim } = pair;
    await session.connect();
    const first = replyCompleted(session);
    speak(session, tone(600), silence(800));
    await waitForPhase(session, 'thinking');
    // A typed message during the spoken reply is queued, not rejected by the server.
    session.sendText('and what about tomorrow?');
    await first;
    const second = await replyCompleted(session);
    assert.equal(sent(sim, 'error').length, 0, 'no conversation_already_has_active_response');
    const items = session.conversation.items().filter((i) => i.type === 'message');
    assert.deepEqual(items.map((i) => i.role), ['user', 'assistant', 'user', 'assistant']);
    assert.equal(items[2]!.text, 'and what about tomorrow?');
    assert.equal(items[3]!.id, second.id);
  });

  test('a response.create racing the server VAD is queued, not lost', async () => {
    // The model "thinks" for a while: the server's own response is active but unknown to the client.
    pair = await startPair({ sim: { replyDelayMs: 300 } });
    const { session, sim } = pair;
    await session.connect();
    speak(session, tone(600), silence(800));
    await waitForPhase(session, 'thinking');
    session.sendText('typed during the wait');
    const replies: string[] = [];
    session.on('response', (r) => replies.push(r.status));
    while (replies.filter((s) => s === 'completed').length < 2) await new Promise((r) => setTimeout(r, 50));
    const conflicts = sent(sim, 'error').filter((e) => e.error.code === 'conversation_already_has_active_response');
    assert.ok(conflicts.length >= 1, 'the server did reject the racing create');
    assert.equal(pair.notices.filter((n) => n.level !== 'info').length, 0, 'the user is not bothered with the race');
    const last = session.conversation.items().at(-1)!;
    assert.equal(last.role, 'assistant');
    assert.equal(last.status, 'completed');
  });

  test('settings apply mid-session; a rejected update is reported with the server message', async () => {
    pair = await startPair();
    const { session, sim } = pair;
    await session.connect();
    const { settingsSchema } = await import('../../common/settings/settings-schema');
    session.applySettings(settingsSchema.parse({ endpoint: { kind: 'custom', url: sim.url }, instructions: 'Be brief.', turnDetection: { mode: 'semantic_vad', eagerness: 'high' } }));
    await sim.connections[0]!.waitFor('session.updated', (e) => e.session.instructions === 'Be brief.');
    assert.equal(sim.connections[0]!.session.audio.input.turn_detection.type, 'semantic_vad');

    sim.setFaults({ rejectNextUpdate: { code: 'invalid_value', message: "Invalid value: 'x'.", param: 'session.instructions' } });
    session.applySettings(settingsSchema.parse({ endpoint: { kind: 'custom', url: sim.url }, instructions: 'Rejected.' }));
    await sim.connections[0]!.waitFor('error');
    await new Promise((r) => setTimeout(r, 20));
    const n = pair.notices.find((x) => /not applied/.test(x.message));
    assert.ok(n, 'the user is told');
    assert.match(n!.message, /Invalid value: 'x'/);
    assert.equal(sim.connections[0]!.session.instructions, 'Be brief.', 'nothing of the rejected update applied');
  });
});
