// Turns the wake-word model's per-frame scores (one each 80 ms) into wakes: `patience` frames in a
// row at or above the threshold wake, then nothing wakes again for the cooldown. Two frames, as
// openWakeWord's own `patience` option: measured on synthesized speech, a lone high frame is far
// more often another phrase ("hey, Jack") than the wake phrase, which holds for several frames.
// Counted in mic samples, not wall time, so the same audio gives the same wakes however fast it is
// processed (the tests run it faster than real time).
export interface WakeDetectorOptions {
  /** 0..1: higher wakes more easily (and falsely more often). The threshold is 1 − sensitivity. */
  sensitivity: number;
  cooldownMs: number;
  /** Consecutive frames at or above the threshold; default 2. */
  patience?: number;
}

export interface Wake {
  /** 24 kHz mic sample where the frame that completed the wake ends. */
  sample: number;
  score: number;
}

export class WakeDetector {
  private nextAllowed = -Infinity;
  private run = 0;

  constructor(private opts: WakeDetectorOptions) {}

  configure(opts: WakeDetectorOptions): void {
    this.opts = opts;
  }

  get threshold(): number {
    return Math.min(0.99, Math.max(0.01, 1 - this.opts.sensitivity));
  }

  /** One frame's score; `endSample` is where that frame ends. */
  push(score: number, endSample: number): Wake | null {
    if (endSample < this.nextAllowed) return null;
    this.run = score >= this.threshold ? this.run + 1 : 0;
    if (this.run < (this.opts.patience ?? 2)) return null;
    this.run = 0;
    this.nextAllowed = endSample + this.opts.cooldownMs * 24;
    return { sample: endSample, score };
  }

  /** A fresh start (the mode turned on again): no cooldown or run carried over. */
  reset(): void {
    this.nextAllowed = -Infinity;
    this.run = 0;
  }
}
