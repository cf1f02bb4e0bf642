// "Start Hark when I log in" on every platform. Electron's setLoginItemSettings covers macOS and
// Windows but does nothing on Linux, the main target, so there Hark writes (and removes) an XDG
// autostart entry itself: $XDG_CONFIG_HOME/autostart/hark.desktop, ~/.config by default.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface LoginItemOptions {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Electron's, for macOS and Windows. */
  setLoginItemSettings(s: { openAtLogin: boolean }): void;
  /** The command that starts this Hark: the executable and, when unpackaged, the app folder. */
  command: string[];
  home?: string;
}

/** The XDG autostart file for this user. */
export function autostartPath(env: NodeJS.ProcessEnv, home = homedir()): string {
  // The spec: an XDG_CONFIG_HOME that is not absolute is to be ignored.
  const config = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, 'autostart', 'hark.desktop');
}

/**
 * The command Hark is started with. In an AppImage, execPath lies inside a mount that changes on
 * every run, so the AppImage file itself ($APPIMAGE) is what must be started.
 */
export function startCommand(o: { env: NodeJS.ProcessEnv; execPath: string; isPackaged: boolean; appPath: string }): string[] {
  if (o.env.APPIMAGE) return [o.env.APPIMAGE];
  return o.isPackaged ? [o.execPath] : [o.execPath, o.appPath];
}

/** Quotes one Exec argument as the Desktop Entry spec asks: reserved characters force quotes; ", `, $ and \ are escaped; % is doubled. */
export function execArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  if (!/[\s"'\\><~|&;$*?#()`]/.test(escaped)) return escaped;
  return `"${escaped.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function desktopEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Hark',
    'Comment=Voice companion (starts in the tray)',
    `Exec=${command.map(execArg).join(' ')}`,
    'Icon=hark',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export class LoginItem {
  constructor(private readonly o: LoginItemOptions) {}

  get path(): string {
    return autostartPath(this.o.env, this.o.home);
  }

  /** Turns starting at login on or off; on Linux also rewrites a stale entry (an AppImage that moved). */
  apply(on: boolean): void {
    if (this.o.platform !== 'linux') {
      this.o.setLoginItemSettings({ openAtLogin: on });
      return;
    }
    if (!on) {
      rmSync(this.path, { force: true });
      return;
    }
    const want = desktopEntry(this.o.command);
    let have: string | null = null;
    try {
      have = readFileSync(this.path, 'utf8');
    } catch {
      // not there yet
    }
    if (have === want) return;
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, want);
  }
}
