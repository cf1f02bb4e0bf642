// Idle auto-disconnect: after N minutes without speech the session disconnects, which stops the
// billing and closes the mic gate; the next talk (button, hotkey, tray) connects again first.
import type { Notice, SessionState } from '../../preload/api';

/** What idle-disconnect needs of a RealtimeSession. */
export interface IdleSession {
  readonly state: SessionState;
  on(event: 'state', fn: (s: SessionState) => void): unknown;
  off(event: 'state', fn: (s: SessionState) => void): unknown;
  connect(): Promise<void>;
  disconnect(): void;
  beginTurn(): void;
}

export interface IdleDisconnectOptions {
  session: IdleSession;
  /** Minutes without speech before disconnecting; null = never. Read at every change. */
  idleMinutes: () => number | null;
  notify: (n: Notice) => void;
  /** Tests use milliseconds. */
  minuteMs?: number;
}

// Only quiet listening counts down: speech, a reply, a tool or an open push-to-talk turn restarts it.
export class IdleDisconnect {
  private timer: NodeJS.Timeout | null = null;
  /** The last disconnect was ours, so the window can say why it is offline. */
  idled = false;
  private readonly onState = (s: SessionState) => this.arm(s);

  constructor(private readonly o: IdleDisconnectOptions) {
    o.session.on('state', this.onState);
    this.arm(o.session.state);
  }

  /** Settings changed: restart the countdown with the new length. */
  refresh(): void {
    this.arm(this.o.session.state);
  }

  /**
   * The talk action: when disconnected (idle, by hand, or after an error the user may have fixed
   * since), connect, then begin the turn once ready.
   */
  async talk(): Promise<void> {
    const phase = this.o.session.state.phase;
    if (phase === 'disconnected' || phase === 'error') {
      const connected = this.o.session.connect();
      // Open the turn at once: with local voice, what is said while connecting is kept for it.
      this.o.session.beginTurn();
      // A failure arrives as the session's state and a notice; the press itself just ends.
      const ok = await connected.then(() => true, () => false);
      if (!ok) return;
    }
    this.o.session.beginTurn();
  }

  dispose(): void {
    this.o.session.off('state', this.onState);
    this.clear();
  }

  private arm(s: SessionState): void {
    this.clear();
    if (s.phase !== 'disconnected') this.idled = false;
    const minutes = this.o.idleMinutes();
    if (minutes === null || minutes <= 0) return;
    if (s.phase !== 'listening' || s.turnOpen) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const now = this.o.session.state;
      if (now.phase !== 'listening' || now.turnOpen) return;
      this.o.session.disconnect();
      this.idled = true;
      this.o.notify({
        level: 'info',
        code: 'idle_disconnect',
        message: `Disconnected after ${minutes} minute${minutes === 1 ? '' : 's'} without speech, to stop billing and the microphone. Press talk to reconnect.`,
      });
    }, minutes * (this.o.minuteMs ?? 60_000));
    this.timer.unref?.();
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
