// The local audio worker (a worker thread of main): runs the on-device models over the mic frames,
// so inference never blocks main's event loop. It sends nothing anywhere but back to main.
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { ModelRunner, type AudioModel } from './model-runner';
import { OpenWakeWord, WAKE_FRAME } from './open-wake-word';
import { SileroVad, VAD_WINDOW } from './silero-vad';
import type { FromWorker, ModelSpec, ToWorker } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('audio-worker runs only as a worker thread');
const post = (m: FromWorker) => port.postMessage(m);
let runner: ModelRunner | null = null;

type Ort = typeof import('onnxruntime-node');

/** How each kind of model is loaded into the pipeline; a wake-word model adds its line here. */
const LOADERS: { [K in ModelSpec['kind']]: (ort: Ort, spec: Extract<ModelSpec, { kind: K }>) => Promise<AudioModel> } = {
  'silero-vad': async (ort, spec) => {
    const vad = await SileroVad.load(ort, readFileSync(spec.path));
    return { name: 'vad', window: VAD_WINDOW, process: (w) => vad.process(w), reset: () => vad.reset(), release: () => vad.release() };
  },
  'wake-word': async (ort, spec) => {
    const read = (path: string, what: string) => {
      try {
        return readFileSync(path);
      } catch (err) {
        throw new Error(`the wake-word ${what} model could not be read (${(err as Error).message})`);
      }
    };
    const wake = await OpenWakeWord.load(ort, { melspectrogram: read(spec.melspectrogramPath, 'melspectrogram'), embedding: read(spec.embeddingPath, 'embedding'), phrase: read(spec.path, 'phrase') });
    return { name: 'wake', window: WAKE_FRAME, process: (w) => wake.process(w), reset: () => wake.reset(), release: () => wake.release() };
  },
};

async function load(specs: ModelSpec[]): Promise<AudioModel[]> {
  // Loaded here, not at the top: a missing native binding becomes a clear 'failed' message.
  const ort = await import('onnxruntime-node');
  const models: AudioModel[] = [];
  for (const spec of specs) models.push(await (LOADERS[spec.kind] as (o: Ort, s: ModelSpec) => Promise<AudioModel>)(ort, spec));
  return models;
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    load(m.models).then(
      (models) => {
        runner = new ModelRunner(models);
        post({ type: 'ready', models: models.map((x) => x.name) });
      },
      (err: unknown) => post({ type: 'failed', error: err instanceof Error ? err.message : String(err) }),
    );
  } else if (m.type === 'frame') {
    if (!runner) return;
    runner.push(new Int16Array(m.pcm)).then(
      (results) => {
        if (results.length) post({ type: 'results', results });
      },
      (err: unknown) => post({ type: 'failed', error: `inference failed: ${err instanceof Error ? err.message : String(err)}` }),
    );
  } else if (m.type === 'reset') {
    runner?.reset();
  } else if (m.type === 'close') {
    const r = runner;
    runner = null;
    void (r ? r.release() : Promise.resolve()).finally(() => port.close());
  }
});
