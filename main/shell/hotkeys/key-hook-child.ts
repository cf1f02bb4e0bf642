// The key-hook utility process: uiohook-napi sees raw key down and up, which Electron's
// globalShortcut cannot. It runs here, never in main, because without a display uIOhook.start()
// aborts the whole process. Runs under Electron's utilityProcess (parentPort) or node's fork (tests).
import { isComboDown, type FromHook, type ToHook } from './hook-protocol';

interface Port {
  post(m: FromHook): void;
  onMessage(fn: (m: ToHook) => void): void;
}

function port(): Port {
  const pp = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', fn: (e: { data: unknown }) => void): void } }).parentPort;
  if (pp) return { post: (m) => pp.postMessage(m), onMessage: (fn) => pp.on('message', (e) => fn(e.data as ToHook)) };
  return { post: (m) => process.send?.(m), onMessage: (fn) => process.on('message', (m) => fn(m as ToHook)) };
}

const io = port();

function fail(message: string): void {
  io.post({ type: 'error', message });
  // Give the message time to leave before the process goes.
  setTimeout(() => process.exit(1), 50);
}

type Hook = typeof import('uiohook-napi');

io.onMessage((m) => void handle(m));

async function handle(m: ToHook): Promise<void> {
  if (m.type === 'stop') process.exit(0);
  if (process.platform === 'linux' && !process.env.DISPLAY) return fail('no X display (DISPLAY is not set)');
  let hook: Hook;
  try {
    // A dynamic import: the bundle keeps uiohook-napi external (a native module), tsx loads it as ESM.
    const mod = (await import('uiohook-napi')) as Hook & { default?: Hook };
    hook = mod.default ?? mod;
  } catch (e) {
    return fail(`the key hook module could not load: ${(e as Error).message}`);
  }
  const keycode = (hook.UiohookKey as Record<string, number>)[m.combo.key];
  if (keycode === undefined) return fail(`the key hook has no key named ${m.combo.key}`);
  let held = false;
  hook.uIOhook.on('keydown', (e) => {
    // Auto-repeat sends keydown again and again while held: one down per press.
    if (held || !isComboDown(e, keycode, m.combo)) return;
    held = true;
    io.post({ type: 'down' });
  });
  hook.uIOhook.on('keyup', (e) => {
    // The modifiers may be released first; the key itself ends the press.
    if (!held || e.keycode !== keycode) return;
    held = false;
    io.post({ type: 'up' });
  });
  hook.uIOhook.start();
  io.post({ type: 'ready' });
}
