// The Electron entry: single-instance lock, lifecycle, and the real Electron handed to the
// composition root. Nothing else lives here.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  clipboard,
  desktopCapturer,
  dialog,
  globalShortcut,
  Notification,
  ipcMain,
  Menu,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  systemPreferences,
  Tray,
  utilityProcess,
} from 'electron';
import { createServices, type Services } from './app/services';
import { installCrashPolicy } from './app/crash-policy';
import { openAppLog } from './app/app-log';
import { electronConfirm } from './shell/confirm-dialog';
import { APP_SCHEME_PRIVILEGES } from './shell/app-protocol';
import { ensureMicrophoneAccess, isAllowedExternal } from './shell/hardening';
import type { HookChild } from './shell/hotkeys/key-hook-host';
import { startCommand } from './shell/login-item';
import type { WindowLike } from './shell/window';
import type { TrayLike } from './shell/tray';
import { electronBattery, electronClipboard, electronNotifier, electronOpenExternal, rendererBattery } from './shell/electron-tool-adapters';
import { electronScreenCapturer } from './screen/electron-screen-capturer';

// Tests and second profiles: a user-data folder of their own (settings, key, Chromium state).
if (process.env.HARK_USER_DATA) app.setPath('userData', process.env.HARK_USER_DATA);
// The log file, first, so that even a failing start-up leaves its lines there.
const appLog = openAppLog({ userData: app.getPath('userData') });
// Exceptions nobody caught: logged redacted (to the log file and the terminal), told once, and Hark keeps running.
let notifyCrash: ((message: string) => void) | null = null;
installCrashPolicy(process, {
  log: (line) => {
    appLog.log.error(line);
    console.error(line);
  },
  tell: (message) => notifyCrash?.(message),
});

// No window may opt out of the sandbox.
app.enableSandbox();
// Wayland: globalShortcut goes through the desktop's GlobalShortcuts portal where there is one.
app.commandLine.appendSwitch('enable-features', 'GlobalShortcutsPortal');
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  // The running instance receives our argv (--toggle-talk …) through 'second-instance'.
  app.quit();
} else {
  let services: Services | null = null;
  // A tray app: closing every window must not quit it; only the tray's Quit does.
  app.on('window-all-closed', () => {});
  app.on('before-quit', () => services?.markQuitting());
  app.on('will-quit', () => void services?.stop());
  app.dock?.hide();

  void app.whenReady().then(async () => {
    const dist = join(__dirname, '..');
    const mic = await ensureMicrophoneAccess({
      platform: process.platform,
      getMediaAccessStatus: (t) => systemPreferences.getMediaAccessStatus(t),
      askForMediaAccess: (t) => systemPreferences.askForMediaAccess(t),
    });
    services = await createServices({
      appLog,
      distDir: dist,
      appIcon: app.isPackaged ? join(process.resourcesPath, 'icon.png') : join(app.getAppPath(), 'scripts', 'packaging', 'icons', '256x256.png'),
      iconDir: app.isPackaged ? join(process.resourcesPath, 'tray') : join(app.getAppPath(), 'main', 'shell', 'tray-icons'),
      env: process.env,
      platform: process.platform,
      arch: process.arch,
      electron: {
        app: {
          getPath: (n) => app.getPath(n),
          quit: () => app.quit(),
          onWebContentsCreated: (fn) => app.on('web-contents-created', (_e, c) => fn(c as never)),
          onSecondInstance: (fn) => app.on('second-instance', (_e, argv) => fn(argv)),
          setLoginItemSettings: (s) => app.setLoginItemSettings(s),
          startCommand: () => startCommand({ env: process.env, execPath: process.execPath, isPackaged: app.isPackaged, appPath: app.getAppPath() }),
        },
        // Electronegativity reads only a literal passed here; these options come from WindowManager
        // (main/shell/window.ts), and scripts/check-electron.ts scans them as created instead.
        createWindow: (opts) => new BrowserWindow(opts) as unknown as WindowLike, // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
        createTray: (icon) => new Tray(icon) as unknown as TrayLike,
        buildMenu: (t) => Menu.buildFromTemplate(t),
        globalShortcut,
        ipcMain: ipcMain as never,
        safeStorage,
        permissions: {
          setPermissionRequestHandler: (fn) => session.defaultSession.setPermissionRequestHandler(fn as never),
          setPermissionCheckHandler: (fn) => session.defaultSession.setPermissionCheckHandler(fn as never),
        },
        handleProtocol: (scheme, fn) => session.defaultSession.protocol.handle(scheme, fn),
        openExternal: (url) => (isAllowedExternal(url) ? shell.openExternal(url) : Promise.resolve()),
        workAreas: () => screen.getAllDisplays().map((d) => d.workArea),
        saveFile: async (defaultName, contents) => {
          const r = await dialog.showSaveDialog({ defaultPath: join(app.getPath('documents'), defaultName), filters: [{ name: 'Markdown', extensions: ['md'] }] });
          if (r.canceled || !r.filePath) return null;
          await writeFile(r.filePath, contents, 'utf8');
          return r.filePath;
        },
        forkKeyHook: () => utilityProcess.fork(join(__dirname, 'key-hook-child.cjs'), [], { serviceName: 'Hark key hook' }) as unknown as HookChild,
        confirm: electronConfirm(dialog),
        onPowerResume: (fn) => {
          powerMonitor.on('resume', fn);
          powerMonitor.on('unlock-screen', fn);
        },
        askForMicrophone: () => (process.platform === 'darwin' ? systemPreferences.askForMediaAccess('microphone') : Promise.resolve(false)),
        // Only the fixed privacy pages of main/shell/mic-settings.ts come here.
        openSystemSettings: (url) => shell.openExternal(url),
        // Electron answers with an error message, empty when the folder opened.
        openPath: async (path) => void (await shell.openPath(path)),
        isTrustedAccessibilityClient: (prompt) => process.platform !== 'darwin' || systemPreferences.isTrustedAccessibilityClient(prompt),
        screenCapturer: electronScreenCapturer({
          platform: process.platform,
          getSources: (opts) => desktopCapturer.getSources(opts),
          getMediaAccessStatus: (m) => systemPreferences.getMediaAccessStatus(m),
          ownSourceIds: () => BrowserWindow.getAllWindows().map((w) => w.getMediaSourceId()),
          cursorDisplayId: () => String(screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).id),
          async whileHidden(fn) {
            const shown = BrowserWindow.getAllWindows().filter((w) => w.isVisible());
            for (const w of shown) w.hide();
            // One compositor frame or two, so the picture no longer holds them.
            if (shown.length) await new Promise((r) => setTimeout(r, 150));
            try {
              return await fn();
            } finally {
              for (const w of shown) w.showInactive();
            }
          },
        }),
        toolPorts: {
          // A click on a notification (e.g. an approval request) brings up the companion window.
          notifier: electronNotifier(Notification, () => services?.windows.showCompanion()),
          clipboard: electronClipboard(clipboard),
          // The open_link tool checks the scheme and asks the user first; this is the browser itself.
          openExternal: electronOpenExternal(shell),
          // The level and charging state come from the companion page's navigator.getBattery().
          battery: electronBattery(
            powerMonitor,
            rendererBattery(() => {
              const w = services?.windows.companion as unknown as BrowserWindow | null | undefined;
              return w && !w.isDestroyed() ? w.webContents : null;
            }),
          ),
        },
      },
    });
    const started = services;
    notifyCrash = (message) => started.notify({ level: 'error', message, code: 'internal_error' });
    await services.start(process.argv);
    if (!mic.ok && mic.message) {
      services.windows.showCompanion();
      services.notify({ level: 'error', message: mic.message, code: 'mic_denied' });
    }
  });
}
