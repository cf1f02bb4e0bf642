// Fake-microphone WAVs written by the tests themselves: tones at known frequency and level, and
// known silences. Chromium loops the file unless its path ends with %noloop.
import { writeFileSync } from 'node:fs';
import { encodeWav } from '../../main/audio/wav';

export type Segment = { ms: number; silence: true } | { ms: number; hz: number | number[]; amp: number };

export function synth(segments: Segment[], rate = 48_000): Float32Array {
  const total = segments.reduce((n, s) => n + Math.round((s.ms * rate) / 1000), 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const s of segments) {
    const n = Math.round((s.ms * rate) / 1000);
    if (!('silence' in s)) {
      const freqs = Array.isArray(s.hz) ? s.hz : [s.hz];
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (const f of freqs) v += Math.sin((2 * Math.PI * f * i) / rate);
        out[at + i] = (s.amp * v) / freqs.length;
      }
    }
    at += n;
  }
  return out;
}

export function wavBytes(samples: Float32Array, rate = 48_000): Buffer {
  const pcm = Int16Array.from(samples, (v) => Math.round(Math.max(-1, Math.min(1, v)) * 32767));
  return Buffer.from(encodeWav(pcm, rate));
}

export function writeWav(path: string, segments: Segment[], rate = 48_000): string {
  writeFileSync(path, wavBytes(synth(segments, rate), rate));
  return path;
}

/** PCM16 LE bytes of a tone at 24 kHz, phase-continuous from sample `from`. */
export function tonePcm(samples: number, hz: number, amp: number, from = 0, rate = 24_000): Uint8Array {
  const b = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const x = amp * Math.sin((2 * Math.PI * hz * (from + i)) / rate);
    b.writeInt16LE(Math.round(x * 32767), i * 2);
  }
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
