// The talk mode the window follows: turn detection (hands-free or push-to-talk) and, for
// push-to-talk, whether the talk button is held or toggled, as the hotkey setting says.
import type { HotkeyStyle, Settings, TurnDetectionMode } from '../../preload/api';
import { ask, type Bridge } from './bridge';
import { realtimeDeprecation, transcriptionDeprecation } from '../../common/models';

export class ModeStore {
  style = $state<HotkeyStyle>('hold');
  /** The replacements for a deprecated model or transcription model in use, for a one-click switch. */
  replacement = $state<{ model: string | null; transcription: string | null }>({ model: null, transcription: null });
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

  /** The deprecation notice's one click: the recommended replacement becomes the setting. */
  async switchModel(kind: 'model' | 'transcription'): Promise<void> {
    const c = this.#c;
    const to = this.replacement[kind];
    if (!to) return;
    await ask(c.updateSettings && (() => c.updateSettings!(kind === 'model' ? { model: to } : { transcription: { model: to } })), null);
  }

  openSettings = () => {
    const c = this.#c;
    return ask(c.openSettings && (() => c.openSettings!()), undefined);
  };

  #apply(s: Settings): void {
    // Hybrid on screen is a toggle: a click is a tap.
    this.style = s.hotkey.style === 'hold' ? 'hold' : 'toggle';
    this.replacement = { model: realtimeDeprecation(s.model)?.replacement ?? null, transcription: transcriptionDeprecation(s.transcription.model)?.replacement ?? null };
  }
}
