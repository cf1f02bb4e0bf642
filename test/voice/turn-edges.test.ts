// The edges of a turn with local voice: push-to-talk keeps the tail of the last word after the key
// is released (post-roll), and speech while the session connects or reconnects is kept and sent
// once it is ready. Real espeak-ng speech, the real detector worker, the simulator as the server,
// the mic streamed in real time.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { RealtimeClock } from '../../main/talk/realtime-clock';
import { AudioWorkerHost } from '../../main/voice/audio-worker-host';
import { InterruptiblePlayback } from '../../main/voice/interruptible-playback';
import { lateLocalVoicePort, LocalVoice } from '../../main/voice/local-voice';
import { localVoicePaths } from '../../main/voice/local-voice-paths';
import { localVoiceSettingsSchema, type LocalVoiceSettings } from '../../common/settings/local-voice-settings';
import { received, sleep, startPair, waitForPhase, type Pair } from '../realtime/harness';
import type { SimulatorOptions } from '../../simulator/server';
import { concat, ms, silence, SOURCE_ROOT, speech } from './speech';

interface Rig {
  pair: Pair;
  voice: LocalVoice;
  worker: AudioWorkerHost;
  /** Streams `pcm` into the mic in real time; resolves when the last frame is in. */
  say(pcm: Int16Array, at?: (msIn: number) => void): Promise<void>;
  gates: boolean[];
}

let rig: Rig | null = null;
afterEach(async () => {
  rig?.voice.dispose();
  await rig?.worker.stop();
  await rig?.pair.close();
  rig = null;
});

async function start(o: { settings?: Partial<LocalVoiceSettings>; ptt?: boolean; mode?: 'local'; sim?: SimulatorOptions; connect?: boolean }): Promise<Rig> {
  const worker = new AudioWorkerHost(localVoicePaths({ sourceRoot: SOURCE_ROOT }));
  assert.equal((await worker.start()).state, 'ready');
  const settings = localVoiceSettingsSchema.parse(o.settings ?? {});
  let voice: LocalVoice | null = null;
  const holder = lateLocalVoicePort(() => voice);
  let playback: InterruptiblePlayback | null = null;
  const pair = await startPair({
    settings: { turnDetection: { mode: o.mode ?? (o.ptt ? 'none' : 'server_vad') }, transcription: { enabled: false } },
    sim: { ...o.sim },
    session: { localVoice: holder, playback: { stop: () => playback!.stop() } },
  });
  playback = new InterruptiblePlayback(pair.speaker, (a) => pair.speaker.push(a));
  voice = new LocalVoice({ session: pair.session, playback, worker, settings: () => settings });
  const v = voice;
  // The harness plays reply audio itself; the echo reference (what half-duplex reads) follows it.
  pair.session.on('audio', (a) => playback!.reference.push(a.pcm));
  const gates: boolean[] = [];
  pair.session.on('gate', (g) => gates.push(g.open));
  if (o.connect !== false) await pair.session.connect();
  // The mic runs all the time, as a real one does: silence between what is said.
  let queue: Int16Array = new Int16Array(0);
  let at = 0;
  let done: (() => void) | null = null;
  let onFrame: ((msIn: number) => void) | undefined;
  const quiet = new Int16Array(480);
  const clock = new RealtimeClock(() => {
    if (at < queue.length) {
      const f = queue.subarray(at, at + 480);
      at += f.length;
      v.frame(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
      onFrame?.(ms(at));
      if (at >= queue.length) done?.();
    } else v.frame(new Uint8Array(quiet.buffer));
  });
  clock.startTicking();
  const close = pair.close.bind(pair);
  pair.close = async () => {
    clock.stop();
    await close();
  };
  return {
    pair,
    voice: v,
    worker,
    gates,
    say: (pcm, cb) =>
      new Promise<void>((resolve) => {
        queue = pcm;
        at = 0;
        onFrame = cb;
        done = resolve;
      }),
  };
}

/** Audio the server received in appends from its `from`th event on, in ms. */
function appendedMs(pair: Pair, conn = -1, fromEvent = 0): number {
  const c = pair.sim.connections.at(conn)!;
  return c.received.slice(fromEvent).filter((r) => r.event.type === 'input_audio_buffer.append').reduce((n, r) => n + Buffer.from(r.event.audio, 'base64').length / 48, 0);
}

const WORD = speech('Please remember to buy some milk tomorrow.');

describe('post-roll (push-to-talk)', () => {
  test('speech running 200 ms past the key release: the committed audio holds the whole utterance', async () => {
    rig = await start({ ptt: true });
    const { pair, voice } = rig;
    const clip = concat(silence(200), WORD, silence(600));
    const releaseAt = 200 + ms(WORD.length) - 200;
    assert.equal(pair.session.beginTurn(), true);
    const clearAt = pair.sim.connections[0]!.received.length;
    await rig.say(clip, (msIn) => {
      if (msIn >= releaseAt && msIn < releaseAt + 20) voice.endTurn();
    });
    await pair.sim.connections[0]!.waitFor('input_audio_buffer.commit', undefined, 'received');
    const sent = appendedMs(pair, -1, clearAt);
    const speechEnd = 200 + ms(WORD.length);
    console.log(`post-roll: released at ${releaseAt.toFixed(0)} ms, speech ended at ${speechEnd.toFixed(0)} ms, committed ${sent.toFixed(0)} ms`);
    assert.ok(sent >= speechEnd, `the commit holds ${sent} ms; the speech ran to ${speechEnd} ms`);
    assert.ok(sent <= releaseAt + 300 + 40, 'no more than the post-roll after the release');
  });

  test('speech already over at the release: the turn ends as soon as the detector says so, before the full post-roll', async () => {
    rig = await start({ ptt: true, settings: { postRollMs: 1500 } });
    const { pair, voice } = rig;
    const clip = concat(silence(200), WORD, silence(2000));
    const releaseAt = 200 + ms(WORD.length) + 150;
    pair.session.beginTurn();
    const clearAt = pair.sim.connections[0]!.received.length;
    void rig.say(clip, (msIn) => {
      if (msIn >= releaseAt && msIn < releaseAt + 20) voice.endTurn();
    });
    await pair.sim.connections[0]!.waitFor('input_audio_buffer.commit', undefined, 'received');
    const sent = appendedMs(pair, -1, clearAt);
    // Well short of the 1,500 ms post-roll; the margin is the detector's lag, which grows on a loaded machine (410 ms once).
    assert.ok(sent < releaseAt + 1000, `ended ${sent - releaseAt} ms after the release, not after the 1500 ms post-roll`);
  });

  test('without local voice the release commits at once and the last word is clipped (what the post-roll fixes)', async () => {
    rig = await start({ ptt: true, settings: { enabled: false } });
    const { pair, voice } = rig;
    const clip = concat(silence(200), WORD, silence(600));
    const releaseAt = 200 + ms(WORD.length) - 200;
    pair.session.beginTurn();
    const clearAt = pair.sim.connections[0]!.received.length;
    await rig.say(clip, (msIn) => {
      if (msIn >= releaseAt && msIn < releaseAt + 20) voice.endTurn();
    });
    const sent = appendedMs(pair, -1, clearAt);
    assert.ok(sent < 200 + ms(WORD.length) - 100, `only ${sent} ms reached the server`);
  });
});

describe('no lost words on wake', () => {
  test('speech while the session connects is kept and arrives whole once it is ready', async () => {
    rig = await start({ sim: { updateDelayMs: 1200 }, connect: false });
    const { pair } = rig;
    const ready = pair.session.connect();
    await waitForPhase(pair.session, 'connecting');
    assert.equal(rig.gates.at(-1), true, 'the mic is open while connecting');
    const said = rig.say(concat(WORD, silence(300)));
    await ready;
    await said;
    const item = await pair.sim.connections[0]!.waitFor('input_audio_buffer.committed');
    const started = received(pair.sim, 'input_audio_buffer.append').length;
    assert.ok(started > 0);
    const heard = appendedMs(pair, 0);
    assert.ok(heard >= ms(WORD.length), `the server got ${heard} ms; the sentence is ${ms(WORD.length)} ms`);
    assert.ok(item.item_id);
    assert.ok(rig.voice.stats.connectBufferedMs > 500, 'it came from the buffer');
  });

  test('push-to-talk pressed while connecting: the turn opens at once and holds what was said before ready', async () => {
    rig = await start({ ptt: true, sim: { updateDelayMs: Math.round(ms(WORD.length)) + 1500 }, connect: false });
    const { pair, voice } = rig;
    const ready = pair.session.connect();
    await waitForPhase(pair.session, 'connecting');
    assert.equal(pair.session.beginTurn(), true, 'the press is taken while connecting');
    assert.equal(rig.gates.at(-1), true, 'the mic is open for the turn while connecting');
    // The sentence, and the key's release, are over before the session is ready: all of it is kept.
    await rig.say(concat(WORD, silence(300)));
    voice.endTurn();
    assert.notEqual(pair.session.state.phase, 'listening', 'still connecting at the release');
    await ready;
    const commit = await pair.sim.connections[0]!.waitFor('input_audio_buffer.commit', undefined, 'received');
    assert.ok(commit);
    const heard = appendedMs(pair, 0);
    assert.ok(heard >= ms(WORD.length), `the server got ${heard} ms; the sentence is ${ms(WORD.length)} ms`);
    await pair.sim.connections[0]!.waitFor('response.create', undefined, 'received');
  });

  test('speech during a reconnect arrives complete on the new connection', async () => {
    rig = await start({ sim: { updateDelayMs: 900 } });
    const { pair } = rig;
    pair.sim.connections[0]!.terminate();
    await waitForPhase(pair.session, 'reconnecting');
    const said = rig.say(concat(WORD, silence(300)));
    await waitForPhase(pair.session, 'listening');
    await said;
    await pair.sim.connections[1]!.waitFor('input_audio_buffer.committed');
    const heard = appendedMs(pair, 1);
    assert.ok(heard >= ms(WORD.length), `the new connection got ${heard} ms of a ${ms(WORD.length)} ms sentence`);
  });

  test('without the buffer, what was said while reconnecting is lost', async () => {
    rig = await start({ sim: { updateDelayMs: 900 }, settings: { connectBufferMs: 0 } });
    const { pair } = rig;
    pair.sim.connections[0]!.terminate();
    await waitForPhase(pair.session, 'reconnecting');
    const said = rig.say(concat(WORD, silence(300)));
    await waitForPhase(pair.session, 'listening');
    await said;
    await sleep(100);
    assert.ok(appendedMs(pair, 1) < ms(WORD.length) - 500);
  });
});

describe('half-duplex', () => {
  test('the mic is closed while the assistant speaks; the talk key still interrupts, and then the mic is open', async () => {
    rig = await start({ settings: { halfDuplex: true }, sim: { respond: () => ({ text: 'A long answer.', audioMs: 5000 }), paceFactor: 4 } });
    const { pair } = rig;
    await rig.say(concat(WORD, silence(500)));
    await waitForPhase(pair.session, 'assistant-speaking');
    await sleep(300);
    const before = pair.sim.connections[0]!.received.length;
    await rig.say(WORD); // talking over the reply, on speakers
    assert.equal(appendedMs(pair, 0, before), 0, 'nothing reached the server while the assistant was audible');
    assert.equal(received(pair.sim, 'conversation.item.truncate').length, 0, 'no barge-in from the gated mic');
    assert.equal(rig.voice.stats.pauses, 0, 'and none locally');
    assert.ok(pair.speaker.isPlaying, 'the reply plays on');
    await pair.session.interrupt(); // the talk key
    assert.equal(pair.speaker.isPlaying, false);
    const after = pair.sim.connections[0]!.received.length;
    await rig.say(WORD);
    assert.ok(appendedMs(pair, 0, after) >= ms(WORD.length) - 40, 'after the interrupt the mic reaches the server again');
  });
});

describe('local turn detection', () => {
  test('Hark ends the turn: turn_detection null, only the speech is sent, and the reply follows', async () => {
    rig = await start({ mode: 'local' });
    const { pair } = rig;
    const update = received(pair.sim, 'session.update')[0];
    assert.equal(update.session.audio.input.turn_detection, null);
    const reply = pair.sim.connections[0]!.waitFor('response.created');
    const clip = concat(silence(1500), WORD, silence(1200));
    await rig.say(clip);
    await reply;
    const commits = received(pair.sim, 'input_audio_buffer.commit');
    assert.equal(commits.length, 1, 'one turn, committed by Hark');
    assert.equal(received(pair.sim, 'response.create').length, 1);
    const sent = appendedMs(pair, 0);
    console.log(`local turns: ${sent.toFixed(0)} ms sent of ${ms(clip.length).toFixed(0)} ms heard (speech ${ms(WORD.length).toFixed(0)} ms)`);
    assert.ok(sent >= ms(WORD.length), 'the whole utterance went');
    assert.ok(sent < ms(WORD.length) + 1000, 'and not the silence around it');
  });

  test('without the detector the local mode falls back to the server VAD', async () => {
    const paths = localVoicePaths({ sourceRoot: SOURCE_ROOT });
    const dead = new AudioWorkerHost({ ...paths, models: [{ kind: 'silero-vad', path: '/missing.onnx' }] });
    await dead.start();
    let voice: LocalVoice | null = null;
    const pair = await startPair({
      settings: { turnDetection: { mode: 'local' } },
      session: { localVoice: { allowServerBargeIn: () => true, clientInterrupts: false, get localTurns() { return voice?.localTurns ?? false; } } },
    });
    voice = new LocalVoice({ session: pair.session, playback: new InterruptiblePlayback(pair.speaker, (a) => pair.speaker.push(a)), worker: dead, settings: () => localVoiceSettingsSchema.parse({}) });
    try {
      await pair.session.connect();
      const update = received(pair.sim, 'session.update')[0];
      assert.equal(update.session.audio.input.turn_detection.type, 'server_vad');
    } finally {
      await pair.close();
    }
  });
});
