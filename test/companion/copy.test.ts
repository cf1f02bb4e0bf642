// Copy from the window (real page, Chromium): one message, or the whole conversation as plain
// "You:" / "Hark:" text, handed to main (which owns the clipboard) over the validated channel.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { waitFor } from '../chromium/harness';
import { startCompanionStack, type CompanionStack } from './stack';

describe('copy', () => {
  let st: CompanionStack | null = null;
  after(async () => {
    await st?.close();
  });

  it('copies a message, and the whole conversation', async () => {
    st = await startCompanionStack({ sim: { respond: () => ({ text: 'Paris is the capital of France.', audioMs: 600 }) } });
    const { page, session } = st;
    const s = st.s;
    session.sendText('What is the capital of France?');
    await waitFor(() => session.conversation.items().some((i) => i.role === 'assistant' && i.status === 'completed'), 10_000, 'the reply');
    await waitFor(async () => (await page.locator('[data-role=assistant] [data-testid=message-text]').textContent())?.includes('Paris'), 5000, 'the reply shown');
    await page.locator('[data-role=assistant]').hover();
    await page.locator('[data-role=assistant] [data-testid=copy-message]').click();
    await waitFor(() => s.received.invokes.some((i) => i.channel === 'window:copy-text'), 5000, 'the copy');
    assert.deepEqual(s.received.invokes.find((i) => i.channel === 'window:copy-text')!.payload, { text: 'Paris is the capital of France.' });
    assert.equal(await page.locator('[data-role=assistant] [data-testid=copy-message]').textContent(), 'Copied');

    await page.click('[data-testid=copy-conversation]');
    await waitFor(() => s.received.invokes.filter((i) => i.channel === 'window:copy-text').length === 2, 5000, 'the second copy');
    const all = s.received.invokes.filter((i) => i.channel === 'window:copy-text')[1]!.payload as { text: string };
    assert.equal(all.text, 'You: What is the capital of France?\n\nHark: Paris is the capital of France.');
    assert.deepEqual(s.pageErrors, []);
  });
});
