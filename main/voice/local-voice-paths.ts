// Where the local audio worker and its model are: in the built app, beside the bundled main
// (dist/main/audio-worker.cjs, dist/models/); under tsx (talk, tests), the sources and node_modules.
import { join } from 'node:path';
import type { AudioWorkerOptions } from './audio-worker-host';

export const VAD_MODEL_FILE = 'silero_vad_v5.onnx';
export function localVoicePaths(o: { sourceRoot: string } | { distDir: string }): AudioWorkerOptions {
  if ('distDir' in o) {
    return { workerPath: join(o.distDir, 'main', 'audio-worker.cjs'), models: [{ kind: 'silero-vad', path: join(o.distDir, 'models', VAD_MODEL_FILE) }] };
  }
  const root = o.sourceRoot;
  return {
    workerPath: join(root, 'main', 'voice', 'audio-worker.ts'),
    models: [{ kind: 'silero-vad', path: join(root, 'node_modules', '@ricky0123', 'vad-web', 'dist', VAD_MODEL_FILE) }],
  };
}
