// Capture in real Chromium with a fake microphone: frame size and rate, tone frequency and level,
// the push-to-talk pre-roll, and device choice with fallback on unplug.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FRAME_BYTES } from '../../preload/api';
import { CHANNELS } from '../../preload/channels';

const sendSchemas = { 'audio:frame': CHANNELS['audio:frame'].req };
import { dominantHz, pcm16ToFloat, rms, runs } from '../chromium/analysis';
import { sleep, startSession, waitFor, type Session } from '../chromium/harness';
import { writeWav } from '../chromium/wav';

const dir = mkdtempSync(join(tmpdir(), 'hark-capture-'));
// 440 Hz at 0.5 peak (0.354 RMS) for 2 s, then 1 s of silence; Chromium loops it.
const wav = writeWav(join(dir, 'tone440.wav'), [{ ms: 2000, hz: 440, amp: 0.5 }, { ms: 1000, silence: true }]);

describe('capture (fake microphone)', () => {
  let s: Session;
  before(async () => {
    s = await startSession(wav);
  });
  after(async () => {
    await s?.close();
  });

  test('frames are 480 samples at 50 per second and carry the tone at the right frequency and level', async () => {
    await s.open({ gate: 1 });
    await waitFor(() => s.received.frames.length >= 10, 8000, 'first frames');
    const startN = s.received.frames.length;
    const t0 = performance.now();
    await sleep(3000);
    const frames = s.received.frames.slice(startN);
    const secs = (performance.now() - t0) / 1000;
    const rate = frames.length / secs;
    assert.ok(rate > 45 && rate < 55, `frames per second ${rate.toFixed(1)}`);
    for (const f of frames) {
      assert.equal(f.pcm.byteLength, FRAME_BYTES);
      assert.ok(sendSchemas['audio:frame'].safeParse(f.pcm).success);
    }
    const pcm = pcm16ToFloat(Buffer.concat(frames.map((f) => Buffer.from(f.pcm))));
    const loud = runs(pcm, 240, 0.05).filter((r) => r.loud && r.end - r.start > 24_000 * 0.5);
    assert.ok(loud.length >= 1, 'a tone segment longer than 500 ms');
    const seg = loud[0]!;
    // Skip the edges (AEC/resampler settling) and measure the middle.
    const from = seg.start + 2400;
    const to = seg.end - 2400;
    const hz = dominantHz(pcm, 24_000, 300, 600, 1, from, to);
    assert.ok(Math.abs(hz - 440) <= 3, `dominant ${hz} Hz`);
    const level = rms(pcm, from, to);
    assert.ok(Math.abs(level - 0.354) < 0.03, `tone RMS ${level.toFixed(3)}`);
    const quiet = runs(pcm, 240, 0.05).filter((r) => !r.loud && r.end - r.start > 24_000 * 0.5);
    assert.ok(quiet.length >= 1, 'the 1 s silence is there too');
    assert.ok(rms(pcm, quiet[0]!.start + 2400, quiet[0]!.end - 2400) < 0.001);
    assert.deepEqual(s.pageErrors, []);
  });

  test('levels: the worklets report RMS/peak at about 30 Hz each, with no polling', async () => {
    await s.open({ gate: 1 });
    const count = () => s.page.evaluate(() => (window as any).hark.levelCount as number);
    const n0 = await count();
    const t0 = performance.now();
    await sleep(2000);
    const perSecond = ((await count()) - n0) / ((performance.now() - t0) / 1000);
    // Both worklets (input and output) post one window each ~28.8 times a second at 48 kHz.
    assert.ok(perSecond > 2 * 25 && perSecond < 2 * 35, `${perSecond.toFixed(1)} level messages a second`);
    // The 0.354-RMS tone shows on the meter; the harness resolves on the first window above 0.3.
    await s.page.evaluate(() => (window as any).hark.waitInputAbove(0.3));
  });

  test('pre-roll: opening the gate sends the ~300 ms spoken just before it, then live audio', async () => {
    await s.open({ gate: 0 });
    s.received.frames.length = 0;
    // Wait for a silence, then for the tone's onset, on the input meter (pre-gate).
    await s.page.evaluate(async () => {
      const h = (window as any).hark;
      await new Promise<void>((resolve) => {
        let quietSeen = 0;
        h.engine.events.levels = (l: any) => {
          if (l.input.rms < 0.01) quietSeen++;
          else if (l.input.rms > 0.1 && quietSeen > 5) resolve();
        };
      });
    });
    assert.equal(s.received.frames.length, 0, 'nothing leaves while the gate is closed');
    await sleep(120); // the "talk key" goes down ~120 ms after the first syllable began
    s.bridge.emit('mic:gate', { open: true });
    await waitFor(() => s.received.frames.length >= 25, 4000, 'frames after gate open');
    const preRoll = s.received.frames.slice(0, 15).map((f) => rms(pcm16ToFloat(f.pcm)));
    // The oldest pre-roll frames predate the onset (silent); the newest carry the tone.
    assert.ok(preRoll[0]! < 0.01, `oldest pre-roll frame is silence (rms ${preRoll[0]})`);
    assert.ok(preRoll[14]! > 0.2, `newest pre-roll frame is the tone (rms ${preRoll[14]})`);
    const toneFrames = preRoll.filter((r) => r > 0.2).length;
    assert.ok(toneFrames >= 3 && toneFrames <= 12, `tone frames in pre-roll: ${toneFrames}`);
    // The 15 pre-roll frames arrived as a burst, before any live frame.
    const burst = s.received.frames[14]!.at - s.received.frames[0]!.at;
    assert.ok(burst < 15, `pre-roll burst spread ${burst.toFixed(1)} ms`);
    // Closing the gate stops the flow.
    s.bridge.emit('mic:gate', { open: false });
    await sleep(150);
    const n = s.received.frames.length;
    await sleep(300);
    assert.equal(s.received.frames.length, n, 'no frames after the gate closes');
  });

  test('mute: no frames leave while muted, even with the gate open', async () => {
    await s.open({ gate: 1 });
    await waitFor(() => s.received.frames.length > 0, 5000, 'frames');
    s.bridge.emit('session:state', { phase: 'listening', turnDetection: 'server_vad', turnOpen: false, muted: true });
    await sleep(150);
    const n = s.received.frames.length;
    await sleep(400);
    assert.equal(s.received.frames.length, n);
    s.bridge.emit('session:state', { phase: 'listening', turnDetection: 'server_vad', turnOpen: false, muted: false });
    await waitFor(() => s.received.frames.length > n + 5, 3000, 'frames after unmute');
  });

  test('no session, no microphone: disconnected closes the mic (indicator off) and idles the audio context; connecting reopens both', async () => {
    await s.open({ gate: 1 });
    await waitFor(() => s.received.frames.length > 0, 5000, 'frames');
    const running = () => s.page.evaluate(() => (window as any).hark.engine.capture.running as boolean);
    const liveTracks = () => s.page.evaluate(() => ((window as any).hark.engine.capture.stream?.getAudioTracks() ?? []).filter((t: MediaStreamTrack) => t.readyState === 'live').length as number);
    assert.equal(await running(), true);
    s.bridge.emit('session:state', { phase: 'disconnected', turnDetection: 'server_vad', turnOpen: false, muted: false });
    await waitFor(async () => !(await running()), 3000, 'the mic to close');
    assert.equal(await liveTracks(), 0, 'no live capture track is left');
    await sleep(100);
    const n = s.received.frames.length;
    await sleep(400);
    assert.equal(s.received.frames.length, n, 'no frames without a session');
    const contextState = () => s.page.evaluate(() => (window as any).hark.engine.context.state as string);
    // A suspended context runs no render quanta: the disconnected window costs the CPU nothing.
    await waitFor(async () => (await contextState()) === 'suspended', 3000, 'the audio context to suspend');
    s.bridge.emit('session:state', { phase: 'connecting', turnDetection: 'server_vad', turnOpen: false, muted: false });
    await waitFor(async () => await running(), 5000, 'the mic to reopen');
    assert.equal(await contextState(), 'running');
    await waitFor(() => s.received.frames.length > n + 5, 5000, 'frames again');
  });

  test('devices: list, remember the choice, fall back to the default on unplug and say so', async () => {
    await s.open({ gate: 1 });
    const inputs = await s.page.evaluate(() => (window as any).hark.engine.listInputs());
    assert.ok(inputs.length >= 2, `fake inputs: ${JSON.stringify(inputs)}`);
    const pick = inputs.find((d: any) => !d.isDefault)!;
    await s.page.evaluate((id) => (window as any).hark.engine.chooseInput(id), pick.deviceId);
    const stored = await s.page.evaluate(() => localStorage.getItem('hark.audio.input'));
    assert.deepEqual(JSON.parse(stored!), { deviceId: pick.deviceId, label: pick.label });

    // A new page (same profile) opens the remembered device.
    await s.open({ gate: 1 });
    assert.equal((await s.page.evaluate(() => (window as any).hark.info())).deviceId, pick.deviceId);

    // Unplug: Chromium cannot remove a fake device, so the page's enumerateDevices is overridden to
    // drop it and 'devicechange' is dispatched, which is what Chromium does on a real unplug.
    const framesBefore = s.received.frames.length;
    await s.page.evaluate((id) => {
      const md = navigator.mediaDevices;
      const real = md.enumerateDevices.bind(md);
      md.enumerateDevices = async () => (await real()).filter((d) => d.deviceId !== id);
      md.dispatchEvent(new Event('devicechange'));
    }, pick.deviceId);
    const n = await waitFor(
      () => s.page.evaluate(() => (window as any).hark.notices.find((n: any) => n.code === 'mic-fallback')),
      3000,
      'fallback notice',
    );
    assert.match(n.message, /not connected.*default microphone/);
    assert.ok(n.message.includes(pick.label));
    const info = await s.page.evaluate(() => (window as any).hark.info());
    assert.notEqual(info.deviceId, pick.deviceId);
    await waitFor(() => s.received.frames.length > framesBefore + 10, 3000, 'frames keep flowing after fallback');
    // The choice is still remembered, so it comes back when the device does.
    await s.page.evaluate(() => {
      const md = navigator.mediaDevices;
      delete (md as any).enumerateDevices;
      md.dispatchEvent(new Event('devicechange'));
    });
    await waitFor(() => s.page.evaluate(() => (window as any).hark.notices.some((n: any) => n.code === 'mic-restored')), 3000);
    assert.equal((await s.page.evaluate(() => (window as any).hark.info())).deviceId, pick.deviceId);
  });
});
