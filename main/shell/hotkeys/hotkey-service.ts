// The global talk key as the user configured it, on whatever this desktop allows: the key hook for
// hold and hybrid, Electron's globalShortcut for toggle and as the fallback, and words for the UI
// whenever the requested style cannot run.
import { EventEmitter } from 'node:events';
import type { AcceleratorCheck, HotkeyStatus } from '../../../preload/api';
import type { HotkeySettings } from '../../../common/settings/settings-schema';
import { acceleratorProblem, toKeyCombo } from '../../../common/settings/accelerator';
import { isWayland, type KeyHookHost } from './key-hook-host';
import { systemClock, type Clock } from '../../clock';
import { TalkKey, type TalkTarget } from './talk-key';

/** Electron's globalShortcut, as far as we use it. */
export interface ShortcutRegistry {
  register(accelerator: string, fn: () => void): boolean;
  unregister(accelerator: string): void;
  isRegistered(accelerator: string): boolean;
}

export interface HotkeyServiceDeps {
  shortcuts: ShortcutRegistry;
  hook: KeyHookHost;
  target: TalkTarget;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  clock?: Clock;
  /** How long a shortcut press waits for the hook's key-down before it counts as a tap. */
  hookGraceMs?: number;
}

const CLI_HINT = 'You can bind `hark --toggle-talk` (or `--ptt-down` / `--ptt-up` on press and release) to a shortcut in your desktop settings.';

export class HotkeyService extends EventEmitter<{ status: [HotkeyStatus]; watchdog: []; pressed: [down: boolean] }> {
  readonly talkKey: TalkKey;
  private settings: HotkeySettings | null = null;
  private registered: string[] = [];
  private cancelRegistered: string | null = null;
  private lastHookDown = -Infinity;
  private hookHeld = false;
  private current: HotkeyStatus = { requested: 'hold', active: 'none', backend: 'none', accelerator: '', problem: null };
  private readonly clock: Clock;

  constructor(private readonly deps: HotkeyServiceDeps) {
    super();
    this.clock = deps.clock ?? systemClock;
    this.talkKey = new TalkKey(deps.target, { style: 'hold', tapMs: 400, watchdogMs: 60_000 }, this.clock);
    this.talkKey.events.turn = (open) => this.onTurn(open);
    this.talkKey.events.watchdog = () => this.emit('watchdog');
    deps.hook.on('down', () => {
      this.lastHookDown = this.clock.now();
      this.hookHeld = true;
      this.emit('pressed', true);
      this.talkKey.keyDown();
    });
    deps.hook.on('up', () => {
      this.hookHeld = false;
      this.emit('pressed', false);
      this.talkKey.keyUp();
    });
    deps.hook.on('died', (why) => void this.fallBack(`The key hook stopped (${why})`));
  }

  get status(): HotkeyStatus {
    return { ...this.current };
  }

  async apply(s: HotkeySettings): Promise<HotkeyStatus> {
    this.settings = s;
    this.release();
    this.talkKey.configure({ style: s.style, tapMs: s.tapMs, watchdogMs: s.watchdogMs });
    const base = { requested: s.style, accelerator: s.talk };
    const bad = acceleratorProblem(s.talk);
    if (bad) return this.set({ ...base, active: 'none', backend: 'none', problem: `The talk key is not usable: ${bad}` });

    if (s.style !== 'toggle') {
      const why = await this.startHook(s);
      if (why) return this.toggleFallback(s, `${why.reason}, so ${s.style === 'hold' ? 'hold-to-talk' : 'hybrid'} cannot work here`, why.needsAccessibility);
      // The shortcut is registered too, so the key does not also type into the focused app; its
      // press only counts when the hook did not see the key (it never should).
      const grabbed = this.register(s.talk, () => this.onShortcutWhileHooked());
      const problem = grabbed ? null : `“${s.talk}” is also used by another application, which will receive it too. Choose another key to avoid that.`;
      return this.set({ ...base, active: s.style, backend: 'key-hook', problem });
    }
    return this.toggleOnly(s, null);
  }

  /** Re-runs the configuration, e.g. after sleep or unlock, when the hook may have lost its grab. */
  async restart(): Promise<HotkeyStatus> {
    return this.settings ? this.apply(this.settings) : this.status;
  }

  /** Whether a key combination can be the talk key here; tries it when it is not ours already. */
  check(accelerator: string): AcceleratorCheck {
    const bad = acceleratorProblem(accelerator);
    if (bad) return { ok: false, message: bad };
    if (this.registered.includes(accelerator)) return { ok: true, message: `${accelerator} is the talk key now.` };
    const ok = this.deps.shortcuts.register(accelerator, () => {});
    if (!ok) return { ok: false, message: `${accelerator} is taken by another application (or the desktop). Choose another.` };
    this.deps.shortcuts.unregister(accelerator);
    const combo = toKeyCombo(accelerator, this.deps.platform);
    return { ok: true, message: combo ? `${accelerator} is free.` : `${accelerator} is free; hold-to-talk cannot see this key, so it will work as a toggle.` };
  }

  dispose(): void {
    this.release();
    this.talkKey.dispose();
  }

  private async startHook(s: HotkeySettings): Promise<{ reason: string; needsAccessibility?: boolean } | null> {
    const a = this.deps.hook.availability();
    if (!a.ok) return { reason: cap(a.reason), ...(a.needsAccessibility ? { needsAccessibility: true } : {}) };
    const combo = toKeyCombo(s.talk, this.deps.platform);
    if (!combo) return { reason: `The key hook cannot see “${s.talk}”` };
    try {
      await this.deps.hook.start(combo);
      return null;
    } catch (e) {
      return { reason: cap((e as Error).message) };
    }
  }

  private toggleFallback(s: HotkeySettings, reason: string, needsAccessibility?: boolean): HotkeyStatus {
    const st = this.toggleOnly(s, `${reason}. Using toggle instead: press ${s.talk} to talk, press again to send.`);
    if (needsAccessibility) this.set({ ...st, needsAccessibility: true });
    return this.status;
  }

  private toggleOnly(s: HotkeySettings, problem: string | null): HotkeyStatus {
    this.talkKey.configure({ style: 'toggle', tapMs: s.tapMs, watchdogMs: s.watchdogMs });
    const base = { requested: s.style, accelerator: s.talk };
    if (!this.register(s.talk, () => (this.emit('pressed', true), this.talkKey.tap()))) {
      const why = isWayland(this.deps.env)
        ? `Global shortcuts are not available in this Wayland session (it needs the desktop's GlobalShortcuts portal).`
        : `${s.talk} is taken by another application.`;
      return this.set({ ...base, active: 'none', backend: 'none', problem: `${why} ${CLI_HINT}` });
    }
    return this.set({ ...base, active: 'toggle', backend: 'global-shortcut', problem });
  }

  private async fallBack(why: string): Promise<void> {
    if (!this.settings) return;
    this.release();
    this.toggleFallback(this.settings, why);
  }

  private onShortcutWhileHooked(): void {
    const pressedAt = this.clock.now();
    this.clock.setTimeout(() => {
      // The grabbed shortcut also fires for every auto-repeat while the hook reports the key held.
      if (this.hookHeld || this.lastHookDown >= pressedAt - (this.deps.hookGraceMs ?? 250)) return;
      this.talkKey.tap();
    }, this.deps.hookGraceMs ?? 250);
  }

  private onTurn(open: boolean): void {
    const cancel = this.settings?.cancel;
    if (open && cancel && cancel !== this.settings?.talk && !this.cancelRegistered) {
      if (this.deps.shortcuts.register(cancel, () => this.talkKey.cancel())) this.cancelRegistered = cancel;
    } else if (!open && this.cancelRegistered) {
      this.deps.shortcuts.unregister(this.cancelRegistered);
      this.cancelRegistered = null;
    }
  }

  private register(accelerator: string, fn: () => void): boolean {
    let ok = false;
    try {
      ok = this.deps.shortcuts.register(accelerator, fn);
    } catch {
      ok = false; // Electron throws on accelerators it cannot parse on this platform
    }
    if (ok) this.registered.push(accelerator);
    return ok;
  }

  private release(): void {
    this.deps.hook.stop();
    this.hookHeld = false;
    for (const a of this.registered.splice(0)) this.deps.shortcuts.unregister(a);
    if (this.cancelRegistered) this.deps.shortcuts.unregister(this.cancelRegistered);
    this.cancelRegistered = null;
  }

  private set(s: HotkeyStatus): HotkeyStatus {
    this.current = s;
    this.emit('status', this.status);
    return this.status;
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
