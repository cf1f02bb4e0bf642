// `npm run talk`: the session core without Electron, with WAV files as the microphone and a
// real-time WAV sink as the speaker. Same RealtimeSession as the app; useful for trying a model,
// for scripted end-to-end checks, and as the demo.
import { FRAME_SAMPLES, SAMPLE_RATE, samplesMs } from '../../common/audio-format';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ConversationItem } from '../../preload/api';
import { resolveApiKey } from '../settings/api-key';
import { defaultSettings, settingsSchema, type EndpointSettings, type Settings } from '../../common/settings/settings-schema';
import { endpointFromEnv } from '../realtime/endpoint';
import { RealtimeSession } from '../realtime/session';
import { ToolRegistry } from '../tools/tool-registry';
import { currentTimeTool } from '../tools/builtin/current-time';
import { RealtimeClock } from './realtime-clock';
import { Speaker } from './speaker';
import { asBytes, readWav, writeWav } from '../audio/wav';
import { redact, redactText } from '../security/redact';
import type { SimulatorOptions } from '../../simulator/server';
import { AudioWorkerHost } from '../voice/audio-worker-host';
import { InterruptiblePlayback } from '../voice/interruptible-playback';
import { lateLocalVoicePort, LocalVoice } from '../voice/local-voice';
import { localVoicePaths } from '../voice/local-voice-paths';
import { localVoiceSettingsSchema, type LocalVoiceSettings } from '../../common/settings/local-voice-settings';
import { endpointProblem, explainFailure, helpText, inputFileProblem, NO_KEY, NOT_SAVED, SEE_HELP } from './talk-words';
import { Deadline } from '../deadline';

/** `interjectAfterMs`: spoken over the previous reply, this long after it became audible. */
export type TalkInput = { kind: 'wav'; path: string; interjectAfterMs?: number } | { kind: 'text'; text: string };

export interface TalkOptions {
  inputs: TalkInput[];
  out?: string;
  transcript?: string;
  turnDetection: Settings['turnDetection']['mode'];
  endpoint?: string;
  model?: string;
  voice?: string;
  simulate: boolean;
  /** Longest wait for a reply once a turn's input has been given. */
  turnTimeoutMs: number;
  /** With `simulate`: options for the built-in simulator (the demo scripts its reply). */
  simulatorOptions?: SimulatorOptions;
  /** server_vad: the server nudges after this much silence (idle_timeout_ms); absent = never. */
  idleTimeoutMs?: number;
  /** Local voice detection (the app's settings section); false turns it off. */
  localVoice?: Partial<LocalVoiceSettings> | false;
  /**
   * The speaker heard by the mic: what the speaker renders is mixed into the mic this much later and
   * quieter, as laptop speakers couple into a laptop mic with echo cancellation off.
   */
  echo?: { delayMs: number; gainDb: number };
  /** Keep the server's interrupt_response on with the echo guard (to measure that choice). */
  serverInterrupts?: boolean;
  /** The local audio worker's files; by default the sources beside this file. */
  workerPaths?: ConstructorParameters<typeof AudioWorkerHost>[0];
}

/** When things happened (performance.now()), for latency checks. */
export interface TalkTimeline {
  /** Each interjection: when its first sample reached the mic, and its speech onset. */
  interjections: Array<{ at: number; onsetAt: number }>;
  /** When the speaker was stopped (barge-ins). */
  stops: number[];
}

export interface TalkResult {
  ok: boolean;
  reason?: string;
  items: ConversationItem[];
  played: Int16Array;
  timeline?: TalkTimeline;
  voice?: LocalVoice['stats'] & { detector: string; echoSuppressedByServer: number };
  /** Everything the session sent as audio (what the server heard), PCM16 24 kHz. */
  sent?: Int16Array;
  /** Milliseconds the speaker rendered of each item. */
  playedMs?: Record<string, number>;
}

export function parseTalkArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): TalkOptions {
  let parsed;
  try {
    parsed = parseArgs({
    args: argv,
    tokens: true,
    strict: true,
    options: {
      in: { type: 'string', multiple: true },
      text: { type: 'string', multiple: true },
      out: { type: 'string' },
      transcript: { type: 'string' },
      'turn-detection': { type: 'string', default: 'server_vad' },
      endpoint: { type: 'string' },
      model: { type: 'string' },
      voice: { type: 'string' },
      simulate: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '60' },
      'idle-timeout': { type: 'string' },
      interject: { type: 'string', multiple: true },
      'no-local-vad': { type: 'boolean', default: false },
      'half-duplex': { type: 'boolean', default: false },
      'no-echo-guard': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  } catch (err) {
    // node's own wording names the option ("Unknown option '--inn'"); only its code prefix goes.
    throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  const { values, tokens } = parsed;
  if (values.help) throw new HelpRequested(helpText(defaultSettings()));
  // Inputs keep the order they were given in, mixing --in and --text.
  const inputs: TalkInput[] = [];
  for (const t of tokens ?? []) {
    if (t.kind !== 'option' || t.value === undefined) continue;
    if (t.name === 'in') inputs.push({ kind: 'wav', path: t.value });
    if (t.name === 'text') inputs.push({ kind: 'text', text: t.value });
    if (t.name === 'interject') {
      const m = /^(\d+):(.+)$/.exec(t.value);
      if (!m) throw new UsageError(`--interject takes MS:file.wav (speak the file that many ms into the reply), not "${t.value}"`);
      inputs.push({ kind: 'wav', path: m[2]!, interjectAfterMs: Number(m[1]) });
    }
  }
  if (inputs.length === 0) throw new UsageError('give at least one --in or --text');
  for (const input of inputs) {
    const problem = input.kind === 'wav' ? inputFileProblem(input.path) : null;
    if (problem) throw new UsageError(problem);
  }
  // --simulate uses its own server, so neither is read then.
  const endpointIssue = values.simulate
    ? null
    : values.endpoint !== undefined
      ? endpointProblem(values.endpoint, '--endpoint')
      : env.HARK_REALTIME_URL?.trim()
        ? endpointProblem(env.HARK_REALTIME_URL.trim(), 'HARK_REALTIME_URL')
        : null;
  if (endpointIssue) throw new UsageError(endpointIssue);
  const td = values['turn-detection'];
  if (td !== 'server_vad' && td !== 'semantic_vad' && td !== 'local' && td !== 'none') throw new UsageError(`--turn-detection must be server_vad, semantic_vad, local or none, not "${td}"`);
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout takes a number of seconds');
  const idle = values['idle-timeout'] === undefined ? undefined : Number(values['idle-timeout']);
  if (idle !== undefined && (!Number.isInteger(idle) || idle < 5000 || idle > 30 * 60_000)) {
    throw new UsageError('--idle-timeout takes whole milliseconds between 5000 and 1800000 (the server nudges after that much silence)');
  }
  if (idle !== undefined && td !== 'server_vad') throw new UsageError('--idle-timeout needs --turn-detection server_vad');
  return {
    inputs,
    out: values.out,
    transcript: values.transcript,
    turnDetection: td,
    endpoint: values.endpoint,
    model: values.model,
    voice: values.voice,
    simulate: values.simulate ?? false,
    turnTimeoutMs: timeout * 1000,
    ...(idle !== undefined ? { idleTimeoutMs: idle } : {}),
    localVoice: values['no-local-vad'] ? false : { halfDuplex: values['half-duplex'] ?? false, echoGuard: !values['no-echo-guard'] },
  };
}

export class UsageError extends Error {}
/** --help: not an error, but it ends parsing the same way. */
export class HelpRequested extends Error {}

function endpointFromUrl(url: string): EndpointSettings {
  if (/\.openai\.azure\.com$/i.test(new URL(url).hostname)) return { kind: 'azure', url };
  return { kind: 'custom', url };
}

export async function runTalk(opts: TalkOptions, log: (line: string) => void = () => {}): Promise<TalkResult> {
  const clips = opts.inputs.map((i) => (i.kind === 'wav' ? { ...i, pcm: readWav(i.path) } : i));
  let simulator: { url: string; close(): Promise<void> } | null = null;
  let endpoint: EndpointSettings | null = opts.endpoint ? endpointFromUrl(opts.endpoint) : endpointFromEnv(process.env);
  let apiKey = resolveApiKey({ env: process.env });
  if (opts.simulate) {
    // The simulator lives with the tests; it is loaded only when asked for.
    const { startSimulator } = await import('../../simulator/server');
    // It speaks its replies as real words (eSpeak NG in WASM), so reply.wav is something to listen to.
    const { synthesize } = await import('../../simulator/tts');
    simulator = await startSimulator({ speak: (text) => synthesize(text, { wordsPerMinute: 200 }), ...opts.simulatorOptions });
    endpoint = { kind: 'custom', url: simulator.url };
    apiKey = 'sk-simulated-local';
  }
  if (!apiKey) return { ok: false, reason: NO_KEY, items: [], played: new Int16Array(0) };
  if (!opts.out) log(NOT_SAVED);

  const base = defaultSettings();
  const settings = settingsSchema.parse({
    ...base,
    ...(endpoint ? { endpoint } : {}),
    ...(opts.model ? { model: opts.model } : {}),
    ...(opts.voice ? { voice: opts.voice } : {}),
    turnDetection: { ...base.turnDetection, mode: opts.turnDetection, ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}) },
  });
  const speaker = new Speaker();
  // The same local voice detection as the app: the worker, the pausable player, the echo guard.
  const voiceSettings = localVoiceSettingsSchema.parse(opts.localVoice === false ? { enabled: false } : (opts.localVoice ?? {}));
  const worker = voiceSettings.enabled ? new AudioWorkerHost(opts.workerPaths ?? localVoicePaths({ sourceRoot: new URL('../..', import.meta.url).pathname })) : null;
  const detector = worker ? await worker.start() : null;
  if (detector?.state === 'unavailable') log(`local voice detection unavailable (${detector.reason}); barge-in waits for the server`);
  const playback = new InterruptiblePlayback(speaker, (a) => speaker.push(a));
  let voice: LocalVoice | null = null;
  const session = new RealtimeSession({
    settings,
    apiKey,
    tools: new ToolRegistry([currentTimeTool()]),
    playback,
    localVoice: lateLocalVoicePort(() => voice),
  });
  voice = new LocalVoice({ session, playback, worker, settings: () => voiceSettings, ...(opts.serverInterrupts ? { serverInterrupts: true } : {}) });
  const localVoice = voice;
  session.on('audio', (a) => localVoice.output(a));
  const timeline: TalkTimeline = { interjections: [], stops: speaker.stops };
  const echo = opts.echo ? new EchoLine(opts.echo.delayMs, opts.echo.gainDb) : null;
  if (echo) speaker.tap = (pcm) => echo.push(pcm);
  const sentChunks: Buffer[] = [];
  session.on('wire', (w) => {
    if (w.dir === 'out' && w.event.type === 'input_audio_buffer.append') sentChunks.push(Buffer.from(String((w.event as { audio?: string }).audio ?? ''), 'base64'));
  });
  let lastPhase = '';
  session.on('state', (s) => {
    if (s.phase !== lastPhase && (s.phase === 'assistant-speaking' || s.phase === 'reconnecting' || s.phase === 'tool-running')) {
      log(s.phase === 'reconnecting' ? `reconnecting (attempt ${s.reconnect?.attempt}, in ${((s.reconnect?.inMs ?? 0) / 1000).toFixed(1)} s)` : s.phase.replace('-', ' '));
    }
    lastPhase = s.phase;
  });
  session.on('notice', (n) => {
    if (n.level !== 'info') log(`${n.level}: ${n.message}`);
  });

  // The microphone: in VAD modes it streams continuously, the clip's samples and then silence, as a
  // real mic would; in push-to-talk each clip is one manual turn.
  let micQueue: Int16Array = new Int16Array(0);
  let micAt = 0;
  let micDone: (() => void) | null = null;
  const silence = new Int16Array(FRAME_SAMPLES);
  const mic = new RealtimeClock(() => {
    if (micAt < micQueue.length) {
      const frame = micQueue.subarray(micAt, micAt + FRAME_SAMPLES);
      micAt += frame.length;
      localVoice.frame(asBytes(echo ? echo.mix(frame) : frame));
      if (micAt >= micQueue.length) micDone?.();
    } else {
      localVoice.frame(asBytes(echo ? echo.mix(silence) : silence));
    }
  });

  const finish = async (result: Omit<TalkResult, 'items' | 'played'>): Promise<TalkResult> => {
    mic.stop();
    speaker.close();
    session.disconnect();
    localVoice.dispose();
    await worker?.stop();
    await simulator?.close();
    // The transcript file is an exit like any other: a key echoed into a transcript is masked.
    const items = redact(session.conversation.items());
    const played = speaker.output();
    if (opts.out) writeWav(opts.out, played);
    if (opts.transcript) writeFileSync(opts.transcript, `${JSON.stringify(items.map(transcriptEntry), null, 2)}\n`);
    const sentBytes = Buffer.concat(sentChunks);
    const sent = new Int16Array(sentBytes.buffer.slice(sentBytes.byteOffset, sentBytes.byteOffset + sentBytes.byteLength - (sentBytes.byteLength % 2)));
    const playedMs = Object.fromEntries(items.map((it) => [it.id, speaker.playedMs(it.id)]));
    const detectorState = detector?.state ?? 'off';
    return { ...result, items, played, timeline, sent, playedMs, voice: { ...localVoice.stats, detector: detectorState, echoSuppressedByServer: session.stats.echoSuppressed } };
  };

  try {
    log(`connecting to ${simulator ? 'the built-in simulator' : new URL(buildLabel(settings)).host}`);
    // --timeout bounds the connecting too: an endpoint that never answers ends the command with
    // the last reason the session had, instead of reconnecting forever.
    try {
      await Deadline.race(session.connect(), opts.turnTimeoutMs, () => {
        const why = session.state.error?.message.replace(/^Reconnecting: /, '').replace(/; retrying\.$/, '');
        throw new Error(`could not connect within ${opts.turnTimeoutMs / 1000} s${why ? `: ${why}` : ''}`);
      });
    } catch (f) {
      const failure = f as { code?: string | null; message?: string };
      return await finish({ ok: false, reason: explainFailure({ code: failure.code, message: failure.message ?? String(f) }, KEY_SOURCE) });
    }
    log(`connected (${settings.model}, turn detection: ${opts.turnDetection})`);
    if (opts.turnDetection !== 'none') mic.startTicking();

    for (const [i, clip] of clips.entries()) {
      const label = `turn ${i + 1}/${clips.length}`;
      const next = clips[i + 1];
      const interjectNext = next?.kind === 'wav' && next.interjectAfterMs !== undefined ? next.interjectAfterMs : null;
      const reply = waitForReply(session, speaker, opts.turnTimeoutMs);
      const audible = interjectNext === null ? null : waitForAudible(speaker);
      if (clip.kind === 'text') {
        log(`${label}: typing "${clip.text}"`);
        session.sendText(clip.text);
      } else if (opts.turnDetection === 'none') {
        log(`${label}: push-to-talk with ${clip.path} (${(clip.pcm.length / SAMPLE_RATE).toFixed(1)} s)`);
        session.beginTurn();
        session.appendAudio(asBytes(clip.pcm));
        session.endTurn();
      } else {
        log(`${label}: speaking ${clip.path} (${(clip.pcm.length / SAMPLE_RATE).toFixed(1)} s)`);
        const onset = voicedOnsetMs(clip.pcm);
        await new Promise<void>((resolve) => {
          micQueue = clip.pcm;
          micAt = 0;
          micDone = resolve;
          const at = performance.now();
          if (clip.interjectAfterMs !== undefined) timeline.interjections.push({ at, onsetAt: at + onset });
        });
      }
      if (audible) {
        // The next input talks over this reply: wait until it has been audible that long, not for its end.
        await audible;
        await new Promise((r) => setTimeout(r, interjectNext!));
        reply.cancel();
        log(`${label}: reply audible; interjecting`);
        continue;
      }
      reply.arm();
      const outcome = await reply.result;
      if (!outcome.ok) return await finish({ ok: false, reason: `${label}: ${outcome.reason}` });
      log(`${label} done: "${outcome.text}"`);
    }
    return await finish({ ok: true });
  } catch (err) {
    return await finish({ ok: false, reason: err instanceof Error ? err.message : String(err) });
  }
}

/** talk reads the key only from the environment. */
const KEY_SOURCE = 'OPENAI_API_KEY';

/** The speaker's output on its way back into the mic: delayed and attenuated. */
class EchoLine {
  private readonly line: number[] = [];
  private readonly gain: number;
  private readonly delay: number;

  constructor(delayMs: number, gainDb: number) {
    this.delay = Math.round(delayMs * 24);
    this.gain = 10 ** (gainDb / 20);
  }

  push(pcm: Int16Array): void {
    for (const v of pcm) this.line.push(v);
  }

  /** A mic frame with the echo added (a new array; the clip stays as it is). */
  mix(frame: Int16Array): Int16Array {
    const out = new Int16Array(frame.length);
    for (let i = 0; i < frame.length; i++) {
      // A line run dry (the speaker went quiet) starts again with the delay's worth of silence.
      if (this.line.length === 0) for (let k = 0; k < Math.max(1, this.delay); k++) this.line.push(0);
      const e = this.line.shift()!;
      out[i] = Math.max(-32768, Math.min(32767, Math.round(frame[i]! + e * this.gain)));
    }
    return out;
  }
}

/** Resolves once the speaker is playing something. */
function waitForAudible(speaker: Speaker): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (speaker.isPlaying) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
}

/** Where the voice in a clip starts: the first 10 ms above −45 dBFS. */
function voicedOnsetMs(pcm: Int16Array): number {
  for (let at = 0; at + 240 <= pcm.length; at += 240) {
    let sum = 0;
    for (let i = at; i < at + 240; i++) sum += (pcm[i]! / 32768) ** 2;
    if (Math.sqrt(sum / 240) > 0.0056) return samplesMs(at);
  }
  return 0;
}

function buildLabel(s: Settings): string {
  return s.endpoint.kind === 'openai' ? 'wss://api.openai.com' : s.endpoint.url;
}

/**
 * A turn is answered when a response with an assistant message has completed, nothing else is
 * running, and the speaker has played it all.
 */
function waitForReply(session: RealtimeSession, speaker: Speaker, timeoutMs: number) {
  let answered: string | null = null;
  let arm: () => void = () => {};
  let cancel: () => void = () => {};
  const result = new Promise<{ ok: true; text: string } | { ok: false; reason: string }>((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    const done = (v: { ok: true; text: string } | { ok: false; reason: string }) => {
      if (timer) clearTimeout(timer);
      session.off('response', onResponse);
      session.off('state', onState);
      resolve(v);
    };
    const onResponse = (r: { id: string; status: string; idle?: boolean }) => {
      // A nudge after silence answers no turn; nor does a preamble spoken before a tool call.
      if (r.status !== 'completed' || r.idle) return;
      const msg = session.conversation.items().find((it) => it.responseId === r.id && it.type === 'message' && it.role === 'assistant' && it.phase !== 'commentary');
      if (msg) answered = msg.text;
    };
    const onState = (s: { phase: string; error?: { fatal: boolean; message: string } }) => {
      if (s.phase === 'error') return done({ ok: false, reason: s.error ? explainFailure(s.error, KEY_SOURCE) : 'the session failed' });
      if (answered !== null && s.phase === 'listening') {
        const text = answered;
        void speaker.drained().then(() => done({ ok: true, text }));
      }
    };
    session.on('response', onResponse);
    session.on('state', onState);
    // The clock starts once the input has been given; streaming a clip takes its own length.
    arm = () => {
      timer = setTimeout(() => done({ ok: false, reason: `no complete reply within ${timeoutMs / 1000} s` }), timeoutMs);
    };
    cancel = () => done({ ok: false, reason: 'not waited for' });
  });
  return { result, arm, cancel };
}

export function transcriptEntry(item: ConversationItem) {
  return {
    id: item.id,
    role: item.role,
    type: item.type,
    text: item.text,
    status: item.status,
    ...(item.role === 'assistant' && item.type === 'message' ? { phase: item.phase ?? null } : {}),
    ...(item.idle ? { idle: true } : {}),
    ...(item.name ? { name: item.name } : {}),
    ...(item.arguments !== undefined ? { arguments: item.arguments } : {}),
    ...(item.output !== undefined ? { output: item.output } : {}),
    ...(item.audioMs !== undefined ? { audioMs: item.audioMs } : {}),
    ...(item.truncatedAtMs !== undefined ? { truncatedAtMs: item.truncatedAtMs } : {}),
  };
}

async function main(): Promise<void> {
  let opts: TalkOptions;
  try {
    opts = parseTalkArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof HelpRequested) {
      process.stdout.write(err.message);
      process.exit(0);
    }
    process.stderr.write(`${(err as Error).message}\n${SEE_HELP}\n`);
    process.exit(2);
  }
  const result = await runTalk(opts, (line) => process.stderr.write(`${redactText(line)}\n`)).catch(
    (err: unknown): TalkResult => ({ ok: false, reason: err instanceof Error ? err.message : String(err), items: [], played: new Int16Array(0) }),
  );
  if (!result.ok) {
    process.stderr.write(`talk: ${redactText(result.reason ?? 'failed')}\n`);
    process.exit(1);
  }
  process.exit(0);
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
