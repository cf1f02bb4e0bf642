// The adapters get Electron's module objects as parameters, so fakes of the same shape test them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { electronBattery, electronClipboard, electronNotifier, electronOpenExternal } from '../../main/shell/electron-tool-adapters';

describe('Electron adapters', () => {
  test('notifications show when supported, and a click reaches the shell', () => {
    const shown: unknown[] = [];
    let supported = true;
    let click: (() => void) | undefined;
    class FakeNotification {
      static isSupported = () => supported;
      constructor(readonly o: { title: string; body: string }) {}
      on(_e: string, cb: () => void) {
        click = cb;
        return this;
      }
      show() {
        shown.push(this.o);
      }
    }
    let clicked = 0;
    const n = electronNotifier(FakeNotification as never, () => clicked++);
    n.notify({ title: 'T', body: 'B' });
    click!();
    assert.deepEqual(shown, [{ title: 'T', body: 'B' }]);
    assert.equal(clicked, 1);
    supported = false;
    n.notify({ title: 'T2', body: 'B2' });
    assert.equal(shown.length, 1);
  });

  test('clipboard and openExternal pass through', async () => {
    let text = 'a';
    const c = electronClipboard({ readText: async () => text, writeText: async (t: string) => void (text = t) });
    await c.writeText('b');
    assert.equal(await c.readText(), 'b');
    const opened: string[] = [];
    await electronOpenExternal({ openExternal: async (u: string) => void opened.push(u) })('https://example.com/');
    assert.deepEqual(opened, ['https://example.com/']);
  });

  test('battery: level from the renderer, on-battery from powerMonitor, desktops report none', async () => {
    const laptop = electronBattery({ isOnBatteryPower: () => true }, async () => ({ level: 0.374, charging: false }));
    assert.deepEqual(await laptop(), { percent: 37, charging: false, onBattery: true });
    const desktop = electronBattery({ isOnBatteryPower: () => false }, async () => ({ level: 1, charging: true }));
    assert.equal(await desktop(), null);
    const noRenderer = electronBattery({ isOnBatteryPower: () => true });
    assert.deepEqual(await noRenderer(), { percent: null, charging: false, onBattery: true });
    const failing = electronBattery({ isOnBatteryPower: () => false }, () => Promise.reject(new Error('no window')));
    assert.equal(await failing(), null);
  });
});
