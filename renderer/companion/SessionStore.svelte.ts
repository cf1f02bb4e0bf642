// The session's one state, the mic and speaker levels for the orb, and the session's actions.
import type { SessionState } from '../../preload/api';
import { ask, type Bridge } from './bridge';
import { retryWhenOnline } from './network-back';

export type OrbMood = 'disconnected' | 'connecting' | 'listening' | 'user-speaking' | 'thinking' | 'assistant-speaking' | 'tool-running' | 'muted' | 'error';

export class SessionStore {
  state = $state<SessionState>({ phase: 'disconnected', turnDetection: 'server_vad', turnOpen: false, muted: false });
  /** RMS 0..1 from the audio engine's meters (~30 Hz): the orb moves with these, no timer of its own. */
  input = $state(0);
  output = $state(0);
  audioReady = $state(false);
  readonly #c: Bridge;

  constructor(c: Bridge) {
    this.#c = c;
    c.on('session:state', (s) => (this.state = s));
    retryWhenOnline(globalThis, () => this.state, () => this.connect());
  }

  get mood(): OrbMood {
    const p = this.state.phase;
    if (p === 'disconnected' || p === 'error') return p;
    if (p === 'connecting' || p === 'reconnecting') return 'connecting';
    if (this.state.muted && (p === 'listening' || p === 'user-speaking')) return 'muted';
    return p;
  }

  get connected(): boolean {
    return !['disconnected', 'connecting', 'reconnecting', 'error'].includes(this.state.phase);
  }

  get manual(): boolean {
    return this.state.turnDetection === 'none';
  }

  setLevels(l: { input: { rms: number }; output: { rms: number } }): void {
    this.input = l.input.rms;
    this.output = l.output.rms;
  }

  connect = () => ask(() => this.#c.connect(), undefined);
  disconnect = () => ask(() => this.#c.disconnect(), undefined);
  beginTurn = () => ask(() => this.#c.beginTurn(), undefined);
  endTurn = () => ask(() => this.#c.endTurn(), undefined);
  cancelTurn = () => ask(() => this.#c.cancelTurn(), undefined);
  interrupt = () => ask(() => this.#c.interrupt(), undefined);
  setMuted = (muted: boolean) => ask(() => this.#c.setMuted({ muted }), undefined);
}
