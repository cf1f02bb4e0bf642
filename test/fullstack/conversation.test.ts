// The whole path the app takes, with only Electron swapped out: the built renderer in Debian
// Chromium (fake microphone fed from a WAV), the Node session core, and the simulator, joined by the
// test bridge through the same contract and the same renderer link main uses.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { linkSessionToRenderer, RendererPlayback, type RendererLink } from '../../main/app/renderer-link';
import { RealtimeSession } from '../../main/realtime/session';
import { settingsSchema } from '../../common/settings/settings-schema';
import { ToolRegistry } from '../../main/tools/tool-registry';
import { dominantHz, runs } from '../chromium/analysis';
import { sleep, startSession, waitFor, type Session } from '../chromium/harness';
import { writeWav, type Segment } from '../chromium/wav';
import { ev } from '../renderer/scenarios';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server';

const dir = mkdtempSync(join(tmpdir(), 'hark-fullstack-'));

interface Stack {
  sim: Simulator;
  session: RealtimeSession;
  link: RendererLink;
  page: Session;
  close(): Promise<void>;
}

async function startStack(mic: Segment[], simOpts: SimulatorOptions): Promise<Stack> {
  const sim = await startSimulator({ paceFactor: 10, updateDelayMs: 1, ...simOpts });
  const settings = settingsSchema.parse({ endpoint: { kind: 'custom', url: sim.url }, transcription: { enabled: false } });
  let page: Session | null = null;
  const emit = ((channel: never, payload: never) => page?.bridge.emit(channel, payload)) as ConstructorParameters<typeof RendererPlayback>[0];
  const playback = new RendererPlayback(emit);
  const session = new RealtimeSession({ settings, apiKey: 'sk-test', tools: new ToolRegistry([]), playback });
  const link = linkSessionToRenderer(session, playback, emit);
  await session.connect();
  // %noloop: the fake microphone says its lines once, like a person, instead of repeating them.
  const wav = `${writeWav(join(dir, `mic-${Date.now()}.wav`), mic)}%noloop`;
  page = await startSession(wav, { handlers: link.handlers });
  await page.open({ gate: 0 });
  await page.bridge.connected();
  link.resync(); // the page has loaded: give it the state and open its mic gate
  return {
    sim,
    session,
    link,
    page,
    async close() {
      session.disconnect();
      link.dispose();
      await page?.close();
      await sim.close();
    },
  };
}

/** The tap's recording as loud/silent runs of 10 ms, in ms. */
async function renderedRuns(s: Session) {
  const tap = await ev<{ rate: number; samples: number[] }>(s, 'tapDump');
  const win = tap.rate / 100;
  const toMs = (n: number) => (n / tap.rate) * 1000;
  const loud = runs(tap.samples, win, 0.01).filter((r) => r.loud);
  return { tap, loud: loud.map((r) => ({ startMs: toMs(r.start), ms: toMs(r.end - r.start), start: r.start, end: r.end })) };
}

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

describe('full stack: renderer in Chromium + session core + simulator', () => {
  test('speak a WAV with server VAD: the reply audio is rendered, whole', async () => {
    stack = await startStack(
      [{ ms: 700, silence: true }, { ms: 1000, hz: 300, amp: 0.5 }, { ms: 5000, silence: true }],
      { respond: () => ({ text: 'Hello from the other side.', audioMs: 1500 }) },
    );
    const { session, sim, page } = stack;
    await ev(page, 'tapReset');
    const done = new Promise<string>((resolve) => session.on('response', (r) => r.status === 'completed' && resolve(r.id)));
    const rid = await done;
    const started = sim.connections[0]!.sent.find((e) => e.event.type === 'input_audio_buffer.speech_started')!.event;
    const stopped = sim.connections[0]!.sent.find((e) => e.event.type === 'input_audio_buffer.speech_stopped')!.event;
    // The capture reached the server in real time through the bridge: the VAD saw ~1 s of speech.
    const spoken = stopped.audio_end_ms - 500 /* silence_duration */ - (started.audio_start_ms + 300 /* prefix */);
    assert.ok(Math.abs(spoken - 1000) < 120, `speech of ${spoken} ms seen by the server VAD`);
    await sleep(2200);
    const { tap, loud } = await renderedRuns(page);
    const item = session.conversation.items().find((i) => i.responseId === rid)!;
    assert.equal(item.audioMs, 1500);
    const total = loud.reduce((n, r) => n + r.ms, 0);
    assert.ok(Math.abs(total - 1500) <= 60, `rendered ${total} ms of 1500 ms`);
    console.log(`# full stack VAD turn: server saw ${spoken} ms of speech; rendered ${total} ms of 1500 ms`);
    const first = loud[0]!;
    assert.ok(Math.abs(dominantHz(tap.samples, tap.rate, 300, 600, 2, first.start, Math.min(first.end, first.start + tap.rate / 4)) - 440) <= 4, 'the simulator\'s 440 Hz voice');
    assert.deepEqual(page.received.invalid, []);
    assert.deepEqual(page.pageErrors, []);
  });

  test('speak over the reply: playback stops at once and the truncate matches what was rendered', async () => {
    let turn = 0;
    stack = await startStack(
      [{ ms: 700, silence: true }, { ms: 900, hz: 300, amp: 0.5 }, { ms: 2200, silence: true }, { ms: 900, hz: 300, amp: 0.5 }, { ms: 4000, silence: true }],
      { respond: () => (turn++ === 0 ? { text: 'A long reply that will be cut off by the user speaking over it.', audioMs: 6000 } : { text: 'Yes?', audioMs: 700 }) },
    );
    const { session, sim, page } = stack;
    await ev(page, 'tapReset');
    const truncate = await sim.connections[0]!.waitFor('conversation.item.truncate', undefined, 'received');
    const secondDone = new Promise<void>((resolve) => session.on('response', (r) => r.status === 'completed' && resolve()));
    await secondDone;
    await sleep(1200);
    const { loud } = await renderedRuns(page);
    const cut = session.conversation.get(truncate.item_id)!;
    assert.equal(cut.status, 'interrupted');
    assert.equal(cut.truncatedAtMs, truncate.audio_end_ms);
    // The first loud run is the interrupted reply as it was heard (10 ms windows → ±10 ms).
    const heard = loud[0]!;
    assert.ok(Math.abs(heard.ms - truncate.audio_end_ms) <= 25, `rendered ${heard.ms} ms, truncated at ${truncate.audio_end_ms} ms`);
    assert.ok(truncate.audio_end_ms > 500 && truncate.audio_end_ms < 6000);
    const received = session.conversation.get(truncate.item_id)!.audioMs!;
    assert.ok(truncate.audio_end_ms <= received, 'never more than was received');
    // After the cut, the only other sound is the next reply, whole.
    const rest = loud.slice(1).reduce((n, r) => n + r.ms, 0);
    assert.ok(Math.abs(rest - 700) <= 40, `after the cut: ${rest} ms (the 700 ms second reply)`);
    assert.ok(loud[1]!.startMs - (heard.startMs + heard.ms) > 300, 'silence between the cut and the next reply');
    // The player flushed what it held at the cut, and never starved while the reply streamed.
    const stats = await page.page.evaluate(() => (window as any).hark.engine.player.stats());
    assert.ok(stats.flushedSamples > 0, 'buffered audio was thrown away at the cut');
    assert.equal(stats.underruns, 0);
    console.log(`# full stack barge-in: rendered ${heard.ms.toFixed(1)} ms, truncate ${truncate.audio_end_ms} ms, flushed ${(stats.flushedSamples / 24).toFixed(0)} ms`);
    assert.deepEqual(page.pageErrors, []);
    await waitFor(() => session.state.phase === 'listening', 5000, 'listening again');
  });
});
