// Start at login on Linux: the XDG autostart entry, written and removed under XDG_CONFIG_HOME,
// with an Exec line that starts this Hark (the AppImage itself, quoted as the spec says).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { autostartPath, execArg, LoginItem, startCommand } from '../../main/shell/login-item';

const temp = () => mkdtempSync(join(tmpdir(), 'hark-autostart-'));

describe('start at login', () => {
  it('Linux: writes $XDG_CONFIG_HOME/autostart/hark.desktop and removes it again', () => {
    const config = temp();
    const electronCalls: boolean[] = [];
    const item = new LoginItem({ platform: 'linux', env: { XDG_CONFIG_HOME: config }, setLoginItemSettings: (s) => electronCalls.push(s.openAtLogin), command: ['/opt/Hark/hark'] });
    const path = join(config, 'autostart', 'hark.desktop');
    item.apply(true);
    const entry = readFileSync(path, 'utf8');
    assert.match(entry, /^\[Desktop Entry\]\n/);
    assert.match(entry, /^Type=Application$/m);
    assert.match(entry, /^Name=Hark$/m);
    assert.match(entry, /^Exec=\/opt\/Hark\/hark$/m);
    assert.match(entry, /^Icon=hark$/m);
    item.apply(false);
    assert.equal(existsSync(path), false);
    item.apply(false); // already gone: no error
    assert.deepEqual(electronCalls, [], "Electron's login item is not used on Linux");
  });

  it('Linux without XDG_CONFIG_HOME (or with a relative one) uses ~/.config', () => {
    assert.equal(autostartPath({}, '/home/me'), '/home/me/.config/autostart/hark.desktop');
    assert.equal(autostartPath({ XDG_CONFIG_HOME: 'rel/cfg' }, '/home/me'), '/home/me/.config/autostart/hark.desktop');
    const home = temp();
    new LoginItem({ platform: 'linux', env: {}, home, setLoginItemSettings: () => {}, command: ['/usr/bin/hark'] }).apply(true);
    assert.ok(existsSync(join(home, '.config', 'autostart', 'hark.desktop')));
  });

  it('an AppImage starts as the AppImage file, paths with spaces and % are quoted per the spec', () => {
    assert.deepEqual(startCommand({ env: { APPIMAGE: '/home/me/Apps/Hark 0.1.AppImage' }, execPath: '/tmp/.mount_HarkXYZ/hark', isPackaged: true, appPath: '' }), ['/home/me/Apps/Hark 0.1.AppImage']);
    assert.deepEqual(startCommand({ env: {}, execPath: '/opt/Hark/hark', isPackaged: true, appPath: '/opt/Hark/resources/app.asar' }), ['/opt/Hark/hark']);
    assert.deepEqual(startCommand({ env: {}, execPath: '/x/electron', isPackaged: false, appPath: '/src/hark' }), ['/x/electron', '/src/hark']);
    assert.equal(execArg('/home/me/Apps/Hark 0.1.AppImage'), '"/home/me/Apps/Hark 0.1.AppImage"');
    assert.equal(execArg('/a/100%/b'), '/a/100%%/b');
    assert.equal(execArg('/a/$x"y'), '"/a/\\$x\\"y"');
    const config = temp();
    new LoginItem({ platform: 'linux', env: { XDG_CONFIG_HOME: config }, setLoginItemSettings: () => {}, command: ['/home/me/Apps/Hark 0.1.AppImage'] }).apply(true);
    assert.match(readFileSync(join(config, 'autostart', 'hark.desktop'), 'utf8'), /^Exec="\/home\/me\/Apps\/Hark 0\.1\.AppImage"$/m);
  });

  it('a stale entry (the AppImage moved) is rewritten', () => {
    const config = temp();
    const at = (command: string[]) => new LoginItem({ platform: 'linux', env: { XDG_CONFIG_HOME: config }, setLoginItemSettings: () => {}, command });
    at(['/old/Hark.AppImage']).apply(true);
    at(['/new/Hark.AppImage']).apply(true);
    assert.match(readFileSync(join(config, 'autostart', 'hark.desktop'), 'utf8'), /^Exec=\/new\/Hark\.AppImage$/m);
  });

  it("macOS and Windows use Electron's login item", () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const calls: boolean[] = [];
      const config = temp();
      const item = new LoginItem({ platform, env: { XDG_CONFIG_HOME: config }, setLoginItemSettings: (s) => calls.push(s.openAtLogin), command: ['x'] });
      item.apply(true);
      item.apply(false);
      assert.deepEqual(calls, [true, false]);
      assert.equal(existsSync(join(config, 'autostart')), false);
    }
  });
});
