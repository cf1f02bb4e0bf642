// Real speech for the local-voice tests: espeak-ng says a sentence into a WAV, read at 24 kHz, with
// its true onset and end measured from the clean signal. Also the non-speech the detector must
// ignore (room noise, music-like tones), and the detector run over a clip through the real worker.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav } from '../../main/audio/wav';
import { AudioWorkerHost } from '../../main/voice/audio-worker-host';
import { SpeechDetector, type SpeechDetectorOptions, type SpeechEvent } from '../../main/voice/speech-detector';
import { localVoicePaths } from '../../main/voice/local-voice-paths';

export const RATE = 24_000;
export const SOURCE_ROOT = new URL('../..', import.meta.url).pathname;
export const ms = (samples: number) => (samples * 1000) / RATE;
export const samples = (milliseconds: number) => Math.round((milliseconds * RATE) / 1000);

const cache = new Map<string, Int16Array>();

/** espeak-ng speech at 24 kHz, trimmed to its voiced part (so onset = 0, end = length). */
export function speech(text: string, opts: { voice?: string; wpm?: number; gain?: number } = {}): Int16Array {
  const key = JSON.stringify([text, opts]);
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'hark-espeak-'));
  try {
    const path = join(dir, 'say.wav');
    execFileSync('espeak-ng', ['-v', opts.voice ?? 'en-us', '-s', String(opts.wpm ?? 165), '-w', path, text]);
    const pcm = readWav(path);
    const { onset, end } = voicedSpan(pcm);
    const trimmed = pcm.slice(onset, end);
    if (opts.gain !== undefined) for (let i = 0; i < trimmed.length; i++) trimmed[i] = clamp(trimmed[i]! * opts.gain);
    cache.set(key, trimmed);
    return trimmed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** First and last 10 ms block above −45 dBFS: the ground truth the detector is measured against. */
export function voicedSpan(pcm: Int16Array): { onset: number; end: number } {
  const block = 240;
  let onset = -1;
  let end = 0;
  for (let at = 0; at + block <= pcm.length; at += block) {
    if (rms(pcm, at, at + block) > 0.0056) {
      if (onset < 0) onset = at;
      end = at + block;
    }
  }
  return { onset: Math.max(0, onset), end };
}

export function rms(pcm: Int16Array, from = 0, to = pcm.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (pcm[i]! / 32768) ** 2;
  return to > from ? Math.sqrt(sum / (to - from)) : 0;
}

export function clamp(v: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(v)));
}

export function silence(milliseconds: number): Int16Array {
  return new Int16Array(samples(milliseconds));
}

/** Joins clips back to back. */
export function concat(...clips: Int16Array[]): Int16Array {
  const out = new Int16Array(clips.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of clips) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Adds `b` into `a` from sample `at`, scaled by `gain` (in place; returns a). */
export function mixInto(a: Int16Array, b: Int16Array, at = 0, gain = 1): Int16Array {
  for (let i = 0; i < b.length && at + i < a.length; i++) if (at + i >= 0) a[at + i] = clamp(a[at + i]! + b[i]! * gain);
  return a;
}

/** A seeded generator, so the noise is the same on every run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Room noise: pink-ish noise (a leaky integral of white noise) with a 50 Hz hum, at `level` RMS. */
export function roomNoise(milliseconds: number, level = 0.02, seed = 7): Int16Array {
  const rand = seeded(seed);
  const n = samples(milliseconds);
  const f = new Float32Array(n);
  let b0 = 0;
  let b1 = 0;
  for (let i = 0; i < n; i++) {
    const w = rand() * 2 - 1;
    b0 = 0.997 * b0 + 0.03 * w;
    b1 = 0.9 * b1 + 0.3 * w;
    f[i] = b0 + b1 * 0.5 + 0.2 * Math.sin((2 * Math.PI * 50 * i) / RATE);
  }
  let sum = 0;
  for (const v of f) sum += v * v;
  const scale = (level / Math.sqrt(sum / n)) * 32767;
  return Int16Array.from(f, (v) => clamp(v * scale));
}

/** Music-like tones: a melody of chords with harmonics and note attacks, at `level` peak. */
export function musicTones(milliseconds: number, level = 0.3): Int16Array {
  const n = samples(milliseconds);
  const out = new Int16Array(n);
  const notes = [261.6, 329.6, 392, 523.3, 440, 349.2, 293.7, 392];
  const noteLen = samples(250);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / noteLen);
    const t = (i % noteLen) / RATE;
    const f0 = notes[k % notes.length]!;
    const env = Math.exp(-t * 6);
    let v = 0;
    for (const [mult, amp] of [[1, 1], [2, 0.5], [3, 0.25], [1.5, 0.4]] as const) v += amp * Math.sin(2 * Math.PI * f0 * mult * (i / RATE));
    out[i] = clamp((v / 2.15) * env * level * 32767);
  }
  return out;
}

/** The detector as the app runs it: the real worker (Silero on onnxruntime-node) and SpeechDetector. */
export async function detect(pcm: Int16Array, opts: Partial<SpeechDetectorOptions> = {}): Promise<{ events: SpeechEvent[]; probs: number[]; cpuMsPerMinute: number }> {
  const host = new AudioWorkerHost(localVoicePaths({ sourceRoot: SOURCE_ROOT }));
  const status = await host.start();
  if (status.state !== 'ready') throw new Error(`detector unavailable: ${status.state === 'unavailable' ? status.reason : status.state}`);
  const detector = new SpeechDetector(opts);
  const events: SpeechEvent[] = [];
  const probs: number[] = [];
  const expected = Math.floor((pcm.length * 2) / 3 / 512);
  const done = new Promise<void>((resolve) => {
    host.on('result', (r) => {
      probs.push(r.value);
      events.push(...detector.push(r.value, r.endSample));
      if (probs.length >= expected) resolve();
    });
  });
  for (let at = 0; at < pcm.length; at += 480) host.push(new Uint8Array(pcm.buffer, pcm.byteOffset + at * 2, Math.min(480, pcm.length - at) * 2));
  await done;
  const cpuMsPerMinute = host.cpuMsPerMinute();
  await host.stop();
  return { events, probs, cpuMsPerMinute };
}
