// Hark's own ears: every mic frame passes through here on its way to the session. The local audio
// worker's speech detector drives
// - instant barge-in: playback pauses on the first speech window while the assistant is audible,
//   the session truncates once speech is confirmed, and a false start resumes where it stopped;
// - the echo guard: on speakers, only speech the assistant's own echo does not explain counts, and
//   the server's speech_started during playback is checked the same way;
// - half-duplex: the mic is closed while the assistant is audible;
// - post-roll: a push-to-talk turn ends ~300 ms after the key, or sooner when the speech has ended;
// - no lost words on wake: audio while the session connects is kept and sent once it is ready.
// With the detector unavailable, barge-in falls back to the server's and frames go straight on.
import { EventEmitter } from 'node:events';
import { BYTES_PER_MS, pcmMs } from '../../common/audio-format';
import type { AudioOut, RealtimeSession, SessionOptions } from '../realtime/session';
import type { AudioWorkerHost, WorkerStatus } from './audio-worker-host';
import { EchoGuard, pcmLevel, type EchoGuardOptions } from './echo-guard';
import type { InterruptiblePlayback } from './interruptible-playback';
import type { LocalVoiceSettings } from '../../common/settings/local-voice-settings';
import type { OutputReference } from './output-reference';
import { DEFAULT_DETECTOR, SpeechDetector, type SpeechDetectorOptions, type SpeechEvent } from './speech-detector';

export interface LocalVoiceOptions {
  session: RealtimeSession;
  playback: InterruptiblePlayback;
  worker: AudioWorkerHost | null;
  settings: () => LocalVoiceSettings;
  detector?: Partial<SpeechDetectorOptions>;
  echoGuard?: Partial<EchoGuardOptions>;
  /** A pause not confirmed as speech within this long is a false start: playback resumes. */
  confirmWithinMs?: number;
  /** Leave interrupt_response on even with the guard (only to measure that choice against the default). */
  serverInterrupts?: boolean;
}

export interface LocalVoiceEvents {
  /** Something worth a line in the event log: a barge-in, an echo suppressed, a false start. */
  note: [{ type: string; [k: string]: unknown }];
  status: [WorkerStatus];
}

const WINDOW_24K = 768;
/** Audio kept from before a locally detected onset, as the server VAD's prefix padding. */
const PREFIX_MS = 300;
/** Frames remembered for that: the onset is confirmed ~200 ms after it happens. */
const RECENT_FRAMES = 60;

export class LocalVoice extends EventEmitter<LocalVoiceEvents> {
  readonly guard: EchoGuard;
  readonly detector: SpeechDetector;
  readonly reference: OutputReference;
  readonly stats = { pauses: 0, bargeIns: 0, falseStarts: 0, echoSuppressed: 0, serverEchoSuppressed: 0, connectBufferedMs: 0 };
  /** performance.now() of the last pause, and of the onset it answered (for the latency figure). */
  lastPause: { at: number; onsetSample: number } | null = null;

  private cursor = 0;
  /** Mic sample where the current pause began; counted in audio, so no timer is needed. */
  private pausedAtSample: number | null = null;
  private userWindows = 0;
  private readonly recent: Array<{ start: number; pcm: Uint8Array }> = [];
  private ownTurn = false;
  private suppressedThisSpeech = false;
  private readonly detectorOptions: SpeechDetectorOptions;
  private lastUserSpeechSample = -Infinity;
  /** The last speech window heard while the assistant was silent, and the last server echo judged. */
  private lastQuietSpeechSample = -Infinity;
  private serverEchoAt = Infinity;
  private connectBuffer: Uint8Array[] = [];
  private connectBufferBytes = 0;
  private postRoll: { release: number; timer: NodeJS.Timeout } | null = null;
  private readonly confirmWithinMs: number;

  constructor(private readonly o: LocalVoiceOptions) {
    super();
    this.guard = new EchoGuard(o.echoGuard);
    this.detectorOptions = { ...DEFAULT_DETECTOR, ...o.detector };
    this.detector = new SpeechDetector(this.detectorOptions);
    this.reference = o.playback.reference;
    this.confirmWithinMs = o.confirmWithinMs ?? 700;
    o.worker?.on('result', (r) => {
      if (r.model === 'vad') this.onProbability(r.value, r.endSample);
    });
    o.worker?.on('status', (s) => this.emit('status', s));
    o.session.on('state', this.onSessionState);
  }

  /**
   * What was kept while connecting goes out as the session turns ready, before anything else can
   * follow it: a push-to-talk turn released while connecting is committed right after this.
   */
  private readonly onSessionState = (): void => {
    if (this.connectBuffer.length && this.o.session.isReady) this.flushConnectBuffer();
  };

  /** The detector is loaded and on: local barge-in, guard and post-roll are in force. */
  get active(): boolean {
    return this.o.settings().enabled && this.o.worker?.status.state === 'ready';
  }

  /** Whether the session should leave interrupting to Hark (interrupt_response off). */
  get clientInterrupts(): boolean {
    return this.active && this.o.settings().echoGuard && !this.o.serverInterrupts;
  }

  /** The 'local' turn mode can run: the detector is there to end turns. */
  get localTurns(): boolean {
    return this.active;
  }

  /** The mic stays open while the session connects; what it hears is sent once ready. */
  get buffersWhileConnecting(): boolean {
    return this.o.settings().connectBufferMs > 0;
  }

  /** One mic frame (PCM16 LE 24 kHz) from the renderer or the talk command. */
  frame(pcm: Uint8Array): void {
    const s = this.o.settings();
    const start = this.cursor;
    this.cursor += pcm.byteLength >> 1;
    if (this.active) {
      // The coupling is learned from the echo itself: while output plays and no speech was
      // recently judged the user's (the echo keeps the detector in "speech", so that is no test).
      const learn = !this.o.playback.isPaused && this.cursor - this.lastUserSpeechSample > 500 * 24;
      this.guard.observe(start, this.cursor, pcmLevel(pcm), this.reference.level(), learn);
      this.o.worker!.push(pcm);
    }
    if (this.pausedAtSample !== null && this.cursor - this.pausedAtSample > this.confirmWithinMs * 24) this.falseStart();
    // The last moment of audio, for the start of a locally detected turn (its pre-roll).
    this.recent.push({ start, pcm: pcm.slice() });
    while (this.recent.length > RECENT_FRAMES) this.recent.shift();
    const session = this.o.session;
    // Half-duplex: while the assistant is audible the mic is closed (an open push-to-talk turn still passes).
    if (s.halfDuplex && this.reference.playing && !session.state.turnOpen) return;
    const phase = session.state.phase;
    if (!session.isReady) {
      if ((phase === 'connecting' || phase === 'reconnecting') && s.connectBufferMs > 0) this.keep(pcm, s.connectBufferMs);
      return;
    }
    if (this.connectBuffer.length) this.flushConnectBuffer();
    session.appendAudio(pcm);
  }

  /** Reply audio on its way to the player: the echo reference, then the (pausable) player. */
  output(a: AudioOut): void {
    this.o.playback.push(a);
  }

  /** Push-to-talk release: the turn ends after the post-roll, or when the speech has ended. */
  endTurn(): void {
    const ms = this.o.settings().postRollMs;
    if (!this.active || ms <= 0 || !this.o.session.state.turnOpen) {
      this.o.session.endTurn();
      return;
    }
    if (this.postRoll) return;
    this.postRoll = { release: this.cursor, timer: setTimeout(() => this.finishPostRoll(), ms) };
  }

  /**
   * The server's speech judged echo may run on into the user's own words once the reply has ended
   * (one segment for both); then the committed turn is the user's, not echo to delete.
   */
  userSpokeSinceEcho(): boolean {
    return this.lastQuietSpeechSample > this.serverEchoAt;
  }

  /** The session asks before acting on the server's speech_started while the assistant is audible. */
  allowServerBargeIn(): boolean {
    if (!this.active || !this.o.settings().echoGuard) return true;
    if (this.o.playback.isPaused || this.cursor - this.lastUserSpeechSample < 1500 * 24) return true;
    // The server's VAD heard the audio of the last moment or so: allowed unless all of it was echo.
    if (!this.guard.onlyEcho(this.cursor - 800 * 24)) return true;
    this.stats.serverEchoSuppressed++;
    this.serverEchoAt = this.cursor;
    this.emit('note', { type: 'local.echo_suppressed', source: 'server', count: this.stats.echoSuppressed + this.stats.serverEchoSuppressed });
    return false;
  }

  dispose(): void {
    if (this.postRoll) clearTimeout(this.postRoll.timer);
    this.o.session.off('state', this.onSessionState);
  }

  private keep(pcm: Uint8Array, maxMs: number): void {
    this.connectBuffer.push(pcm.slice());
    this.connectBufferBytes += pcm.byteLength;
    while (this.connectBufferBytes > maxMs * BYTES_PER_MS && this.connectBuffer.length) this.connectBufferBytes -= this.connectBuffer.shift()!.byteLength;
  }

  private flushConnectBuffer(): void {
    const frames = this.connectBuffer;
    this.stats.connectBufferedMs += pcmMs(this.connectBufferBytes);
    this.connectBuffer = [];
    this.connectBufferBytes = 0;
    for (const f of frames) this.o.session.appendAudio(f);
    this.emit('note', { type: 'local.connect_buffer_sent', ms: Math.round(pcmMs(frames.reduce((n, f) => n + f.byteLength, 0))) });
  }

  private onProbability(prob: number, endSample: number): void {
    const events = this.detector.push(prob, endSample);
    if (events.some((e) => e.type === 'misfire') && this.o.playback.isPaused && this.pausedAtSample !== null) this.falseStart();
    for (const e of events) if (e.type === 'start' || e.type === 'end') this.localTurn(e);
    if (!this.detector.speaking && !this.detector.inOnset) this.suppressedThisSpeech = false;
    this.judgeWindow(prob, endSample);
    if (this.postRoll && endSample - WINDOW_24K >= this.postRoll.release && !this.detector.speaking && !this.detector.inOnset) this.finishPostRoll();
  }

  /**
   * Every speech window while the assistant is audible is judged, not only an utterance's first:
   * on speakers the echo itself keeps the detector in "speech", and the user may join in midway.
   * The first window the guard calls the user's pauses playback; enough of them confirm it.
   */
  private judgeWindow(prob: number, endSample: number): void {
    const s = this.o.settings();
    const playback = this.o.playback;
    // Half-duplex: the mic is closed to barge-in as well; only the talk key interrupts.
    if (prob < this.detectorOptions.onThreshold || s.halfDuplex) return;
    const audible = this.o.session.assistantActive && (this.reference.audible || playback.isPaused);
    if (!audible) {
      // Nothing is playing, so nothing to echo: this is the user.
      this.lastQuietSpeechSample = this.cursor;
      return;
    }
    const user = !s.echoGuard || this.guard.isUser(endSample - WINDOW_24K, endSample);
    if (!user) {
      if (!playback.isPaused && !this.suppressedThisSpeech) {
        this.suppressedThisSpeech = true;
        this.stats.echoSuppressed++;
        this.emit('note', { type: 'local.echo_suppressed', source: 'local', count: this.stats.echoSuppressed + this.stats.serverEchoSuppressed });
      }
      return;
    }
    this.lastUserSpeechSample = this.cursor;
    if (!playback.isPaused) {
      this.stats.pauses++;
      this.userWindows = 1;
      this.lastPause = { at: performance.now(), onsetSample: endSample - WINDOW_24K };
      this.pausedAtSample = this.cursor;
      void playback.pause();
      return;
    }
    if (this.pausedAtSample === null) return;
    this.userWindows++;
    if (this.userWindows * 32 >= this.detectorOptions.minSpeechMs) {
      this.pausedAtSample = null;
      this.stats.bargeIns++;
      this.emit('note', { type: 'local.barge_in' });
      void this.o.session.bargeInLocal();
    }
  }

  /**
   * The 'local' turn mode: confirmed speech opens a turn (with the audio from just before its
   * onset), its end commits it and asks for the reply. Nothing else reaches the server.
   */
  private localTurn(e: SpeechEvent): void {
    const session = this.o.session;
    if (session.state.turnDetection !== 'local' || !session.isReady) return;
    if (e.type === 'start') {
      if (session.state.turnOpen) return;
      // Over a reply, only speech the echo guard calls the user's opens a turn.
      if (session.assistantActive && this.o.settings().echoGuard && !this.guard.isUser(e.sample, this.cursor)) return;
      if (!session.beginTurn()) return;
      this.ownTurn = true;
      const from = e.sample - PREFIX_MS * 24;
      for (const f of this.recent) if (f.start + (f.pcm.byteLength >> 1) > from) session.appendAudio(f.pcm);
      this.emit('note', { type: 'local.turn_started' });
      return;
    }
    if (e.type === 'end' && this.ownTurn && session.state.turnOpen) {
      this.ownTurn = false;
      session.endTurn();
      this.emit('note', { type: 'local.turn_ended' });
    }
  }

  /** No speech confirmed the pause: it was a cough or a click, so the reply plays on. */
  private falseStart(): void {
    this.pausedAtSample = null;
    if (!this.o.playback.isPaused) return;
    this.stats.falseStarts++;
    this.o.playback.resume();
    this.emit('note', { type: 'local.false_start_resumed' });
  }

  private finishPostRoll(): void {
    const p = this.postRoll;
    if (!p) return;
    clearTimeout(p.timer);
    this.postRoll = null;
    this.o.session.endTurn();
  }
}

/**
 * The session's port to local voice, for hosts that must create the session before the LocalVoice
 * that needs it: each answer is asked of whatever `current()` returns, and is the server-only
 * behaviour until there is one.
 */
export function lateLocalVoicePort(current: () => LocalVoice | null): NonNullable<SessionOptions['localVoice']> {
  return {
    allowServerBargeIn: () => current()?.allowServerBargeIn() ?? true,
    userSpokeSinceEcho: () => current()?.userSpokeSinceEcho() ?? false,
    get clientInterrupts() {
      return current()?.clientInterrupts ?? false;
    },
    get buffersWhileConnecting() {
      return current()?.buffersWhileConnecting ?? false;
    },
    get localTurns() {
      return current()?.localTurns ?? false;
    },
  };
}
