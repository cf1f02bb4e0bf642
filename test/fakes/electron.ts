// A small stand-in for the parts of Electron that main uses (the ShellElectron surface), recording
// what the app does with it and letting a test play the user, the OS and the renderer.
import type { ConfirmRequest } from '../../main/shell/confirm-dialog';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import type { ShellElectron } from '../../main/app/services';
import type { SafeStorageLike } from '../../main/settings/key-store';
import type { FromHook, ToHook } from '../../main/shell/hotkeys/hook-protocol';
import type { HookChild } from '../../main/shell/hotkeys/key-hook-host';
import type { IpcEventLike } from '../../main/shell/ipc-router';
import type { MenuTemplateItem } from '../../main/shell/tray';
import type { WindowLike } from '../../main/shell/window';

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  destroyed = false;
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeWindow extends EventEmitter implements WindowLike {
  readonly webContents = new FakeWebContents();
  url = '';
  visible = false;
  destroyed = false;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    this.bounds = { x: options.x ?? 100, y: options.y ?? 100, width: options.width ?? 800, height: options.height ?? 600 };
  }
  async loadURL(url: string): Promise<void> {
    this.url = url;
    // Loading is asynchronous in Electron: listeners attached right after loadURL still hear it.
    await new Promise((r) => setImmediate(r));
    this.emit('ready-to-show');
    this.webContents.emit('did-finish-load');
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  bounds = { x: 0, y: 0, width: 0, height: 0 };
  getBounds() {
    return { ...this.bounds };
  }
  /** The user drags or resizes the window. */
  moveTo(bounds: { x: number; y: number; width: number; height: number }): void {
    this.bounds = { ...bounds };
    this.emit('moved');
  }
  /** The user closes the window; returns whether it really closed. */
  close(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => void (prevented = true) });
    if (prevented) return false;
    this.destroyed = true;
    this.emit('closed');
    return true;
  }
  /** An IPC event as this window's main frame would send it. */
  event(overrides: Partial<IpcEventLike> = {}): IpcEventLike {
    return { sender: { id: this.webContents.id }, senderFrame: { url: this.url, parent: null }, ...overrides };
  }
}

/** Electron's Menu as the tray uses it: items whose label/enabled/checked can be changed in place, and open/close events. */
export class FakeMenu extends EventEmitter {
  static built = 0;
  readonly items: FakeMenuItem[];
  constructor(template: MenuTemplateItem[]) {
    super();
    FakeMenu.built++;
    this.items = template.map((t) => ({
      label: t.label ?? '',
      type: t.type ?? 'normal',
      enabled: t.enabled ?? true,
      checked: t.checked ?? false,
      click: t.click,
      submenu: t.submenu ? new FakeMenu(t.submenu) : null,
    }));
  }
  /** The user opens the menu (Electron: 'menu-will-show'), or it closes. */
  open(): void {
    this.emit('menu-will-show');
  }
  close(): void {
    this.emit('menu-will-close');
  }
}

export interface FakeMenuItem {
  label: string;
  type: string;
  enabled: boolean;
  checked: boolean;
  click?: () => void;
  submenu: FakeMenu | null;
}

export class FakeTray {
  image: string;
  tooltip = '';
  menu: FakeMenu | null = null;
  /** Every setContextMenu call, in order. */
  menusSet: FakeMenu[] = [];
  destroyed = false;
  constructor(image: string) {
    this.image = image;
  }
  setImage(p: string): void {
    this.image = p;
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setContextMenu(m: unknown): void {
    this.menu = m as FakeMenu;
    this.menusSet.push(this.menu);
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** Clicks the item with this label (searching submenus). */
  click(label: string): void {
    const item = this.item(label);
    if (!item?.click) throw new Error(`no clickable menu item "${label}"`);
    item.click();
  }
  /** The item with this label (searching submenus). */
  item(label: string): FakeMenuItem | undefined {
    const find = (items: FakeMenuItem[]): FakeMenuItem | undefined =>
      items.flatMap((i) => [i, ...(i.submenu ? [find(i.submenu.items)].filter((x): x is FakeMenuItem => !!x) : [])]).find((i) => i.label === label);
    return find(this.menu?.items ?? []);
  }
}

export class FakeGlobalShortcut {
  readonly handlers = new Map<string, () => void>();
  /** Accelerators another application holds. */
  readonly taken = new Set<string>();
  register(a: string, fn: () => void): boolean {
    if (this.taken.has(a) || this.handlers.has(a)) return false;
    this.handlers.set(a, fn);
    return true;
  }
  unregister(a: string): void {
    this.handlers.delete(a);
  }
  isRegistered(a: string): boolean {
    return this.handlers.has(a);
  }
  unregisterAll(): void {
    this.handlers.clear();
  }
  press(a: string): void {
    const fn = this.handlers.get(a);
    if (!fn) throw new Error(`${a} is not registered`);
    fn();
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (e: IpcEventLike, p: unknown) => unknown>();
  readonly listeners = new Map<string, Array<(e: IpcEventLike, p: unknown) => void>>();
  /** Every value a handler returned to a renderer. */
  readonly replies: Array<{ channel: string; value: unknown }> = [];
  handle(channel: string, fn: (e: IpcEventLike, p: unknown) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, fn);
  }
  on(channel: string, fn: (e: IpcEventLike, p: unknown) => void): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), fn]);
    return this;
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  removeAllListeners(channel: string): this {
    this.listeners.delete(channel);
    return this;
  }
  async invoke(channel: string, payload: unknown, e: IpcEventLike): Promise<unknown> {
    const fn = this.handlers.get(channel);
    if (!fn) throw new Error(`No handler registered for '${channel}'`);
    const value = await fn(e, payload);
    this.replies.push({ channel, value });
    return value;
  }
  send(channel: string, payload: unknown, e: IpcEventLike): void {
    for (const fn of this.listeners.get(channel) ?? []) fn(e, payload);
  }
}

/** Reversible, and never stores the plain text: enough to prove the file holds no key. */
export class FakeSafeStorage implements SafeStorageLike {
  available = true;
  backend = 'gnome_libsecret';
  reEncrypt = false;
  readonly calls: string[] = [];
  isEncryptionAvailable(): boolean {
    this.calls.push('isEncryptionAvailable');
    return this.available;
  }
  encryptString(plain: string): Buffer {
    this.calls.push('encryptString');
    return this.enc(plain);
  }
  decryptString(b: Buffer): string {
    this.calls.push('decryptString');
    return this.dec(b);
  }
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    this.calls.push('isAsyncEncryptionAvailable');
    return this.available;
  }
  async encryptStringAsync(plain: string): Promise<Buffer> {
    this.calls.push('encryptStringAsync');
    return this.enc(plain);
  }
  async decryptStringAsync(b: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    this.calls.push('decryptStringAsync');
    return { result: this.dec(b), shouldReEncrypt: this.reEncrypt };
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  private enc(s: string): Buffer {
    return Buffer.concat([Buffer.from('v10'), Buffer.from(s, 'utf8').map((x) => x ^ 0x5a)]);
  }
  private dec(b: Buffer): string {
    if (b.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(b.subarray(3).map((x) => x ^ 0x5a)).toString('utf8');
  }
}

/** A key-hook child that a test drives: ready, key events, errors, death. */
export class FakeHookChild extends EventEmitter implements HookChild {
  readonly received: ToHook[] = [];
  killed = false;
  constructor(private readonly behaviour: 'ready' | { error: string } | 'silent') {
    super();
  }
  postMessage(m: ToHook): void {
    this.received.push(m);
    if (m.type === 'start') {
      queueMicrotask(() => {
        if (this.behaviour === 'ready') this.message({ type: 'ready' });
        else if (typeof this.behaviour === 'object') this.message({ type: 'error', message: this.behaviour.error });
      });
    }
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
  message(m: FromHook): void {
    this.emit('message', m);
  }
  die(code = 134): void {
    this.emit('exit', code);
  }
}

export interface FakeElectron extends ShellElectron {
  userData: string;
  windows: FakeWindow[];
  trays: FakeTray[];
  globalShortcut: FakeGlobalShortcut & ShellElectron['globalShortcut'];
  ipcMain: FakeIpcMain & ShellElectron['ipcMain'];
  safeStorage: FakeSafeStorage;
  hookChildren: FakeHookChild[];
  hookBehaviour: 'ready' | { error: string } | 'silent';
  quitCalls: number;
  loginItem: boolean | null;
  secondInstance(argv: string[]): void;
  powerResume(): void;
  requestHandler: ShellElectronHandlers['request'] | null;
  checkHandler: ShellElectronHandlers['check'] | null;
  protocolHandlers: Map<string, (req: Request) => Promise<Response>>;
  webContentsCreated: Array<(c: never) => void>;
  opened: string[];
  /** Folders shown in the file manager (shell.openPath). */
  openedPaths: string[];
  /** What the built-in tools did through their ports. */
  notifications: Array<{ title: string; body: string }>;
  clipboardText: string;
  toolOpened: string[];
  /** The displays' work areas. */
  screens: Array<{ x: number; y: number; width: number; height: number }>;
  /** Conversations exported through the save dialog. */
  saved: Array<{ name: string; contents: string }>;
  /** Main-side confirmation dialogs asked so far, and the answer the next ones get. */
  confirmations: ConfirmRequest[];
  confirmAnswer: boolean;
}

type ShellElectronHandlers = {
  request: Parameters<ShellElectron['permissions']['setPermissionRequestHandler']>[0];
  check: Parameters<ShellElectron['permissions']['setPermissionCheckHandler']>[0];
};

export function createFakeElectron(opts: { userData?: string } = {}): FakeElectron {
  const secondInstance: Array<(argv: string[]) => void> = [];
  const resume: Array<() => void> = [];
  const f: FakeElectron = {
    userData: opts.userData ?? mkdtempSync(join(tmpdir(), 'hark-userdata-')),
    windows: [],
    trays: [],
    hookChildren: [],
    hookBehaviour: 'ready',
    quitCalls: 0,
    loginItem: null,
    requestHandler: null,
    checkHandler: null,
    protocolHandlers: new Map(),
    webContentsCreated: [],
    opened: [],
    openedPaths: [],
    app: {
      getPath: () => f.userData,
      quit: () => void f.quitCalls++,
      onWebContentsCreated: (fn) => void f.webContentsCreated.push(fn as never),
      onSecondInstance: (fn) => void secondInstance.push(fn),
      setLoginItemSettings: (s) => void (f.loginItem = s.openAtLogin),
    },
    createWindow: (o) => {
      const w = new FakeWindow(o);
      f.windows.push(w);
      return w;
    },
    createTray: (icon) => {
      const t = new FakeTray(icon);
      f.trays.push(t);
      return t;
    },
    buildMenu: (t) => new FakeMenu(t),
    globalShortcut: new FakeGlobalShortcut(),
    ipcMain: new FakeIpcMain(),
    safeStorage: new FakeSafeStorage(),
    permissions: {
      setPermissionRequestHandler: (fn) => void (f.requestHandler = fn),
      setPermissionCheckHandler: (fn) => void (f.checkHandler = fn),
    },
    handleProtocol: (scheme, fn) => void f.protocolHandlers.set(scheme, fn),
    openExternal: async (url) => void f.opened.push(url),
    openPath: async (path) => void f.openedPaths.push(path),
    forkKeyHook: () => {
      const c = new FakeHookChild(f.hookBehaviour);
      f.hookChildren.push(c);
      return c;
    },
    onPowerResume: (fn) => void resume.push(fn),
    workAreas: () => f.screens,
    screens: [{ x: 0, y: 0, width: 1920, height: 1080 }],
    saveFile: async (name, contents) => {
      f.saved.push({ name, contents });
      return `/saved/${name}`;
    },
    saved: [],
    confirmations: [],
    confirmAnswer: true,
    confirm: async (r) => {
      f.confirmations.push(r);
      return f.confirmAnswer;
    },
    toolPorts: {
      notifier: { notify: (n) => void f.notifications.push(n) },
      clipboard: { readText: async () => f.clipboardText, writeText: async (t) => void (f.clipboardText = t) },
      openExternal: async (url) => void f.toolOpened.push(url),
      battery: async () => null,
    },
    notifications: [],
    clipboardText: '',
    toolOpened: [],
    secondInstance: (argv) => secondInstance.forEach((fn) => fn(argv)),
    powerResume: () => resume.forEach((fn) => fn()),
  };
  return f;
}
