// The messages between main and the local audio worker, typed once for both sides.
import type { ModelResult } from './model-runner';

export interface ModelSpec {
  kind: 'silero-vad';
  /** Path of the .onnx file (outside any asar archive). */
  path: string;
}

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
