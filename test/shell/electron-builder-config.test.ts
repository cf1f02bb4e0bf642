// electron-builder.yml, checked offline: electron-builder's own schema validation, plus what the
// issue requires of it (fuses, no rebuild, the key hook's libraries, the macOS microphone).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { TrayIcon } from '../../main/shell/tray-menu';

const root = new URL('../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);
// js-yaml and builder-util come with electron-builder; resolve them from it, not from hoisting luck.
const fromBuilder = createRequire(require.resolve('app-builder-lib/package.json'));
const yaml = fromBuilder('js-yaml') as { load(s: string): unknown };
const { validateConfiguration } = fromBuilder('./out/util/config/config.js') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

type Config = Record<string, any>;
const config = yaml.load(readFileSync(`${root}electron-builder.yml`, 'utf8')) as Config;

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema validation", async () => {
    await validateConfiguration(config, new DebugLogger(false));
  });

  it('the validation is real: a typo fails it', async () => {
    await assert.rejects(validateConfiguration({ ...config, linux: { ...config.linux, categroy: 'Utility' } }, new DebugLogger(false)), /categroy|linux/);
  });

  it('never rebuilds native modules (N-API prebuilds) and unpacks the key hook', () => {
    assert.equal(config.npmRebuild, false);
    assert.ok((config.asarUnpack as string[]).some((p) => p.includes('uiohook-napi')));
    assert.notEqual(config.directories.output, 'dist', 'the build output dir is not the installer dir');
  });

  it('unpacks what the local voice detector opens natively: the onnxruntime binding and the model', () => {
    const unpack = config.asarUnpack as string[];
    assert.ok(unpack.includes('node_modules/onnxruntime-node/**'));
    assert.ok(unpack.includes('dist/models/**'));
    // The model is copied there by the build, and the runtime is a production dependency, so both ship.
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
    assert.ok(pkg.dependencies['onnxruntime-node']);
    assert.match(readFileSync(`${root}scripts/build.mjs`, 'utf8'), /silero_vad_v5\.onnx/);
    assert.match(readFileSync(`${root}.npmrc`, 'utf8'), /^onnxruntime-node-install=skip$/m);
  });

  it('sets the recommended fuses', () => {
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('targets AppImage + deb, NSIS, dmg', () => {
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.equal(config.win.target[0].target, 'nsis');
    assert.equal(config.mac.target[0].target, 'dmg');
  });

  it("the deb declares the libraries uiohook-napi's prebuild links against", () => {
    for (const lib of ['libx11-6', 'libxtst6', 'libxrandr2', 'libxt6']) assert.ok(config.deb.depends.includes(lib), lib);
  });

  it('macOS: microphone usage text and the audio-input entitlement under the hardened runtime', () => {
    assert.match(config.mac.extendInfo.NSMicrophoneUsageDescription, /microphone/);
    assert.equal(config.mac.hardenedRuntime, true);
    const plist = readFileSync(`${root}${config.mac.entitlements}`, 'utf8');
    assert.match(plist, /<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
  });

  it('ships a tray icon for every state', () => {
    const icons: TrayIcon[] = ['disconnected', 'idle', 'listening', 'user-speaking', 'thinking', 'assistant-speaking', 'muted', 'error'];
    const from = config.extraResources[0].from as string;
    for (const i of icons) assert.ok(existsSync(`${root}${from}/${i}.png`), i);
  });
});
