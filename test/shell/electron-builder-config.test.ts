// electron-builder.yml, checked offline: electron-builder's own schema validation, plus what the
// issue requires of it (fuses, also flipped by electron-builder's own fuse step on a stand-in binary and
// read back with `@electron/fuses read`; no rebuild, the key hook's libraries, the macOS microphone).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TrayIcon } from '../../main/shell/tray-menu';
import { WindowManager } from '../../main/shell/window';
import { FakeWindow } from '../fakes/electron';

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
    // The worker is started from app.asar.unpacked (unpackedPath): it, the runtime it requires and
    // the model must all be there.
    for (const p of ['dist/main/audio-worker.cjs', 'node_modules/onnxruntime-node/**', 'node_modules/onnxruntime-common/**', 'dist/models/**']) assert.ok(unpack.includes(p), p);
    const runtimeRequires = readFileSync(`${root}node_modules/onnxruntime-node/dist/index.js`, 'utf8').match(/require\("([^".][^"]*)"\)/g) ?? [];
    for (const r of runtimeRequires) {
      const name = /require\("([^"]+)"\)/.exec(r)![1]!;
      if (name === 'worker_threads' || name.startsWith('node:')) continue;
      assert.ok(unpack.includes(`node_modules/${name}/**`), `onnxruntime-node requires ${name}, which must be unpacked too`);
    }
    // The model is copied there by the build, and the runtime is a production dependency, so both ship.
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
    assert.ok(pkg.dependencies['onnxruntime-node']);
    assert.match(readFileSync(`${root}scripts/build.mjs`, 'utf8'), /silero_vad_v5\.onnx/);
    assert.match(readFileSync(`${root}.npmrc`, 'utf8'), /^onnxruntime-node-install=skip$/m);
  });

  it('ships every wake-word model the app loads, in the unpacked models folder', async () => {
    const { WAKE_MODEL_FILES, wakeWordPaths } = await import('../../main/voice/wake-word-paths');
    const { SHIPPED_PHRASES } = await import('../../common/settings/wake-phrases');
    const build = readFileSync(`${root}scripts/build.mjs`, 'utf8');
    // The build copies each into dist/models/wake-word, which asarUnpack's dist/models/** covers.
    for (const f of WAKE_MODEL_FILES) assert.ok(build.includes(`'${f}'`), `the build copies ${f}`);
    assert.ok((config.asarUnpack as string[]).includes('dist/models/**'));
    for (const phrase of Object.keys(SHIPPED_PHRASES) as Array<keyof typeof SHIPPED_PHRASES>) {
      const spec = wakeWordPaths({ distDir: '/app/dist' }, { phrase, customModelPath: '' }).models[0]!;
      assert.ok(spec.kind === 'wake-word' && spec.path.startsWith('/app/dist/models/wake-word/') && spec.melspectrogramPath === '/app/dist/models/wake-word/melspectrogram.onnx');
    }
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

  it("electron-builder's own fuse step leaves `@electron/fuses read` showing B5's six on a stand-in binary", async () => {
    // No Electron binary can be downloaded here, so the stand-in carries only what the fuse tools
    // look for: the sentinel and a V1 wire of eight fuses in Electron's defaults (RunAsNode,
    // NodeOptions, NodeCliInspect, GrantFileProtocolExtraPrivileges on; the rest off).
    const { PlatformPackager } = fromBuilder('./out/index.js') as { PlatformPackager: { prototype: Record<string, (...a: unknown[]) => Promise<unknown>> } };
    const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
    const dir = mkdtempSync(join(tmpdir(), 'hark-fuses-'));
    const binary = join(dir, 'hark');
    writeFileSync(binary, Buffer.concat([Buffer.from('\x7fELF…'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110001'), Buffer.from('…')]));
    // What electron-builder does after packing: its config → FuseConfig, then flipFuses on <executableName>.
    const fuseConfig = await PlatformPackager.prototype.generateFuseConfig!.call(null, config.electronFuses);
    await PlatformPackager.prototype.addElectronFuses!.call({ appInfo: { productFilename: 'hark' } }, { appOutDir: dir, electronPlatformName: 'linux' }, fuseConfig);
    const read = spawnSync(process.execPath, [fromBuilder.resolve('@electron/fuses/dist/bin.js'), 'read', '--app', binary], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    assert.equal(read.status, 0, read.stderr);
    const state = Object.fromEntries([...read.stdout.matchAll(/^\s+(\w+) is (\w+)$/gm)].map((m) => [m[1], m[2]]));
    assert.deepEqual(state, {
      RunAsNode: 'Disabled',
      EnableCookieEncryption: 'Enabled',
      EnableNodeOptionsEnvironmentVariable: 'Disabled',
      EnableNodeCliInspectArguments: 'Disabled',
      EnableEmbeddedAsarIntegrityValidation: 'Enabled',
      OnlyLoadAppFromAsar: 'Enabled',
      LoadBrowserProcessSpecificV8Snapshot: 'Disabled',
      GrantFileProtocolExtraPrivileges: 'Disabled',
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

describe('the app icon', () => {
  const pkg = `${root}scripts/packaging/`;
  const pngSize = (b: Buffer) => {
    assert.equal(b.toString('latin1', 1, 4), 'PNG');
    return [b.readUInt32BE(16), b.readUInt32BE(20)];
  };

  it('has its SVG source, and the Linux sizes as NxN.png where electron-builder points', () => {
    assert.match(readFileSync(`${pkg}icon.svg`, 'utf8'), /^<svg [^>]*viewBox="0 0 1024 1024"/);
    assert.equal(config.linux.icon, 'scripts/packaging/icons');
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) assert.deepEqual(pngSize(readFileSync(`${root}${config.linux.icon}/${n}x${n}.png`)), [n, n], `${n}x${n}.png`);
  });

  it('Windows: an .ico with every size from 16 to 256', () => {
    assert.equal(config.win.icon, 'scripts/packaging/icon.ico');
    const ico = readFileSync(`${root}${config.win.icon}`);
    assert.equal(ico.readUInt16LE(2), 1, 'type 1: icon');
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + 16 * i] || 256);
    for (const n of [16, 24, 32, 48, 64, 128, 256]) assert.ok(sizes.includes(n), `${n} px in the .ico (has ${sizes})`);
    // Each entry is a PNG of the size its directory entry says.
    for (let i = 0; i < sizes.length; i++) {
      const len = ico.readUInt32LE(6 + 16 * i + 8);
      const at = ico.readUInt32LE(6 + 16 * i + 12);
      assert.deepEqual(pngSize(ico.subarray(at, at + len)), [sizes[i], sizes[i]]);
    }
  });

  it('macOS: an .icns with 16 to 1024 px, retina ones included', () => {
    assert.equal(config.mac.icon, 'scripts/packaging/icon.icns');
    const icns = readFileSync(`${root}${config.mac.icon}`);
    assert.equal(icns.toString('latin1', 0, 4), 'icns');
    assert.equal(icns.readUInt32BE(4), icns.length);
    const found = new Map<string, Buffer>();
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) found.set(icns.toString('latin1', at, at + 4), icns.subarray(at + 8, at + icns.readUInt32BE(at + 4)));
    // PNG entries: ic07 128, ic08 256, ic09 512, ic10 1024 (512@2x), ic11 32 (16@2x), ic12 64 (32@2x), ic13 256 (128@2x), ic14 512 (256@2x).
    const png: Record<string, number> = { ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 };
    for (const [type, n] of Object.entries(png)) assert.deepEqual(pngSize(found.get(type)!), [n, n], type);
    for (const type of ['is32', 's8mk', 'il32', 'l8mk']) assert.ok(found.has(type), `${type}: the small 16/32 px bitmaps`);
  });

  it('the windows get it on Linux and Windows: it is packaged beside the tray icons', () => {
    const entry = (config.extraResources as Array<{ from: string; to: string }>).find((r) => r.to === 'icon.png')!;
    assert.deepEqual(pngSize(readFileSync(`${root}${entry.from}`)), [256, 256]);
    const made: FakeWindow[] = [];
    const wm = new WindowManager({ create: (o) => (made.push(new FakeWindow(o)), made.at(-1)!), preload: '/p.cjs', quitting: () => false, icon: '/res/icon.png' });
    wm.createCompanion(false);
    wm.showSettings();
    assert.deepEqual(made.map((w) => w.options.icon), ['/res/icon.png', '/res/icon.png']);
  });
});
