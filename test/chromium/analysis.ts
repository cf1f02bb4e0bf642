// Signal checks on captured/tapped audio: level, frequency (Goertzel), and silent/loud segments.

export function pcm16ToFloat(buf: ArrayBuffer | Uint8Array): Float32Array {
  const u8 = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const out = new Float32Array(u8.byteLength >> 1);
  for (let i = 0; i < out.length; i++) out[i] = dv.getInt16(i * 2, true) / 32768;
  return out;
}

export function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, to - from));
}

/** Amplitude of the component at `hz` (a pure sine of amplitude A gives ≈ A). */
export function goertzel(x: ArrayLike<number>, hz: number, rate: number, from = 0, to = x.length): number {
  const w = (2 * Math.PI * hz) / rate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s = x[i]! + c * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / (to - from);
}

export function dominantHz(x: ArrayLike<number>, rate: number, lo: number, hi: number, step = 2, from = 0, to = x.length): number {
  let best = lo;
  let bestA = -1;
  for (let f = lo; f <= hi; f += step) {
    const a = goertzel(x, f, rate, from, to);
    if (a > bestA) {
      bestA = a;
      best = f;
    }
  }
  return best;
}

export interface Run {
  loud: boolean;
  start: number;
  end: number;
}

/** Splits into loud/silent runs over windows of `win` samples (RMS against `thr`). */
export function runs(x: ArrayLike<number>, win: number, thr: number): Run[] {
  const out: Run[] = [];
  for (let i = 0; i + win <= x.length; i += win) {
    const loud = rms(x, i, i + win) > thr;
    const last = out[out.length - 1];
    if (last && last.loud === loud) last.end = i + win;
    else out.push({ loud, start: i, end: i + win });
  }
  return out;
}

/** First and last index whose magnitude exceeds `thr`, or null. */
export function extent(x: ArrayLike<number>, thr: number): { first: number; last: number } | null {
  let first = -1;
  let last = -1;
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]!) > thr) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? null : { first, last };
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
