// Electron accelerator strings ("CommandOrControl+Shift+Space"): parse, judge, and translate for the
// key hook, which sees raw keys and must match the same combination itself.

export interface KeyCombo {
  /** The one non-modifier key, in uiohook's vocabulary (UiohookKey names). */
  key: string;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

const MODIFIERS: Record<string, 'ctrl' | 'alt' | 'shift' | 'meta' | 'cmdOrCtrl'> = {
  command: 'meta',
  cmd: 'meta',
  super: 'meta',
  meta: 'meta',
  control: 'ctrl',
  ctrl: 'ctrl',
  commandorcontrol: 'cmdOrCtrl',
  cmdorctrl: 'cmdOrCtrl',
  alt: 'alt',
  option: 'alt',
  altgr: 'alt',
  shift: 'shift',
};

// Electron key names the hook can also see, mapped to uiohook's names.
const NAMED: Record<string, string> = {
  space: 'Space',
  tab: 'Tab',
  backspace: 'Backspace',
  delete: 'Delete',
  insert: 'Insert',
  return: 'Enter',
  enter: 'Enter',
  escape: 'Escape',
  esc: 'Escape',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
};

// Valid for globalShortcut but invisible to our key-hook mapping: toggle still works with them.
const SHORTCUT_ONLY = /^(plus|capslock|numlock|scrolllock|printscreen|volumeup|volumedown|volumemute|medianexttrack|mediaprevioustrack|mediastop|mediaplaypause|numdec|numadd|numsub|nummult|numdiv|[)!@#$%^&*(:;:+=<,_\->.?/~`{\]|\\}["'])$/i;

function keyName(part: string): { hook: string | null } | null {
  const p = part.toLowerCase();
  if (/^[a-z]$/.test(p)) return { hook: p.toUpperCase() };
  if (/^[0-9]$/.test(p)) return { hook: p };
  if (/^f([1-9]|1[0-9]|2[0-4])$/.test(p)) return { hook: p.toUpperCase() };
  if (/^num[0-9]$/.test(p)) return { hook: `Numpad${p.slice(3)}` };
  if (NAMED[p]) return { hook: NAMED[p] };
  if (SHORTCUT_ONLY.test(part)) return { hook: null };
  return null;
}

/** Why this is not a usable talk key, in words; null when it is. */
export function acceleratorProblem(accelerator: string): string | null {
  const parts = accelerator.split('+').map((p) => p.trim());
  if (accelerator.trim() === '') return 'Press a key combination.';
  // "Shift+Plus" is written with the word; a literal trailing "+" splits into an empty part.
  if (parts.some((p) => p === '')) return `“${accelerator}” has an empty part; write “Plus” for the + key.`;
  const mods = new Set<string>();
  const keys: string[] = [];
  for (const p of parts) {
    const m = MODIFIERS[p.toLowerCase()];
    if (m) {
      if (mods.has(m)) return `“${p}” appears twice.`;
      mods.add(m);
    } else if (keyName(p)) keys.push(p);
    else return `“${p}” is not a key Hark knows.`;
  }
  if (keys.length === 0) return 'Add a key to the modifiers (for example Ctrl+Shift+Space).';
  if (keys.length > 1) return `Only one key besides the modifiers: “${keys.join('”, “')}”.`;
  const key = keys[0]!;
  if (mods.size === 0 && !/^f([1-9]|1[0-9]|2[0-4])$/i.test(key)) {
    return `“${key}” alone would fire while you type; add Ctrl, Alt, Shift or Super, or use a function key.`;
  }
  return null;
}

/** The combination the key hook must match, or null when the hook cannot see this key. */
export function toKeyCombo(accelerator: string, platform: string): KeyCombo | null {
  if (acceleratorProblem(accelerator)) return null;
  const combo: KeyCombo = { key: '', ctrl: false, alt: false, shift: false, meta: false };
  for (const p of accelerator.split('+').map((x) => x.trim())) {
    const m = MODIFIERS[p.toLowerCase()];
    if (m === 'cmdOrCtrl') combo[platform === 'darwin' ? 'meta' : 'ctrl'] = true;
    else if (m) combo[m] = true;
    else {
      const k = keyName(p);
      if (!k?.hook) return null;
      combo.key = k.hook;
    }
  }
  return combo;
}
