import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// Renderer build. base './' so the output also loads from file:// (Electron's loadFile).
// Worklets come in through `?worker&url`: each is bundled into its own file under assets/, served
// from the app origin, so the strict CSP in index.html (script-src 'self', no blob:) holds.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [svelte()],
  worker: { format: 'es' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2023',
    assetsInlineLimit: 0,
  },
});
