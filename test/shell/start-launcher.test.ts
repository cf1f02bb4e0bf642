// `npm start`'s launcher (scripts/start.mjs) when the Electron runtime is missing: the words a
// newcomer reads, with a stand-in package whose download fails, with the real package's own
// download pointed at a closed local port, and the hand-over to a runtime that is there.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCommand } from '../support/run-command';

const root = new URL('../..', import.meta.url).pathname;
const version = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

function launch(env: Record<string, string>, args: string[] = []) {
  return runCommand([join(root, 'scripts/start.mjs'), ...args], { cwd: root, env });
}

function standIn(installJs: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hark-electron-pkg-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version }));
  writeFileSync(join(dir, 'install.js'), installJs);
  return dir;
}

function assertExplains(stderr: string, cache: string): void {
  assert.match(stderr, /downloaded once, on the first start,\s+and needs the network that one time/);
  assert.match(stderr, /^Could not download the Electron runtime: /m);
  assert.match(stderr, /ELECTRON_MIRROR/);
  assert.ok(stderr.includes(join(cache, 'electron')), `names the cache folder ${cache}/electron`);
  assert.match(stderr, /npm run demo/);
  assert.match(stderr, /npm run talk/);
  assert.ok(!/^\s+at /m.test(stderr), `no stack trace:\n${stderr}`);
  assert.ok(!/delete/i.test(stderr), 'never advises deleting node_modules/electron');
}

describe('npm start without the Electron runtime', () => {
  it('a failed download is explained in words, exit 1', async () => {
    const pkg = standIn("console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13'); process.exit(1);");
    const cache = mkdtempSync(join(tmpdir(), 'hark-cache-'));
    const r = await launch({ HARK_ELECTRON_PACKAGE_DIR: pkg, XDG_CACHE_HOME: cache, electron_config_cache: '' });
    assert.equal(r.code, 1);
    assertExplains(r.stderr, cache);
    assert.match(r.stderr, /Could not download the Electron runtime: TypeError: fetch failed \(the download server could not be reached\)\./);
  });

  it('the real package\'s download, against a closed local port, ends in the same words', { skip: existsSync(join(root, 'node_modules/electron/path.txt')) ? 'the runtime is installed on this machine' : false }, async () => {
    const cache = mkdtempSync(join(tmpdir(), 'hark-cache-'));
    // Port 9 (discard) on loopback: refused at once, no traffic leaves the machine.
    const r = await launch({ ELECTRON_MIRROR: 'http://127.0.0.1:9/', XDG_CACHE_HOME: cache, electron_config_cache: '' });
    assert.equal(r.code, 1);
    assertExplains(r.stderr, cache);
    assert.ok(!existsSync(join(root, 'node_modules/electron/path.txt')), 'nothing half-installed');
  });

  it('a runtime that is there is started with the app folder and the arguments, its exit code passed on', async () => {
    const pkg = standIn('process.exit(9);');
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'dist', 'version'), `v${version}`);
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    const out = join(pkg, 'args.txt');
    writeFileSync(join(pkg, 'dist', 'electron'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${out}'\nexit 3\n`);
    chmodSync(join(pkg, 'dist', 'electron'), 0o755);
    const r = await launch({ HARK_ELECTRON_PACKAGE_DIR: pkg }, ['--toggle-talk']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, '', 'nothing said when all is well');
    assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n'), [root, '--toggle-talk']);
  });
});
