// Main's side of the key hook: decides whether the hook can work here at all, runs it in a utility
// process, and reports key down/up and its death. Electron's utilityProcess comes in as `fork`.
import { EventEmitter } from 'node:events';
import type { KeyCombo } from '../../../common/settings/accelerator';
import type { FromHook, ToHook } from './hook-protocol';

/** Electron's UtilityProcess, as far as we use it. */
export interface HookChild {
  postMessage(m: ToHook): void;
  on(event: 'message', fn: (m: FromHook) => void): unknown;
  on(event: 'exit', fn: (code: number) => void): unknown;
  kill(): boolean;
}

export interface KeyHookDeps {
  fork(): HookChild;
  platform: NodeJS.Platform;
  arch: string;
  env: NodeJS.ProcessEnv;
  /** macOS: systemPreferences.isTrustedAccessibilityClient(prompt). */
  isTrustedAccessibilityClient?(prompt: boolean): boolean;
  startTimeoutMs?: number;
}

export type HookAvailability = { ok: true } | { ok: false; reason: string; needsAccessibility?: boolean };

export function isWayland(env: NodeJS.ProcessEnv): boolean {
  return env.XDG_SESSION_TYPE === 'wayland' || (!!env.WAYLAND_DISPLAY && !env.DISPLAY);
}

export class KeyHookHost extends EventEmitter<{ down: []; up: []; died: [string] }> {
  private child: HookChild | null = null;

  constructor(private readonly deps: KeyHookDeps) {
    super();
  }

  availability(): HookAvailability {
    const { platform, env, arch } = this.deps;
    if (platform === 'linux') {
      // uIOhook.start() without a display aborts its process; under Wayland the XWayland hook only
      // sees keys while an X11 window has focus, so a release could be missed.
      if (isWayland(env)) return { ok: false, reason: 'Wayland does not let applications see key releases' };
      if (!env.DISPLAY) return { ok: false, reason: 'there is no X display (DISPLAY is not set)' };
      // uiohook-napi 1.5.5's linux-arm64 prebuild is an x86-64 binary.
      if (arch !== 'x64') return { ok: false, reason: `the key hook has no working build for Linux ${arch}` };
    }
    if (platform === 'darwin' && !this.deps.isTrustedAccessibilityClient?.(false)) {
      return { ok: false, reason: 'macOS has not given Hark the Accessibility permission', needsAccessibility: true };
    }
    return { ok: true };
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Resolves once the hook listens; rejects with the reason, in words, when it cannot. */
  start(combo: KeyCombo): Promise<void> {
    this.stop();
    const child = this.deps.fork();
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      let started = false;
      const timer = setTimeout(() => {
        if (started) return;
        this.stop();
        reject(new Error('the key hook did not start in time'));
      }, this.deps.startTimeoutMs ?? 5_000);
      child.on('message', (m) => {
        if (this.child !== child) return;
        if (m.type === 'ready') {
          started = true;
          clearTimeout(timer);
          resolve();
        } else if (m.type === 'down') this.emit('down');
        else if (m.type === 'up') this.emit('up');
        else if (m.type === 'error') {
          clearTimeout(timer);
          this.child = null;
          if (started) this.emit('died', m.message);
          else reject(new Error(m.message));
        }
      });
      child.on('exit', (code) => {
        if (this.child !== child) return;
        this.child = null;
        clearTimeout(timer);
        const why = `the key hook exited (code ${code})`;
        if (started) this.emit('died', why);
        else reject(new Error(why));
      });
      child.postMessage({ type: 'start', combo });
    });
  }

  stop(): void {
    const c = this.child;
    this.child = null;
    if (!c) return;
    try {
      c.postMessage({ type: 'stop' });
    } catch {
      /* already gone */
    }
    c.kill();
  }
}
