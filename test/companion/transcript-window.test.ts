// The companion window's transcript over a long conversation, in Chromium through the whole stack:
// it renders only the newest entries (a bounded DOM, however long the talk), with a "Show earlier
// messages (K)" button at the top that reveals older ones a page at a time without moving what the
// reader is looking at; new text is still followed at the bottom, copy works on what is shown, and
// a reset starts again from the newest window. The renderer soak found the unbounded list first
// (each item ~39 DOM nodes for good); items are pushed here as main pushes them, as events.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { ConversationItem } from '../../preload/api';
import { waitFor } from '../chromium/harness';
import { startCompanionStack, type CompanionStack } from './stack';

// The window's size and page as Transcript.svelte sets them (renderer/companion/transcript-window.ts).
const WINDOW = 150;
const PAGE = 100;

let st: CompanionStack | null = null;
afterEach(async () => {
  await st?.close();
  st = null;
});

const base = Date.parse('2026-12-02T10:00:00Z');
function message(n: number, over: Partial<ConversationItem> = {}): ConversationItem {
  return { id: `item_${n}`, role: n % 2 ? 'assistant' : 'user', type: 'message', text: `Message number ${n}.`, status: 'completed', modality: 'text', createdAt: base + n * 1000, ...over };
}

/** Items 0..count-1 as main sends them, with a tool call and its result every 50 (call at 25, 75, …). */
function conversation(from: number, count: number): ConversationItem[] {
  const items: ConversationItem[] = [];
  for (let n = from; n < from + count; n++) {
    if (n % 50 === 25) items.push({ id: `item_${n}`, role: 'assistant', type: 'function_call', text: 'get_time', status: 'completed', modality: null, callId: `call_${n}`, name: 'get_time', arguments: '{}', createdAt: base + n * 1000 });
    else if (n % 50 === 26) items.push({ id: `item_${n}`, role: 'tool', type: 'function_call_output', text: 'ok', status: 'completed', modality: null, callId: `call_${n - 1}`, output: '{"now":"10:00"}', createdAt: base + n * 1000 });
    else items.push(message(n));
  }
  return items;
}

function push(items: ConversationItem[]) {
  for (const item of items) st!.s.bridge.emit('conversation:item', item);
}

const texts = () => st!.page.$$eval('[data-testid=message] [data-testid=message-text]', (els) => els.map((e) => e.textContent!.trim()));
const box = () => st!.page.locator('section.transcript');
const atBottom = () => box().evaluate((e) => e.scrollHeight - e.scrollTop - e.clientHeight < 2);

describe('the transcript over a long conversation (Chromium + session)', () => {
  test('600 items: only the newest window is in the DOM, earlier ones a page per click, the reading place kept', async () => {
    st = await startCompanionStack({ connect: false });
    const { page } = st;
    const all = conversation(0, 600);
    push(all);
    await waitFor(async () => (await texts()).at(-1) === 'Message number 599.', 10_000, 'the newest message');
    const entries = page.locator('section.transcript > [data-testid=message], section.transcript > [data-testid=tool-card]');
    assert.equal(await entries.count(), WINDOW, 'the newest entries only');
    // 600 items: 12 call + output pairs, one card each: 588 entries, 438 of them hidden.
    const more = page.getByRole('button', { name: /Show earlier messages/ });
    assert.equal(await more.textContent(), 'Show earlier messages (438)');
    assert.equal(await page.getByTestId('show-earlier').evaluate((e) => e.tagName), 'BUTTON');
    assert.ok(await atBottom(), 'opened at the newest');
    const before = await page.evaluate(() => document.querySelectorAll('*').length);

    // Reveal a page from the top: the entry that was first stays where the reader saw it.
    await box().evaluate((e) => (e.scrollTop = 0));
    const first = (await texts())[0]!;
    const firstEl = page.locator('[data-testid=message]', { hasText: first });
    const y0 = (await firstEl.boundingBox())!.y;
    await more.click();
    await waitFor(async () => (await entries.count()) === WINDOW + PAGE, 5_000, 'a page more');
    assert.equal(await more.textContent(), 'Show earlier messages (338)');
    const y1 = (await firstEl.boundingBox())!.y;
    assert.ok(Math.abs(y1 - y0) < 2, `the reading place kept: ${y0} → ${y1}`);

    // Reading up there, a new message comes: nothing above moves out and the view stays.
    push([message(600)]);
    await waitFor(async () => (await texts()).at(-1) === 'Message number 600.', 5_000, 'the new message');
    assert.equal(await entries.count(), WINDOW + PAGE + 1, 'what was revealed stays while the reader is up there');
    assert.ok(Math.abs((await firstEl.boundingBox())!.y - y0) < 2, 'and the view does not jump');

    // Back at the bottom, a reply streams: followed, and the window is the newest one again.
    await box().evaluate((e) => (e.scrollTop = e.scrollHeight));
    await page.waitForTimeout(50);
    let text = '';
    for (let i = 0; i < 12; i++) {
      text += 'A streamed line of the reply, long enough to wrap in the window. ';
      push([message(601, { role: 'assistant', text, status: 'in_progress' })]);
      await waitFor(async () => (await texts()).at(-1) === text.trim(), 5_000, `delta ${i}`);
      assert.ok(await atBottom(), `following the newest text (delta ${i})`);
    }
    push([message(601, { role: 'assistant', text, status: 'completed' })]);
    await waitFor(async () => (await entries.count()) === WINDOW, 5_000, 'back to the newest window');
    assert.ok(await atBottom());
    assert.equal(await page.getByTestId('live-region').textContent(), `Hark: ${text.trim()}`, 'the announcement as before');
    const after = await page.evaluate(() => document.querySelectorAll('*').length);
    assert.ok(after <= before + 20, `the DOM does not grow with the conversation: ${before} → ${after} elements`);

    // Copy works on what is shown.
    await page.locator('[data-testid=message]').last().hover();
    await page.locator('[data-testid=message]').last().getByTestId('copy-message').click();
    await waitFor(() => st!.s.received.invokes.some((i) => i.channel === 'window:copy-text'), 5_000, 'the copy');
    assert.deepEqual(st.s.received.invokes.find((i) => i.channel === 'window:copy-text')!.payload, { text });

    // A forgotten item leaves the window, which fills from above.
    push([message(599, { forgotten: true })]);
    await waitFor(async () => !(await texts()).includes('Message number 599.'), 5_000, 'the forgotten message gone');
    assert.equal(await entries.count(), WINDOW);

    // Revealing from just below the top (where Chromium's own scroll anchoring acts) keeps the place too.
    await box().evaluate((e) => (e.scrollTop = 5));
    await page.waitForTimeout(50);
    const top = page.locator('[data-testid=message]').first();
    const topText = (await top.textContent())!;
    const topY = (await top.boundingBox())!.y;
    await more.click();
    await waitFor(async () => (await entries.count()) === WINDOW + PAGE, 5_000, 'a page more from near the top');
    const again = page.locator('[data-testid=message]', { hasText: (await texts()).find((t) => topText.includes(t))! });
    assert.ok(Math.abs((await again.boundingBox())!.y - topY) < 2, `the place kept near the top: ${topY} → ${(await again.boundingBox())!.y}`);

    // Reveal everything, then a reset: the new conversation starts from its newest window.
    for (let left = 5; left > 0 && (await more.count()); left--) await more.click();
    await waitFor(async () => (await more.count()) === 0, 5_000, 'all revealed');
    assert.equal((await texts())[0], 'Message number 0.');
    st.s.bridge.emit('conversation:reset', { resumedFrom: null });
    await waitFor(async () => (await texts()).length === 0, 5_000, 'the reset');
    push(conversation(1000, 200));
    await waitFor(async () => (await texts()).at(-1) === 'Message number 1199.', 10_000, 'the new conversation');
    assert.equal(await entries.count(), WINDOW);
    assert.equal(await more.textContent(), 'Show earlier messages (46)');
    assert.ok(await atBottom());
    assert.deepEqual(st.s.pageErrors, []);
  });
});
