// A speaker coupled into a microphone, in audio time: replies play frame by frame through the
// pausable player, their rendered output is mixed back into the mic with a delay and an attenuation
// (browser AEC off: the worst case), and LocalVoice sees the mic through the real Silero worker.
// It runs as fast as the detector does, so many replies fit in a test.
import type { PlayedPosition } from '../../preload/api';
import type { AudioOut, PlaybackPort, RealtimeSession } from '../../main/realtime/session';
import { AudioWorkerHost } from '../../main/voice/audio-worker-host';
import { InterruptiblePlayback } from '../../main/voice/interruptible-playback';
import { LocalVoice } from '../../main/voice/local-voice';
import type { EchoGuardOptions } from '../../main/voice/echo-guard';
import { localVoicePaths } from '../../main/voice/local-voice-paths';
import { localVoiceSettingsSchema, type LocalVoiceSettings } from '../../common/settings/local-voice-settings';
import { OutputReference } from '../../main/voice/output-reference';
import { clamp, SOURCE_ROOT } from './speech';

const FRAME = 480;

export interface SimReply {
  pcm: Int16Array;
  /** The user talks over it: their speech, starting this many ms into the reply. */
  interjection?: { pcm: Int16Array; atMs: number };
}

export interface SimOutcome {
  /** Per reply: the barge-in (ms after the reply's start), or null. */
  bargeIns: Array<{ atMs: number; onsetMs: number | null } | null>;
  suppressed: number;
  falseStarts: number;
  /** The event-log lines LocalVoice wrote. */
  notes: Array<{ type: string; [k: string]: unknown }>;
}

/** The speaker: renders queued reply audio one frame per tick; stop() answers with what it rendered. */
class SimSpeaker implements PlaybackPort {
  queue: Int16Array = new Int16Array(0);
  at = 0;
  played = 0;
  itemId = 'item_reply';
  async stop(): Promise<PlayedPosition> {
    this.queue = new Int16Array(0);
    this.at = 0;
    return { itemId: this.itemId, playedMs: this.played / 24 };
  }
  push(a: AudioOut): void {
    const pcm = new Int16Array(a.pcm.buffer.slice(a.pcm.byteOffset, a.pcm.byteOffset + a.pcm.byteLength));
    const rest = this.queue.subarray(this.at);
    const q = new Int16Array(rest.length + pcm.length);
    q.set(rest);
    q.set(pcm, rest.length);
    this.queue = q;
    this.at = 0;
  }
  render(): Int16Array {
    const out = new Int16Array(FRAME);
    const n = Math.min(FRAME, this.queue.length - this.at);
    if (n > 0) out.set(this.queue.subarray(this.at, this.at + n));
    this.at += Math.max(0, n);
    this.played += Math.max(0, n);
    return out;
  }
  get playing(): boolean {
    return this.at < this.queue.length;
  }
}

export async function simulateEcho(replies: SimReply[], o: { delayMs: number; gainDb: number; settings?: Partial<LocalVoiceSettings>; gapMs?: number; echoGuard?: Partial<EchoGuardOptions> }): Promise<SimOutcome> {
  const worker = new AudioWorkerHost(localVoicePaths({ sourceRoot: SOURCE_ROOT }));
  // Whatever fails below, the worker stops: a running worker keeps the test file alive for good.
  try {
    return await simulateWith(worker, replies, o);
  } finally {
    await worker.stop();
  }
}

async function simulateWith(worker: AudioWorkerHost, replies: SimReply[], o: Parameters<typeof simulateEcho>[1]): Promise<SimOutcome> {
  const status = await worker.start();
  if (status.state !== 'ready') throw new Error('detector unavailable');
  let clockMs = 0;
  const speaker = new SimSpeaker();
  const playback = new InterruptiblePlayback(speaker, (a) => speaker.push(a), new OutputReference(() => clockMs));
  let current = -1;
  let replyStartMs = 0;
  const outcome: SimOutcome = { bargeIns: replies.map(() => null), suppressed: 0, falseStarts: 0, notes: [] };
  const session = {
    get assistantActive() {
      return speaker.playing || playback.isPaused;
    },
    isReady: true,
    state: { phase: 'assistant-speaking', turnOpen: false },
    appendAudio() {},
    endTurn() {},
    // Always ready: no state changes for local voice to follow.
    on() {},
    off() {},
    async bargeInLocal() {
      const r = replies[current];
      if (current >= 0 && !outcome.bargeIns[current]) {
        outcome.bargeIns[current] = { atMs: (voice.lastPause?.onsetSample ?? 0) / 24 - replyStartMs, onsetMs: r?.interjection?.atMs ?? null };
      }
      await playback.stop();
    },
  } as unknown as RealtimeSession;
  const settings = localVoiceSettingsSchema.parse(o.settings ?? {});
  const voice: LocalVoice = new LocalVoice({ session, playback, worker, settings: () => settings, ...(o.echoGuard ? { echoGuard: o.echoGuard } : {}) });
  voice.on('note', (n) => outcome.notes.push(n));
  // Results come back asynchronously: after each frame, wait until the worker has caught up.
  let results = 0;
  worker.on('result', () => results++);
  let fed16k = 0;
  const caughtUp = async () => {
    const expected = Math.floor(fed16k / 512);
    while (results < expected) await new Promise((r) => setImmediate(r));
  };
  const delay = Math.round((o.delayMs * 24_000) / 1000);
  const gain = 10 ** (o.gainDb / 20);
  const echoLine: number[] = new Array(delay).fill(0);
  const tick = async (user: Int16Array | null, userAt: number) => {
    const rendered = speaker.render();
    const mic = new Int16Array(FRAME);
    for (let i = 0; i < FRAME; i++) {
      echoLine.push(rendered[i]!);
      const echo = echoLine.shift()!;
      const u = user ? (user[userAt + i] ?? 0) : 0;
      mic[i] = clamp(echo * gain + u);
    }
    voice.frame(new Uint8Array(mic.buffer));
    fed16k += (FRAME * 2) / 3;
    clockMs += 20;
    await caughtUp();
  };
  for (const [i, reply] of replies.entries()) {
    current = i;
    replyStartMs = clockMs;
    const bytes = new Uint8Array(reply.pcm.buffer, reply.pcm.byteOffset, reply.pcm.byteLength);
    voice.output({ responseId: `resp_${i}`, itemId: speaker.itemId, pcm: Buffer.from(bytes) });
    speaker.played = 0;
    const frames = Math.ceil(reply.pcm.length / FRAME) + Math.ceil((o.gapMs ?? 800) / 20);
    const ij = reply.interjection;
    const ijStart = ij ? Math.round((ij.atMs * 24_000) / 1000) : 0;
    for (let f = 0; f < frames; f++) {
      const s = f * FRAME;
      await tick(ij && s + FRAME > ijStart ? ij.pcm : null, s - ijStart);
    }
    // Whatever remains of a reply still paused or queued ends with its turn.
    await playback.stop();
  }
  outcome.suppressed = voice.stats.echoSuppressed;
  outcome.falseStarts = voice.stats.falseStarts;
  voice.dispose();
  return outcome;
}
