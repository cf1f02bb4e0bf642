// Conversations you can start over and pick up, checked on what the server receives and holds: a
// new conversation carries nothing; after an explicit disconnect Connect asks, continues or starts
// anew by setting; a past conversation resumes from history within its token budget; a forgotten
// item leaves the server's context and what is carried next. Automatic reconnects still carry.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { EventChannel, Events } from '../../preload/api';
import { createCompanionServices, type CompanionServices } from '../../main/app/companion-services';
import { historySettingsSchema } from '../../common/settings/history-settings';
import { conversationSettingsSchema, type ConversationSettings } from '../../common/settings/model-settings';
import { resumeSeed } from '../../main/history/resume-seed';
import { usageSettingsSchema } from '../../common/settings/usage-settings';
import { replyCompleted, received, startPair, type Pair } from '../realtime/harness';
import { until } from '../support/until';

const waitUntil = <T>(f: () => T, ms = 5000): Promise<NonNullable<T>> => until(f as () => NonNullable<T>, String(f).slice(6, 120), ms) as Promise<NonNullable<T>>;

let pair: Pair | null = null;
let services: CompanionServices | null = null;
afterEach(async () => {
  await services?.dispose();
  await pair?.close();
  pair = services = null;
});

async function setUp(conversation: Partial<ConversationSettings> = {}) {
  pair = await startPair({ sim: { userTranscript: () => 'hello' }, settings: { transcription: { enabled: false } } });
  const events: Array<{ channel: EventChannel; payload: unknown }> = [];
  const settings = conversationSettingsSchema.parse(conversation);
  services = await createCompanionServices({
    session: pair.session,
    dir: mkdtempSync(join(tmpdir(), 'hark-conv-')),
    history: () => historySettingsSchema.parse({}),
    usage: () => usageSettingsSchema.parse({}),
    idleMinutes: () => null,
    model: () => 'gpt-realtime-2.1',
    conversation: () => settings,
    emit: <K extends EventChannel>(channel: K, payload: Events[K]) => void events.push({ channel, payload }),
  });
  await services.connect();
  return { pair, services, events };
}

/** Texts of the messages the server holds on connection `n`. */
function serverTexts(p: Pair, n = -1): string[] {
  return p.sim.connections.at(n)!.conversationItems.filter((i) => i.type === 'message').map((i) => i.content?.[0]?.text ?? i.content?.[0]?.transcript ?? '');
}

async function say(p: Pair, text: string) {
  p.session.sendText(text);
  await replyCompleted(p.session);
}

describe('new, continue, resume, forget', () => {
  test('a new conversation: a fresh server conversation with nothing carried, and a new history entry', async () => {
    const { pair: p, services: s, events } = await setUp();
    await say(p, 'My cat is called Miso.');
    await s.recorder.flush();
    const first = s.recorder.conversationId;
    await s.conversations.newConversation();
    await waitUntil(() => p.sim.connections.length === 2 && p.session.isReady);
    assert.deepEqual(received(p.sim, 'conversation.item.create'), [], 'nothing carried into the new session');
    assert.ok(events.some((e) => e.channel === 'conversation:reset'));
    await say(p, 'What is the weather?');
    await s.recorder.flush();
    assert.notEqual(s.recorder.conversationId, first, 'a new history entry');
    assert.equal((await s.history.list()).length, 2);
    assert.ok(!serverTexts(p).some((t) => t.includes('Miso')));
  });

  test('an automatic reconnect still carries the conversation', async () => {
    const { pair: p } = await setUp();
    await say(p, 'Remember the blue door.');
    p.sim.connections[0]!.terminate();
    await waitUntil(() => p.sim.connections.length === 2 && p.session.isReady, 10_000);
    await waitUntil(() => serverTexts(p).some((t) => t.includes('blue door')));
  });

  test('Connect after an explicit disconnect asks; "continue" carries, "new" does not', async () => {
    const { pair: p, services: s, events } = await setUp({ afterDisconnect: 'ask' });
    await say(p, 'Remember the blue door.');
    s.disconnect();
    assert.equal(await s.conversations.connect(), 'ask');
    assert.equal(p.sim.connections.length, 1, 'nothing connects until the user chooses');
    assert.ok(events.some((e) => e.channel === 'conversation:ask'));
    await s.conversations.connect('continue');
    await waitUntil(() => p.session.isReady);
    await waitUntil(() => serverTexts(p).some((t) => t.includes('blue door')), 5000);
    s.disconnect();
    await s.conversations.connect('new');
    await waitUntil(() => p.sim.connections.length === 3 && p.session.isReady);
    assert.deepEqual(received(p.sim, 'conversation.item.create'), [], 'the new one carries nothing');
  });

  test('the setting can decide instead of asking', async () => {
    const { pair: p, services: s } = await setUp({ afterDisconnect: 'new' });
    await say(p, 'Remember the blue door.');
    s.disconnect();
    assert.equal(await s.conversations.connect(), 'connected');
    await waitUntil(() => p.sim.connections.length === 2 && p.session.isReady);
    assert.deepEqual(received(p.sim, 'conversation.item.create'), []);
    assert.equal(p.session.conversation.items().length, 0);
  });

  test('the talk key after an explicit disconnect does not ask: it continues, or starts anew if the setting says so', async () => {
    const { pair: p, services: s } = await setUp({ afterDisconnect: 'new' });
    await say(p, 'Remember the blue door.');
    s.disconnect();
    await s.talk();
    await waitUntil(() => p.sim.connections.length === 2 && p.session.isReady);
    assert.deepEqual(received(p.sim, 'conversation.item.create'), [], '"new": nothing carried');
  });

  test('resume from history: the newest messages within the budget seed the session, marked as resumed', async () => {
    const { pair: p, services: s } = await setUp({ resumeBudgetTokens: 500 });
    await say(p, 'First: my cat is called Miso.');
    await say(p, 'Second: I live in Lyon.');
    await s.recorder.flush();
    const past = s.recorder.conversationId!;
    await s.conversations.newConversation();
    await waitUntil(() => p.sim.connections.length === 2 && p.session.isReady);
    const r = await s.conversations.resume(past);
    assert.equal(r.total, 4, 'two turns, two replies');
    assert.equal(r.items, 4);
    assert.ok(r.tokens <= 500);
    await waitUntil(() => p.sim.connections.length === 3 && p.session.isReady);
    await waitUntil(() => serverTexts(p).length === 4);
    assert.ok(serverTexts(p)[0]!.includes('Miso') && serverTexts(p)[2]!.includes('Lyon'), 'in their order');
    assert.ok(p.session.conversation.items().every((i) => i.resumed), 'marked as resumed');
    // A small budget takes only the newest messages.
    const tight = resumeSeed((await s.history.get(past))!.items, 30);
    assert.ok(tight.items.length > 0 && tight.items.length < 4);
    assert.match(tight.items.at(-1)!.text, /Lyon/);
  });

  test('forget: conversation.item.delete reaches the server, and the item is not carried next', async () => {
    const { pair: p, services: s } = await setUp();
    await say(p, 'My PIN is 4711.');
    await say(p, 'Tell me a joke.');
    const secret = p.session.conversation.items().find((i) => i.text.includes('4711') && i.role === 'user')!;
    assert.equal(s.conversations.forget(secret.id), true);
    const del = await waitUntil(() => received(p.sim, 'conversation.item.delete')[0]);
    assert.equal(del.item_id, secret.id);
    await waitUntil(() => !serverTexts(p).some((t) => t === 'My PIN is 4711.'));
    // After a reconnect, what is carried does not have it either.
    p.sim.connections[0]!.terminate();
    await waitUntil(() => p.sim.connections.length === 2 && p.session.isReady, 10_000);
    await waitUntil(() => serverTexts(p).some((t) => t.includes('joke')));
    const carried = received(p.sim, 'conversation.item.create').map((e) => e.item.content?.[0]?.text);
    assert.ok(carried.includes('Tell me a joke.') && !carried.includes('My PIN is 4711.'), 'carried without the forgotten message');
    // A carried copy is forgotten by its own server id.
    const joke = p.session.conversation.items().find((i) => i.text === 'Tell me a joke.')!;
    s.conversations.forget(joke.id);
    const del2 = await waitUntil(() => received(p.sim, 'conversation.item.delete')[0]);
    assert.notEqual(del2.item_id, joke.id, 'the carried copy has an id of its own');
    await waitUntil(() => !serverTexts(p).includes('Tell me a joke.'));
  });
});
