// "Look at my screen" in the companion window (Chromium + session + simulator): the approval card
// shows a thumbnail of the capture before anything is sent, the user's turn then shows the small
// thumbnail with its size and image tokens, and the usage panel counts the image tokens the server
// billed. The capture is a real PNG: a screenshot of a page Chromium renders in this test. The
// picker beside the button lists the open windows when it opens, by mouse or keyboard, and a look
// at the window picked asks the capturer for that window.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { encode as encodePng } from 'fast-png';
import { lookAtScreenTool } from '../../main/tools/builtin/look-at-screen';
import { ScreenLook } from '../../main/screen/screen-look';
import { screenSettingsSchema } from '../../common/settings/screen-settings';
import type { CaptureRequest, ScreenCapturer, ScreenPermission } from '../../main/screen/screen-capturer';
import { userLook } from '../../main/app/wake-screen-wiring';
import { defaultBrain } from '../../simulator/replies';
import { waitFor } from '../chromium/harness';
import { SHOTS, startCompanionStack, type CompanionStack } from './stack';

let st: CompanionStack | null = null;
afterEach(async () => {
  await st?.close();
  st = null;
});

describe('look at my screen (companion window)', () => {
  test('the prompt shows the capture, Allow sends it, the turn shows its thumbnail, the usage its image tokens', async () => {
    let png: Uint8Array | null = null;
    const capturer: ScreenCapturer = {
      permission: () => 'granted',
      listWindows: async () => [],
      capture: async () => ({ png: png!, source: 'screen' }),
    };
    let stack: CompanionStack | null = null;
    st = stack = await startCompanionStack({
      tools: (approvals) => [
        lookAtScreenTool(
          new ScreenLook({
            capturer,
            approvals,
            session: { get isReady() { return stack!.session.isReady; }, sendImage: (...a) => stack!.session.sendImage(...a) },
            settings: () => screenSettingsSchema.parse({}),
          }),
        ),
      ],
      sim: { respond: (ctx) => (ctx.turnIndex === 0 ? { toolCalls: [{ name: 'look_at_screen', arguments: '{}' }] } : { ...defaultBrain(ctx), audioMs: 600 }) },
    });
    const { page } = st;
    // The "screen": a page of text at a laptop's size, screenshotted by the same Chromium.
    const other = await st.s.context.newPage();
    await other.setViewportSize({ width: 1600, height: 1000 });
    await other.setContent('<body style="font:16px sans-serif;background:#fff"><h1>Invoice 2026-118</h1><p>Total due: 1,234.00 EUR</p></body>');
    png = new Uint8Array(await other.screenshot({ type: 'png' }));
    await other.close();

    const input = page.getByTestId('message-input');
    await input.fill('Can you check the total on my screen?');
    await input.press('Enter');
    await waitFor(async () => (await page.getByTestId('approval-preview').count()) === 1, 10_000, 'the approval card with its preview');
    const preview = await page.getByTestId('approval-preview').evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, h: img.naturalHeight, src: img.src.slice(0, 23) }));
    assert.deepEqual(preview, { w: 240, h: 150, src: 'data:image/jpeg;base64,' });
    // Nothing has been sent yet: the consent comes first.
    assert.equal(st.sim.connections.at(-1)!.received.filter((r) => JSON.stringify(r.event).includes('input_image')).length, 0);
    await page.screenshot({ path: join(SHOTS, 'screen-approval.png') });
    await page.getByTestId('approval').getByRole('button', { name: 'Allow', exact: true }).click();

    await waitFor(async () => (await page.locator('[data-testid=message-image] img').count()) === 1, 10_000, 'the thumbnail in the user turn');
    const shown = await page.locator('[data-testid=message-image]').evaluate((f) => ({ role: f.closest('[data-testid=message]')!.getAttribute('data-role'), caption: f.querySelector('figcaption')!.textContent!.trim(), w: (f.querySelector('img') as HTMLImageElement).naturalWidth }));
    // 1600 × 1000 scaled to 1280 × 800: 85 + 170 × 3 × 2 = 1,105 tokens.
    assert.deepEqual(shown, { role: 'user', caption: 'Screen · 1280×800 · ~1,105 image tokens', w: 240 });
    await waitFor(async () => /I can see the image you shared, 1280 by 800/.test((await page.locator('[data-testid=message][data-role=assistant]').last().textContent()) ?? ''), 10_000, 'the reply that saw the image');

    await page.getByRole('button', { name: 'Usage' }).click();
    await waitFor(async () => (await page.getByTestId('image-tokens').count()) > 0, 10_000, 'image tokens in the usage panel');
    const conv = await page.getByTestId('usage-conversation').getByTestId('image-tokens').textContent();
    assert.match(conv ?? '', /\+ 1,105 image/);
    await page.screenshot({ path: join(SHOTS, 'screen-shared.png') });
  });

  test('the picker lists the open windows, the keyboard picks one, and the look captures that window and names it', async () => {
    const requests: CaptureRequest[] = [];
    let open = [{ title: 'Editor: notes.txt' }, { title: 'Terminal — build' }];
    let permission: ScreenPermission = 'granted';
    const png = encodePng({ width: 160, height: 100, channels: 3, data: new Uint8Array(160 * 100 * 3).fill(90) });
    const capturer: ScreenCapturer = {
      permission: () => permission,
      listWindows: async () => open,
      capture: async (r) => (requests.push(r), { png, source: r.windowTitle ?? 'screen' }),
    };
    st = await startCompanionStack({
      screen: (approvals, session) => {
        const u = userLook(new ScreenLook({ capturer, approvals, session, settings: () => screenSettingsSchema.parse({}) }));
        return { lookAtScreen: u.lookAtScreen, screenWindows: u.listWindows };
      },
    });
    const { page } = st;
    const toggle = page.getByTestId('look-pick');
    await toggle.click();
    const menu = page.getByRole('menu', { name: 'Look at' });
    await waitFor(async () => (await page.getByTestId('look-window').count()) === 2, 5_000, 'the windows in the picker');
    assert.deepEqual(await menu.getByRole('menuitem').allTextContents(), ['Whole screen', 'Editor: notes.txt', 'Terminal — build']);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.screenshot({ path: join(SHOTS, 'screen-picker.png') });
    // The keyboard: the menu opens on "Whole screen"; the arrows move; Enter picks.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Whole screen');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Terminal — build');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await page.getByTestId('approval-preview').count()) === 1, 10_000, 'the approval card with its preview');
    assert.deepEqual(requests.map((r) => r.windowTitle), ['Terminal — build']);
    assert.match((await page.getByTestId('approval').textContent()) ?? '', /Send a picture of the window "Terminal — build"/);
    assert.equal(await menu.count(), 0, 'the menu closed on the pick');
    await page.screenshot({ path: join(SHOTS, 'screen-pick-approval.png') });
    await page.getByTestId('approval').getByRole('button', { name: 'Deny', exact: true }).click();
    await waitFor(async () => (await page.getByTestId('look-message').count()) === 1, 5_000, 'the words for a denied look');

    // No other window: said so; Escape closes and gives the keyboard back to the button.
    open = [];
    await toggle.click();
    await waitFor(async () => (await page.getByTestId('look-no-windows').count()) === 1, 5_000, 'the empty picker');
    assert.equal(await page.getByTestId('look-no-windows').textContent(), 'No other windows are open');
    await page.keyboard.press('Escape');
    assert.equal(await menu.count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'look-pick');

    // A refused permission: in words, as a refused look is.
    permission = 'denied';
    await toggle.click();
    await waitFor(async () => /not allowed to record the screen/.test((await page.getByTestId('look-message').textContent().catch(() => '')) ?? ''), 5_000, 'the refused permission in words');
    assert.equal(await page.getByTestId('look-window').count(), 0);
    assert.equal(requests.length, 1, 'nothing more was captured');
  });
});
