// The talk key on each kind of desktop: the hook for hold, globalShortcut for toggle, and the
// fallback with words when a mode cannot work (no display, Wayland, macOS permission, a taken
// shortcut, a hook that dies), the cancel shortcut, and the restart after resume.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HotkeyService } from '../../main/shell/hotkeys/hotkey-service';
import { KeyHookHost } from '../../main/shell/hotkeys/key-hook-host';
import type { TalkTarget } from '../../main/shell/hotkeys/talk-key';
import { defaultSettings, type HotkeySettings } from '../../common/settings/settings-schema';
import { FakeGlobalShortcut, FakeHookChild } from '../fakes/electron';
import { FakeClock } from '../support/fake-clock';

const TALK = 'CommandOrControl+Shift+Space';

function setup(o: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; arch?: string; hook?: 'ready' | { error: string }; trusted?: boolean } = {}) {
  const shortcuts = new FakeGlobalShortcut();
  const children: FakeHookChild[] = [];
  const hook = new KeyHookHost({
    fork: () => (children.push(new FakeHookChild(o.hook ?? 'ready')), children.at(-1)!),
    platform: o.platform ?? 'linux',
    arch: o.arch ?? 'x64',
    env: o.env ?? { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' },
    isTrustedAccessibilityClient: () => o.trusted ?? false,
  });
  const calls: string[] = [];
  let open = false;
  const target: TalkTarget = {
    manual: () => true,
    turnOpen: () => open,
    begin: () => void (calls.push('begin'), (open = true)),
    end: () => void (calls.push('end'), (open = false)),
    cancel: () => void (calls.push('cancel'), (open = false)),
    interrupt: () => void calls.push('interrupt'),
  };
  const clock = new FakeClock();
  const svc = new HotkeyService({ shortcuts, hook, target, platform: o.platform ?? 'linux', env: o.env ?? { DISPLAY: ':0' }, clock });
  const settings = (h: Partial<HotkeySettings> = {}): HotkeySettings => ({ ...defaultSettings().hotkey, ...h });
  return { svc, shortcuts, children, calls, clock, settings };
}

describe('hotkey service', () => {
  it('hold on X11: the hook drives the turn; the shortcut is grabbed but only counts if the hook misses the key', async () => {
    const { svc, shortcuts, children, calls, clock, settings } = setup();
    const st = await svc.apply(settings({ style: 'hold' }));
    assert.deepEqual(st, { requested: 'hold', active: 'hold', backend: 'key-hook', accelerator: TALK, problem: null });
    assert.deepEqual(children[0]!.received[0], { type: 'start', combo: { key: 'Space', ctrl: true, alt: false, shift: true, meta: false } });
    assert.equal(shortcuts.isRegistered(TALK), true);
    // The usual case: both see the press; the hook's down wins and the shortcut is ignored.
    children[0]!.message({ type: 'down' });
    shortcuts.press(TALK);
    clock.advance(1000);
    children[0]!.message({ type: 'up' });
    assert.deepEqual(calls, ['begin', 'end']);
    // Held with auto-repeat: the grabbed shortcut fires again and again; the hook's hold wins.
    children[0]!.message({ type: 'down' });
    for (let i = 0; i < 5; i++) {
      clock.advance(600);
      shortcuts.press(TALK);
    }
    clock.advance(600);
    children[0]!.message({ type: 'up' });
    assert.deepEqual(calls, ['begin', 'end', 'begin', 'end']);
    calls.length = 2;
    // The hook missed a press: the shortcut stands in as a tap after its grace period.
    clock.advance(5000);
    shortcuts.press(TALK);
    assert.deepEqual(calls, ['begin', 'end']);
    clock.advance(300);
    assert.deepEqual(calls, ['begin', 'end', 'begin']);
  });

  it('the cancel shortcut exists only while a turn is open', async () => {
    const { svc, shortcuts, children, calls, settings } = setup();
    await svc.apply(settings({ style: 'hold', cancel: 'CommandOrControl+Shift+Backspace' }));
    assert.equal(shortcuts.isRegistered('CommandOrControl+Shift+Backspace'), false);
    children[0]!.message({ type: 'down' });
    assert.equal(shortcuts.isRegistered('CommandOrControl+Shift+Backspace'), true);
    shortcuts.press('CommandOrControl+Shift+Backspace');
    children[0]!.message({ type: 'up' });
    assert.deepEqual(calls, ['begin', 'cancel']);
    assert.equal(shortcuts.isRegistered('CommandOrControl+Shift+Backspace'), false);
  });

  it('toggle uses only the global shortcut: press talks, press again sends', async () => {
    const { svc, shortcuts, children, calls, clock, settings } = setup();
    const st = await svc.apply(settings({ style: 'toggle' }));
    assert.equal(st.backend, 'global-shortcut');
    assert.equal(children.length, 0, 'no hook process for toggle');
    shortcuts.press(TALK);
    clock.advance(2000);
    shortcuts.press(TALK);
    assert.deepEqual(calls, ['begin', 'end']);
  });

  const fallbacks: Array<[string, Parameters<typeof setup>[0], RegExp]> = [
    ['no X display', { env: {} }, /no X display/],
    ['Wayland', { env: { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' } }, /Wayland does not let applications see key releases/],
    ['Linux arm64', { arch: 'arm64' }, /no working build for Linux arm64/],
    ['macOS without Accessibility', { platform: 'darwin', trusted: false }, /Accessibility permission/],
    ['a hook that cannot start', { hook: { error: 'XOpenDisplay failure' } }, /XOpenDisplay failure/],
  ];
  for (const [name, o, why] of fallbacks) {
    it(`hold falls back to toggle, with the reason, when ${name}`, async () => {
      const { svc, shortcuts, calls, clock, settings } = setup(o);
      const st = await svc.apply(settings({ style: 'hold' }));
      assert.equal(st.active, 'toggle');
      assert.equal(st.backend, 'global-shortcut');
      assert.match(st.problem!, why);
      assert.match(st.problem!, /Using toggle instead/);
      if (name.startsWith('macOS')) assert.equal(st.needsAccessibility, true);
      shortcuts.press(TALK);
      clock.advance(1000);
      shortcuts.press(TALK);
      assert.deepEqual(calls, ['begin', 'end']);
    });
  }

  it('a hook that dies mid-session: toggle takes over and the UI is told', async () => {
    const { svc, shortcuts, children, calls, settings } = setup();
    const statuses: string[] = [];
    svc.on('status', (s) => statuses.push(`${s.active}:${s.problem ?? ''}`));
    await svc.apply(settings({ style: 'hybrid' }));
    children[0]!.die(134);
    assert.match(statuses.at(-1)!, /^toggle:The key hook stopped \(the key hook exited \(code 134\)\)/);
    shortcuts.press(TALK);
    assert.deepEqual(calls, ['begin']);
  });

  it('after resume or unlock the hook is started again', async () => {
    const { svc, children, settings } = setup();
    await svc.apply(settings({ style: 'hold' }));
    await svc.restart();
    assert.equal(children.length, 2);
    assert.equal(children[0]!.killed, true);
    assert.equal(svc.status.backend, 'key-hook');
  });

  it('a shortcut taken by another application: toggle cannot work, and the words offer the command-line switches', async () => {
    const { svc, shortcuts, settings } = setup({ env: {} });
    shortcuts.taken.add(TALK);
    const st = await svc.apply(settings({ style: 'toggle' }));
    assert.equal(st.active, 'none');
    assert.match(st.problem!, /taken by another application/);
    assert.match(st.problem!, /--toggle-talk/);
  });

  it('Wayland without the portal: the words name the portal and the switches', async () => {
    const { svc, shortcuts, settings } = setup({ env: { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' } });
    shortcuts.taken.add(TALK); // globalShortcut.register returns false without the portal
    const st = await svc.apply(settings({ style: 'hold' }));
    assert.equal(st.active, 'none');
    assert.match(st.problem!, /GlobalShortcuts portal/);
    assert.match(st.problem!, /--ptt-down/);
  });

  it('check: validates a combination and tries it without keeping it', () => {
    const { svc, shortcuts } = setup();
    assert.deepEqual(svc.check('Space'), { ok: false, message: '“Space” alone would fire while you type; add Ctrl, Alt, Shift or Super, or use a function key.' });
    shortcuts.taken.add('Alt+F9');
    assert.match(svc.check('Alt+F9').message, /taken by another application/);
    assert.equal(svc.check('Alt+F10').ok, true);
    assert.equal(shortcuts.isRegistered('Alt+F10'), false);
    assert.match(svc.check('Ctrl+VolumeUp').message, /work as a toggle/);
  });
  it('reports every press and release of the talk key, from the hook and from a toggle shortcut (the first-run guide shows it)', async () => {
    const hold = setup();
    const seen: boolean[] = [];
    hold.svc.on('pressed', (down) => seen.push(down));
    await hold.svc.apply(hold.settings({ style: 'hold' }));
    hold.children[0]!.message({ type: 'down' });
    hold.clock.advance(500);
    hold.children[0]!.message({ type: 'up' });
    assert.deepEqual(seen, [true, false]);
    const toggle = setup({ env: { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' } });
    const pressed: boolean[] = [];
    toggle.svc.on('pressed', (down) => pressed.push(down));
    await toggle.svc.apply(toggle.settings({ style: 'toggle' }));
    toggle.shortcuts.press(TALK);
    assert.deepEqual(pressed, [true]);
  });
});
