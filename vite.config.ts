import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
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
    // Two pages: the companion window and the settings window (main/shell/window.ts loads both).
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        settings: fileURLToPath(new URL('./renderer/settings.html', import.meta.url)),
      },
    },
  },
});
