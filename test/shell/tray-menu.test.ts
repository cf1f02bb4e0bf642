// The tray for each session state: icon, tooltip, and which actions the menu offers; then the
// controller over the fake Tray, whose clicks reach the action handler.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionState } from '../../preload/api';
import { TrayController } from '../../main/shell/tray';
import { trayView, type MenuEntry, type TrayAction } from '../../main/shell/tray-menu';
import { FakeMenu, FakeTray } from '../fakes/electron';

const base: SessionState = { phase: 'listening', turnDetection: 'server_vad', turnOpen: false, muted: false };
const view = (s: Partial<SessionState>, voice = 'marin') => trayView({ state: { ...base, ...s }, voice, hotkey: 'Ctrl+Shift+Space' });
const item = (menu: MenuEntry[], label: string) => {
  const found = menu.find((m) => m.label === label);
  assert.ok(found, `menu has "${label}": ${menu.map((m) => m.label).join(', ')}`);
  return found;
};
const labels = (menu: MenuEntry[]) => menu.filter((m) => m.label).map((m) => m.label);

describe('tray view per state', () => {
  const cases: Array<[string, Partial<SessionState>, string, RegExp]> = [
    ['disconnected', { phase: 'disconnected' }, 'disconnected', /Disconnected/],
    ['connecting', { phase: 'connecting' }, 'disconnected', /Connecting/],
    ['reconnecting', { phase: 'reconnecting', reconnect: { attempt: 2, inMs: 4000 } }, 'disconnected', /attempt 2, in 4 s/],
    ['idle (push-to-talk, no turn)', { turnDetection: 'none' }, 'idle', /press the talk key/],
    ['listening (VAD)', {}, 'listening', /Listening/],
    ['user speaking', { phase: 'user-speaking' }, 'user-speaking', /Listening to you/],
    ['thinking', { phase: 'thinking' }, 'thinking', /Thinking/],
    ['tool running', { phase: 'tool-running' }, 'thinking', /tool/],
    ['assistant speaking', { phase: 'assistant-speaking' }, 'assistant-speaking', /Speaking/],
    ['muted', { muted: true }, 'muted', /microphone muted/],
    ['error', { phase: 'error', error: { fatal: true, code: 'invalid_api_key', message: 'The API key was refused.' } }, 'error', /Error: The API key was refused/],
  ];
  for (const [name, s, icon, tooltip] of cases) {
    it(`${name}: icon ${icon}`, () => {
      const v = view(s);
      assert.equal(v.icon, icon);
      assert.match(v.tooltip, tooltip);
      // Every action is always in the menu (AppIndicator drops clicks on the icon itself).
      for (const l of ['Cancel turn', 'Mode', 'Voice', 'Mute microphone', 'Open Hark', 'Settings…', 'Quit Hark']) item(v.menu, l);
    });
  }

  it('disconnected: Connect offered, Talk disabled, no hotkey in the tooltip', () => {
    const v = view({ phase: 'disconnected' });
    assert.deepEqual(item(v.menu, 'Connect').action, { kind: 'connect' });
    assert.equal(labels(v.menu).includes('Disconnect'), false);
    assert.equal(item(v.menu, 'Talk (interrupts the reply)').enabled, false);
    assert.doesNotMatch(v.tooltip, /Talk key/);
  });

  it('error: Reconnect offered', () => {
    const v = view({ phase: 'error', error: { fatal: true, code: null, message: 'x' } });
    assert.deepEqual(item(v.menu, 'Reconnect').action, { kind: 'connect' });
  });

  it('push-to-talk ready: Talk enabled; open turn: Send and Cancel turn enabled', () => {
    const idle = view({ turnDetection: 'none' });
    assert.equal(item(idle.menu, 'Talk').enabled, true);
    assert.equal(item(idle.menu, 'Cancel turn').enabled, false);
    assert.match(idle.tooltip, /Talk key: Ctrl\+Shift\+Space/);
    const open = view({ turnDetection: 'none', turnOpen: true, phase: 'user-speaking' });
    assert.deepEqual(item(open.menu, 'Send').action, { kind: 'send' });
    assert.equal(item(open.menu, 'Cancel turn').enabled, true);
    assert.equal(open.icon, 'user-speaking');
  });

  it('VAD: Talk only interrupts, so it is enabled only while the assistant speaks', () => {
    assert.equal(item(view({}).menu, 'Talk (interrupts the reply)').enabled, false);
    const speaking = view({ phase: 'assistant-speaking' });
    assert.equal(item(speaking.menu, 'Talk (interrupts the reply)').enabled, true);
    assert.equal(item(speaking.menu, 'Stop the reply').enabled, true);
  });

  it('mode and voice are radio groups checked from the state and settings', () => {
    const v = view({ turnDetection: 'semantic_vad' }, 'cedar');
    const modes = item(v.menu, 'Mode').submenu!;
    assert.deepEqual(modes.filter((m) => m.checked).map((m) => m.label), ['Semantic VAD']);
    assert.deepEqual(modes.map((m) => m.action), [
      { kind: 'mode', mode: 'server_vad' },
      { kind: 'mode', mode: 'semantic_vad' },
      { kind: 'mode', mode: 'none' },
    ]);
    assert.deepEqual(item(v.menu, 'Voice').submenu!.filter((m) => m.checked).map((m) => m.label), ['cedar']);
  });

  it('mute is a checkbox whose click flips the state', () => {
    assert.deepEqual(item(view({}).menu, 'Mute microphone').action, { kind: 'mute', muted: true });
    const m = item(view({ muted: true }).menu, 'Mute microphone');
    assert.equal(m.checked, true);
    assert.deepEqual(m.action, { kind: 'mute', muted: false });
  });
});

describe('tray controller', () => {
  it('shows the icon file and tooltip of the state, and routes clicks to actions', () => {
    const trays: FakeTray[] = [];
    const actions: TrayAction[] = [];
    const c = new TrayController({ createTray: (p) => (trays.push(new FakeTray(p)), trays[0]!), buildMenu: (t) => new FakeMenu(t), iconDir: '/icons' }, (a) => actions.push(a));
    c.render(view({ phase: 'disconnected' }));
    assert.equal(trays[0]!.image, '/icons/disconnected.png');
    trays[0]!.click('Connect');
    c.render(view({ turnDetection: 'none' }));
    assert.equal(trays.length, 1, 'one tray, updated in place');
    assert.equal(trays[0]!.image, '/icons/idle.png');
    trays[0]!.click('Talk');
    trays[0]!.click('Push-to-talk');
    trays[0]!.click('Quit Hark');
    assert.deepEqual(actions, [{ kind: 'connect' }, { kind: 'talk' }, { kind: 'mode', mode: 'none' }, { kind: 'quit' }]);
  });
});
