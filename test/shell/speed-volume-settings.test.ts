// Speaking speed and reply volume in the settings window (real page, Chromium): each is sent as
// its own field, the speed says when it applies, and an out-of-range speed is refused in words.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { openSettingsPage, type SettingsPage } from '../settings/settings-page';

describe('settings: speaking speed and volume', () => {
  let sp: SettingsPage | null = null;
  afterEach(async () => {
    await sp?.close();
    sp = null;
  });

  test('speed and volume are saved as settings fields; the speed applies from the next reply', async () => {
    sp = await openSettingsPage({});
    const { page } = sp;
    assert.match((await page.locator('#speed-hint').textContent())!, /Applies from the next reply/);
    await page.getByLabel('Speaking speed').fill('1.25');
    await page.locator('#volume').fill('60');
    await page.getByRole('button', { name: 'Save changes to Connection' }).click();
    const deadline = Date.now() + 5000;
    while (sp.patches.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(sp.patches.at(-1), { speed: 1.25, outputVolume: 0.6 });
    assert.equal(sp.store.get().speed, 1.25);
    assert.equal(sp.store.get().outputVolume, 0.6);

    await page.getByLabel('Speaking speed').fill('3');
    await page.getByRole('button', { name: 'Save changes to Connection' }).click();
    await page.locator('#speed-error').waitFor();
    assert.match((await page.locator('#speed-error').textContent())!, /1\.5/);
    assert.equal(sp.store.get().speed, 1.25, 'nothing lost');
  });
});
