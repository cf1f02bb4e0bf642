// Two identical tool calls in one reply (same tool, same arguments) are two prompts and two cards,
// and each card shows how its own call was settled: the window matches a prompt to its card by the
// function call's id, never by the tool's name and arguments.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { waitFor } from '../chromium/harness';
import { clipboardTool, startCompanionStack, type CompanionStack } from './stack';

let st: CompanionStack | null = null;
afterEach(async () => {
  await st?.close();
  st = null;
});

describe('approvals of identical calls', () => {
  test('one allowed and one denied: each card shows its own answer', async () => {
    st = await startCompanionStack({
      tools: () => [clipboardTool()],
      sim: {
        respond: (ctx) =>
          ctx.toolOutputs.length
            ? { text: 'Done.', audioMs: 300 }
            : { toolCalls: [{ name: 'write_clipboard', arguments: '{"text":"hi"}' }, { name: 'write_clipboard', arguments: '{"text":"hi"}' }] },
      },
    });
    const { page } = st;
    const input = page.getByTestId('message-input');
    await input.fill('Copy hi twice');
    await input.press('Enter');
    const prompts = page.getByTestId('approval');
    await waitFor(async () => (await prompts.count()) === 2, 10_000, 'two approval prompts');
    await prompts.nth(0).getByRole('button', { name: 'Allow', exact: true }).click();
    await waitFor(async () => (await prompts.count()) === 1, 10_000, 'the first prompt to go');
    await prompts.nth(0).getByRole('button', { name: 'Deny', exact: true }).click();
    const cards = page.getByTestId('tool-card');
    // The allowed call ran; the denied one ended with the refusal as its output.
    await waitFor(async () => (await cards.count()) === 2 && (await page.locator('[data-testid=tool-card][data-status=done], [data-testid=tool-card][data-status=failed]').count()) === 2, 10_000, 'both calls to finish');
    const states = await page.$$eval('[data-testid=tool-card]', (els) => els.map((e) => e.querySelector('[data-testid=approval-state]')?.textContent));
    assert.deepEqual(states, ['allowed', 'denied']);
  });
});
