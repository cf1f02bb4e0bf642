// Turns Silero's per-window speech probabilities into speech events, with hysteresis:
// - 'onset': the first window above the on-threshold. Instant, and may be a false start; the
//   barge-in pauses playback on it because a pause can be undone.
// - 'start': speech has lasted minSpeechMs. A detected utterance; a barge-in is confirmed on it.
// - 'misfire': an onset whose speech ended before it became a 'start' (a cough, a click).
// - 'end': endSilenceMs below the off-threshold after a 'start'; reported at the last speech window.
// Positions are 24 kHz sample indexes of the mic stream, as the worker reports them.
import { samplesMs } from '../../common/audio-format';

export interface SpeechDetectorOptions {
  onThreshold: number;
  offThreshold: number;
  minSpeechMs: number;
  endSilenceMs: number;
}

export const DEFAULT_DETECTOR: SpeechDetectorOptions = { onThreshold: 0.5, offThreshold: 0.35, minSpeechMs: 160, endSilenceMs: 480 };

export type SpeechEvent =
  | { type: 'onset'; sample: number }
  | { type: 'start'; sample: number }
  | { type: 'misfire'; sample: number }
  | { type: 'end'; sample: number; startSample: number };

const WINDOW_24K = 768; // 512 samples at 16 kHz

export class SpeechDetector {
  private opts: SpeechDetectorOptions;
  private state: 'silent' | 'onset' | 'speech' = 'silent';
  private onsetSample = 0;
  private lastSpeechEnd = 0;

  constructor(opts: Partial<SpeechDetectorOptions> = {}) {
    this.opts = { ...DEFAULT_DETECTOR, ...opts };
  }

  get speaking(): boolean {
    return this.state === 'speech';
  }

  get inOnset(): boolean {
    return this.state === 'onset';
  }

  configure(opts: Partial<SpeechDetectorOptions>): void {
    this.opts = { ...this.opts, ...opts };
  }

  reset(): void {
    this.state = 'silent';
  }

  /** One window's probability; `endSample` is where that window ends. */
  push(prob: number, endSample: number): SpeechEvent[] {
    const o = this.opts;
    const start = endSample - WINDOW_24K;
    const ms = samplesMs;
    const events: SpeechEvent[] = [];
    if (this.state === 'silent') {
      if (prob >= o.onThreshold) {
        this.state = 'onset';
        this.onsetSample = start;
        this.lastSpeechEnd = endSample;
        events.push({ type: 'onset', sample: start });
      }
      return events;
    }
    if (prob >= o.offThreshold) this.lastSpeechEnd = endSample;
    const silentFor = ms(endSample - this.lastSpeechEnd);
    if (this.state === 'onset') {
      if (prob < o.offThreshold && silentFor >= Math.min(o.endSilenceMs, 100)) {
        this.state = 'silent';
        events.push({ type: 'misfire', sample: this.lastSpeechEnd });
      } else if (ms(this.lastSpeechEnd - this.onsetSample) >= o.minSpeechMs) {
        this.state = 'speech';
        events.push({ type: 'start', sample: this.onsetSample });
      }
      return events;
    }
    if (silentFor >= o.endSilenceMs) {
      this.state = 'silent';
      events.push({ type: 'end', sample: this.lastSpeechEnd, startSample: this.onsetSample });
    }
    return events;
  }
}
