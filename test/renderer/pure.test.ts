// The pure pieces shared by the worklets and the engine, under node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LevelMeter, quantaPerLevel } from '../../renderer/audio/levels';
import { floatToInt16, int16ToFloat } from '../../renderer/audio/pcm16';
import { Decimator2, Upsampler2 } from '../../renderer/audio/resample';
import { memoryStore, resolveChoice, unpluggedSentence } from '../../renderer/audio/devices';
import { goertzel } from '../chromium/analysis';

test('pcm16: clamps, round-trips, full scale both ways', () => {
  assert.equal(floatToInt16(1.5), 32767);
  assert.equal(floatToInt16(-2), -32768);
  assert.equal(floatToInt16(-1), -32768);
  assert.equal(floatToInt16(0), 0);
  for (const s of [-32768, -1, 0, 1, 12345, 32767]) assert.equal(floatToInt16(int16ToFloat(s)), s);
});

test('levels: ~30 Hz windows; RMS and peak of a sine', () => {
  assert.equal(quantaPerLevel(24_000), 6);
  assert.equal(quantaPerLevel(48_000), 13);
  const m = new LevelMeter(2);
  const q = new Float32Array(128).map((_, i) => 0.5 * Math.sin((2 * Math.PI * i) / 32));
  assert.equal(m.addQuantum(q), false);
  assert.equal(m.addQuantum(q), true);
  const l = m.take({ rms: 0, peak: 0 });
  assert.ok(Math.abs(l.rms - 0.3536) < 1e-3 && Math.abs(l.peak - 0.5) < 1e-6);
});

test('resample: 48→24 keeps 1 kHz, rejects 15 kHz; 24→48 keeps 1 kHz', () => {
  const tone = (hz: number, n: number, rate: number) => new Float32Array(n).map((_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));
  for (const [hz, want] of [[1000, 0.5], [15_000, 0]] as const) {
    const d = new Decimator2();
    const x = tone(hz, 48_000, 48_000);
    const out = new Float32Array(24_000);
    let n = 0;
    const tmp = new Float32Array(64);
    for (let i = 0; i < x.length; i += 128) {
      const k = d.process(x.subarray(i, i + 128), 128, tmp);
      out.set(tmp.subarray(0, k), n);
      n += k;
    }
    assert.equal(n, 24_000);
    const a = goertzel(out, hz === 1000 ? 1000 : 9000, 24_000, 1000, 24_000);
    assert.ok(Math.abs(a - want) < 0.01, `${hz} Hz → ${a}`);
  }
  const u = new Upsampler2();
  const x = tone(1000, 24_000, 24_000);
  const y = new Float32Array(48_000);
  for (let i = 0; i < x.length; i++) u.step(x[i]!, y, 2 * i);
  assert.ok(Math.abs(goertzel(y, 1000, 48_000, 1000) - 0.5) < 0.01);
  assert.ok(goertzel(y, 23_000, 48_000, 1000) < 0.001, 'image at 23 kHz suppressed');
});

test('devices: id first, then label, else missing; sentences name the device', () => {
  const devs = [
    { deviceId: 'default', label: 'Default', isDefault: true },
    { deviceId: 'a', label: 'USB Mic', isDefault: false },
  ];
  assert.deepEqual(resolveChoice(null, devs), { kind: 'default' });
  assert.equal(resolveChoice({ deviceId: 'a', label: 'x' }, devs).kind, 'chosen');
  const byLabel = resolveChoice({ deviceId: 'old-hash', label: 'USB Mic' }, devs);
  assert.ok(byLabel.kind === 'chosen' && byLabel.device.deviceId === 'a');
  assert.equal(resolveChoice({ deviceId: 'gone', label: 'Headset' }, devs).kind, 'missing');
  assert.equal(unpluggedSentence('audioinput', 'Headset'), '“Headset” is not connected, so Hark is using the default microphone. It will switch back when it is plugged in again.');
  const st = memoryStore();
  st.save({ deviceId: 'a', label: 'USB Mic' });
  assert.deepEqual(st.load(), { deviceId: 'a', label: 'USB Mic' });
});
