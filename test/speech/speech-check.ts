// Tells real speech from a tone, for the tests that must not be fooled by a beep: speech spreads
// its energy over many frequencies (no single dominant bin) and its loudness rises and falls with
// the words (it drops near silence between many of them). A tone, even one whose loudness wobbles,
// fails one of the two. Reusable by any test that checks a voice.
import { goertzel, rms } from '../chromium/analysis';

export interface SpeechShape {
  /** The largest share of the 80–4000 Hz energy held by one 20 Hz bin (a pure tone: near 1). */
  dominantBinShare: number;
  /** How many times the 20 ms loudness falls below a tenth of its loudest after having been above a third of it. */
  dips: number;
}

export function speechShape(pcm: Int16Array, rate = 24_000): SpeechShape {
  const x = Float32Array.from(pcm, (v) => v / 32768);
  // A few 100 ms windows from the loud part are enough for the spectrum and keep this fast.
  const win = Math.round(rate / 10);
  const hop = Math.max(win, Math.floor(x.length / 12));
  const power = new Map<number, number>();
  for (let from = 0; from + win <= x.length; from += hop) {
    if (rms(x, from, from + win) < 0.01) continue;
    for (let hz = 80; hz <= 4000; hz += 20) power.set(hz, (power.get(hz) ?? 0) + goertzel(x, hz, rate, from, from + win) ** 2);
  }
  const total = [...power.values()].reduce((a, b) => a + b, 0);
  const dominantBinShare = total > 0 ? Math.max(...power.values()) / total : 1;

  const frame = Math.round(rate / 50);
  const levels: number[] = [];
  for (let i = 0; i + frame <= x.length; i += frame) levels.push(rms(x, i, i + frame));
  const peak = Math.max(0, ...levels);
  let dips = 0;
  let armed = false;
  for (const l of levels) {
    if (l > peak / 3) armed = true;
    else if (armed && l < peak / 10) {
      dips++;
      armed = false;
    }
  }
  return { dominantBinShare, dips };
}
