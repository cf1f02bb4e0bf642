// The wake word's state (what the bar under the orb says while Hark waits for the phrase), the
// screen-capture indicator, and the "Look at my screen" button's call. One store: both are the
// ways Hark listens or looks beyond the conversation itself, and both are shown in the same bar.
// The picker beside the button lists the open windows afresh each time it opens (windows come and go).
import type { ScreenWindow, WakeStatus } from '../../preload/api';
import { ask, type Bridge } from './bridge';

export class LookStore {
  wake = $state<WakeStatus>({ state: 'off' });
  capturing = $state(false);
  periodic = $state(false);
  /** The last look's outcome in words, when it did not send. */
  message = $state('');
  busy = $state(false);
  /** The picker's windows: null while they are being fetched (or could not be). */
  windows = $state<ScreenWindow[] | null>(null);
  /** The short earcon on a wake (boot sets it to the chime on the audio engine's output). */
  earcon: () => void = () => {};
  readonly #c: Bridge;

  constructor(c: Bridge) {
    this.#c = c;
    c.on('wake:state', (w) => {
      this.wake = w;
      if (w.heard) this.earcon();
    });
    c.on('screen:capture', (s) => {
      this.capturing = s.active;
      this.periodic = s.periodic;
    });
  }

  get canLook(): boolean {
    return !!this.#c.lookAtScreen;
  }

  get canPick(): boolean {
    return !!this.#c.listScreenWindows;
  }

  /** For the picker as it opens: a refused permission or an error shows in words, as a look's does. */
  async loadWindows(): Promise<void> {
    const c = this.#c;
    this.windows = null;
    this.message = '';
    const r = await ask(c.listScreenWindows && (() => c.listScreenWindows!()), null, (m) => (this.message = m));
    if (r?.message) this.message = r.message;
    else if (r) this.windows = r.windows;
  }

  /** The screen, or the window of that title. */
  async look(windowTitle?: string): Promise<void> {
    const c = this.#c;
    this.busy = true;
    this.message = '';
    try {
      const r = await ask(c.lookAtScreen && (() => c.lookAtScreen!(windowTitle ? { windowTitle } : undefined)), { sent: false, message: '' }, (m) => (this.message = m));
      if (!r.sent) this.message = r.message;
    } finally {
      this.busy = false;
    }
  }
}
