// The whole app in real Electron through Playwright's _electron: hardened windows, the bridge,
// blocked navigation and popups, and a connection to the local simulator. Runs wherever the
// Electron binary exists; elsewhere it says plainly that it was skipped and why.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;

/** The Electron executable, found the way electron's index.js finds it but without its lazy download. */
function electronBinary(): { path: string } | { missing: string } {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron');
    return existsSync(p) ? { path: p } : { missing: `ELECTRON_OVERRIDE_DIST_PATH has no executable at ${p}` };
  }
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathTxt = join(pkgDir, 'path.txt');
  if (!existsSync(pathTxt)) return { missing: `${pathTxt} does not exist (electron >= 42 downloads its binary on first use, and this machine has not)` };
  const exe = join(pkgDir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? { path: exe } : { missing: `${exe} does not exist` };
}

const bin = electronBinary();
const built = existsSync(join(root, 'dist/main/index.cjs')) && existsSync(join(root, 'dist/preload/index.cjs')) && existsSync(join(root, 'dist/renderer/index.html'));
const skip = 'missing' in bin ? `Electron binary not present: ${bin.missing}` : !built ? 'the app is not built: run `npm run build` first' : false;
if (skip) console.log(`# app.e2e skipped: ${skip}`);

describe('Hark in Electron (Playwright _electron)', () => {
  it('starts in the tray with hardened windows, the bridge, and blocked navigation and popups', { skip }, async () => {
    const { _electron } = await import('playwright-core');
    const { startSimulator } = await import('../../simulator/server');
    const sim = await startSimulator({ paceFactor: 10 });
    const userData = mkdtempSync(join(tmpdir(), 'hark-e2e-'));
    const app = await _electron.launch({
      executablePath: (bin as { path: string }).path,
      args: [root, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
      env: { ...process.env, HARK_USER_DATA: userData, HARK_REALTIME_URL: sim.url, OPENAI_API_KEY: 'sk-test-e2e-key-123456' },
      timeout: 30_000,
    });
    try {
      const page = await app.firstWindow();
      assert.match(page.url(), /^app:\/\/hark\/index\.html/);
      const prefs = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => {
        // Undocumented but long-standing; the typed options are not readable back otherwise.
        const p = (w.webContents as unknown as { getLastWebPreferences?(): Record<string, unknown> }).getLastWebPreferences?.();
        return { sandbox: p?.sandbox, contextIsolation: p?.contextIsolation, nodeIntegration: p?.nodeIntegration, visible: w.isVisible() };
      }));
      assert.deepEqual(prefs[0], { sandbox: true, contextIsolation: true, nodeIntegration: false, visible: false });
      const bridge = await page.evaluate(() => ({
        keys: Object.keys((window as unknown as { companion: object }).companion).sort(),
        require: typeof (globalThis as { require?: unknown }).require,
        popup: window.open('https://example.com') === null,
      }));
      assert.ok(bridge.keys.includes('setKey') && !bridge.keys.includes('invoke'));
      assert.equal(bridge.require, 'undefined');
      assert.equal(bridge.popup, true);
      await page.evaluate(() => void (location.href = 'https://example.com/'));
      await page.waitForTimeout(500);
      assert.match(page.url(), /^app:\/\/hark\//, 'navigation away is blocked');
      const status = await page.evaluate(() => (window as unknown as { companion: { keyStatus(): Promise<unknown> } }).companion.keyStatus());
      assert.deepEqual(status, { hasKey: true, source: 'env' });
      await sim.waitForConnection();
    } finally {
      await app.close();
      await sim.close();
    }
  });
  it('first start shows the setup guide; its key step stores and tests a key through main, and it stays done', { skip }, async () => {
    const { _electron } = await import('playwright-core');
    const { startSimulator } = await import('../../simulator/server');
    const sim = await startSimulator({ paceFactor: 10 });
    const userData = mkdtempSync(join(tmpdir(), 'hark-e2e-guide-'));
    const launch = () =>
      _electron.launch({
        executablePath: (bin as { path: string }).path,
        args: [root, '--show', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
        // No OPENAI_API_KEY: the guide's first step asks for one.
        env: { ...process.env, HARK_USER_DATA: userData, HARK_REALTIME_URL: sim.url, OPENAI_API_KEY: '' },
        timeout: 30_000,
      });
    let app = await launch();
    try {
      const page = await app.firstWindow();
      await page.waitForSelector('[data-testid=step-key]', { timeout: 15_000 });
      await page.fill('#guide-key', 'sk-test-e2e-guide-123456');
      await page.click('text=Save and test');
      await page.waitForSelector('[data-testid=key-result]', { timeout: 15_000 });
      const status = await page.evaluate(() => (window as unknown as { companion: { keyStatus(): Promise<unknown> } }).companion.keyStatus());
      assert.deepEqual((status as { hasKey: boolean }).hasKey, true);
      for (const step of ['key', 'mic', 'speaker', 'talk-key']) {
        await page.waitForSelector(`[data-testid=step-${step}]`);
        await page.click(`[data-testid=step-${step}] >> text=Skip`);
      }
      await page.click('text=Finish');
      await app.close();
      app = await launch();
      const again = await app.firstWindow();
      await again.waitForSelector('#status');
      assert.equal(await again.$('[data-testid=onboarding]'), null, 'done is remembered across a restart');
    } finally {
      await app.close();
      await sim.close();
    }
  });
});
