// The talk mode the window follows: turn detection (hands-free or push-to-talk) and, for
// push-to-talk, whether the talk button is held or toggled, as the hotkey setting says.
import type { HotkeyStyle, Settings, TurnDetectionMode } from '../../preload/api';
import { ask, type Bridge } from './bridge';

export class ModeStore {
  style = $state<HotkeyStyle>('hold');
  canChange: boolean;
  readonly #c: Bridge;

  constructor(c: Bridge) {
    this.#c = c;
    this.canChange = typeof c.updateSettings === 'function';
    c.on('settings:changed', (s) => this.#apply(s));
  }

  async load(): Promise<void> {
    const c = this.#c;
    const s = await ask(c.getSettings && (() => c.getSettings!()), null);
    if (s) this.#apply(s);
  }

  /** The session's own state then reports the new mode. */
  async setMode(mode: TurnDetectionMode): Promise<void> {
    const c = this.#c;
    await ask(c.updateSettings && (() => c.updateSettings!({ turnDetection: { mode } })), null);
  }

  openSettings = () => {
    const c = this.#c;
    return ask(c.openSettings && (() => c.openSettings!()), undefined);
  };

  #apply(s: Settings): void {
    // Hybrid on screen is a toggle: a click is a tap.
    this.style = s.hotkey.style === 'hold' ? 'hold' : 'toggle';
  }
}
