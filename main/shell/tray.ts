// The tray icon: renders a TrayView through Electron's Tray and Menu, and turns clicks into actions.
// The menu is built once and then updated in place (labels, enabled, checked): rebuilding or
// re-setting a menu while it is open closes it on some desktops. A change of the menu's shape, and
// on Linux the re-set its item changes need, wait until the menu has closed.
import { join } from 'node:path';
import type { MenuEntry, TrayAction, TrayIcon, TrayView } from './tray-menu';

/** The few Electron pieces the tray needs; the app passes the real ones, tests a fake. */
export interface TrayDeps {
  createTray(iconPath: string): TrayLike;
  buildMenu(template: MenuTemplateItem[]): MenuLike;
  iconDir: string;
  /** macOS gets template images; Linux must re-set the menu for item changes to show. */
  platform?: NodeJS.Platform;
}

export interface TrayLike {
  setImage(path: string): void;
  setToolTip(text: string): void;
  setContextMenu(menu: MenuLike): void;
  destroy(): void;
}

/** Electron's Menu and MenuItem, as far as updating in place needs them. */
export interface MenuLike {
  readonly items: MenuItemLike[];
  on(event: 'menu-will-show' | 'menu-will-close', fn: () => void): unknown;
}

export interface MenuItemLike {
  label: string;
  enabled: boolean;
  checked: boolean;
  readonly submenu?: MenuLike | null;
}

export interface MenuTemplateItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: MenuTemplateItem[];
}

/** The icon file for a state. macOS: a black template image (the menu bar tints it), with its @2x beside it. */
export function iconPath(dir: string, icon: TrayIcon, platform?: NodeJS.Platform): string {
  return join(dir, platform === 'darwin' ? `${icon}Template.png` : `${icon}.png`);
}

/** The menu's shape: what cannot change in place (item count, types, nesting). */
function shape(entries: MenuEntry[]): string {
  return entries.map((e) => `${e.type ?? 'normal'}${e.submenu ? `[${shape(e.submenu)}]` : ''}`).join(',');
}

export class TrayController {
  private tray: TrayLike | null = null;
  private menu: MenuLike | null = null;
  private menuShape = '';
  private open = false;
  /** Set while open: what to do once the menu closes. */
  private pending: { view: TrayView } | { reset: true } | null = null;
  private icon = '';
  private tooltip = '';
  /** The current action of each item, by its path ("3", "5.1"): clicks read it, so an in-place update changes what a click does. */
  private readonly actions = new Map<string, TrayAction>();

  constructor(
    private readonly deps: TrayDeps,
    private readonly onAction: (a: TrayAction) => void,
  ) {}

  render(view: TrayView): void {
    const path = iconPath(this.deps.iconDir, view.icon, this.deps.platform);
    if (!this.tray) this.tray = this.deps.createTray(path);
    else if (path !== this.icon) this.tray.setImage(path);
    this.icon = path;
    if (view.tooltip !== this.tooltip) this.tray.setToolTip(view.tooltip);
    this.tooltip = view.tooltip;

    if (!this.menu || shape(view.menu) !== this.menuShape) {
      if (this.open) this.pending = { view };
      else this.build(view);
      return;
    }
    if (this.patch(this.menu, view.menu, '') && this.deps.platform === 'linux') {
      if (this.open) this.pending ??= { reset: true };
      else this.tray.setContextMenu(this.menu);
    }
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
  }

  private build(view: TrayView): void {
    this.actions.clear();
    const menu = this.deps.buildMenu(view.menu.map((e, i) => this.toTemplate(e, String(i))));
    menu.on('menu-will-show', () => void (this.open = true));
    menu.on('menu-will-close', () => {
      this.open = false;
      const p = this.pending;
      this.pending = null;
      if (p && 'view' in p) this.build(p.view);
      else if (p && this.menu) this.tray?.setContextMenu(this.menu);
    });
    this.menu = menu;
    this.menuShape = shape(view.menu);
    this.tray?.setContextMenu(menu);
  }

  /** Brings the items up to date; true when anything changed. */
  private patch(menu: MenuLike, entries: MenuEntry[], prefix: string): boolean {
    let changed = false;
    entries.forEach((e, i) => {
      const item = menu.items[i]!;
      const key = `${prefix}${i}`;
      if (e.action) this.actions.set(key, e.action);
      const label = e.label ?? '';
      const enabled = e.enabled ?? true;
      const checked = e.checked ?? false;
      if (e.type !== 'separator' && (item.label !== label || item.enabled !== enabled || item.checked !== checked)) {
        item.label = label;
        item.enabled = enabled;
        item.checked = checked;
        changed = true;
      }
      if (e.submenu && item.submenu && this.patch(item.submenu, e.submenu, `${key}.`)) changed = true;
    });
    return changed;
  }

  private toTemplate(e: MenuEntry, key: string): MenuTemplateItem {
    if (e.action) this.actions.set(key, e.action);
    return {
      ...(e.label !== undefined ? { label: e.label } : {}),
      ...(e.type ? { type: e.type } : {}),
      ...(e.enabled !== undefined ? { enabled: e.enabled } : {}),
      ...(e.checked !== undefined ? { checked: e.checked } : {}),
      ...(e.action ? { click: () => this.click(key) } : {}),
      ...(e.submenu ? { submenu: e.submenu.map((s, i) => this.toTemplate(s, `${key}.${i}`)) } : {}),
    };
  }

  private click(key: string): void {
    const a = this.actions.get(key);
    if (a) this.onAction(a);
  }
}
