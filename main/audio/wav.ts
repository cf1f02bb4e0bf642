// WAV in and out, for the talk command, saved history audio and the tests. Any PCM or float WAV is accepted and turned into
// what the Realtime API speaks: 24 kHz mono PCM16. Parsing and resampling are wavefile's (sinc).
import { readFileSync, writeFileSync } from 'node:fs';
import wavefilePkg from 'wavefile';
import { SAMPLE_RATE } from '../../common/audio-format';

// wavefile ships CommonJS with a default export object; its types describe the class.
const { WaveFile } = wavefilePkg as unknown as { WaveFile: typeof import('wavefile').WaveFile };

export const RATE = SAMPLE_RATE;

export function decodeWav(bytes: Uint8Array, name = 'input'): Int16Array {
  let wav: InstanceType<typeof WaveFile>;
  try {
    wav = new WaveFile(bytes);
  } catch (err) {
    throw new Error(`${name} is not a readable WAV file (${(err as Error).message})`);
  }
  // Copied out: wavefile replaces its fmt object on conversion.
  const fmt = { ...(wav.fmt as { audioFormat: number; numChannels: number; sampleRate: number }) };
  if (fmt.audioFormat !== 1 && fmt.audioFormat !== 3 && fmt.audioFormat !== 65534) {
    throw new Error(`${name} is a compressed WAV (format ${fmt.audioFormat}); use PCM or float`);
  }
  // 32-bit float first: every integer depth (8-bit unsigned included) then reads as ±1.
  if ((wav as unknown as { bitDepth: string }).bitDepth !== '32f') wav.toBitDepth('32f');
  if (fmt.sampleRate !== RATE) wav.toSampleRate(RATE, { method: 'sinc' });
  const raw = wav.getSamples(false) as unknown;
  const list = (fmt.numChannels > 1 ? raw : [raw]) as Float64Array[];
  const frames = list[0]?.length ?? 0;
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (const ch of list) sum += ch[i]!;
    out[i] = Math.max(-32768, Math.min(32767, Math.round((sum / list.length) * 32767)));
  }
  return out;
}

export function readWav(path: string): Int16Array {
  return decodeWav(readFileSync(path), path);
}

export function encodeWav(samples: Int16Array, rate = RATE, channels = 1): Uint8Array {
  const wav = new WaveFile();
  if (channels === 1) wav.fromScratch(1, rate, '16', samples);
  else {
    // Interleaved input, written as separate channels.
    const per = Array.from({ length: channels }, (_, c) => samples.filter((_, i) => i % channels === c));
    wav.fromScratch(channels, rate, '16', per);
  }
  return wav.toBuffer();
}

export function writeWav(path: string, samples: Int16Array, rate = RATE): void {
  writeFileSync(path, encodeWav(samples, rate));
}

export function asBytes(samples: Int16Array): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}
