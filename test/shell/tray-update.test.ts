// The tray menu is not rebuilt while it is open: a state change updates the items in place, and a
// change of the menu's shape waits for it to close. Rebuilding an open menu closes it on some desktops.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import type { SessionState } from '../../preload/api';
import { iconPath, TrayController } from '../../main/shell/tray';
import { trayView, type MenuEntry, type TrayAction, type TrayView } from '../../main/shell/tray-menu';
import { FakeMenu, FakeTray } from '../fakes/electron';

const state = (s: Partial<SessionState> = {}): SessionState => ({ phase: 'listening', turnDetection: 'none', turnOpen: false, muted: false, ...s });
const view = (s: Partial<SessionState> = {}) => trayView({ state: state(s), voice: 'marin', hotkey: 'Ctrl+Shift+Space' });

function setup(platform: NodeJS.Platform = 'linux') {
  const trays: FakeTray[] = [];
  const actions: TrayAction[] = [];
  const c = new TrayController({ createTray: (p) => (trays.push(new FakeTray(p)), trays[0]!), buildMenu: (t) => new FakeMenu(t), iconDir: '/icons', platform }, (a) => actions.push(a));
  return { c, actions, tray: () => trays[0]! };
}

describe('tray menu updates', () => {
  it('a state change updates labels, enabled and checked in place: no new menu', () => {
    const { c, actions, tray } = setup();
    c.render(view());
    const built = FakeMenu.built;
    const menu = tray().menu!;
    c.render(view({ turnOpen: true, muted: true }));
    assert.equal(FakeMenu.built, built, 'no menu was built');
    assert.equal(tray().menu, menu, 'the same menu');
    assert.ok(tray().item('Send'), 'Talk became Send, in place');
    assert.equal(tray().item('Cancel turn')!.enabled, true);
    assert.equal(tray().item('Mute microphone')!.checked, true);
    // The clicks follow the new view: "Send" sends, the mute item unmutes.
    tray().click('Send');
    tray().click('Mute microphone');
    assert.deepEqual(actions, [{ kind: 'send' }, { kind: 'mute', muted: false }]);
    c.render(view({ turnDetection: 'server_vad' }));
    assert.deepEqual([...tray().item('Mode')!.submenu!.items].filter((i) => i.checked).map((i) => i.label), ['Server VAD']);
  });

  it('while the menu is open nothing is set on it; on Linux the patched menu is set again once it closes', () => {
    const { c, tray } = setup('linux');
    c.render(view());
    const menu = tray().menu!;
    const sets = tray().menusSet.length;
    menu.open();
    c.render(view({ phase: 'assistant-speaking', turnDetection: 'server_vad' }));
    assert.equal(tray().image, iconPath('/icons', 'assistant-speaking'), 'the icon changes at once');
    assert.equal(tray().menusSet.length, sets, 'the open menu is left alone');
    assert.equal(tray().item('Stop the reply')!.enabled, true, 'but its items are already current');
    menu.close();
    assert.equal(tray().menusSet.length, sets + 1, 'Linux needs setContextMenu for item changes to show');
    assert.equal(tray().menu, menu, 'the same menu, not a rebuilt one');
    c.render(view({ phase: 'listening', turnDetection: 'server_vad' }));
    assert.equal(tray().menusSet.length, sets + 2, 'closed: set again at once');
  });

  it('macOS and Windows show item changes live: the menu is never set again', () => {
    const { c, tray } = setup('darwin');
    c.render(view());
    c.render(view({ turnOpen: true }));
    c.render(view({ muted: true }));
    assert.equal(tray().menusSet.length, 1);
  });

  it('a change of shape rebuilds, but only once the open menu has closed', () => {
    const { c, tray } = setup();
    const base = view();
    c.render(base);
    const menu = tray().menu!;
    menu.open();
    const extra: TrayView = { ...base, menu: [...base.menu, { type: 'separator' }, { label: 'Update available', action: { kind: 'open-settings' } } satisfies MenuEntry] };
    c.render(extra);
    assert.equal(tray().menu, menu, 'not rebuilt while open');
    menu.close();
    assert.notEqual(tray().menu, menu, 'rebuilt on close');
    assert.ok(tray().item('Update available'));
  });
});

describe('macOS tray icons', () => {
  const dir = new URL('../../main/shell/tray-icons/', import.meta.url).pathname;
  const icons = ['disconnected', 'idle', 'listening', 'user-speaking', 'thinking', 'assistant-speaking', 'muted', 'error'] as const;

  /** Width, height and whether every pixel is black (only alpha varies), from the PNG itself. */
  function readPng(path: string): { w: number; h: number; blackOnly: boolean } {
    const b = readFileSync(path);
    const w = b.readUInt32BE(16);
    const h = b.readUInt32BE(20);
    const idat: Buffer[] = [];
    for (let at = 8; at < b.length; ) {
      const len = b.readUInt32BE(at);
      if (b.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(b.subarray(at + 8, at + 8 + len));
      at += 12 + len;
    }
    const raw = inflateSync(Buffer.concat(idat));
    let blackOnly = true;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const p = y * (1 + w * 4) + 1 + x * 4;
      if (raw[p + 3]! > 0 && (raw[p]! | raw[p + 1]! | raw[p + 2]!) !== 0) blackOnly = false;
    }
    return { w, h, blackOnly };
  }

  it('are template images (black, alpha only) at 16×16 with a 32×32 @2x, and the tray uses them there', () => {
    for (const icon of icons) {
      const one = readPng(`${dir}${icon}Template.png`);
      const two = readPng(`${dir}${icon}Template@2x.png`);
      assert.deepEqual([one.w, one.h, two.w, two.h], [16, 16, 32, 32], icon);
      assert.ok(one.blackOnly && two.blackOnly, `${icon}: black only`);
      assert.equal(readPng(`${dir}${icon}.png`).blackOnly, false, `${icon}: Linux and Windows keep the coloured one`);
    }
    assert.equal(iconPath('/i', 'idle', 'darwin'), '/i/idleTemplate.png');
    assert.equal(iconPath('/i', 'idle', 'linux'), '/i/idle.png');
    const { c, tray } = setup('darwin');
    c.render(view());
    assert.equal(tray().image, '/icons/idleTemplate.png');
  });
});
