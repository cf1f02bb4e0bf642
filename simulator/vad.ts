import { rms, SAMPLE_RATE } from './pcm';

export type TurnDetection = Record<string, any> | null;
export type VadEvent = { type: 'start'; sample: number } | { type: 'stop'; sample: number };

const FRAME = SAMPLE_RATE / 100; // 10 ms frames: fine enough that reported times land on 10 ms edges.

/**
 * Energy VAD standing in for the server's model.
 * - server_vad `threshold` (0..1) maps linearly to a frame RMS of threshold × 0.04 of full scale,
 *   so the default 0.5 → 0.02 (≈ −34 dBFS): any deliberate tone is speech, digital silence is not.
 * - semantic_vad uses the default threshold and waits for silence by eagerness:
 *   high 300 ms, medium/auto 500 ms, low 1000 ms (the real model waits up to 2/4/8 s when unsure).
 * Speech starts on the first voiced frame; it stops once `silence_duration_ms` of unvoiced frames
 * have passed, and the stop point reported is that detection point (last voiced frame end + silence).
 */
export class EnergyVad {
  private pending = new Int16Array(0);
  private pendingStart = 0;
  private speaking = false;
  private lastVoicedEnd = 0;

  constructor(private config: TurnDetection) {}

  configure(config: TurnDetection): void {
    this.config = config;
    if (!config) this.reset(this.pendingStart + this.pending.length);
  }

  /** Forget partial speech, e.g. after a commit or clear; `sample` is where the next audio starts. */
  reset(sample: number): void {
    this.pending = new Int16Array(0);
    this.pendingStart = sample;
    this.speaking = false;
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }

  private get rmsThreshold(): number {
    const threshold = this.config?.type === 'server_vad' ? (this.config.threshold ?? 0.5) : 0.5;
    return threshold * 0.04;
  }

  private get silenceSamples(): number {
    const c = this.config;
    if (!c) return Infinity;
    if (c.type === 'semantic_vad') {
      const ms = { high: 300, medium: 500, auto: 500, low: 1000 }[c.eagerness as string] ?? 500;
      return (ms * SAMPLE_RATE) / 1000;
    }
    return ((c.silence_duration_ms ?? 200) * SAMPLE_RATE) / 1000;
  }

  /** Feeds appended samples whose first sample has session index `start`; returns what was detected. */
  push(samples: Int16Array, start: number): VadEvent[] {
    if (!this.config) return [];
    if (this.pendingStart + this.pending.length !== start) this.reset(start);
    const buf = new Int16Array(this.pending.length + samples.length);
    buf.set(this.pending);
    buf.set(samples, this.pending.length);
    const events: VadEvent[] = [];
    let offset = 0;
    for (; offset + FRAME <= buf.length; offset += FRAME) {
      const frameStart = this.pendingStart + offset;
      const voiced = rms(buf, offset, offset + FRAME) >= this.rmsThreshold;
      if (voiced) {
        if (!this.speaking) events.push({ type: 'start', sample: frameStart });
        this.speaking = true;
        this.lastVoicedEnd = frameStart + FRAME;
      } else if (this.speaking && frameStart + FRAME - this.lastVoicedEnd >= this.silenceSamples) {
        this.speaking = false;
        events.push({ type: 'stop', sample: this.lastVoicedEnd + this.silenceSamples });
      }
    }
    this.pending = buf.slice(offset);
    this.pendingStart += offset;
    return events;
  }
}
