// What `talk` says to a person: the --help text, and the usage and failure sentences. Kept apart
// from the command's engine so every word a newcomer reads is in one place and tested as words.
import { existsSync, statSync } from 'node:fs';

/** The help, with the defaults read from the settings module so the two never drift. */
export const helpText = (defaults: { model: string; voice: string }) => `talk: a spoken conversation with an OpenAI Realtime model, from the command line.
WAV files stand in for the microphone; the reply plays through a real-time sink.

usage: npm run talk -- [options] --in question.wav [--in next.wav …] [--text "typed" …]

Each --in and --text is one user turn, in the order given.

options:
  --in FILE               a WAV file spoken as one turn (any rate, depth and channel count)
  --text TEXT             a typed message as one turn
  --out FILE              write the reply audio that was played to FILE (WAV, 24 kHz mono).
                          default: not saved
  --transcript FILE       write the conversation as JSON to FILE. default: not written
  --turn-detection MODE   server_vad, semantic_vad or none (push-to-talk: each file is one turn).
                          default: server_vad
  --timeout SECONDS       the longest wait for each reply once its turn is given. default: 60
  --endpoint URL          the Realtime server, ws:// or wss://. default: $HARK_REALTIME_URL if set,
                          else wss://api.openai.com/v1/realtime (a *.openai.azure.com URL is Azure)
  --model NAME            the Realtime model. default: ${defaults.model}
  --voice NAME            the assistant's voice. default: ${defaults.voice}
  --simulate              talk to the built-in simulator instead: no key, no network
  -h, --help              show this help

environment:
  OPENAI_API_KEY          the API key (needed unless --simulate)
  HARK_REALTIME_URL       another server to use when --endpoint is not given

exit status: 0 when every turn got a complete reply, 1 otherwise (with the reason), 2 for a usage error.

examples:
  npm run talk -- --simulate --text "What time is it?" --out reply.wav
  OPENAI_API_KEY=sk-... npm run talk -- --in question.wav --out reply.wav --transcript talk.json
`;

/** One line pointing at the help, appended to every usage error. */
export const SEE_HELP = 'run `npm run talk -- --help` for every option';

/** Why an --endpoint (or HARK_REALTIME_URL) value cannot be used, or null when it can. */
export function endpointProblem(value: string, name: string): string | null {
  let url: URL;
  try {
    // "localhost:8080" parses as a URL of scheme "localhost:"; a server URL has "//" after its scheme.
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new Error('no scheme');
    url = new URL(value);
  } catch {
    return `${name}: not a URL (expected ws:// or wss://…, for example wss://api.openai.com/v1/realtime), got "${value}"`;
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return `${name}: "${value}" is a ${url.protocol.replace(':', '')} URL; expected ws:// or wss://…`;
  }
  return null;
}

/** Why an --in file cannot be read, or null when it exists as a file. */
export function inputFileProblem(path: string): string | null {
  if (!existsSync(path)) return `--in ${path}: the file does not exist (check the path; it is read relative to ${process.cwd()})`;
  if (!statSync(path).isFile()) return `--in ${path}: is not a file`;
  return null;
}

/** Failure codes that mean the key itself was refused. */
const KEY_CODES = new Set(['invalid_api_key', 'auth', 'http_401', 'http_403']);

/**
 * The session's own sentences speak of "settings", which `talk` does not have; a refused key is
 * said again with where that key came from and what to do.
 */
export function explainFailure(failure: { code?: string | null; message: string }, keySource: string): string {
  if (failure.code && KEY_CODES.has(failure.code)) {
    const why = failure.message.replace(/\s*Check the (API )?key( in settings)?\.?$/i, '').replace(/\.$/, '');
    return `${why}. The key came from ${keySource}: set it to a valid key, or use --simulate to try without one.`;
  }
  return failure.message;
}

export const NO_KEY = 'no API key: set OPENAI_API_KEY (export OPENAI_API_KEY=sk-...), or use --simulate to try without one';

export const NOT_SAVED = 'the reply audio is not saved (add --out reply.wav to keep it)';
