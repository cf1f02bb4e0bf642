/// <reference path="./assets.d.ts" />
// Microphone capture: getUserMedia → capture worklet → 20 ms PCM16 frames, behind the mic gate.
// While the gate is closed the last ~300 ms of frames are kept (not sent) so that a push-to-talk
// turn starts with the syllable spoken just before the key went down.
import type { Level } from './levels';
import { quantaPerLevel } from './levels';
import { CAPTURE_PROCESSOR, type CaptureOptions, type CaptureOut } from './messages';
import captureWorkletUrl from './capture.worklet.ts?worker&url';

export interface CaptureSettings {
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}

export const DEFAULT_CAPTURE_SETTINGS: CaptureSettings = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

import { FRAME_MS } from '../../common/audio-format';

export { FRAME_MS };
export const DEFAULT_PREROLL_MS = 300;

export interface MicCaptureConfig {
  settings?: Partial<CaptureSettings>;
  preRollMs?: number;
  mediaDevices?: MediaDevices;
}

export interface CaptureEvents {
  /** A frame leaves the renderer (gate open, not muted). Ownership of `pcm` passes to the callee. */
  frame?: (pcm: ArrayBuffer, endFrame: number) => void;
  level?: (l: Level) => void;
  /** The track ended on its own (device unplugged, permission revoked). */
  ended?: () => void;
}

export class MicCapture {
  readonly node: AudioWorkletNode;
  events: CaptureEvents = {};
  settings: CaptureSettings;
  private readonly mediaDevices: MediaDevices;
  private stream: MediaStream | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private gateOpen = false;
  private muted = false;
  /** Pre-roll ring: frame buffers with the context frame after their last sample. */
  private readonly preRoll: ({ pcm: ArrayBuffer; endFrame: number } | null)[];
  private preRollNext = 0;
  private activeDeviceId: string | null = null;
  private activeLabel = '';

  private constructor(readonly context: AudioContext, node: AudioWorkletNode, config: MicCaptureConfig) {
    this.node = node;
    this.settings = { ...DEFAULT_CAPTURE_SETTINGS, ...config.settings };
    this.mediaDevices = config.mediaDevices ?? navigator.mediaDevices;
    this.preRoll = new Array(Math.max(0, Math.round((config.preRollMs ?? DEFAULT_PREROLL_MS) / FRAME_MS))).fill(null);
    node.port.onmessage = (e: MessageEvent<CaptureOut>) => this.onMessage(e.data);
  }

  static async create(context: AudioContext, config: MicCaptureConfig = {}, workletUrl = captureWorkletUrl): Promise<MicCapture> {
    await context.audioWorklet.addModule(workletUrl);
    const processorOptions: CaptureOptions = { levelQuanta: quantaPerLevel(context.sampleRate) };
    // Explicit mono input: the graph downmixes a stereo mic before the worklet sees it. No outputs:
    // the node is still pulled by the graph because its input is connected.
    const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions,
    });
    return new MicCapture(context, node, config);
  }

  get deviceId(): string | null {
    return this.activeDeviceId;
  }

  get label(): string {
    return this.activeLabel;
  }

  /** Opens the microphone (`deviceId` null = the system default) and connects it to the worklet. */
  async start(deviceId: string | null = null): Promise<{ deviceId: string | null; label: string }> {
    const audio: MediaTrackConstraints = {
      channelCount: 1,
      echoCancellation: this.settings.echoCancellation,
      noiseSuppression: this.settings.noiseSuppression,
      autoGainControl: this.settings.autoGainControl,
    };
    if (deviceId) audio.deviceId = { exact: deviceId };
    const stream = await this.mediaDevices.getUserMedia({ audio });
    this.stopStream();
    this.stream = stream;
    const track = stream.getAudioTracks()[0];
    if (!track) throw new Error('The microphone gave no audio track.');
    track.addEventListener('ended', () => {
      if (this.stream === stream) this.events.ended?.();
    });
    this.activeDeviceId = track.getSettings().deviceId ?? deviceId;
    this.activeLabel = track.label;
    this.source = this.context.createMediaStreamSource(stream);
    this.source.connect(this.node);
    return { deviceId: this.activeDeviceId, label: this.activeLabel };
  }

  /** Reopens the current device with new processing settings (AEC/NS/AGC). */
  async applySettings(settings: Partial<CaptureSettings>): Promise<void> {
    this.settings = { ...this.settings, ...settings };
    if (this.stream) await this.start(this.activeDeviceId);
  }

  private stopStream(): void {
    this.source?.disconnect();
    this.source = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
  }

  stop(): void {
    this.stopStream();
    this.clearPreRoll();
  }

  /** Whether the microphone is open (the OS shows its indicator while it is). */
  get running(): boolean {
    return this.stream !== null;
  }

  setGate(open: boolean): void {
    if (open === this.gateOpen) return;
    this.gateOpen = open;
    if (open && !this.muted) this.flushPreRoll();
  }

  get gate(): boolean {
    return this.gateOpen;
  }

  /** Muted: nothing leaves, and nothing is kept for a pre-roll either. */
  setMuted(muted: boolean): void {
    this.muted = muted;
    if (muted) this.clearPreRoll();
  }

  private onMessage(m: CaptureOut): void {
    if (m.type === 'level') {
      this.events.level?.({ rms: this.muted ? 0 : m.rms, peak: this.muted ? 0 : m.peak });
      return;
    }
    if (this.muted) return;
    if (this.gateOpen) this.events.frame?.(m.pcm, m.endFrame);
    else if (this.preRoll.length > 0) {
      this.preRoll[this.preRollNext] = { pcm: m.pcm, endFrame: m.endFrame };
      this.preRollNext = (this.preRollNext + 1) % this.preRoll.length;
    }
  }

  private flushPreRoll(): void {
    const n = this.preRoll.length;
    for (let i = 0; i < n; i++) {
      const slot = (this.preRollNext + i) % n;
      const f = this.preRoll[slot];
      this.preRoll[slot] = null;
      if (f) this.events.frame?.(f.pcm, f.endFrame);
    }
    this.preRollNext = 0;
  }

  private clearPreRoll(): void {
    this.preRoll.fill(null);
    this.preRollNext = 0;
  }

  dispose(): void {
    this.stop();
    this.node.port.postMessage({ type: 'stop' });
    this.node.disconnect();
    this.node.port.onmessage = null;
  }
}
