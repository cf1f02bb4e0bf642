// The companion window with today's models, in Chromium through the whole stack: a 2.x preamble shown
// as a preamble and the answer as the answer; the user's words live while they speak
// (gpt-realtime-whisper), right once final; a past conversation resumed from history, with the
// place where the resumed part ends; usage with the cache-hit share and context fullness.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { currentTimeTool } from '../../main/tools/builtin/current-time';
import { deprecationNotices } from '../../common/models';
import { waitFor } from '../chromium/harness';
import { SHOTS, startCompanionStack, type CompanionStack } from './stack';

let st: CompanionStack | null = null;
afterEach(async () => {
  await st?.close();
  st = null;
});

const shot = (name: string) => st!.page.screenshot({ path: join(SHOTS, name) });

async function say(text: string) {
  const input = st!.page.getByTestId('message-input');
  await input.fill(text);
  await input.press('Enter');
}

async function messages(): Promise<Array<{ role: string; phase: string | null; live: boolean; text: string }>> {
  return st!.page.$$eval('[data-testid=message]', (els) =>
    els.map((e) => ({ role: e.getAttribute('data-role')!, phase: e.getAttribute('data-phase'), live: e.getAttribute('data-live') === 'true', text: e.querySelector('[data-testid=message-text]')!.textContent!.trim() })),
  );
}

describe('companion window with gpt-realtime-2.x (Chromium + session + simulator)', () => {
  test('a preamble before a tool call is shown as a preamble, the answer as the answer; usage shows cache share and context', async () => {
    st = await startCompanionStack({ tools: () => [currentTimeTool('Europe/Paris')], sim: { paceFactor: 4 } });
    const { page, sim } = st;
    await say('What time is it?');
    await waitFor(async () => (await messages()).filter((m) => m.role === 'assistant').length === 2 && st!.session.state.phase === 'listening', 15_000, 'the preamble and the answer');
    const [user, preamble, answer] = await messages();
    assert.equal(user!.text, 'What time is it?');
    assert.deepEqual([preamble!.phase, preamble!.text], ['commentary', 'Let me check the time.']);
    assert.equal(answer!.phase, 'final_answer');
    assert.match(answer!.text, /^It is /);
    assert.equal(await page.getByTestId('preamble-label').count(), 1, 'only the preamble is labelled "while checking…"');
    const response = sim.connections[0]!.sent.find((e) => e.event.type === 'response.done')!.event.response;
    assert.deepEqual(response.output.map((o: { type: string }) => o.type), ['message', 'function_call'], 'one response held both');
    await say('Thanks!');
    await waitFor(async () => (await messages()).length === 5 && st!.session.state.phase === 'listening', 15_000, 'the third reply');
    await page.getByRole('button', { name: 'Usage' }).click();
    const share = await page.getByTestId('cache-share').textContent();
    assert.match(share!, /^\d+%$/);
    assert.match((await page.getByTestId('context-fullness').textContent())!, /\d[\d,]* \/ 32,000/);
    await shot('preamble-and-usage.png');
  });

  test('a deprecated model: the notice says when it shuts down, and one click switches to its replacement', async () => {
    st = await startCompanionStack({ settings: { model: 'gpt-realtime' } });
    const { page, s } = st;
    const [notice] = deprecationNotices(st.settings);
    assert.ok(notice, 'gpt-realtime is deprecated');
    s.bridge.emit('notice', notice);
    const shown = page.locator('[data-testid=notice][data-code=model_deprecated]');
    await shown.waitFor();
    assert.match((await shown.textContent())!, /shuts it down on 2027-01-20/);
    await page.getByTestId('switch-model').click();
    await waitFor(() => st!.settings.model === 'gpt-realtime-2.1', 5000, 'the switch to be stored');
    assert.equal(await shown.count(), 0, 'the notice goes once acted on');
  });

  test('live captions: the words appear while the user speaks, keyed by the speech_started item, and end as the final transcript', async () => {
    const said = 'could you tell me what the weather is like in Lyon today';
    st = await startCompanionStack({
      settings: { transcription: { enabled: true, model: 'gpt-realtime-whisper' } },
      // 1 s of quiet, 4 s of "speech", then quiet: the simulator's VAD hears one turn.
      mic: [{ ms: 1000, silence: true }, { ms: 4000, hz: [220, 330], amp: 0.3 }, { ms: 25_000, silence: true }],
      sim: { userTranscript: () => said, respond: () => ({ text: 'Sunny and mild in Lyon.', audioMs: 1500 }) },
    });
    const { page, sim } = st;
    const live = page.locator('[data-testid=message][data-live=true]');
    await live.waitFor({ timeout: 15_000 });
    const partial = (await live.locator('[data-testid=message-text]').textContent())!.trim();
    assert.ok(said.startsWith(partial) && partial.length > 0 && partial.length < said.length, `a live prefix: "${partial}"`);
    const started = sim.connections[0]!.sent.find((e) => e.event.type === 'input_audio_buffer.speech_started')!.event;
    const committedYet = sim.connections[0]!.sent.some((e) => e.event.type === 'input_audio_buffer.committed');
    await shot('live-caption.png');
    await waitFor(async () => (await messages()).some((m) => m.role === 'user' && !m.live && m.text === said), 15_000, 'the final transcript');
    const ids = st.session.conversation.items().filter((i) => i.role === 'user').map((i) => i.id);
    assert.deepEqual(ids, [started.item_id], 'one user item, the one speech_started announced');
    assert.equal(committedYet, false, 'the caption was on screen before the server committed the turn');
    await waitFor(async () => (await messages()).some((m) => m.role === 'assistant' && m.text === 'Sunny and mild in Lyon.'), 15_000, 'the reply');
    const order = (await messages()).map((m) => m.role);
    assert.deepEqual(order, ['user', 'assistant'], 'the caption stays where the commit put it');
  });

  test('a past conversation resumed from history: its messages seed the session and the window marks where they end', async () => {
    st = await startCompanionStack({ settings: { conversation: { resumeBudgetTokens: 2000 } } });
    const { page, sim, services } = st;
    await say('My cat is called Miso.');
    await waitFor(async () => (await messages()).length === 2 && st!.session.state.phase === 'listening', 15_000, 'the first reply');
    await services.recorder.flush();
    await page.getByTestId('new-conversation').click();
    await waitFor(async () => (await messages()).length === 0 && sim.connections.length === 2 && st!.session.isReady, 10_000, 'a new, empty conversation');
    assert.equal(sim.connections[1]!.received.filter((e) => e.event.type === 'conversation.item.create').length, 0, 'nothing carried');
    await page.getByTestId('tab-history').click();
    await page.getByRole('button', { name: /My cat is called Miso/ }).click();
    assert.match((await page.getByTestId('resume').textContent())!, /up to ~2,000 tokens/);
    await page.getByTestId('resume').click();
    await page.getByTestId('resumed-end').waitFor({ timeout: 10_000 });
    assert.match((await page.getByTestId('resumed-end').textContent())!, /2 of 2 messages, ~\d+ of 2,000 tokens/);
    await waitFor(() => sim.connections.length === 3 && st!.session.isReady, 10_000, 'the resumed session');
    const carried = sim.connections[2]!.received.filter((e) => e.event.type === 'conversation.item.create').map((e) => e.event.item.content[0].text);
    assert.equal(carried[0], 'My cat is called Miso.');
    await say('What is my cat called?');
    await waitFor(async () => (await messages()).length === 4 && st!.session.state.phase === 'listening', 15_000, 'the reply after resuming');
    await page.mouse.move(0, 0);
    const divider = await page.$$eval('[data-testid=transcript] > *, section.transcript > *', (els) => els.map((e) => e.getAttribute('data-testid')));
    assert.deepEqual(divider.filter(Boolean), ['message', 'message', 'resumed-end', 'message', 'message'], 'the divider sits after the resumed part');
    await shot('resumed-conversation.png');
  });
});
