// The tray's wake-word and screen items: "Waiting for 'Hey Jarvis'" while the wake word listens
// disconnected, its toggle, and "Look at my screen" only while connected; and the switch a
// desktop shortcut can bind (hark --look-at-screen).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionState } from '../../preload/api';
import { trayView } from '../../main/shell/tray-menu';
import { dispatchCli } from '../../main/shell/cli-switches';

const base: SessionState = { phase: 'disconnected', turnDetection: 'server_vad', turnOpen: false, muted: false };

describe('tray: wake word and look at my screen', () => {
  it('waiting: the status line and tooltip say what to say; the toggle is checked; looking is off while disconnected', () => {
    const v = trayView({ state: base, voice: 'marin', hotkey: null, wake: { enabled: true, waiting: true, phrase: 'Hey Jarvis' }, look: true });
    assert.equal(v.menu[0]!.label, 'Waiting for “Hey Jarvis”');
    assert.match(v.tooltip, /Hark: Waiting for “Hey Jarvis”/);
    const toggle = v.menu.find((m) => m.label === 'Wake word (“Hey Jarvis”)')!;
    assert.deepEqual([toggle.checked, toggle.action], [true, { kind: 'wake-word', on: false }]);
    assert.equal(v.menu.find((m) => m.label === 'Look at my screen')!.enabled, false);
  });

  it('connected: the usual status; looking is offered; the toggle turns the mode on', () => {
    const v = trayView({ state: { ...base, phase: 'listening' }, voice: 'marin', hotkey: null, wake: { enabled: false, waiting: false, phrase: 'Hey Jarvis' }, look: true });
    assert.equal(v.menu[0]!.label, 'Listening');
    assert.deepEqual(v.menu.find((m) => m.label === 'Look at my screen')!.action, { kind: 'look-at-screen' });
    assert.equal(v.menu.find((m) => m.label === 'Look at my screen')!.enabled, true);
    assert.deepEqual(v.menu.find((m) => m.label?.startsWith('Wake word'))!.action, { kind: 'wake-word', on: true });
  });

  it('--look-at-screen from a second launch reaches the running Hark', () => {
    let looked = 0;
    const noop = () => {};
    const ran = dispatchCli(['hark', '--look-at-screen'], { toggleTalk: noop, pttDown: noop, pttUp: noop, cancelTalk: noop, showCompanion: noop, showSettings: noop, lookAtScreen: () => void looked++ });
    assert.deepEqual(ran, ['look-at-screen']);
    assert.equal(looked, 1);
  });
});
