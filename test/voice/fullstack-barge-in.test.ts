// Local barge-in through the whole stack: the built renderer in Debian Chromium with a fake mic
// that plays an espeak-ng WAV (a question, then talking over the reply), main's local voice (the
// real Silero worker) between the renderer link and the session, and the simulator holding its
// speech_started back 400 ms. Playback must stop on Hark's own detection, before the server's.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { audioDelta, linkSessionToRenderer, RendererPlayback } from '../../main/app/renderer-link';
import { encodeWav } from '../../main/audio/wav';
import { writeFileSync } from 'node:fs';
import { RealtimeSession } from '../../main/realtime/session';
import { settingsSchema } from '../../common/settings/settings-schema';
import { ToolRegistry } from '../../main/tools/tool-registry';
import { AudioWorkerHost } from '../../main/voice/audio-worker-host';
import { InterruptiblePlayback } from '../../main/voice/interruptible-playback';
import { LocalVoice } from '../../main/voice/local-voice';
import { localVoicePaths } from '../../main/voice/local-voice-paths';
import { localVoiceSettingsSchema } from '../../common/settings/local-voice-settings';
import { OutputReference } from '../../main/voice/output-reference';
import { runs } from '../chromium/analysis';
import { startSession, waitFor, type Session } from '../chromium/harness';
import { ev } from '../renderer/scenarios';
import { startSimulator, type Simulator } from '../../simulator/server';
import { concat, ms, silence, SOURCE_ROOT, speech } from './speech';

const dir = mkdtempSync(join(tmpdir(), 'hark-fullstack-voice-'));
let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

describe('full stack with local voice (Chromium renderer + session core + Silero worker + simulator)', () => {
  test('a fake mic talking over the reply: playback stops locally, before the server says speech started', { timeout: 60_000 }, async () => {
    const question = speech('Tell me a long story about the sea.');
    const interjection = speech('Wait, stop there please.');
    const gapMs = 2600;
    const micPcm = concat(silence(600), question, silence(gapMs), interjection, silence(4000));
    // Chromium's fake capture device wants the context's 48 kHz: each 24 kHz sample twice, interpolated.
    const at48 = new Int16Array(micPcm.length * 2);
    for (let i = 0; i < micPcm.length; i++) {
      at48[2 * i] = micPcm[i]!;
      at48[2 * i + 1] = Math.round((micPcm[i]! + (micPcm[i + 1] ?? micPcm[i]!)) / 2);
    }
    writeFileSync(join(dir, 'mic.wav'), encodeWav(at48, 48_000));
    const mic = `${join(dir, 'mic.wav')}%noloop`;
    const reply = speech('Once upon a time, far out on the grey and restless sea, there lived an old sailor who had seen every storm the world could make.');
    let turn = 0;
    const sim: Simulator = await startSimulator({
      paceFactor: 10,
      updateDelayMs: 1,
      speechStartedDelayMs: 400,
      respond: () => (turn++ === 0 ? { text: 'Once upon a time…', audio: reply } : { text: 'Yes?', audioMs: 600 }),
    });
    const settings = settingsSchema.parse({ endpoint: { kind: 'custom', url: sim.url }, transcription: { enabled: false } });
    let page: Session | null = null;
    const emit = ((channel: never, payload: never) => page?.bridge.emit(channel, payload)) as ConstructorParameters<typeof RendererPlayback>[0];
    const rendererPlayback = new RendererPlayback(emit);
    const worker = new AudioWorkerHost(localVoicePaths({ sourceRoot: SOURCE_ROOT }));
    assert.equal((await worker.start()).state, 'ready');
    const playback = new InterruptiblePlayback(rendererPlayback, (a) => emit('audio:delta' as never, audioDelta(a) as never), new OutputReference(undefined, 90));
    let voice: LocalVoice | null = null;
    const session = new RealtimeSession({
      settings,
      apiKey: 'sk-test',
      tools: new ToolRegistry([]),
      playback,
      localVoice: {
        allowServerBargeIn: () => voice!.allowServerBargeIn(),
        get clientInterrupts() {
          return voice!.clientInterrupts;
        },
      },
    });
    voice = new LocalVoice({ session, playback, worker, settings: () => localVoiceSettingsSchema.parse({}) });
    const link = linkSessionToRenderer(session, rendererPlayback, emit, voice);
    close = async () => {
      session.disconnect();
      link.dispose();
      voice?.dispose();
      await worker.stop();
      await page?.close();
      await sim.close();
    };
    await session.connect();
    page = await startSession(mic, { handlers: link.handlers });
    await page.open({ gate: 0 });
    await page.bridge.connected();
    link.resync();
    await ev(page, 'tapReset');

    const truncate = await Promise.race([
      sim.connections[0]!.waitFor('conversation.item.truncate', undefined, 'received'),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no truncate: ${JSON.stringify({ frames: page!.received.frames.length, voice: voice!.stats, sent: sim.connections[0]!.sent.map((r) => r.event.type).filter((t) => !t.includes('delta')) })}`)), 15_000),
      ),
    ]);
    const truncatedAt = sim.connections[0]!.received.find((r) => r.event === truncate)!.t;
    await waitFor(() => voice!.stats.bargeIns >= 1, 3000, 'a local barge-in');
    // The server announces the interjection only 400 ms after hearing it; Hark had cut before.
    const started = await sim.connections[0]!.waitFor('input_audio_buffer.speech_started', (e) => e.audio_start_ms > ms(question.length));
    const startedAt = sim.connections[0]!.sent.find((r) => r.event === started)!.t;
    assert.ok(truncatedAt < startedAt, `truncate at ${truncatedAt.toFixed(0)}, server speech_started at ${startedAt.toFixed(0)}`);
    assert.ok(voice.stats.pauses >= 1 && voice.lastPause, 'playback was paused by the local detector');

    await new Promise((r) => setTimeout(r, 800));
    const tap = await ev<{ rate: number; samples: number[] }>(page, 'tapDump');
    const loud = runs(tap.samples, tap.rate / 100, 0.005).filter((r) => r.loud);
    const cut = session.conversation.get(truncate.item_id)!;
    assert.equal(cut.status, 'interrupted');
    // What the tap recorded of the reply ends where the truncate says (speech has pauses: sum the runs up to the cut).
    assert.ok(loud.length > 0, 'the reply was rendered');
    const t0 = loud[0]!.start;
    const rel = (n: number) => ((n - t0) / tap.rate) * 1000;
    // The reply's runs end at the cut; the next reply ("Yes?") starts well after it.
    const before = loud.filter((r) => rel(r.start) < truncate.audio_end_ms + 100);
    const renderedEnd = rel(before.at(-1)!.end);
    console.log(`# full stack local barge-in: truncate ${truncate.audio_end_ms} ms, rendered to ${renderedEnd.toFixed(0)} ms; truncate ${(startedAt - truncatedAt).toFixed(0)} ms before the server's speech_started`);
    assert.ok(Math.abs(renderedEnd - truncate.audio_end_ms) <= 60, `rendered to ${renderedEnd} ms, truncated at ${truncate.audio_end_ms} ms`);
    assert.deepEqual(page.pageErrors, []);
  });
});
