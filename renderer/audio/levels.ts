// Level metering shared by both worklets: accumulate over a window of quanta, then report once.
// The UI wants ~30 Hz; the window is a whole number of render quanta so no timer is ever needed.

export interface Level {
  /** Root mean square over the window, linear 0..1. */
  rms: number;
  /** Largest absolute sample over the window, linear 0..1. */
  peak: number;
}

export const LEVEL_HZ = 30;
export const RENDER_QUANTUM = 128;

/** Quanta per level report: 6 at 24 kHz (31.25 Hz), 13 at 48 kHz (28.8 Hz). */
export function quantaPerLevel(rate: number, hz = LEVEL_HZ, quantum = RENDER_QUANTUM): number {
  return Math.max(1, Math.round(rate / quantum / hz));
}

export class LevelMeter {
  private sumSq = 0;
  private peak = 0;
  private count = 0;
  private quanta = 0;

  constructor(readonly quantaPerReport: number) {}

  /** Adds `n` samples of `buf`; returns true when a report is due (then call `take`). */
  addQuantum(buf: Float32Array, n = buf.length): boolean {
    let sumSq = this.sumSq;
    let peak = this.peak;
    for (let i = 0; i < n; i++) {
      const x = buf[i]!;
      sumSq += x * x;
      const a = x < 0 ? -x : x;
      if (a > peak) peak = a;
    }
    this.sumSq = sumSq;
    this.peak = peak;
    this.count += n;
    return ++this.quanta >= this.quantaPerReport;
  }

  /** Writes the window's level into `out` (reused by the caller) and starts a new window. */
  take(out: Level): Level {
    out.rms = this.count > 0 ? Math.sqrt(this.sumSq / this.count) : 0;
    out.peak = this.peak;
    this.sumSq = 0;
    this.peak = 0;
    this.count = 0;
    this.quanta = 0;
    return out;
  }
}

export function toDbfs(x: number): number {
  return x > 0 ? 20 * Math.log10(x) : -Infinity;
}
