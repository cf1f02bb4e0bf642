// The messages between main and the local audio worker, typed once for both sides.
import type { ModelResult } from './model-runner';

export type ModelSpec =
  | {
      kind: 'silero-vad';
      /** Path of the .onnx file (outside any asar archive). */
      path: string;
    }
  | {
      /** openWakeWord: `path` is the phrase model; the shared feature models sit beside it or where given. */
      kind: 'wake-word';
      path: string;
      melspectrogramPath: string;
      embeddingPath: string;
    };

export type ToWorker =
  | { type: 'init'; models: ModelSpec[] }
  /** PCM16 LE at 24 kHz, transferred. */
  | { type: 'frame'; pcm: ArrayBuffer }
  | { type: 'reset' }
  /** Finish the inference under way, release the models, exit (terminating mid-inference aborts the process). */
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; models: string[] }
  | { type: 'failed'; error: string }
  | { type: 'results'; results: ModelResult[] };

/** Every file a model needs, for the host's missing-file check. */
export function specFiles(m: ModelSpec): string[] {
  return m.kind === 'wake-word' ? [m.path, m.melspectrogramPath, m.embeddingPath] : [m.path];
}

/** The same model with each of its paths passed through `fn` (e.g. to the unpacked copy of an asar). */
export function mapSpecFiles(m: ModelSpec, fn: (path: string) => string): ModelSpec {
  return m.kind === 'wake-word' ? { ...m, path: fn(m.path), melspectrogramPath: fn(m.melspectrogramPath), embeddingPath: fn(m.embeddingPath) } : { ...m, path: fn(m.path) };
}
