// PCM16 little-endian mono at 24 kHz, the only rate the GA API accepts.
import { BYTES_PER_MS, SAMPLE_RATE } from '../common/audio-format';

export { BYTES_PER_MS, SAMPLE_RATE };

export function msToSamples(ms: number): number {
  return Math.round((ms * SAMPLE_RATE) / 1000);
}

export function samplesToMs(samples: number): number {
  return (samples * 1000) / SAMPLE_RATE;
}

/** Decodes a base64 PCM16 payload; an odd trailing byte is dropped as the real server would ignore a half sample. */
export function decodePcm16(base64: string): Int16Array {
  const buf = Buffer.from(base64, 'base64');
  const samples = new Int16Array(buf.length >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(i * 2);
  return samples;
}

export function encodePcm16(samples: Int16Array): string {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');
}

/**
 * Reply audio: a 440 Hz tone whose loudness rises and falls once per ~250 ms "word", so a
 * listener (or a test) can tell it is speech-like and where it was cut. `offsetMs` keeps the
 * phase continuous across chunks, which makes the signal identical however it is chunked.
 */
export function replyTone(offsetMs: number, ms: number): Int16Array {
  const start = msToSamples(offsetMs);
  const out = new Int16Array(msToSamples(offsetMs + ms) - start);
  for (let i = 0; i < out.length; i++) {
    const n = start + i;
    const t = n / SAMPLE_RATE;
    const word = 0.55 + 0.45 * Math.sin(Math.PI * ((t * 4) % 1));
    out[i] = Math.round(Math.sin(2 * Math.PI * 440 * t) * word * 0.3 * 32767);
  }
  return out;
}

/** Test input: silence, then a tone of `toneMs`, then silence; amplitude is a fraction of full scale. */
export function toneWithSilence(leadMs: number, toneMs: number, tailMs: number, amplitude = 0.3, hz = 220): Int16Array {
  const lead = msToSamples(leadMs);
  const tone = msToSamples(toneMs);
  const out = new Int16Array(lead + tone + msToSamples(tailMs));
  for (let i = 0; i < tone; i++) out[lead + i] = Math.round(Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE) * amplitude * 32767);
  return out;
}

export function rms(samples: Int16Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) {
    const v = (samples[i] ?? 0) / 32768;
    sum += v * v;
  }
  return to > from ? Math.sqrt(sum / (to - from)) : 0;
}
