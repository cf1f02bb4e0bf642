// Why the microphone did not open, in words that say exactly where to allow it on this system.
// getUserMedia only says "NotAllowedError: Permission denied"; the user needs the place to click.
export type MicProblemKind = 'denied' | 'no-device' | 'busy' | 'other';

export interface MicProblem {
  kind: MicProblemKind;
  /** One sentence for a banner. */
  message: string;
  /** Where to allow it, one step per line, for this OS. */
  steps: string[];
  /** The system's privacy page, when it has one main may open (macOS, Windows). */
  settingsUrl: string | null;
}

export type DesktopOs = 'mac' | 'windows' | 'linux';

export function desktopOs(userAgent: string): DesktopOs {
  if (/Mac OS X|Macintosh/.test(userAgent)) return 'mac';
  if (/Windows/.test(userAgent)) return 'windows';
  return 'linux';
}

export const MIC_SETTINGS_URL: Record<DesktopOs, string | null> = {
  mac: 'x-apple.systempreferences:com.apple.preference.security?Privacy_Microphone',
  windows: 'ms-settings:privacy-microphone',
  linux: null,
};

const WHERE: Record<DesktopOs, string[]> = {
  mac: ['Open System Settings → Privacy & Security → Microphone.', 'Turn Hark on in the list, then press Try again (macOS may ask you to restart Hark).'],
  windows: ['Open Settings → Privacy & security → Microphone (ms-settings:privacy-microphone).', 'Turn on "Microphone access" and "Let desktop apps access your microphone", then press Try again.'],
  linux: [
    'PipeWire or PulseAudio: open your sound settings (or pavucontrol → Input Devices) and check that an input is there, selected and not muted.',
    'Flatpak: allow the microphone in Settings → Apps → Hark (or `flatpak permission-set devices microphone <app-id> yes`); Snap: `snap connect hark:audio-record`.',
    'Then press Try again.',
  ],
};

export function micProblem(err: unknown, os: DesktopOs): MicProblem {
  const name = err instanceof Error || (typeof err === 'object' && err && 'name' in err) ? String((err as { name: string }).name) : '';
  const detail = err instanceof Error ? err.message : String(err);
  if (name === 'NotAllowedError' || name === 'SecurityError' || /permission denied/i.test(detail)) {
    return { kind: 'denied', message: 'Hark may not use the microphone: the system refused it.', steps: WHERE[os], settingsUrl: MIC_SETTINGS_URL[os] };
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return { kind: 'no-device', message: 'No microphone was found.', steps: ['Plug in a microphone or headset, or choose one in Settings → Audio devices, then press Try again.'], settingsUrl: null };
  }
  if (name === 'NotReadableError' || name === 'AbortError') {
    return { kind: 'busy', message: 'The microphone is there but could not be opened; another program may be holding it.', steps: ['Close the other program that uses it (or unplug and plug it back), then press Try again.'], settingsUrl: null };
  }
  return { kind: 'other', message: `The microphone could not be opened (${detail}).`, steps: ['Check it in your sound settings, then press Try again.'], settingsUrl: null };
}
