// From the wake word to the first turn against the simulator: while waiting nothing connects; on
// "hey, jarvis" Hark connects, and the audio the server receives begins with the words said after
// the phrase (not the phrase, not a clipped first word), kept through the connect. Real espeak-ng
// speech streamed in real time, the real wake-word and detector workers, the real ws client.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { RealtimeClock } from '../../main/talk/realtime-clock';
import { AudioWorkerHost } from '../../main/voice/audio-worker-host';
import { IdleDisconnect } from '../../main/app/idle-disconnect';
import { InterruptiblePlayback } from '../../main/voice/interruptible-playback';
import { lateLocalVoicePort, LocalVoice } from '../../main/voice/local-voice';
import { localVoicePaths } from '../../main/voice/local-voice-paths';
import { localVoiceSettingsSchema } from '../../common/settings/local-voice-settings';
import { WakeWordMode, type WakeState } from '../../main/voice/wake-word-mode';
import { wakeWordPaths } from '../../main/voice/wake-word-paths';
import { wakeWordSettingsSchema } from '../../common/settings/wake-word-settings';
import { startPair, waitForPhase, type Pair } from '../realtime/harness';
import { concat, mixInto, ms, roomNoise, silence, SOURCE_ROOT } from './speech';
import { say } from './wake-audio';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('wake word → connect → first turn (simulator)', () => {
  test('"hey, jarvis, what time is it in Paris": the first turn the server receives begins with the words after the phrase', async () => {
    const vadWorker = new AudioWorkerHost(localVoicePaths({ sourceRoot: SOURCE_ROOT }));
    assert.equal((await vadWorker.start()).state, 'ready');
    cleanup.push(() => vadWorker.stop());
    let voice: LocalVoice | null = null;
    let playback: InterruptiblePlayback | null = null;
    const pair: Pair = await startPair({
      settings: { turnDetection: { mode: 'server_vad' }, transcription: { enabled: false } },
      session: { localVoice: lateLocalVoicePort(() => voice), playback: { stop: () => playback!.stop() } },
    });
    cleanup.push(() => pair.close());
    playback = new InterruptiblePlayback(pair.speaker, (a) => pair.speaker.push(a));
    const v = new LocalVoice({ session: pair.session, playback, worker: vadWorker, settings: () => localVoiceSettingsSchema.parse({}) });
    voice = v;
    cleanup.push(() => v.dispose());

    const wakeSettings = wakeWordSettingsSchema.parse({ enabled: true });
    const held: boolean[] = [];
    let connectionsAtWake = -1;
    const mode = new WakeWordMode({
      session: pair.session,
      voice: v,
      settings: () => wakeSettings,
      createWorker: (choice) => new AudioWorkerHost(wakeWordPaths({ sourceRoot: SOURCE_ROOT }, choice)),
      connect: () => pair.session.connect().then(() => true, () => false),
      holdMic: (open) => held.push(open),
    });
    cleanup.push(() => mode.dispose());
    const states: WakeState[] = [];
    mode.on('state', (s) => states.push(s));
    mode.on('wake', () => (connectionsAtWake = pair.sim.connections.length));
    await mode.apply();
    assert.deepEqual(mode.state, { state: 'waiting', phrase: 'Hey Jarvis' });
    assert.deepEqual(held, [true], 'the mic is held open while waiting');

    // Three seconds of a quiet room while waiting, then the phrase, a short pause, the question.
    const wait = 3000;
    const phrase = say('hey, jarvis', 'en-us+m3', 180);
    const question = say('what time is it in Paris', 'en-us', 175);
    const phraseEnd = wait + ms(phrase.length);
    const questionStart = phraseEnd + 350;
    const mic = concat(silence(wait), phrase, silence(350), question, silence(2500));
    // A faint room under everything, so each stretch of the mic's audio can be found again exactly.
    mixInto(mic, roomNoise(ms(mic.length), 0.003, 11));

    let at = 0;
    let cpuWaiting = 0;
    const cpu0 = process.cpuUsage();
    const streamed = new Promise<void>((resolve) => {
      const clock = new RealtimeClock(() => {
        if (at >= mic.length) return resolve();
        const f = mic.subarray(at, at + 480);
        at += f.length;
        if (at === samplesOf(wait)) {
          const c = process.cpuUsage(cpu0);
          cpuWaiting = (c.user + c.system) / 1000;
        }
        const bytes = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
        mode.frame(bytes);
        v.frame(bytes);
      });
      clock.startTicking();
      cleanup.push(() => clock.stop());
    });

    await waitForPhase(pair.session, 'listening');
    assert.equal(connectionsAtWake, 0, 'nothing connected before the wake');
    assert.equal(mode.state.state, 'awake');
    await streamed;
    const conn = pair.sim.connections[0]!;
    await conn.waitFor('input_audio_buffer.committed', undefined, 'sent');

    // Where the audio the server received starts, in the mic stream: found by its exact samples.
    const appended = Buffer.concat(conn.received.filter((r) => r.event.type === 'input_audio_buffer.append').map((r) => Buffer.from(r.event.audio, 'base64')));
    const head = new Int16Array(appended.buffer.slice(appended.byteOffset, appended.byteOffset + 64 * 2));
    const startSample = findExact(mic, head);
    assert.ok(startSample >= 0, 'the received audio is the mic audio');
    const startMs = ms(startSample);
    console.log(
      `wake → first turn: the phrase ended at ${phraseEnd.toFixed(0)} ms, the question began at ${questionStart.toFixed(0)} ms; ` +
        `the server's audio begins at ${startMs.toFixed(0)} ms and holds ${(appended.length / 48).toFixed(0)} ms; ` +
        `kept through the connect: ${v.stats.connectBufferedMs.toFixed(0)} ms`,
    );
    console.log(`CPU while waiting (both workers and this process, real time): ${((cpuWaiting / wait) * 60_000).toFixed(0)} ms per minute`);
    // Not the phrase (at most its last 150 ms), and not one syllable of the question lost.
    assert.ok(startMs >= phraseEnd - 150, `began ${phraseEnd - startMs} ms before the phrase ended`);
    assert.ok(startMs <= questionStart, `began ${startMs - questionStart} ms into the question`);
    assert.ok(startSample + appended.length / 2 >= samplesOf(questionStart) + question.length, 'the whole question reached the server');
    assert.ok(v.stats.connectBufferedMs > 0, 'it came through the connect buffer');

    // Idle: the conversation disconnects and the mode waits again, holding the mic for the phrase.
    const idle = new IdleDisconnect({ session: pair.session, idleMinutes: () => 0.5, notify: () => {}, minuteMs: 1000 });
    cleanup.push(() => idle.dispose());
    idle.refresh();
    await waitForPhase(pair.session, 'disconnected');
    assert.equal(mode.state.state, 'waiting');
    assert.deepEqual(held, [true, false, true], JSON.stringify(held));
    assert.deepEqual(states.map((s) => s.state), ['loading', 'waiting', 'awake', 'waiting']);
  });

  test('a wake the connect refuses (no key) drops what was kept and waits again; turned off, the mic is released', async () => {
    const pair = await startPair({ key: null, settings: { transcription: { enabled: false } } });
    cleanup.push(() => pair.close());
    const kept: number[] = [];
    let dropped = 0;
    const fakeVoice = { keepForConnect: (f: Uint8Array[]) => void kept.push(f.length), dropConnectBuffer: () => void dropped++ };
    const settings = { ...wakeWordSettingsSchema.parse({ enabled: true }) };
    const held: boolean[] = [];
    const mode = new WakeWordMode({
      session: pair.session,
      voice: fakeVoice,
      settings: () => settings,
      createWorker: (choice) => new AudioWorkerHost(wakeWordPaths({ sourceRoot: SOURCE_ROOT }, choice)),
      connect: () => pair.session.connect().then(() => true, () => false),
      holdMic: (open) => held.push(open),
    });
    cleanup.push(() => mode.dispose());
    await mode.apply();
    const wakes: number[] = [];
    mode.on('wake', (w) => wakes.push(w.sample));
    // The model needs ~2 s of audio before its first score.
    const mic = concat(silence(2500), say('hey, jarvis', 'en-us', 180), silence(1200));
    for (let i = 0; i < mic.length; i += 480) mode.frame(new Uint8Array(mic.buffer, i * 2, Math.min(480, mic.length - i) * 2));
    const until = Date.now() + 5000;
    while (dropped === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.equal(wakes.length, 1, JSON.stringify({ state: mode.state, kept, n: mic.length }));
    assert.equal(dropped, 1, 'the kept audio is dropped: it must never go out with a later connect');
    assert.equal(mode.state.state, 'waiting');
    settings.enabled = false;
    await mode.apply();
    assert.deepEqual(mode.state, { state: 'off' });
    assert.equal(held.at(-1), false);
  });
});

function samplesOf(milliseconds: number): number {
  return Math.round((milliseconds * 24_000) / 1000);
}

function findExact(hay: Int16Array, needle: Int16Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
