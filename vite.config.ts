import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { CSP_META } from './main/shell/csp';

/** Every page gets the app's one CSP as its first <meta>, before any script can run. */
function cspMeta(): Plugin {
  return {
    name: 'hark-csp-meta',
    // Right after the charset, written as-is (the policy has no double quotes to escape). A page
    // without that anchor fails the build rather than ship without a policy.
    transformIndexHtml(html, ctx) {
      const anchor = '<meta charset="utf-8" />';
      if (!html.includes(anchor)) throw new Error(`${ctx.filename}: no ${anchor} to put the CSP after`);
      return html.replace(anchor, `${anchor}\n    <meta http-equiv="Content-Security-Policy" content="${CSP_META}" />`);
    },
  };
}

/** What every build of the pages uses: the app's and the tests'. */
export const rendererPlugins = () => [cspMeta(), svelte()];

// Renderer build. base './' so the output also loads from file:// (Electron's loadFile).
// Worklets come in through `?worker&url`: each is bundled into its own file under assets/, served
// from the app origin, so the strict CSP (main/shell/csp.ts: script-src 'self', no blob:) holds.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: rendererPlugins(),
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
