// Turns a keydown into an Electron accelerator string, for the hotkey field that records a
// combination. Pure, so it is tested without a browser.

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

const MODIFIER_KEYS = new Set(['Control', 'Alt', 'Shift', 'Meta', 'AltGraph', 'OS', 'Super', 'Hyper']);

// By physical key (code), so Shift+2 records "2", not "@", and layouts do not matter for letters.
function keyPart(e: KeyLike): string | null {
  if (/^Key[A-Z]$/.test(e.code)) return e.code.slice(3);
  if (/^Digit[0-9]$/.test(e.code)) return e.code.slice(5);
  if (/^Numpad[0-9]$/.test(e.code)) return `num${e.code.slice(6)}`;
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(e.code)) return e.code;
  const named: Record<string, string> = {
    Space: 'Space',
    Tab: 'Tab',
    Backspace: 'Backspace',
    Delete: 'Delete',
    Insert: 'Insert',
    Enter: 'Enter',
    Escape: 'Escape',
    Home: 'Home',
    End: 'End',
    PageUp: 'PageUp',
    PageDown: 'PageDown',
    ArrowUp: 'Up',
    ArrowDown: 'Down',
    ArrowLeft: 'Left',
    ArrowRight: 'Right',
  };
  return named[e.code] ?? null;
}

/**
 * The accelerator for this key press; null while only modifiers are held (keep recording), or
 * 'unsupported' for a key Hark cannot bind.
 */
export function recordAccelerator(e: KeyLike, isMac: boolean): string | null | 'unsupported' {
  if (MODIFIER_KEYS.has(e.key)) return null;
  const key = keyPart(e);
  if (!key) return 'unsupported';
  const parts: string[] = [];
  // The platform's main modifier is written portably, so a settings file moves between machines.
  if (isMac ? e.metaKey : e.ctrlKey) parts.push('CommandOrControl');
  if (isMac && e.ctrlKey) parts.push('Control');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey) parts.push('Shift');
  if (!isMac && e.metaKey) parts.push('Super');
  parts.push(key);
  return parts.join('+');
}

/** How to show an accelerator on this platform. */
export function displayAccelerator(a: string, isMac: boolean): string {
  return a
    .split('+')
    .map((p) => (p === 'CommandOrControl' ? (isMac ? '⌘' : 'Ctrl') : p === 'Super' ? (isMac ? '⌘' : 'Super') : p))
    .join(isMac ? '' : '+');
}
