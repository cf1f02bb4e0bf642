// The settings window's hotkey field: key presses become accelerators main accepts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceleratorProblem } from '../../common/settings/accelerator';
import { displayAccelerator, recordAccelerator, type KeyLike } from '../../renderer/settings/record-accelerator';

const key = (code: string, k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });

describe('recording a key combination', () => {
  it('waits while only modifiers are down', () => {
    assert.equal(recordAccelerator(key('ControlLeft', 'Control', { ctrlKey: true }), false), null);
    assert.equal(recordAccelerator(key('ShiftLeft', 'Shift', { ctrlKey: true, shiftKey: true }), false), null);
  });

  it('records by physical key, writes the main modifier portably, and main accepts the result', () => {
    const cases: Array<[KeyLike, boolean, string]> = [
      [key('Space', ' ', { ctrlKey: true, shiftKey: true }), false, 'CommandOrControl+Shift+Space'],
      [key('Digit2', '@', { ctrlKey: true, shiftKey: true }), false, 'CommandOrControl+Shift+2'],
      [key('KeyK', 'k', { metaKey: true }), true, 'CommandOrControl+K'],
      [key('KeyK', 'k', { metaKey: true, altKey: true }), false, 'Alt+Super+K'],
      [key('F9', 'F9'), false, 'F9'],
      [key('ArrowUp', 'ArrowUp', { altKey: true }), false, 'Alt+Up'],
    ];
    for (const [e, mac, want] of cases) {
      const got = recordAccelerator(e, mac);
      assert.equal(got, want);
      assert.equal(acceleratorProblem(got as string), null, `main accepts ${want}`);
    }
  });

  it('reports keys Hark cannot bind', () => {
    assert.equal(recordAccelerator(key('IntlBackslash', '<', { ctrlKey: true }), false), 'unsupported');
  });

  it('shows accelerators the platform way', () => {
    assert.equal(displayAccelerator('CommandOrControl+Shift+Space', false), 'Ctrl+Shift+Space');
    assert.equal(displayAccelerator('CommandOrControl+Shift+Space', true), '⌘ShiftSpace');
  });
});
