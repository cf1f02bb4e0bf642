// The wake word's state (what the bar under the orb says while Hark waits for the phrase), the
// screen-capture indicator, and the "Look at my screen" button's call. One store: both are the
// ways Hark listens or looks beyond the conversation itself, and both are shown in the same bar.
import type { WakeStatus } from '../../preload/api';
import { ask, type Bridge } from './bridge';

export class LookStore {
  wake = $state<WakeStatus>({ state: 'off' });
  capturing = $state(false);
  periodic = $state(false);
  /** The last look's outcome in words, when it did not send. */
  message = $state('');
  busy = $state(false);
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

  async look(): Promise<void> {
    const c = this.#c;
    this.busy = true;
    this.message = '';
    try {
      const r = await ask(c.lookAtScreen && (() => c.lookAtScreen!()), { sent: false, message: '' }, (m) => (this.message = m));
      if (!r.sent) this.message = r.message;
    } finally {
      this.busy = false;
    }
  }
}
