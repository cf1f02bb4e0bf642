// 24 kHz → 16 kHz for the on-device models (Silero VAD, later the wake word), which take 16 kHz.
// A 2/3 polyphase resampler: conceptually up by 2 (to 48 kHz), low-pass below 8 kHz, down by 3.
// The filter is the renderer's windowed sinc, so there is one design of it in the project.
import { designLowpass } from '../../renderer/audio/resample';

const UP = 2;
const DOWN = 3;
/** 7.2 kHz at 48 kHz: below the 8 kHz Nyquist of 16 kHz, keeping the speech band. */
const CUTOFF = 7_200 / 48_000;
const TAPS = 48; // a multiple of UP: 24 taps per phase

export class Resampler24to16 {
  private readonly phases: Float32Array[];
  private readonly perPhase: number;
  /** Input history, doubled so a dot product never wraps. */
  private readonly hist: Float32Array;
  private pos = 0;
  /** Position of the next output in the 48 kHz upsampled stream, relative to the newest input. */
  private t = 0;

  constructor() {
    const h = designLowpass(TAPS + 1, CUTOFF).subarray(0, TAPS);
    this.perPhase = TAPS / UP;
    this.phases = Array.from({ length: UP }, (_, p) => {
      const ph = new Float32Array(this.perPhase);
      for (let k = 0; k < this.perPhase; k++) ph[k] = h[k * UP + p]! * UP;
      return ph;
    });
    this.hist = new Float32Array(this.perPhase * 2);
  }

  /** PCM16 at 24 kHz in; float samples at 16 kHz appended to `out` (returns how many were written). */
  process(input: Int16Array, out: Float32Array, outAt = 0): number {
    const n = this.perPhase;
    let w = outAt;
    for (let i = 0; i < input.length; i++) {
      this.pos = this.pos === 0 ? n - 1 : this.pos - 1;
      const x = input[i]! / 32768;
      this.hist[this.pos] = x;
      this.hist[this.pos + n] = x;
      // Each input sample spans UP positions of the 48 kHz stream; an output falls every DOWN of them.
      while (this.t < UP) {
        const ph = this.phases[this.t]!;
        let acc = 0;
        for (let k = 0; k < n; k++) acc += ph[k]! * this.hist[this.pos + k]!;
        out[w++] = acc;
        this.t += DOWN;
      }
      this.t -= UP;
    }
    return w - outAt;
  }
}
