// Device choices live in the app's settings: the engine's stores read them, a choice made in the
// window is saved through settings:update, and a change announced by main is reported as changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceSettings } from '../../renderer/companion/device-settings';

test('device stores read and write the app settings, and notice changes made elsewhere', async () => {
  const patches: unknown[] = [];
  const bridge = { updateSettings: async (p: unknown) => void patches.push(p) } as never;
  const mic = { deviceId: 'mic-2', label: 'USB mic' };
  const d = deviceSettings(bridge, { input: mic, output: null });
  assert.deepEqual(d.input.load(), mic);
  assert.equal(d.output.load(), null);

  const headset = { deviceId: 'out-7', label: 'Headset' };
  d.output.save(headset);
  assert.deepEqual(patches, [{ devices: { output: headset } }]);
  assert.deepEqual(d.output.load(), headset);

  // The settings window picked another microphone: only the input changed.
  const other = { deviceId: 'mic-3', label: 'Desk mic' };
  assert.deepEqual(d.update({ input: other, output: headset }), { input: true, output: false });
  assert.deepEqual(d.input.load(), other);
  assert.deepEqual(d.update({ input: other, output: null }), { input: false, output: true });
  assert.equal(d.output.load(), null);
});
