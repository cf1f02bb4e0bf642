// The BrowserWindow options, the permission handlers, navigation and window.open guards, the
// openExternal allowlist, and the app:// protocol (CSP header, path traversal).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { createAppProtocolHandler, CSP, resolveAppPath } from '../../main/shell/app-protocol';
import { ensureMicrophoneAccess, guardWebContents, isAllowedExternal, permissionCheckHandler, permissionRequestHandler } from '../../main/shell/hardening';
import { companionWindowOptions, lockedWebPreferences, settingsWindowOptions, WindowManager } from '../../main/shell/window';
import { FakeWindow } from '../fakes/electron';

describe('window options', () => {
  for (const [name, o] of [
    ['companion', companionWindowOptions('/app/dist/preload/index.cjs', false)],
    ['settings', settingsWindowOptions('/app/dist/preload/index.cjs')],
  ] as const) {
    it(`${name}: isolated, sandboxed, no node, no webview, our preload`, () => {
      const p = o.webPreferences!;
      assert.equal(p.contextIsolation, true);
      assert.equal(p.sandbox, true);
      assert.equal(p.nodeIntegration, false);
      assert.equal(p.nodeIntegrationInWorker, false);
      assert.equal(p.nodeIntegrationInSubFrames, false);
      assert.equal(p.webSecurity, true);
      assert.equal(p.allowRunningInsecureContent, false);
      assert.equal(p.experimentalFeatures, false);
      assert.equal(p.webviewTag, false);
      assert.equal(p.preload, '/app/dist/preload/index.cjs');
      assert.equal('enableBlinkFeatures' in p, false);
      assert.equal(o.show, false, 'windows appear only when asked');
    });
  }

  it('every window WindowManager opens gets exactly the locked webPreferences, whatever the saved bounds hold', () => {
    const made: FakeWindow[] = [];
    // The bounds come from a file in the user's folder: extra keys in it must not reach Electron's options.
    const bounds = { x: 1, y: 2, width: 400, height: 600, webPreferences: { nodeIntegration: true, sandbox: false } } as never;
    const wm = new WindowManager({ create: (o) => (made.push(new FakeWindow(o)), made.at(-1)!), preload: '/p.cjs', quitting: () => false, companionBounds: bounds, icon: '/i.png' });
    wm.createCompanion(true);
    wm.showSettings();
    assert.equal(made.length, 2);
    for (const w of made) assert.deepEqual(w.options.webPreferences, lockedWebPreferences('/p.cjs'));
  });

  it('the companion window loads app:// and starts hidden unless asked', async () => {
    const made: FakeWindow[] = [];
    const wm = new WindowManager({ create: (o) => (made.push(new FakeWindow(o)), made.at(-1)!), preload: '/p.cjs', quitting: () => false });
    wm.createCompanion(false);
    assert.equal(made[0]!.url, 'app://hark/index.html');
    assert.equal(made[0]!.visible, false);
    wm.createCompanion(true);
    await new Promise((r) => setImmediate(r)); // shown once its page is ready
    assert.equal(made[1]!.visible, true);
    assert.equal(made[0]!.visible, false);
    assert.deepEqual(wm.trustedIds(), new Set([made[1]!.webContents.id]));
  });
});

describe('permissions', () => {
  const ask = (permission: string, details: object, url = 'app://hark/index.html') =>
    new Promise<boolean>((resolve) => permissionRequestHandler({ getURL: () => url }, permission, resolve, details));

  it('grants the microphone to the app', async () => {
    assert.equal(await ask('media', { mediaTypes: ['audio'], requestingUrl: 'app://hark/index.html' }), true);
  });

  it('refuses the camera, mixed requests, other permissions and other origins', async () => {
    assert.equal(await ask('media', { mediaTypes: ['video'], requestingUrl: 'app://hark/index.html' }), false);
    assert.equal(await ask('media', { mediaTypes: ['audio', 'video'], requestingUrl: 'app://hark/index.html' }), false);
    assert.equal(await ask('media', { mediaTypes: [], requestingUrl: 'app://hark/index.html' }), false);
    for (const p of ['notifications', 'geolocation', 'clipboard-read', 'display-capture', 'openExternal']) assert.equal(await ask(p, { requestingUrl: 'app://hark/index.html' }), false, p);
    assert.equal(await ask('media', { mediaTypes: ['audio'], requestingUrl: 'https://evil.example/' }, 'https://evil.example/'), false);
    assert.equal(await ask('media', { mediaTypes: ['audio'], requestingFrame: { url: 'https://evil.example/frame' }, requestingUrl: 'app://hark/index.html' }), false, 'the asking frame counts');
  });

  it('checks: media (not video) for the app origin only', () => {
    assert.equal(permissionCheckHandler(null, 'media', 'app://hark', { mediaType: 'audio' }), true);
    assert.equal(permissionCheckHandler(null, 'media', 'app://hark', { mediaType: 'unknown' }), true);
    assert.equal(permissionCheckHandler(null, 'media', 'app://hark', { mediaType: 'video' }), false);
    assert.equal(permissionCheckHandler(null, 'media', 'https://evil.example', { mediaType: 'audio' }), false);
    assert.equal(permissionCheckHandler(null, 'notifications', 'app://hark', {}), false);
  });

  it('macOS asks for the microphone once before capture; elsewhere nothing to ask', async () => {
    const asked: string[] = [];
    const r = await ensureMicrophoneAccess({ platform: 'darwin', getMediaAccessStatus: () => 'not-determined', askForMediaAccess: async (t) => (asked.push(t), true) });
    assert.deepEqual([r.ok, asked], [true, ['microphone']]);
    const denied = await ensureMicrophoneAccess({ platform: 'darwin', getMediaAccessStatus: () => 'denied', askForMediaAccess: async () => true });
    assert.equal(denied.ok, false);
    assert.match(denied.message!, /System Settings/);
    assert.equal((await ensureMicrophoneAccess({ platform: 'linux', getMediaAccessStatus: () => 'denied', askForMediaAccess: async () => false })).ok, true);
  });
});

describe('navigation and new windows', () => {
  class Contents extends EventEmitter {
    openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
    setWindowOpenHandler(fn: (d: { url: string }) => { action: 'deny' }): void {
      this.openHandler = fn;
    }
    navigate(event: string, url: string): boolean {
      let prevented = false;
      this.emit(event, { preventDefault: () => void (prevented = true), url }, url);
      return prevented;
    }
  }

  it('blocks navigation away from the app, webviews, and every window.open; opens only allowed https links outside', () => {
    const c = new Contents();
    const opened: string[] = [];
    guardWebContents(c as never, (u) => opened.push(u));
    assert.equal(c.navigate('will-navigate', 'app://hark/settings.html'), false);
    assert.equal(c.navigate('will-navigate', 'https://evil.example/'), true);
    assert.equal(c.navigate('will-redirect', 'app://hark.evil.example/'), true);
    assert.equal(c.navigate('will-frame-navigate', 'file:///etc/passwd'), true);
    assert.equal(c.navigate('will-attach-webview', 'app://hark/'), true);
    assert.deepEqual(c.openHandler!({ url: 'https://platform.openai.com/api-keys' }), { action: 'deny' });
    assert.deepEqual(c.openHandler!({ url: 'http://platform.openai.com/' }), { action: 'deny' });
    assert.deepEqual(c.openHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
    assert.deepEqual(opened, ['https://platform.openai.com/api-keys']);
  });

  it('openExternal allowlist: https, listed hosts, no credentials', () => {
    assert.equal(isAllowedExternal('https://platform.openai.com/settings'), true);
    assert.equal(isAllowedExternal('https://platform.openai.com.evil.example/'), false);
    assert.equal(isAllowedExternal('https://user@platform.openai.com/'), false);
    assert.equal(isAllowedExternal('file:///bin/sh'), false);
    assert.equal(isAllowedExternal('javascript:alert(1)'), false);
  });
});

describe('app:// protocol', () => {
  const root = mkdtempSync(join(tmpdir(), 'hark-renderer-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'capture.worklet.js'), 'registerProcessor()');
  writeFileSync(join(root, '..', 'secret.txt'), 'secret');
  const handler = createAppProtocolHandler(root);

  it('serves the build with the CSP header and a content type', async () => {
    const r = await handler(new Request('app://hark/assets/capture.worklet.js'));
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'registerProcessor()');
    assert.equal(r.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(r.headers.get('content-security-policy'), CSP);
    assert.equal((await handler(new Request('app://hark/'))).status, 200);
  });

  it('the CSP allows no blob:, no eval, no inline script, no remote origin', () => {
    assert.doesNotMatch(CSP, /blob:|unsafe-eval|unsafe-inline|https?:/);
    assert.match(CSP, /script-src 'self'/);
    assert.match(CSP, /default-src 'none'/);
  });

  it('rejects path traversal in every spelling, other hosts, and writes', async () => {
    for (const u of ['app://hark/../secret.txt', 'app://hark/%2e%2e/secret.txt', 'app://hark/assets/%2e%2e%2f..%2fsecret.txt', 'app://hark/..%5csecret.txt', 'app://hark/%00index.html', 'app://other/index.html']) {
      const r = await handler(new Request(u));
      assert.equal(r.status, 404, u);
      assert.equal(r.headers.get('content-security-policy'), CSP);
    }
    assert.equal(resolveAppPath(root, 'app://hark/assets/../index.html'), join(root, 'index.html'), 'inside the root is fine');
    assert.equal((await handler(new Request('app://hark/index.html', { method: 'POST', body: 'x' }))).status, 405);
    assert.equal((await handler(new Request('app://hark/missing.js'))).status, 404);
  });
});
