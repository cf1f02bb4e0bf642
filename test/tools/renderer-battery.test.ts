// get_system_info's battery in the app: main runs the fixed battery script in the companion page.
// Here it runs in real Chromium (a page of the same origin kind), then through electronBattery and
// the tool, so the answer is what the app would give on this machine.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BATTERY_SCRIPT, electronBattery, rendererBattery } from '../../main/shell/electron-tool-adapters';
import { startSession, type Session } from '../chromium/harness';
import { writeWav } from '../chromium/wav';

describe('battery from the renderer', () => {
  let s: Session;
  before(async () => {
    s = await startSession(writeWav(join(mkdtempSync(join(tmpdir(), 'hark-battery-')), 's.wav'), [{ ms: 500, silence: true }]));
    await s.open();
  });
  after(async () => {
    await s?.close();
  });

  const contents = () => ({ executeJavaScript: (code: string) => s.page.evaluate(code), isDestroyed: () => false });

  it("reads navigator.getBattery() in the page: a level and a charging state", async () => {
    const raw = (await s.page.evaluate(BATTERY_SCRIPT)) as { level: number; charging: boolean };
    assert.equal(typeof raw.level, 'number');
    assert.ok(raw.level >= 0 && raw.level <= 1);
    assert.equal(typeof raw.charging, 'boolean');
    assert.deepEqual(await rendererBattery(contents)(), raw);
  });

  it('through electronBattery: a real battery gives a percent; no window, or a machine without one, gives null', async () => {
    const onBattery = electronBattery({ isOnBatteryPower: () => true }, async () => ({ level: 0.42, charging: false }));
    assert.deepEqual(await onBattery(), { percent: 42, charging: false, onBattery: true });
    // This headless Chromium has no battery: it reports full and charging, which is read as none.
    const here = electronBattery({ isOnBatteryPower: () => false }, rendererBattery(contents));
    const raw = (await s.page.evaluate(BATTERY_SCRIPT)) as { level: number; charging: boolean };
    if (raw.level === 1 && raw.charging) assert.equal(await here(), null);
    else assert.equal((await here())!.percent, Math.round(raw.level * 100));
    assert.equal(await rendererBattery(() => null)(), null);
  });
});
