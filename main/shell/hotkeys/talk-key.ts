// The talk key as a state machine: hold, toggle and hybrid over one set of inputs, whatever the
// source (key hook, global shortcut, command line, tray). Pure: time and the session come in as
// interfaces, so every case runs under node with a fake clock.
import type { HotkeyStyle } from '../../../preload/api';
import { systemClock, type Clock } from '../../clock';

/** What the key drives. `manual` is false while a VAD mode ends turns by itself. */
export interface TalkTarget {
  manual(): boolean;
  turnOpen(): boolean;
  begin(): void;
  end(): void;
  cancel(): void;
  interrupt(): void;
}


export interface TalkKeyOptions {
  style: HotkeyStyle;
  tapMs: number;
  watchdogMs: number;
  /**
   * Press-only sources repeat while held, the first repeat after the OS's auto-repeat delay
   * (500–660 ms by default on X11, GNOME, Windows); presses closer together than this are one press.
   */
  repeatGapMs?: number;
}

export interface TalkKeyEvents {
  /** A turn opened or closed through this machine (the cancel shortcut lives only while open). */
  turn?: (open: boolean) => void;
  watchdog?: () => void;
}

type Phase =
  | 'idle'
  /** Key down, turn open; the release decides (hold sends; hybrid: a short press becomes a toggle). */
  | 'holding'
  /** Turn open until the next press. */
  | 'toggled';

export class TalkKey {
  events: TalkKeyEvents = {};
  private phase: Phase = 'idle';
  private down = false;
  private downAt = 0;
  /** The press that closed a toggled turn: its release must not start anything. */
  private swallowUp = false;
  private lastTapAt = -Infinity;
  private watchdog: unknown = null;

  constructor(
    private readonly target: TalkTarget,
    private opts: TalkKeyOptions,
    private readonly clock: Clock = systemClock,
  ) {}

  get style(): HotkeyStyle {
    return this.opts.style;
  }

  get isOpen(): boolean {
    return this.phase !== 'idle';
  }

  configure(opts: TalkKeyOptions): void {
    this.opts = opts;
  }

  /** A key-down from a source that also reports release. Repeats while held are ignored. */
  keyDown(style: HotkeyStyle = this.opts.style): void {
    if (this.down) return;
    this.down = true;
    this.downAt = this.clock.now();
    if (!this.target.manual()) return this.target.interrupt();
    if (style === 'toggle') return this.toggle();
    if (this.phase === 'toggled') {
      this.swallowUp = true;
      return this.close('end');
    }
    this.open('holding');
  }

  keyUp(style: HotkeyStyle = this.opts.style): void {
    if (!this.down) return;
    this.down = false;
    if (this.swallowUp) {
      this.swallowUp = false;
      return;
    }
    if (this.phase !== 'holding') return;
    const tap = style === 'hybrid' && this.clock.now() - this.downAt < this.opts.tapMs;
    if (tap) this.phase = 'toggled';
    else this.close('end');
  }

  /**
   * A press from a source that cannot see release. A global shortcut repeats while held, so its
   * presses are de-duplicated; a command-line switch is one deliberate command each (dedupe off).
   */
  tap(dedupe = true): void {
    const now = this.clock.now();
    const repeat = now - this.lastTapAt < (this.opts.repeatGapMs ?? 700);
    this.lastTapAt = now;
    if (repeat && dedupe) return;
    if (!this.target.manual()) return this.target.interrupt();
    this.toggle();
  }

  cancel(): void {
    this.down = false;
    this.swallowUp = false;
    if (this.phase !== 'idle' || this.target.turnOpen()) this.close('cancel');
  }

  /**
   * The session's own view of the turn, which other controls (tray, window, disconnects) change too.
   * A turn opened elsewhere is toggled: the next press sends it.
   */
  sync(turnOpen: boolean): void {
    if (!turnOpen && this.phase !== 'idle') this.reset();
    else if (turnOpen && this.phase === 'idle') {
      this.phase = 'toggled';
      this.armWatchdog();
      this.events.turn?.(true);
    }
  }

  dispose(): void {
    this.stopWatchdog();
  }

  private toggle(): void {
    if (this.phase !== 'idle' || this.target.turnOpen()) this.close('end');
    else this.open('toggled');
  }

  private open(phase: 'holding' | 'toggled'): void {
    // Set first: the session reports the open turn (sync) before begin() returns.
    this.phase = phase;
    this.target.begin();
    // beginTurn does nothing while disconnected; trust the session, not the key.
    if (!this.target.turnOpen()) {
      this.phase = 'idle';
      return;
    }
    this.armWatchdog();
    this.events.turn?.(true);
  }

  private close(how: 'end' | 'cancel'): void {
    this.reset();
    if (how === 'end') this.target.end();
    else this.target.cancel();
  }

  private reset(): void {
    const wasOpen = this.phase !== 'idle';
    this.phase = 'idle';
    this.stopWatchdog();
    if (wasOpen) this.events.turn?.(false);
  }

  private armWatchdog(): void {
    this.stopWatchdog();
    this.watchdog = this.clock.setTimeout(() => {
      this.watchdog = null;
      if (this.phase === 'idle') return;
      // A key-up we never saw (focus change, sleep, a dead hook) must not leave the mic open.
      this.down = false;
      this.swallowUp = false;
      this.events.watchdog?.();
      this.close('end');
    }, this.opts.watchdogMs);
  }

  private stopWatchdog(): void {
    if (this.watchdog !== null) this.clock.clearTimeout(this.watchdog);
    this.watchdog = null;
  }
}
