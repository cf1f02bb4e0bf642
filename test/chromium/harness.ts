// One call from a test to a running page: build (once per process) the app page and the test
// harness with Vite, serve them, attach the test bridge on the same origin, launch Debian Chromium
// with the fake microphone, open the harness.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build as esbuild } from 'esbuild';
import { build } from 'vite';
import { rendererPlugins } from '../../vite.config';
import type { SendChannel } from '../../preload/api';
import { startTestBridge, type TestBridge, type TestBridgeOptions } from '../bridge/node-bridge';
import { CHANNELS } from '../../preload/channels';
import { serveStatic } from './server';

export const REPO = resolve(import.meta.dirname, '../..');

let built: Promise<string> | null = null;

/** Vite build of the app's pages (renderer/index.html, renderer/settings.html) and the test pages into a temp dir. */
export function buildPages(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'hark-pages-'));
    await build({
      configFile: false,
      root: REPO,
      base: './',
      logLevel: 'warn',
      // The app's own plugins: Svelte, and the CSP written into every page.
      plugins: rendererPlugins(),
      worker: { format: 'es' },
      build: {
        outDir,
        emptyOutDir: true,
        target: 'es2023',
        assetsInlineLimit: 0,
        rollupOptions: {
          input: { app: join(REPO, 'renderer/index.html'), settings: join(REPO, 'renderer/settings.html'), harness: join(REPO, 'test/bridge/harness.html') },
        },
      },
    });
    process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
    return outDir;
  })();
  return built;
}

let bridgeInit: Promise<string> | null = null;

/**
 * The script that gives the real app pages the test bridge as `window.companion`, as preload does
 * in the app; pass it to `context.addInitScript` before opening renderer/index.html or settings.html.
 */
export function appBridgeInitScript(): Promise<string> {
  bridgeInit ??= esbuild({ entryPoints: [join(REPO, 'test/bridge/page-bridge-init.ts')], bundle: true, format: 'iife', write: false, target: 'es2023' }).then((r) => r.outputFiles[0]!.text);
  return bridgeInit;
}

/** toolchain.md §7, verbatim, plus the per-test fake-microphone file. `denyMic`: the user refuses the microphone. */
export function chromiumArgs(wav: string, o: { denyMic?: boolean } = {}): string[] {
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
    '--autoplay-policy=no-user-gesture-required',
  ];
  return o.denyMic ? args.map((a) => (a === '--use-fake-ui-for-media-stream' ? '--deny-permission-prompts' : a)) : args;
}

export interface Received {
  frames: { at: number; pcm: ArrayBuffer }[];
  sends: { channel: SendChannel; payload: unknown }[];
  invokes: { channel: string; payload: unknown }[];
  invalid: { channel: string; message: string }[];
}

export interface Session {
  page: Page;
  context: BrowserContext;
  bridge: TestBridge;
  received: Received;
  origin: string;
  /** Chromium's profile directory (identifies its process tree, e.g. for CPU accounting). */
  profile: string;
  pageErrors: string[];
  /** Opens (or re-opens) a page with harness query options and waits for the engine. */
  open(query?: Record<string, string | number>, path?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startSession(wav: string, bridgeOpts: Pick<TestBridgeOptions, 'handlers' | 'onInvoke' | 'onSend'> = {}, launch: { denyMic?: boolean } = {}): Promise<Session> {
  const dir = await buildPages();
  const web = await serveStatic(dir);
  const received: Received = { frames: [], sends: [], invokes: [], invalid: [] };
  const bridge = await startTestBridge({
    server: web.server,
    ...bridgeOpts,
    observe: (channel, payload) => {
      if (channel === 'audio:frame') received.frames.push({ at: performance.now(), pcm: payload as ArrayBuffer });
      else if (CHANNELS[channel].dir === 'send') received.sends.push({ channel: channel as SendChannel, payload });
      else received.invokes.push({ channel, payload });
    },
    onInvalid: (channel, message) => received.invalid.push({ channel, message }),
  });
  const profile = mkdtempSync(join(tmpdir(), 'hark-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: false, // the args carry --headless=new themselves
    args: chromiumArgs(wav, launch),
  });
  const pageErrors: string[] = [];
  let page = context.pages()[0] ?? (await context.newPage());
  const watch = (p: Page) => {
    p.on('pageerror', (e) => pageErrors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  };
  watch(page);
  const session: Session = {
    page,
    context,
    bridge,
    received,
    origin: web.origin,
    profile,
    pageErrors,
    async open(query = {}, path = 'test/bridge/harness.html') {
      const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
      await page.goto(`${web.origin}/${path}${qs ? `?${qs}` : ''}`);
      if (path.endsWith('harness.html')) {
        // An event, not waitForFunction: that polls with timers, which the hidden suite kills.
        await page.evaluate(
          () =>
            new Promise<void>((resolve) => {
              if (document.getElementById('status')?.textContent !== 'booting') resolve();
              else addEventListener('hark-boot', () => resolve(), { once: true });
            }),
        );
        const status = await page.textContent('#status');
        if (status !== 'ready') throw new Error(`harness: ${status}`);
      }
      return page;
    },
    async close() {
      await context.close();
      await bridge.close();
      await web.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return session;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
