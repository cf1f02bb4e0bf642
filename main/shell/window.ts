// The app's two windows and their locked-down options. The companion window is created hidden at
// start (its page runs the audio engine) and hides instead of closing; settings opens on demand.
import type { BrowserWindowConstructorOptions } from 'electron';

/** A window's options as Electron takes them (named here so that only main/shell names electron). */
export type WindowOptions = BrowserWindowConstructorOptions;
import type { Bounds } from './window-bounds';

export const APP_SCHEME = 'app';
export const APP_HOST = 'hark';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const COMPANION_URL = `${APP_ORIGIN}/index.html`;
export const SETTINGS_URL = `${APP_ORIGIN}/settings.html`;

/** The webPreferences every window gets; nothing may loosen them. */
export function lockedWebPreferences(preload: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // The hidden companion window plays and captures audio; its timers must not be throttled.
    backgroundThrottling: false,
  };
}

export function companionWindowOptions(preload: string, show: boolean, bounds: Bounds | null = null): BrowserWindowConstructorOptions {
  return { width: 420, height: 640, minWidth: 320, minHeight: 420, ...bounds, show, title: 'Hark', autoHideMenuBar: true, webPreferences: lockedWebPreferences(preload) };
}

export function settingsWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return { width: 640, height: 760, show: false, title: 'Hark settings', autoHideMenuBar: true, webPreferences: lockedWebPreferences(preload) };
}

/** What we use of a BrowserWindow. */
export interface WindowLike {
  readonly webContents: { readonly id: number; send(channel: string, payload: unknown): void; isDestroyed(): boolean; on(e: 'did-finish-load', fn: () => void): unknown };
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  isDestroyed(): boolean;
  once(event: 'ready-to-show', fn: () => void): unknown;
  on(event: 'close', fn: (e: { preventDefault(): void }) => void): unknown;
  on(event: 'closed', fn: () => void): unknown;
  on(event: 'moved' | 'resized', fn: () => void): unknown;
  getBounds(): Bounds;
}

export interface WindowDeps {
  create(options: BrowserWindowConstructorOptions): WindowLike;
  preload: string;
  /** True once the user chose Quit: then windows really close. */
  quitting(): boolean;
  /** Where the companion window was last; it is kept up to date through `rememberBounds`. */
  companionBounds?: Bounds | null;
  rememberBounds?(bounds: Bounds): void;
  /** The app icon (PNG) for the windows' title bars and task bars; macOS takes the bundle's instead. */
  icon?: string;
}

export class WindowManager {
  companion: WindowLike | null = null;
  settings: WindowLike | null = null;

  constructor(private readonly deps: WindowDeps) {}

  private create(options: BrowserWindowConstructorOptions): WindowLike {
    return this.deps.create(this.deps.icon ? { ...options, icon: this.deps.icon } : options);
  }

  createCompanion(show: boolean): WindowLike {
    const w = this.create(companionWindowOptions(this.deps.preload, false, this.deps.companionBounds ?? null));
    this.companion = w;
    const remember = () => {
      if (!w.isDestroyed()) this.deps.rememberBounds?.(w.getBounds());
    };
    w.on('moved', remember);
    w.on('resized', remember);
    if (show) w.once('ready-to-show', () => w.show());
    // The tray app lives on without its window; closing it only hides it.
    w.on('close', (e) => {
      if (this.deps.quitting()) return;
      e.preventDefault();
      w.hide();
    });
    w.on('closed', () => {
      if (this.companion === w) this.companion = null;
    });
    void w.loadURL(COMPANION_URL);
    return w;
  }

  showCompanion(): void {
    const w = this.companion && !this.companion.isDestroyed() ? this.companion : this.createCompanion(true);
    w.show();
    w.focus();
  }

  showSettings(): void {
    if (this.settings && !this.settings.isDestroyed()) {
      this.settings.show();
      this.settings.focus();
      return;
    }
    const w = this.create(settingsWindowOptions(this.deps.preload));
    this.settings = w;
    w.once('ready-to-show', () => w.show());
    w.on('closed', () => {
      if (this.settings === w) this.settings = null;
    });
    void w.loadURL(SETTINGS_URL);
  }

  /** Whether a message came from the settings window (the only one that may change the endpoint, key or MCP servers). */
  isSettingsWindow(webContentsId: number): boolean {
    return !!this.settings && !this.settings.isDestroyed() && this.settings.webContents.id === webContentsId;
  }

  /** The web contents the IPC router accepts messages from. */
  trustedIds(): Set<number> {
    const ids = new Set<number>();
    for (const w of [this.companion, this.settings]) if (w && !w.isDestroyed()) ids.add(w.webContents.id);
    return ids;
  }

  all(): WindowLike[] {
    return [this.companion, this.settings].filter((w): w is WindowLike => !!w && !w.isDestroyed());
  }
}
