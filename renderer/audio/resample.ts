// Factor-of-two resampling between a 48 kHz AudioContext and the API's 24 kHz, used only when the
// context runs at 48 kHz (see docs/audio-engine.md for the 24k-vs-48k measurement).
// One windowed-sinc low-pass serves both directions. History is kept twice (at i and i+taps) so the
// dot product never wraps: no modulo and no allocation per sample.

export const FIR_TAPS = 63;
/** Cut-off as a fraction of 48 kHz: 10.56 kHz, below the 12 kHz Nyquist of 24 kHz. */
export const FIR_CUTOFF = 0.22;

/** Blackman-windowed sinc, unity gain at DC. */
export function designLowpass(taps = FIR_TAPS, cutoff = FIR_CUTOFF): Float32Array {
  const h = new Float32Array(taps);
  const m = (taps - 1) / 2;
  let sum = 0;
  for (let i = 0; i < taps; i++) {
    const x = i - m;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (taps - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (taps - 1));
    h[i] = sinc * w;
    sum += h[i]!;
  }
  for (let i = 0; i < taps; i++) h[i]! /= sum;
  return h;
}

/** 48 kHz → 24 kHz: low-pass, keep every second sample. Group delay (taps-1)/2 = 31 input samples. */
export class Decimator2 {
  private readonly h: Float32Array;
  private readonly hist: Float32Array;
  private pos = 0;
  private phase = 0;

  constructor(h = designLowpass()) {
    this.h = h;
    this.hist = new Float32Array(h.length * 2);
  }

  /** Consumes `n` input samples, writes the outputs into `out` from 0, returns how many. */
  process(input: Float32Array, n: number, out: Float32Array): number {
    const h = this.h;
    const hist = this.hist;
    const taps = h.length;
    let produced = 0;
    for (let i = 0; i < n; i++) {
      this.pos = this.pos === 0 ? taps - 1 : this.pos - 1;
      const x = input[i]!;
      hist[this.pos] = x;
      hist[this.pos + taps] = x;
      this.phase ^= 1;
      if (this.phase === 0) {
        let acc = 0;
        const p = this.pos;
        for (let k = 0; k < taps; k++) acc += h[k]! * hist[p + k]!;
        out[produced++] = acc;
      }
    }
    return produced;
  }
}

/** 24 kHz → 48 kHz: zero-stuff and low-pass, computed as two polyphase branches (gain ×2). */
export class Upsampler2 {
  private readonly even: Float32Array;
  private readonly odd: Float32Array;
  private readonly hist: Float32Array;
  private readonly len: number;
  private pos = 0;

  constructor(h = designLowpass()) {
    this.len = Math.ceil(h.length / 2);
    this.even = new Float32Array(this.len);
    this.odd = new Float32Array(this.len);
    for (let j = 0; j < h.length; j++) {
      if (j % 2 === 0) this.even[j / 2] = 2 * h[j]!;
      else this.odd[(j - 1) / 2] = 2 * h[j]!;
    }
    this.hist = new Float32Array(this.len * 2);
  }

  /** Pushes one input sample and writes the two output samples at out[at], out[at+1]. */
  step(x: number, out: Float32Array, at: number): void {
    const len = this.len;
    const hist = this.hist;
    this.pos = this.pos === 0 ? len - 1 : this.pos - 1;
    hist[this.pos] = x;
    hist[this.pos + len] = x;
    const p = this.pos;
    let a = 0;
    let b = 0;
    for (let k = 0; k < len; k++) {
      const v = hist[p + k]!;
      a += this.even[k]! * v;
      b += this.odd[k]! * v;
    }
    out[at] = a;
    out[at + 1] = b;
  }

  /** Barge-in: forget the past so nothing of the cut audio rings on. */
  reset(): void {
    this.hist.fill(0);
  }
}
