// The Electron side of host-ports.ts. Each adapter takes the Electron module object it needs, so this
// file imports `electron` for types only and the shell passes `require('electron').clipboard` etc.
import type { Clipboard as ElectronClipboard, Notification as ElectronNotification, PowerMonitor, Shell } from 'electron';
import type { BatteryProvider, BatteryState, Clipboard, Notifier, OpenExternal } from '../tools/host-ports';

type NotificationClass = Pick<typeof ElectronNotification, 'isSupported'> & (new (o: { title: string; body: string; silent?: boolean }) => Pick<ElectronNotification, 'show' | 'on'>);

/** `onClick` lets the shell bring up the companion window, where an approval prompt waits. */
export function electronNotifier(Notification: NotificationClass, onClick?: () => void): Notifier {
  return {
    notify({ title, body }) {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title, body });
      if (onClick) n.on('click', onClick);
      n.show();
    },
  };
}

export function electronClipboard(clipboard: Pick<ElectronClipboard, 'readText' | 'writeText'>): Clipboard {
  return { readText: () => clipboard.readText(), writeText: (text) => clipboard.writeText(text) };
}

export function electronOpenExternal(shell: Pick<Shell, 'openExternal'>): OpenExternal {
  return (url) => shell.openExternal(url);
}

/** Read in the companion page, which is always loaded (hidden or not); main has no battery API of its own. */
export const BATTERY_SCRIPT = 'navigator.getBattery ? navigator.getBattery().then((b) => ({ level: b.level, charging: b.charging })) : null';

/**
 * The renderer half of the battery: `navigator.getBattery()` in the companion page, run by main
 * through executeJavaScript (a fixed script, no IPC channel for a page to abuse). Null when there
 * is no window or it cannot say, which get_system_info reports as "not reported".
 */
export function rendererBattery(contents: () => { executeJavaScript(code: string): Promise<unknown>; isDestroyed(): boolean } | null | undefined) {
  return async (): Promise<{ level: number; charging: boolean } | null> => {
    const c = contents();
    if (!c || c.isDestroyed()) return null;
    const v = (await c.executeJavaScript(BATTERY_SCRIPT)) as { level?: unknown; charging?: unknown } | null;
    return v && typeof v.level === 'number' && typeof v.charging === 'boolean' ? { level: v.level, charging: v.charging } : null;
  };
}

/**
 * Electron's main process knows only whether the machine runs on battery. The level and charging
 * state come from the renderer's `navigator.getBattery()`, which the shell can pass as `fromRenderer`.
 */
export function electronBattery(
  powerMonitor: Pick<PowerMonitor, 'isOnBatteryPower'>,
  fromRenderer?: () => Promise<{ level: number; charging: boolean } | null>,
): BatteryProvider {
  return async (): Promise<BatteryState | null> => {
    const onBattery = powerMonitor.isOnBatteryPower();
    const detail = await fromRenderer?.().catch(() => null);
    // Chromium reports a full, charging battery on machines that have none.
    if (!detail || (detail.level === 1 && detail.charging && !onBattery)) return onBattery ? { percent: null, charging: false, onBattery } : null;
    return { percent: Math.round(detail.level * 100), charging: detail.charging, onBattery };
  };
}
