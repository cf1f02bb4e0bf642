// The gate of `npm run check:electron` (scripts/check-electron.ts): that Electronegativity, run the
// way the script runs it, passes the windows Hark really creates and fails a loosened one or a file
// it cannot parse. Without this the check could go quiet (a rule renamed, a parser that gives up)
// and still print 0 HIGH. The full scan of the build runs in .ci/run, not here.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { electronegativity, failures, WINDOWS_FILE, windowOptionsAsCreated, windowsSource } from '../../scripts/check-electron';
import type { WindowOptions } from '../../main/shell/window';

const root = new URL('../../', import.meta.url).pathname;

/** A folder as the script lays it out, with only the windows file and whatever else is given. */
function folder(windows: WindowOptions[], extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'hark-eng-test-'));
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  for (const [f, text] of Object.entries({ [WINDOWS_FILE]: windowsSource(windows), ...extra })) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const loosen = (o: WindowOptions, prefs: WindowOptions['webPreferences']): WindowOptions => ({ ...o, webPreferences: { ...o.webPreferences, ...prefs } });

describe('check:electron', () => {
  it('passes the windows as WindowManager creates them', async () => {
    const windows = windowOptionsAsCreated();
    assert.equal(windows.length, 2, 'the companion and the settings window');
    // hardening.ts holds the navigation guards, without which LIMIT_NAVIGATION_GLOBAL_CHECK is HIGH.
    const r = await electronegativity(folder(windows, { 'main/shell/hardening.ts': readFileSync(join(root, 'main/shell/hardening.ts'), 'utf8') }));
    assert.deepEqual(failures(r), []);
    assert.ok(r.findings.some((f) => f.file === WINDOWS_FILE), 'the windows file was read (its AUXCLICK/PRELOAD notes)');
  });

  it('fails a loosened window whatever severity the tool gives it, and a file it cannot parse', async () => {
    const [companion] = windowOptionsAsCreated();
    const r = await electronegativity(
      folder([loosen(companion!, { contextIsolation: false }), loosen(companion!, { nodeIntegration: true, sandbox: false }), loosen(companion!, { webSecurity: false })], {
        'main/unparsed.js': 'class A { #x = 1 }\n',
      }),
    );
    const bad = failures(r).join('\n');
    assert.match(bad, /HIGH CONTEXT_ISOLATION_JS_CHECK/);
    assert.match(bad, /MEDIUM SANDBOX_JS_CHECK/, 'nodeIntegration beside sandbox: false');
    assert.match(bad, /MEDIUM WEB_SECURITY_JS_CHECK/);
    assert.match(bad, /could not parse main\/unparsed\.js/);
  });
});
