// `npm start` after the build: launches the desktop app, and when the Electron runtime is missing
// (it is downloaded on first start, not by `npm ci`) fetches it once, saying so. When that download
// fails, offline or behind a proxy, it explains in words what to do instead of Electron's own
// stack trace and its advice to delete node_modules/electron (which removes `npm start` itself).
// Plain .mjs on purpose: it runs before anything is built, with no TypeScript loader.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// The tests point this at a stand-in package; everyone else gets the installed one.
const pkgDir = process.env.HARK_ELECTRON_PACKAGE_DIR ?? dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;

/** Where @electron/get keeps downloaded zips (env-paths' cache folder), unless electron_config_cache says otherwise. */
function electronCacheFolder(env = process.env, platform = process.platform) {
  if (env.electron_config_cache) return env.electron_config_cache;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron');
}

/** The runtime's executable, or null when it has not been downloaded (the same test as electron's install.js). */
function installedBinary() {
  try {
    if (readFileSync(join(pkgDir, 'dist', 'version'), 'utf8').replace(/^v/, '').trim() !== version) return null;
    const rel = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim();
    const bin = process.env.ELECTRON_OVERRIDE_DIST_PATH ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel) : join(pkgDir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** The one line of a failed download worth reading: the error and its cause, without the stack. */
function reasonOf(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const first = lines.find((l) => !l.startsWith('at ')) ?? 'the download failed';
  const cause = /fetch failed/.test(first) ? ' (the download server could not be reached)' : '';
  return `${first}${cause}`;
}

function say(lines) {
  process.stderr.write(`${lines.join('\n')}\n`);
}

const offlineAlternatives = [
  'These work without it, offline and with no key:',
  '  npm run demo                 a spoken exchange with the built-in simulator, written to ./hark-demo/',
  '  npm run talk -- --help       talk to a Realtime model (or --simulate) from the command line',
];

let bin = installedBinary();
if (!bin) {
  say([
    `Hark's desktop runtime (Electron ${version}) is not here yet. It is downloaded once, on the first start,`,
    'and needs the network that one time; after that Hark starts offline. Downloading it now…',
  ]);
  const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { cwd: pkgDir, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  bin = r.status === 0 ? installedBinary() : null;
  if (!bin) {
    say([
      '',
      `Could not download the Electron runtime: ${r.status === 0 ? 'it did not appear after the download' : reasonOf(r.stderr ?? '')}.`,
      '',
      'To get it:',
      '  - connect to the network and run `npm start` again (the download happens once);',
      '  - behind a firewall or proxy, set ELECTRON_MIRROR to a mirror of the Electron releases,',
      '    for example `ELECTRON_MIRROR=https://your.mirror/electron/ npm start`, or set HTTPS_PROXY;',
      `  - or copy the download cache from a machine where \`npm start\` has run: ${electronCacheFolder()}`,
      '    (electron_config_cache chooses another cache folder).',
      '',
      ...offlineAlternatives,
    ]);
    process.exit(1);
  }
}

const child = spawn(bin, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('error', (err) => {
  say([`Could not start the Electron runtime at ${bin}: ${err.message}.`, '', ...offlineAlternatives]);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
