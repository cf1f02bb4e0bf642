// The output device in real Chromium with its fake devices: a chosen speaker that is unplugged
// falls back to the default with a notice (as the microphone does), and comes back when replugged.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSession, waitFor, type Session } from '../chromium/harness';
import { writeWav } from '../chromium/wav';

const dir = mkdtempSync(join(tmpdir(), 'hark-output-'));
const wav = writeWav(join(dir, 'silence.wav'), [{ ms: 1000, silence: true }]);

describe('output device fallback (fake devices)', () => {
  let s: Session;
  before(async () => {
    s = await startSession(wav);
  });
  after(async () => {
    await s?.close();
  });

  test('unplugged: back to the default with a notice; replugged: back to it, with a notice', async () => {
    await s.open({ gate: 1 });
    const outputs = await s.page.evaluate(() => (window as any).hark.engine.listOutputs());
    assert.ok(outputs.length >= 2, `fake outputs: ${JSON.stringify(outputs)}`);
    const pick = outputs.find((d: any) => !d.isDefault)!;
    await s.page.evaluate((id) => (window as any).hark.engine.chooseOutput(id), pick.deviceId);
    const sink = () => s.page.evaluate(() => (window as any).hark.engine.context.sinkId as string);
    assert.equal(await sink(), pick.deviceId);

    // Chromium cannot remove a fake device: enumerateDevices drops it and 'devicechange' fires, as on a real unplug.
    await s.page.evaluate((id) => {
      const md = navigator.mediaDevices;
      const real = md.enumerateDevices.bind(md);
      md.enumerateDevices = async () => (await real()).filter((d) => d.deviceId !== id);
      md.dispatchEvent(new Event('devicechange'));
    }, pick.deviceId);
    const n = await waitFor(() => s.page.evaluate(() => (window as any).hark.notices.find((n: any) => n.code === 'output-fallback')), 3000, 'the fallback notice');
    assert.match(n.message, /not connected, so Hark is using the default speaker/);
    assert.ok(n.message.includes(pick.label));
    assert.equal(await sink(), '', 'the default output');
    assert.equal(JSON.parse((await s.page.evaluate(() => localStorage.getItem('hark.audio.output')))!).deviceId, pick.deviceId, 'the choice is kept');

    await s.page.evaluate(() => {
      delete (navigator.mediaDevices as any).enumerateDevices;
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    });
    const back = await waitFor(() => s.page.evaluate(() => (window as any).hark.notices.find((n: any) => n.code === 'output-restored')), 3000, 'the restored notice');
    assert.ok(back.message.includes(pick.label));
    assert.equal(await sink(), pick.deviceId);
  });
});
