// The tray icon: renders a TrayView through Electron's Tray and Menu, and turns clicks into actions.
import { join } from 'node:path';
import type { MenuEntry, TrayAction, TrayIcon, TrayView } from './tray-menu';

/** The few Electron pieces the tray needs; the app passes the real ones, tests a fake. */
export interface TrayDeps {
  createTray(iconPath: string): TrayLike;
  buildMenu(template: MenuTemplateItem[]): unknown;
  iconDir: string;
}

export interface TrayLike {
  setImage(path: string): void;
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  destroy(): void;
}

export interface MenuTemplateItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: MenuTemplateItem[];
}

export function iconPath(dir: string, icon: TrayIcon): string {
  return join(dir, `${icon}.png`);
}

export class TrayController {
  private tray: TrayLike | null = null;
  private lastJson = '';

  constructor(
    private readonly deps: TrayDeps,
    private readonly onAction: (a: TrayAction) => void,
  ) {}

  render(view: TrayView): void {
    const json = JSON.stringify(view);
    if (json === this.lastJson) return; // rebuilding an open menu closes it on some desktops
    this.lastJson = json;
    const path = iconPath(this.deps.iconDir, view.icon);
    if (!this.tray) this.tray = this.deps.createTray(path);
    else this.tray.setImage(path);
    this.tray.setToolTip(view.tooltip);
    this.tray.setContextMenu(this.deps.buildMenu(view.menu.map((e) => this.toTemplate(e))));
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
  }

  private toTemplate(e: MenuEntry): MenuTemplateItem {
    const action = e.action;
    return {
      ...(e.label !== undefined ? { label: e.label } : {}),
      ...(e.type ? { type: e.type } : {}),
      ...(e.enabled !== undefined ? { enabled: e.enabled } : {}),
      ...(e.checked !== undefined ? { checked: e.checked } : {}),
      ...(action ? { click: () => this.onAction(action) } : {}),
      ...(e.submenu ? { submenu: e.submenu.map((s) => this.toTemplate(s)) } : {}),
    };
  }
}
