// The wake-word tests' audio: espeak-ng saying the wake phrase in several voices and rates, and over
// ten minutes of other speech (sentences, near-misses like "hey, Harvey") with room noise and
// music-like tones between them. Synthesized once and kept in a temp folder keyed by its recipe, so
// a run pays for it once; and the real worker scores it faster than real time.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioWorkerHost } from '../../main/voice/audio-worker-host';
import { wakeWordPaths, type WakeModelChoice } from '../../main/voice/wake-word-paths';
import { concat, mixInto, musicTones, roomNoise, silence, SOURCE_ROOT, voicedSpan } from './speech';

/** 8 voices × 3 rates: the renditions the detection rate is measured over. */
export const WAKE_VOICES = ['en-us', 'en-us+m2', 'en-us+m3', 'en-us+m7', 'en-us+f2', 'en-us+f3', 'en-us+klatt', 'en'];
export const WAKE_RATES = [160, 180, 200];

const SENTENCES = [
  'Could you remind me to call my sister tomorrow afternoon?',
  'The meeting moved to three thirty, so we have a little more time.',
  'Hey, Harvey, did you see the game last night?',
  'Hey there, can you pass me the salt please?',
  'Travis said the jars of jam are in the cupboard.',
  'I think the service at that restaurant was really slow.',
  'Open the window, it is getting warm in here.',
  'What is the weather going to be like on Saturday?',
  'Hey, Mister Davis, your package arrived this morning.',
  'Let us start with the first chapter and read it aloud.',
  'The train to Amsterdam leaves from platform seven.',
  'Hey, Jack, hurry up, we are going to be late.',
  'My computer keeps asking me to restart for updates.',
  'Please turn the music down a little bit.',
  'Harvest season is the busiest time of the year on the farm.',
  'Do you know how many ounces are in a cup?',
  'Hey, is this seat taken, or can I sit here?',
  'The library closes at nine on weekdays and at five on Sundays.',
  'Jasmine and Marvin are coming over for dinner tonight.',
  'Hey, Siri, just kidding, I was talking to my friend.',
];
const OTHER_VOICES = ['en-us', 'en-us+m3', 'en-us+f2', 'en-gb', 'en-us+m7', 'en-us+klatt'];

/**
 * espeak-ng speech at 24 kHz, trimmed to its voiced part. Resampled by sox: the WAV library's sinc
 * takes minutes over ten minutes of audio, sox a fraction of a second.
 */
export function say(text: string, voice: string, wpm: number): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'hark-say-'));
  try {
    const wav = join(dir, 'say.wav');
    execFileSync('espeak-ng', ['-v', voice, '-s', String(wpm), '-w', wav, text]);
    // -R: sox's dither seeded the same on every run, so the same text gives the same samples. (Its
    // dither also keeps espeak's pauses from being digital zero, which no microphone gives and the
    // wake-word model scores badly: measured, without it the detection rate fell to 15/24.)
    const raw = execFileSync('sox', ['-R', wav, '-t', 'raw', '-r', '24000', '-e', 'signed', '-b', '16', '-c', '1', '-L', '-'], { maxBuffer: 64 << 20 });
    const pcm = new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const { onset, end } = voicedSpan(pcm);
    return pcm.slice(onset, end);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Rendition {
  voice: string;
  wpm: number;
  pcm: Int16Array;
}

/** "hey, jarvis" in each voice and rate, with a second of silence either side. */
export function wakeRenditions(): Rendition[] {
  return WAKE_VOICES.flatMap((voice) => WAKE_RATES.map((wpm) => ({ voice, wpm, pcm: concat(silence(1000), say('hey, jarvis', voice, wpm), silence(1000)) })));
}

const CORPUS_MINUTES = 10;

/** Over ten minutes of speech that is not the phrase, and noise, at 24 kHz; cached in a temp folder. */
export function falseWakeCorpus(): { pcm: Int16Array; segments: Segment[]; cached: boolean } {
  const recipe = JSON.stringify({ v: 4, SENTENCES, OTHER_VOICES, CORPUS_MINUTES });
  const dir = join(tmpdir(), 'hark-wake-corpus');
  mkdirSync(dir, { recursive: true });
  // Raw PCM and a JSON list of what is where: a 30 MB WAV takes the WAV library most of a minute.
  const base = join(dir, createHash('sha256').update(recipe).digest('hex').slice(0, 16));
  if (existsSync(`${base}.json`) && existsSync(`${base}.pcm`)) {
    const bytes = readFileSync(`${base}.pcm`);
    const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { pcm, segments: JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Segment[], cached: true };
  }
  const parts: Int16Array[] = [];
  const segments: Segment[] = [];
  let total = 0;
  const target = CORPUS_MINUTES * 60 * 24_000;
  for (let round = 0; total < target; round++) {
    for (const [i, text] of SENTENCES.entries()) {
      const voice = OTHER_VOICES[(i + round) % OTHER_VOICES.length]!;
      const wpm = 150 + ((i * 7 + round * 13) % 60);
      // Between sentences: quiet room, louder room, or music, in turn.
      const gap = i % 3 === 0 ? roomNoise(700, 0.01, i + round) : i % 3 === 1 ? roomNoise(500, 0.05, i * 3 + round) : musicTones(1200, 0.3);
      const clip = concat(say(text, voice, wpm), gap);
      // A hum under the speech too, as a real room has.
      mixInto(clip, roomNoise(clip.length / 24, 0.005, i + 17 * round));
      segments.push({ start: total, end: total + clip.length, text, voice, wpm });
      parts.push(clip);
      total += clip.length;
    }
  }
  const pcm = concat(...parts);
  writeFileSync(`${base}.pcm`, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  writeFileSync(`${base}.json`, JSON.stringify(segments));
  return { pcm, segments, cached: false };
}

export interface Segment {
  start: number;
  end: number;
  text: string;
  voice: string;
  wpm: number;
}

export interface Scores {
  /** One score per 80 ms frame, with where the frame ends (24 kHz samples). */
  scores: Array<{ value: number; endSample: number }>;
  /** Inference ms per minute of audio (the worker's own measure). */
  inferenceMsPerMinute: number;
  /** This process's CPU (all threads) per minute of audio, while scoring faster than real time. */
  processCpuMsPerMinute: number;
  wallMs: number;
}

/** Scores `pcm` with the real worker (openWakeWord on onnxruntime-node), as fast as it can go. */
export async function scoreAudio(pcm: Int16Array, choice: WakeModelChoice = { phrase: 'hey_jarvis', customModelPath: '' }): Promise<Scores> {
  const host = new AudioWorkerHost(wakeWordPaths({ sourceRoot: SOURCE_ROOT }, choice));
  const status = await host.start();
  if (status.state !== 'ready') throw new Error(`wake word unavailable: ${status.state === 'unavailable' ? status.reason : status.state}`);
  const scores: Scores['scores'] = [];
  const expected = Math.floor(Math.floor((pcm.length * 2) / 3) / 1280);
  const done = new Promise<void>((resolve) => {
    if (expected === 0) resolve();
    host.on('result', (r) => {
      scores.push({ value: r.value, endSample: r.endSample });
      if (scores.length >= expected) resolve();
    });
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // One second per message: the worker's pipeline cuts it into its own windows.
  for (let at = 0; at < pcm.length; at += 24_000) host.push(new Uint8Array(pcm.buffer, pcm.byteOffset + at * 2, Math.min(24_000, pcm.length - at) * 2));
  await done;
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const minutes = pcm.length / 24_000 / 60;
  const inferenceMsPerMinute = host.cpuMsPerMinute();
  await host.stop();
  return { scores, inferenceMsPerMinute, processCpuMsPerMinute: (cpu.user + cpu.system) / 1000 / minutes, wallMs };
}
