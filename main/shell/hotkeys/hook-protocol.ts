// Messages between main and the key-hook utility process.
import type { KeyCombo } from '../../../common/settings/accelerator';

export type ToHook = { type: 'start'; combo: KeyCombo } | { type: 'stop' };

export type FromHook =
  | { type: 'ready' }
  | { type: 'down' }
  | { type: 'up' }
  /** The hook cannot run; the process exits after sending this. */
  | { type: 'error'; message: string };

/** Whether a key event is the combination: the key itself, with exactly these modifiers held. */
export function isComboDown(
  e: { keycode: number; ctrlKey: boolean; altKey: boolean; shiftKey: boolean; metaKey: boolean },
  keycode: number,
  combo: KeyCombo,
): boolean {
  // Exact modifiers: Ctrl+Alt+Space is someone else's chord, not our Ctrl+Space.
  return e.keycode === keycode && e.ctrlKey === combo.ctrl && e.altKey === combo.alt && e.shiftKey === combo.shift && e.metaKey === combo.meta;
}
