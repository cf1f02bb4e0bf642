// `npm run check:electron` (after `npm run build`): Electronegativity, Doyensec's static checks for
// Electron apps, over what Hark ships, writing SARIF and failing on any HIGH finding or any file it
// could not parse. The tool itself exits 0 whatever it finds, and with -o it drops its parse errors
// unseen (a file it cannot read is a file with no findings), so this script decides instead.
//
// What it scans, put together in a temporary folder:
// - main/, preload/ and common/ as written (its TypeScript parser reads them; eng-disable comments
//   there are the narrow, explained exclusions);
// - dist/renderer, the pages and the compiled Svelte, because it cannot read .svelte and the CSP
//   <meta> exists only in the build; lowered to ES2019 first, since its JavaScript walker throws on
//   class private fields (`#x`), which Svelte 5 emits;
// - the options every window is really created with: WindowManager is asked for the companion and
//   settings windows and each is written out as `new BrowserWindow({...})`. Electronegativity only
//   looks at an object literal passed to `new BrowserWindow`, and main/index.ts passes a variable, so
//   without this its webPreferences checks would see nothing (and a `nodeIntegration: true` in
//   main/shell/window.ts would pass unseen);
// - package.json, for the Electron version whose defaults the checks assume.
// It fails on any HIGH finding, and on any finding of the webPreferences checks in the windows as
// created, whatever severity the tool gives it (STRICT_WINDOW_CHECKS says why).
// AvailableSecurityFixesGlobalCheck is left out: it downloads Electron's release list from GitHub,
// which neither this machine nor CI reaches, and would make the verdict depend on the network.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { transformSync } from 'esbuild';
import { WindowManager, type WindowLike, type WindowOptions } from '../main/shell/window';

const require = createRequire(import.meta.url);

export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  column: number;
  manualReview: boolean;
}

export interface ScanResult {
  findings: Finding[];
  /** Files Electronegativity could not parse: their findings are unknown. */
  unreadable: Array<{ file: string; message: string }>;
  scanned: number;
}

export const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
/** Where the scanned folder holds the windows' options as created. */
export const WINDOWS_FILE = 'generated/windows-as-created.js';

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  manualReview: boolean;
}
type Run = (options: Record<string, unknown>, forCli: boolean) => Promise<{ issues: RawIssue[]; errors: Array<{ file: string; message: string; tolerable: boolean }> }>;

/** Runs Electronegativity over a folder; SARIF goes to `sarif` when given. */
export async function electronegativity(dir: string, sarif?: string): Promise<ScanResult> {
  offline();
  const run = require('@doyensec/electronegativity') as Run;
  const r = await run(
    {
      input: dir,
      output: sarif,
      isSarif: true,
      customScan: [],
      excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
      isRelative: true,
      isVerbose: false,
      parserPlugins: [],
    },
    false,
  );
  return {
    findings: r.issues.map((i) => ({
      id: i.id,
      severity: i.severity.name,
      confidence: i.confidence.name,
      file: i.file.startsWith('/') ? relative(dir, i.file) : i.file,
      line: i.location.line,
      column: i.location.column,
      manualReview: i.manualReview,
    })),
    unreadable: r.errors.filter((e) => !e.tolerable).map((e) => ({ file: relative(dir, e.file), message: e.message })),
    scanned: countScannable(dir),
  };
}

/**
 * Electronegativity fetches its translations from S3 at every start (waiting about 3 s with its
 * retries when it cannot, then using the English it ships). Its copy of `got` is answered by a
 * refusal instead, so the check never touches the network and gives the same words everywhere.
 */
function offline(): void {
  const fromTool = createRequire(require.resolve('@doyensec/electronegativity'));
  const got = fromTool.resolve('got');
  if (require.cache[got]?.loaded) return;
  const refuse = () => Promise.reject(new Error('check:electron runs offline'));
  require.cache[got] = { id: got, filename: got, loaded: true, exports: Object.assign(refuse, { default: refuse, head: refuse }) } as unknown as NodeJS.Module;
}

function countScannable(dir: string): number {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(js|jsx|ts|tsx|html|htm)$/.test(f)).length;
}

/** The options WindowManager hands Electron for each window the app opens. */
export function windowOptionsAsCreated(): WindowOptions[] {
  const made: WindowOptions[] = [];
  const fake = (): WindowLike => ({ webContents: { id: made.length, send() {}, isDestroyed: () => false, on() {} }, loadURL: async () => {}, show() {}, hide() {}, focus() {}, isDestroyed: () => false, once() {}, on() {}, getBounds: () => ({ x: 0, y: 0, width: 1, height: 1 }) }) as WindowLike;
  const wm = new WindowManager({ create: (o) => (made.push(o), fake()), preload: '/app/dist/preload/index.cjs', quitting: () => false, icon: '/app/icon.png' });
  wm.createCompanion(false);
  wm.showSettings();
  return made;
}

/** Each window's options as the literal `new BrowserWindow({...})` that Electronegativity reads. */
export function windowsSource(windows: WindowOptions[]): string {
  const made = windows.map((o) => `new BrowserWindow(${JSON.stringify(o, null, 2)});\n`).join('');
  return `// Written by scripts/check-electron.ts: the options WindowManager passes to Electron.\nconst { BrowserWindow } = require('electron');\n${made}`;
}

/** Lays out what is scanned (see the opening comment) in a new temporary folder. */
export function scanFolder(root: string, windows: WindowOptions[] = windowOptionsAsCreated()): string {
  const dir = mkdtempSync(join(tmpdir(), 'hark-electronegativity-'));
  for (const part of ['main', 'preload', 'common']) cpSync(join(root, part), join(dir, part), { recursive: true });
  const renderer = join(root, 'dist', 'renderer');
  if (!existsSync(join(renderer, 'index.html'))) throw new Error('dist/renderer has no pages: run `npm run build` first');
  for (const f of readdirSync(renderer, { recursive: true }) as string[]) {
    const to = join(dir, 'dist', 'renderer', f);
    if (/\.html?$/.test(f)) {
      mkdirSync(dirname(to), { recursive: true });
      cpSync(join(renderer, f), to);
    } else if (f.endsWith('.js')) {
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, transformSync(readFileSync(join(renderer, f), 'utf8'), { target: 'es2019', format: 'esm', legalComments: 'none' }).code);
    }
  }
  mkdirSync(join(dir, dirname(WINDOWS_FILE)));
  writeFileSync(join(dir, WINDOWS_FILE), windowsSource(windows));
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  return dir;
}

/**
 * The webPreferences checks that must find nothing at all in the windows as created. Electronegativity
 * 1.10.3 rates only a missing or false contextIsolation HIGH: an explicit `nodeIntegration: true` is
 * INFORMATIONAL (and dropped altogether beside `sandbox: false`, itself MEDIUM), `webSecurity: false`
 * and `allowRunningInsecureContent: true` MEDIUM, experimental and Blink features LOW. HIGH alone
 * would let the options this app locks be loosened unseen.
 */
export const STRICT_WINDOW_CHECKS = [
  'CONTEXT_ISOLATION_JS_CHECK',
  'NODE_INTEGRATION_JS_CHECK',
  'SANDBOX_JS_CHECK',
  'WEB_SECURITY_JS_CHECK',
  'INSECURE_CONTENT_JS_CHECK',
  'EXPERIMENTAL_FEATURES_JS_CHECK',
  'BLINK_FEATURES_JS_CHECK',
];

/** What fails the check: a HIGH finding, a loosened window, or a file whose findings are unknown. */
export function failures(r: ScanResult): string[] {
  const strict = (f: Finding) => f.file === WINDOWS_FILE && STRICT_WINDOW_CHECKS.includes(f.id);
  return [
    ...r.findings.filter((f) => f.severity === 'HIGH' || strict(f)).map((f) => `${f.severity} ${f.id} at ${f.file}:${f.line}:${f.column}`),
    ...r.unreadable.map((e) => `could not parse ${e.file}: ${e.message}`),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { output: { type: 'string', short: 'o', default: 'release/electronegativity.sarif' }, keep: { type: 'boolean', default: false } } });
  const root = new URL('..', import.meta.url).pathname;
  const started = Date.now();
  const dir = scanFolder(root);
  const sarif = join(root, values.output!);
  mkdirSync(dirname(sarif), { recursive: true });
  try {
    const r = await electronegativity(dir, sarif);
    for (const f of r.findings) console.log(`${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id}${f.manualReview ? ' (review)' : ''}  ${f.file}:${f.line}:${f.column}`);
    const bad = failures(r);
    const counts = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'].map((s) => `${r.findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
    console.log(`electronegativity: ${r.scanned} files, ${counts}, ${r.unreadable.length} unreadable, in ${((Date.now() - started) / 1000).toFixed(1)} s; SARIF in ${relative(root, sarif)}`);
    if (bad.length) {
      console.error(`check:electron FAILED:\n  ${bad.join('\n  ')}`);
      process.exitCode = 1;
    }
  } finally {
    if (values.keep) console.log(`scanned folder kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

// Run as a script (npm run check:electron); imported by its test, it only exports.
if (process.argv[1]?.endsWith('check-electron.ts')) await main();
