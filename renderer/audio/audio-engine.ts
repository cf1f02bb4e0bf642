// The renderer's audio engine: one AudioContext, the mic capture and the player, wired to the
// bridge. Everything here is driven by events (bridge events, worklet port messages,
// devicechange); nothing polls, so a hidden window loses nothing to timer throttling.
import type { CompanionApi, Notice, SessionState } from '../../preload/api';
import { MicCapture, type CaptureSettings } from './capture';
import {
  listDevices,
  localStorageStore,
  replugSentence,
  resolveChoice,
  unpluggedSentence,
  type ChoiceStore,
  type DeviceOption,
} from './devices';
import type { Level } from './levels';
import { desktopOs, micProblem, type MicProblem } from './mic-permission';
import { Player, type PlayerConfig } from './player';

/** What the engine needs of `window.companion`: the audio channels and the events. */
export type EngineBridge = Pick<CompanionApi, 'sendAudioFrame' | 'reportInterrupted' | 'on'>;

/**
 * 48 kHz with our 2× FIR: same aliasing rejection and CPU as a 24 kHz context that Chromium
 * resamples, but steadier capture delivery and a 2.67 ms quantum (docs/audio-engine.md).
 */
export const DEFAULT_CONTEXT_RATE = 48_000;
export const DEFAULT_LATENCY_HINT: AudioContextLatencyCategory | number = 'interactive';

export interface AudioEngineOptions {
  companion: EngineBridge;
  capture?: Partial<CaptureSettings>;
  player?: PlayerConfig;
  preRollMs?: number;
  contextRate?: 24_000 | 48_000;
  /** The context's latencyHint; 'interactive' by default (bench/audio-latency.ts compares others). */
  latencyHint?: AudioContextLatencyCategory | number;
  inputStore?: ChoiceStore;
  outputStore?: ChoiceStore;
  mediaDevices?: MediaDevices;
  /** The gate before the session says otherwise. Closed: no audio leaves until main opens it. */
  gateOpen?: boolean;
}

export interface Levels {
  input: Level;
  output: Level;
}

export interface EngineEvents {
  levels?: (l: Levels) => void;
  notice?: (n: Notice) => void;
  /** The microphone could not be opened (problem), or opened again after that (null). */
  mic?: (problem: MicProblem | null) => void;
  /** Test and benchmark hooks; the app does not need them. */
  frameSent?: (endFrame: number) => void;
}

export class AudioEngine {
  events: EngineEvents = {};
  readonly levels: Levels = { input: { rms: 0, peak: 0 }, output: { rms: 0, peak: 0 } };
  private readonly unsubscribe: (() => void)[] = [];
  private readonly inputStore: ChoiceStore;
  private readonly outputStore: ChoiceStore;
  private readonly mediaDevices: MediaDevices;
  /** Set while the remembered mic is missing and the default stands in for it. */
  private inputFallback: { deviceId: string; label: string } | null = null;
  private outputWarning: string | null = null;
  /** Set while the remembered output is missing and the default plays instead. */
  private outputFallback: { deviceId: string; label: string } | null = null;
  private opening = false;
  /** Why the microphone is not open; the engine runs on without it, so replies still play. */
  micProblem: MicProblem | null = null;

  private constructor(
    readonly context: AudioContext,
    readonly capture: MicCapture,
    readonly player: Player,
    private readonly companion: EngineBridge,
    options: AudioEngineOptions,
  ) {
    this.inputStore = options.inputStore ?? localStorageStore('hark.audio.input');
    this.outputStore = options.outputStore ?? localStorageStore('hark.audio.output');
    this.mediaDevices = options.mediaDevices ?? navigator.mediaDevices;
  }

  static async start(options: AudioEngineOptions): Promise<AudioEngine> {
    const context = new AudioContext({ sampleRate: options.contextRate ?? DEFAULT_CONTEXT_RATE, latencyHint: options.latencyHint ?? DEFAULT_LATENCY_HINT });
    const mediaDevices = options.mediaDevices ?? navigator.mediaDevices;
    const [capture, player] = await Promise.all([
      MicCapture.create(context, { settings: options.capture ?? {}, preRollMs: options.preRollMs ?? 300, mediaDevices }),
      Player.create(context, options.player ?? {}),
    ]);
    const engine = new AudioEngine(context, capture, player, options.companion, options);
    engine.wire(options.gateOpen ?? false);
    await engine.openMic();
    await engine.applyOutputChoice();
    await context.resume();
    return engine;
  }

  private notice(level: Notice['level'], message: string, code: string): void {
    this.events.notice?.({ level, message, code });
  }

  private wire(gateOpen: boolean): void {
    const c = this.companion;
    this.capture.setGate(gateOpen);
    this.capture.events.frame = (pcm, endFrame) => {
      c.sendAudioFrame(pcm);
      this.events.frameSent?.(endFrame);
    };
    this.capture.events.level = (l) => {
      this.levels.input = l;
      this.events.levels?.(this.levels);
    };
    this.capture.events.ended = () => void this.onInputLost();
    this.player.events.level = (l) => {
      this.levels.output = { rms: l.rms, peak: l.peak };
      this.events.levels?.(this.levels);
    };
    this.player.events.overflow = (itemId, droppedMs) =>
      this.notice('warning', `The reply was longer than the playback buffer holds; ${Math.round(droppedMs)} ms of it was skipped.`, 'audio-overflow');
    this.unsubscribe.push(
      c.on('audio:delta', (d) => void this.player.push(d)),
      c.on('audio:done', (d) => this.player.done(d.itemId)),
      c.on('audio:interrupt', ({ requestId }) => {
        void this.player.interrupt().then(({ itemId, playedMs }) => c.reportInterrupted({ requestId, itemId, playedMs }));
      }),
      c.on('mic:gate', ({ open }) => this.capture.setGate(open)),
      c.on('session:state', (s) => void this.followSession(s)),
    );
    const onDeviceChange = () => void this.onDeviceChange();
    this.mediaDevices.addEventListener('devicechange', onDeviceChange);
    this.unsubscribe.push(() => this.mediaDevices.removeEventListener('devicechange', onDeviceChange));
  }

  listInputs(): Promise<DeviceOption[]> {
    return listDevices(this.mediaDevices, 'audioinput');
  }

  listOutputs(): Promise<DeviceOption[]> {
    return listDevices(this.mediaDevices, 'audiooutput');
  }

  /** Switches the mic and remembers the choice ('default' forgets it). */
  async chooseInput(deviceId: string): Promise<void> {
    const devices = await this.listInputs();
    const d = devices.find((x) => x.deviceId === deviceId);
    if (!d) throw new Error('That microphone is not connected.');
    await this.capture.start(d.isDefault ? null : d.deviceId);
    this.inputStore.save(d.isDefault ? null : { deviceId: d.deviceId, label: d.label });
    this.inputFallback = null;
  }

  /** Switches the output and remembers it; returns the echo-cancellation warning, if any. */
  async chooseOutput(deviceId: string): Promise<string | null> {
    const devices = await this.listOutputs();
    const d = devices.find((x) => x.deviceId === deviceId);
    if (!d) throw new Error('That output device is not connected.');
    this.outputWarning = await this.player.setSinkId(d.isDefault ? '' : d.deviceId);
    this.outputStore.save(d.isDefault ? null : { deviceId: d.deviceId, label: d.label });
    this.outputFallback = null;
    return this.outputWarning;
  }

  /** The warning the UI should keep showing while a non-default output is in use. */
  get warning(): string | null {
    return this.outputWarning;
  }

  setMuted(muted: boolean): void {
    this.capture.setMuted(muted);
  }

  /**
   * Mute follows the session, and so does the microphone itself: while there is no session (idle
   * disconnect, an error) it is closed, so the system's mic indicator goes off; it reopens as soon
   * as a connection starts, in time for the pre-roll.
   */
  async followSession(s: SessionState): Promise<void> {
    this.capture.setMuted(s.muted);
    const wanted = s.phase !== 'disconnected' && s.phase !== 'error';
    // Without a session nothing is captured or played: a suspended context renders no quanta, so the
    // disconnected window costs no CPU (the first-run chime resumes it for itself).
    if (!wanted && this.context.state === 'running') void this.context.suspend();
    else if (wanted && this.context.state === 'suspended') await this.context.resume();
    if (!wanted && this.capture.running) this.capture.stop();
    else if (wanted && !this.capture.running && !this.opening) {
      this.opening = true;
      try {
        await this.openMic();
      } finally {
        this.opening = false;
      }
    }
  }

  /**
   * Opens the chosen (or default) microphone; a refusal becomes `micProblem` and one notice in words,
   * never an exception: it used to escape from the session-state listener as an uncaught error.
   */
  async openMic(): Promise<boolean> {
    try {
      await this.applyInputChoice();
      this.setMicProblem(null);
      return true;
    } catch (e) {
      this.setMicProblem(micProblem(e, desktopOs(navigator.userAgent)));
      return false;
    }
  }

  private setMicProblem(p: MicProblem | null): void {
    const before = this.micProblem;
    this.micProblem = p;
    if (p && before?.kind !== p.kind) this.notice('error', `${p.message} ${p.steps.join(' ')}`, `mic_${p.kind}`);
    if ((p === null) !== (before === null) || p?.kind !== before?.kind) this.events.mic?.(p);
  }

  async applyCaptureSettings(s: Partial<CaptureSettings>): Promise<void> {
    await this.capture.applySettings(s);
  }

  /** Opens the microphone the input store names (e.g. after the settings changed it), else the default. */
  async applyInputChoice(): Promise<void> {
    this.inputFallback = null;
    const choice = this.inputStore.load();
    const r = resolveChoice(choice, await this.listInputs());
    if (r.kind === 'chosen') {
      try {
        await this.capture.start(r.device.deviceId);
        return;
      } catch {
        this.inputFallback = { deviceId: r.device.deviceId, label: r.device.label };
      }
    } else if (r.kind === 'missing') {
      this.inputFallback = r.choice;
    }
    await this.capture.start(null);
    if (this.inputFallback) this.notice('warning', unpluggedSentence('audioinput', this.inputFallback.label), 'mic-fallback');
  }

  /** Routes playback to the output the store names, with a notice when it is not connected. */
  async applyOutputChoice(): Promise<void> {
    this.outputWarning = null;
    this.outputFallback = null;
    const chosen = this.outputStore.load();
    if (!chosen) {
      await this.player.setSinkId('').catch(() => {});
      return;
    }
    const r = resolveChoice(chosen, await this.listOutputs());
    if (r.kind === 'chosen') {
      try {
        this.outputWarning = await this.player.setSinkId(r.device.deviceId);
      } catch {
        await this.fallBackOutput({ deviceId: r.device.deviceId, label: r.device.label });
      }
    } else if (r.kind === 'missing') {
      await this.fallBackOutput(r.choice);
    }
  }

  private async fallBackOutput(lost: { deviceId: string; label: string }): Promise<void> {
    this.outputFallback = lost;
    this.outputWarning = null;
    await this.player.setSinkId('').catch(() => {});
    this.notice('warning', unpluggedSentence('audiooutput', lost.label), 'output-fallback');
  }

  /** The output half of a device change: the chosen speaker went away, or came back. */
  private async onOutputsChanged(): Promise<void> {
    const outputs = await this.listOutputs();
    if (this.outputFallback) {
      const r = resolveChoice(this.outputFallback, outputs);
      if (r.kind !== 'chosen') return;
      try {
        this.outputWarning = await this.player.setSinkId(r.device.deviceId);
        this.outputFallback = null;
        this.notice('info', replugSentence('audiooutput', r.device.label), 'output-restored');
      } catch {
        // listed but not yet usable: the next devicechange tries again
      }
      return;
    }
    const chosen = this.outputStore.load();
    if (chosen && resolveChoice(chosen, outputs).kind === 'missing') await this.fallBackOutput(chosen);
  }

  private async onInputLost(): Promise<void> {
    const lost = { deviceId: this.capture.deviceId ?? '', label: this.capture.label };
    const remembered = this.inputStore.load();
    this.inputFallback = remembered ?? lost;
    await this.capture.start(null);
    this.notice('warning', unpluggedSentence('audioinput', this.inputFallback.label), 'mic-fallback');
  }

  private async onDeviceChange(): Promise<void> {
    await this.onOutputsChanged();
    const inputs = await this.listInputs();
    if (this.inputFallback) {
      const r = resolveChoice(this.inputFallback, inputs);
      if (r.kind === 'chosen') {
        await this.capture.start(r.device.deviceId);
        this.inputFallback = null;
        this.notice('info', replugSentence('audioinput', r.device.label), 'mic-restored');
      }
      return;
    }
    const current = this.capture.deviceId;
    const chosen = this.inputStore.load();
    if (!chosen) return; // on the default device: Chromium follows the system default itself
    if (current && !inputs.some((d) => d.deviceId === current)) {
      this.inputFallback = chosen;
      await this.capture.start(null);
      this.notice('warning', unpluggedSentence('audioinput', chosen.label), 'mic-fallback');
    }
  }

  async dispose(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    this.capture.dispose();
    this.player.dispose();
    await this.context.close();
  }
}
