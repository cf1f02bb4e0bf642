// The wake-word mode: while Hark is disconnected, the microphone stays open for the wake phrase
// only, and its audio goes nowhere but the on-device wake-word model (nothing leaves the machine,
// nothing is billed). On a wake: the earcon, a connect, and the words after the phrase become the
// first turn: the audio from just before the wake was confirmed (the pre-roll) and everything said
// while connecting is kept by local voice and sent once the session is ready. When the conversation
// goes quiet it disconnects and waits again.
import { EventEmitter } from 'node:events';
import type { SessionState } from '../../preload/api';
import type { AudioWorkerHost, WorkerStatus } from './audio-worker-host';
import { WakeDetector, type Wake } from './wake-detector';
import { phraseWords, type WakeModelChoice } from './wake-word-paths';
import type { WakeWordSettings } from '../../common/settings/wake-word-settings';

export type WakeState =
  | { state: 'off' }
  | { state: 'loading'; phrase: string }
  /** Disconnected, listening locally for the phrase. */
  | { state: 'waiting'; phrase: string }
  /** The phrase was heard (or the conversation is on): the session has the mic. */
  | { state: 'awake'; phrase: string }
  | { state: 'unavailable'; phrase: string; reason: string };

/** What the mode needs of the session. */
export interface WakeSession {
  readonly state: SessionState;
  on(event: 'state', fn: (s: SessionState) => void): unknown;
  off(event: 'state', fn: (s: SessionState) => void): unknown;
}

/** What the mode needs of local voice: it keeps the connect buffer the first turn is sent from. */
export interface WakeVoice {
  keepForConnect(frames: Uint8Array[]): void;
  dropConnectBuffer(): void;
}

export interface WakeWordModeOptions {
  session: WakeSession;
  voice: WakeVoice;
  settings: () => WakeWordSettings;
  /** A worker loaded with the chosen phrase model (a new one when the phrase changes). */
  createWorker: (choice: WakeModelChoice) => AudioWorkerHost;
  /** Connects as every other way to talk does (the daily cap may refuse); resolves false if it did not. */
  connect: () => Promise<boolean>;
  /** The mic must run while waiting, though the session is disconnected. */
  holdMic: (open: boolean) => void;
}

export interface WakeWordModeEvents {
  state: [WakeState];
  wake: [Wake & { phrase: string }];
}

/** Mic frames remembered for the pre-roll: the wake is confirmed a frame or two after it happens. */
const RECENT_MS = 1500;

export class WakeWordMode extends EventEmitter<WakeWordModeEvents> {
  private current: WakeState = { state: 'off' };
  private worker: AudioWorkerHost | null = null;
  private workerKey = '';
  private readonly detector: WakeDetector;
  private cursor = 0;
  private readonly recent: Array<{ start: number; pcm: Uint8Array }> = [];
  private readonly stats = { wakes: 0 };
  private readonly onSessionState = (s: SessionState) => this.follow(s);

  constructor(private readonly o: WakeWordModeOptions) {
    super();
    const s = o.settings();
    this.detector = new WakeDetector({ sensitivity: s.sensitivity, cooldownMs: s.cooldownMs });
    o.session.on('state', this.onSessionState);
  }

  get state(): WakeState {
    return this.current;
  }

  get wakes(): number {
    return this.stats.wakes;
  }

  /** The worker's inference ms per minute of audio it was fed (the CPU figure while waiting). */
  cpuMsPerMinute(): number {
    return this.worker?.cpuMsPerMinute() ?? 0;
  }

  /** Settings changed (or at start): turn on, off, or reload the phrase model. */
  async apply(): Promise<void> {
    const s = this.o.settings();
    this.detector.configure({ sensitivity: s.sensitivity, cooldownMs: s.cooldownMs });
    if (!s.enabled) return this.turnOff();
    const choice: WakeModelChoice = { phrase: s.phrase, customModelPath: s.customModelPath };
    const key = JSON.stringify(choice);
    const phrase = phraseWords(choice);
    if (this.worker && key === this.workerKey && this.current.state !== 'unavailable') {
      if (this.current.state !== 'loading') this.follow(this.o.session.state);
      return;
    }
    await this.stopWorker();
    this.workerKey = key;
    const worker = this.o.createWorker(choice);
    this.worker = worker;
    this.set({ state: 'loading', phrase });
    worker.on('result', (r) => {
      if (r.model === 'wake') this.onScore(r.value, r.endSample);
    });
    const status: WorkerStatus = await worker.start();
    if (this.worker !== worker) return; // turned off or changed meanwhile
    if (status.state !== 'ready') {
      this.o.holdMic(false);
      this.set({ state: 'unavailable', phrase, reason: status.state === 'unavailable' ? status.reason : 'it did not load' });
      return;
    }
    this.follow(this.o.session.state);
  }

  /**
   * Every mic frame (PCM16 LE 24 kHz), before local voice sees it. Only while waiting does it go to
   * the wake-word model; once awake the session has the mic and the model rests.
   */
  frame(pcm: Uint8Array): void {
    if (this.current.state !== 'waiting') return;
    const start = this.cursor;
    this.cursor += pcm.byteLength >> 1;
    this.recent.push({ start, pcm: pcm.slice() });
    while (this.recent.length && this.recent[0]!.start < this.cursor - RECENT_MS * 24) this.recent.shift();
    this.worker?.push(pcm);
  }

  async dispose(): Promise<void> {
    this.o.session.off('state', this.onSessionState);
    await this.turnOff();
  }

  private async turnOff(): Promise<void> {
    const wasWaiting = this.current.state === 'waiting';
    await this.stopWorker();
    this.set({ state: 'off' });
    if (wasWaiting) this.o.holdMic(false);
  }

  private async stopWorker(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.workerKey = '';
    if (w) await w.stop();
  }

  /**
   * Disconnected: wait for the phrase. Anything else: the conversation has the mic. The model hears
   * nothing for its first ~2 s after a reset (76 mel frames, then 16 embeddings), so a phrase said
   * the instant the conversation ends may be missed.
   */
  private follow(s: SessionState): void {
    const now = this.current;
    if (now.state === 'off' || now.state === 'unavailable' || this.worker?.status.state !== 'ready') return;
    const offline = s.phase === 'disconnected' || s.phase === 'error';
    if (offline && now.state !== 'waiting') {
      // A fresh wait: the model's memory of the last conversation's audio is dropped.
      this.worker?.reset();
      this.detector.reset();
      this.recent.length = 0;
      this.set({ state: 'waiting', phrase: now.phrase });
      this.o.holdMic(true);
    } else if (!offline && now.state !== 'awake') {
      this.set({ state: 'awake', phrase: now.phrase });
      this.o.holdMic(false);
    }
  }

  private onScore(score: number, endSample: number): void {
    if (this.current.state !== 'waiting') return;
    const wake = this.detector.push(score, endSample);
    if (wake) this.onWake(wake);
  }

  private onWake(wake: Wake): void {
    const phrase = this.current.state === 'waiting' ? this.current.phrase : '';
    this.stats.wakes++;
    // What was said after the wake point (and the pre-roll before it) is already here: it opens
    // the connect buffer, and local voice keeps the rest while the session connects.
    const from = wake.sample - this.o.settings().preRollMs * 24;
    const kept: Uint8Array[] = [];
    for (const f of this.recent) {
      const end = f.start + (f.pcm.byteLength >> 1);
      if (end <= from) continue;
      kept.push(f.start >= from ? f.pcm : f.pcm.subarray((from - f.start) * 2));
    }
    this.recent.length = 0;
    this.o.voice.keepForConnect(kept);
    this.set({ state: 'awake', phrase });
    this.emit('wake', { ...wake, phrase });
    const connected = this.o.connect();
    // Connecting now: the session's own gate keeps the mic open for the connect buffer.
    this.o.holdMic(false);
    void connected.then((ok) => {
      if (ok) return;
      // Refused (no key, the daily cap) or failed: nothing of it is sent later; wait again.
      this.o.voice.dropConnectBuffer();
      this.current = { state: 'awake', phrase };
      this.follow(this.o.session.state);
    });
  }

  private set(s: WakeState): void {
    if (JSON.stringify(s) === JSON.stringify(this.current)) return;
    this.current = s;
    this.emit('state', s);
  }
}
