// The composition root: every main-process service built with plain constructors and wired
// together here, and only here. Electron arrives as the small `ShellElectron` surface, so the whole
// app runs under node with test/fakes/electron.ts.
import { contextLimit, deprecationNotices } from '../../common/models';
import { join } from 'node:path';
import { retryWhenNetworkBack } from './network-return';
import type { Confirm } from '../shell/confirm-dialog';
import { checkSensitiveChange, SETTINGS_WINDOW_ONLY } from '../shell/sensitive-settings';
import { chmod, mkdir } from 'node:fs/promises';
import { redact } from '../security/redact';
import type { EventChannel, Events, Handlers, LookResult, Notice, ScreenWindowList, Sender, SettingsPatch, SettingsUpdate } from '../../preload/api';
import { RealtimeSession, type SessionOptions } from '../realtime/session';
import { endpointFromEnv } from '../realtime/endpoint';
import { KeyStore, type SafeStorageLike } from '../settings/key-store';
import { testKey } from '../settings/key-tester';
import type { Settings } from '../../common/settings/settings-schema';
import { SettingsStore } from '../settings/settings-store';
import { dispatchCli, parseCliSwitches } from '../shell/cli-switches';
import { createAppProtocolHandler } from '../shell/app-protocol';
import { guardWebContents, permissionCheckHandler, permissionRequestHandler } from '../shell/hardening';
import { HotkeyService, type ShortcutRegistry } from '../shell/hotkeys/hotkey-service';
import { KeyHookHost, type HookChild } from '../shell/hotkeys/key-hook-host';
import { IpcRouter, type IpcMainLike } from '../shell/ipc-router';
import { LoginItem } from '../shell/login-item';
import { openMicSettings } from '../shell/mic-settings';
import { TrayController, type MenuLike, type TrayLike, type MenuTemplateItem } from '../shell/tray';
import { trayView, type TrayAction } from '../shell/tray-menu';
import { WindowManager, type WindowLike, type WindowOptions } from '../shell/window';
import { onScreen, WindowBoundsStore } from '../shell/window-bounds';
import { ApprovalQueue } from '../tools/approval-queue';
import type { BatteryProvider, Clipboard, Notifier, OpenExternal } from '../tools/host-ports';
import { parseMcpConfig } from '../../common/settings/mcp-config';
import { createToolHost, type ToolHost } from '../tools/tool-host';
import { createCompanionServices } from './companion-services';
import { audioDelta, linkSessionToRenderer, RendererPlayback } from './renderer-link';
import { AudioWorkerHost, type AudioWorkerOptions } from '../voice/audio-worker-host';
import { InterruptiblePlayback } from '../voice/interruptible-playback';
import { lateLocalVoicePort, LocalVoice } from '../voice/local-voice';
import { localVoicePaths } from '../voice/local-voice-paths';
import { OutputReference } from '../voice/output-reference';
import { linkToolServices } from './tools-handlers';
import { joinHandlers } from './handlers';
import { openAppLog, type AppLog } from './app-log';
import { wireWakeAndScreen } from './wake-screen-wiring';
import type { ScreenCapturer } from '../screen/screen-capturer';

/** Everything of Electron that main uses, each as small as the code needs. */
export interface ShellElectron {
  app: {
    getPath(name: 'userData'): string;
    quit(): void;
    onWebContentsCreated(fn: (c: Parameters<typeof guardWebContents>[0]) => void): void;
    onSecondInstance(fn: (argv: string[]) => void): void;
    setLoginItemSettings(s: { openAtLogin: boolean }): void;
    /** The command that starts this Hark, for the Linux autostart entry. */
    startCommand?(): string[];
  };
  createWindow(o: WindowOptions): WindowLike;
  createTray(iconPath: string): TrayLike;
  buildMenu(template: MenuTemplateItem[]): MenuLike;
  globalShortcut: ShortcutRegistry & { unregisterAll(): void };
  ipcMain: IpcMainLike;
  safeStorage: SafeStorageLike;
  permissions: {
    setPermissionRequestHandler(fn: typeof permissionRequestHandler): void;
    setPermissionCheckHandler(fn: typeof permissionCheckHandler): void;
  };
  handleProtocol(scheme: string, fn: (req: Request) => Promise<Response>): void;
  openExternal(url: string): Promise<void>;
  forkKeyHook(): HookChild;
  /** The work areas of the connected displays, to check a remembered window position. */
  workAreas(): Array<{ x: number; y: number; width: number; height: number }>;
  /** A save dialog for an exported conversation; resolves with the path written, or null if cancelled. */
  saveFile(defaultName: string, contents: string): Promise<string | null>;
  onPowerResume(fn: () => void): void;
  /** A main-side confirmation dialog (the key to a new host, a program to start). */
  confirm: Confirm;
  isTrustedAccessibilityClient?(prompt: boolean): boolean;
  /** macOS: systemPreferences.askForMediaAccess('microphone'). */
  askForMicrophone?(): Promise<boolean>;
  /** Opens a system settings page (x-apple.systempreferences:, ms-settings:), never a web link. */
  openSystemSettings?(url: string): Promise<void>;
  /** desktopCapturer behind the screen port (look_at_screen); absent, looking is unavailable. */
  screenCapturer?: ScreenCapturer;
  /** Opens a folder of ours in the file manager (shell.openPath): the log folder. */
  openPath(path: string): Promise<void>;
  /** What the built-in tools reach: notifications, the clipboard, the browser, the battery. */
  toolPorts: { notifier: Notifier; clipboard: Clipboard; openExternal: OpenExternal; battery: BatteryProvider };
}

export interface ServicesOptions {
  electron: ShellElectron;
  /** dist/ of the build: renderer/, preload/index.cjs. */
  distDir: string;
  /** Tray icons. */
  iconDir: string;
  /** The app icon PNG for the windows. */
  appIcon?: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  arch: string;
  /** Replaces the tools built from toolPorts (tests). */
  toolHost?: ToolHost;
  session?: Partial<SessionOptions>;
  /** The local audio worker's files (tests run the sources under tsx). */
  localVoicePaths?: AudioWorkerOptions;
  /** Where the wake-word models are (tests: the sources' node_modules); default dist/models/wake-word. */
  wakeWordRoot?: { sourceRoot: string };
  /** main/index.ts opens the log before anything can fail; otherwise the services open it. */
  appLog?: AppLog;
}

// The session's own channels go to the window that plays audio; the rest to every window.
const AUDIO_CHANNELS = new Set<EventChannel>(['audio:delta', 'audio:done', 'audio:interrupt', 'mic:gate', 'eventlog:entry']);

export async function createServices(o: ServicesOptions) {
  const e = o.electron;
  const loginItem = new LoginItem({ platform: o.platform, env: o.env, setLoginItemSettings: (s) => e.app.setLoginItemSettings(s), command: e.app.startCommand?.() ?? [process.execPath] });
  const userData = e.app.getPath('userData');
  // The user's data folder is theirs alone (every file in it is written 0600).
  await mkdir(userData, { recursive: true, mode: 0o700 });
  await chmod(userData, 0o700).catch(() => {});
  let quitting = false;
  const appLog = o.appLog ?? openAppLog({ userData });
  const log = appLog.log;
  log.info({ version: o.env.npm_package_version, platform: o.platform, arch: o.arch }, 'Hark starts');

  const settings = new SettingsStore({ dir: userData });
  await settings.load();
  const keys = new KeyStore({ dir: userData, safeStorage: e.safeStorage, env: o.env, platform: o.platform });
  const keyAtStart = await keys.load();
  // What the key store warns of while Hark runs on a key (Linux's basic_text store: the key is only
  // obfuscated) is said at every start: the settings window, where it was first said, may never be
  // opened again. Without a key the first-run guide opens and shows the warning itself.
  const keyNotices: Notice[] = keyAtStart.hasKey && keyAtStart.warning ? [{ level: 'warning', message: keyAtStart.warning, code: 'key_store_warning' }] : [];

  const bounds = new WindowBoundsStore(userData);
  const saved = await bounds.load();
  const windows = new WindowManager({
    create: e.createWindow,
    preload: join(o.distDir, 'preload', 'index.cjs'),
    quitting: () => quitting,
    companionBounds: saved && onScreen(saved, e.workAreas()),
    rememberBounds: (b) => bounds.save(b),
    ...(o.appIcon ? { icon: o.appIcon } : {}),
  });
  // While a window's settings change applies, the notices it raises are that window's reply; the
  // other windows get them as events. So each window hears each notice once, by one path.
  const replies: Array<{ senderId: number; notices: Notice[] }> = [];
  const emit = <K extends EventChannel>(channel: K, payload: Events[K]) => {
    let targets = AUDIO_CHANNELS.has(channel) ? [windows.companion] : windows.all();
    // Every IPC payload but audio passes the one redaction on its way out.
    const out = AUDIO_CHANNELS.has(channel) && channel !== 'eventlog:entry' ? payload : redact(payload);
    if (channel === 'notice') {
      const n = out as Notice;
      log[n.level === 'info' ? 'info' : n.level === 'warning' ? 'warn' : 'error']({ code: n.code }, n.message);
      for (const r of replies) r.notices.push(n);
      targets = targets.filter((w) => !replies.some((r) => w?.webContents.id === r.senderId));
    }
    for (const w of targets) if (w && !w.isDestroyed() && !w.webContents.isDestroyed()) w.webContents.send(channel, out);
  };

  // HARK_REALTIME_URL points the app at another server (the simulator in tests).
  const sessionSettings = (s: Settings): Settings => ({ ...s, endpoint: endpointFromEnv(o.env) ?? s.endpoint });
  // Tools: the built-ins, the user's MCP servers, and approvals answered in the companion window.
  const approvalQueue = new ApprovalQueue();
  const toolSettings = settings.get().tools;
  const tools =
    o.toolHost ??
    createToolHost({
      dataDir: userData,
      ...e.toolPorts,
      prompter: approvalQueue,
      policies: toolSettings.policies,
      approvalTimeoutMs: toolSettings.approvalTimeoutMs,
      mcp: { maxOutputChars: toolSettings.mcpMaxOutputChars },
    });
  const applyMcp = (text: string) => {
    const parsed = parseMcpConfig(text);
    // The settings schema refuses a bad block on save, so this only guards a hand-edited file.
    if (parsed.ok) void tools.mcp.apply(parsed.servers);
    else emit('notice', { level: 'error', message: `The MCP servers in settings were not started: ${parsed.errors.join('; ')}`, code: 'mcp_config' });
  };
  // "Always allow" answers become the stored policy.
  tools.approvals.onPolicyChange((policies) => void settings.update({ tools: { policies } }));

  const playback = new RendererPlayback(emit);
  // Local voice detection (main/voice): the worker, the pausable player, the echo guard.
  const voiceWorker = new AudioWorkerHost(o.localVoicePaths ?? localVoicePaths({ distDir: o.distDir }));
  // The renderer's player holds 60 ms before it starts and the device adds ~30 ms.
  const pausable = new InterruptiblePlayback(playback, (a) => emit('audio:delta', audioDelta(a)), new OutputReference(undefined, 90));
  let voice: LocalVoice | null = null;
  const sessionOptions: SessionOptions = {
    settings: sessionSettings(settings.get()),
    apiKey: keys.key(),
    tools: tools.registry,
    playback: pausable,
    instructionsSuffix: () => tools.instructionsSuffix(),
    localVoice: lateLocalVoicePort(() => voice),
    ...o.session,
  };
  const session = new RealtimeSession(sessionOptions);
  voice = new LocalVoice({ session, playback: pausable, worker: voiceWorker, settings: () => settings.get().localVoice });
  const localVoice = voice;
  // Barge-ins, echo suppressions and false starts appear in the event log beside the wire events.
  localVoice.on('note', (n) => session.emit('wire', { dir: 'in', event: n }));
  // The wake word hears each mic frame before local voice does (only while it waits).
  let wakeFrame: (pcm: Uint8Array) => void = () => {};
  let lookAtScreen: (a: { windowTitle?: string }) => Promise<LookResult> = async () => ({ sent: false, message: 'Hark is still starting.' });
  let screenWindows: () => Promise<ScreenWindowList> = async () => ({ windows: [], message: 'Hark is still starting.' });
  // History, usage and the spend cap, idle disconnect, the event log, approvals in the window.
  const companion = await createCompanionServices({
    session,
    dir: userData,
    emit,
    history: () => settings.get().history,
    usage: () => settings.get().usage,
    idleMinutes: () => settings.get().app.idleDisconnectMinutes,
    model: () => settings.get().model,
    transcriptionModel: () => (settings.get().transcription.enabled ? settings.get().transcription.model : null),
    contextLimit: () => contextLimitFor(settings.get()),
    conversation: () => settings.get().conversation,
    approvals: approvalQueue,
    saveExport: (name, markdown) => e.saveFile(name, markdown),
    lookAtScreen: (a) => lookAtScreen(a),
    screenWindows: () => screenWindows(),
    keepImages: () => settings.get().screen.storeInHistory,
  });
  // Every way to talk (button, hotkey, tray, switches) reconnects after an idle disconnect, and every
  // way to connect respects the daily cap.
  const talk = () => void companion.talk();
  const connect = () => void companion.connect();
  const link = linkSessionToRenderer(session, playback, emit, { output: (a) => localVoice.output(a), endTurn: () => localVoice.endTurn(), frame: (pcm) => (wakeFrame(pcm), localVoice.frame(pcm)) }, companion);

  const hook = new KeyHookHost({
    fork: e.forkKeyHook,
    platform: o.platform,
    arch: o.arch,
    env: o.env,
    ...(e.isTrustedAccessibilityClient ? { isTrustedAccessibilityClient: e.isTrustedAccessibilityClient } : {}),
  });
  const hotkeys = new HotkeyService({
    shortcuts: e.globalShortcut,
    hook,
    platform: o.platform,
    env: o.env,
    target: {
      manual: () => settings.get().turnDetection.mode === 'none',
      turnOpen: () => session.state.turnOpen,
      begin: talk,
      end: () => localVoice.endTurn(),
      cancel: () => session.cancelTurn(),
      interrupt: () => void session.interrupt(),
    },
  });

  // The wake word and "look at my screen" (issue 15): their services, tool, events and settings.
  const extras = wireWakeAndScreen({
    electron: e,
    distDir: o.distDir,
    ...(o.wakeWordRoot ? { wakeWordRoot: o.wakeWordRoot } : {}),
    settings,
    session,
    localVoice,
    tools,
    link,
    emit,
    talk: () => companion.talk(),
    renderTray: () => renderTray(),
  });
  wakeFrame = (pcm) => extras.wake.frame(pcm);
  lookAtScreen = (a) => extras.lookAtScreen(a);
  screenWindows = () => extras.listWindows();
  const tray = new TrayController({ createTray: e.createTray, buildMenu: e.buildMenu, iconDir: o.iconDir, platform: o.platform }, (a) => void onTrayAction(a));
  const renderTray = () => tray.render(trayView({ state: session.state, voice: settings.get().voice, hotkey: hotkeys.status.active === 'none' ? null : hotkeys.status.accelerator, ...extras.trayInput() }));

  /** `from`: the window that asked, which hears the notices the change raises in its reply. */
  async function updateSettings(patch: SettingsPatch, from?: Sender): Promise<SettingsUpdate> {
    const refused = await checkSensitiveChange(patch, settings.get(), from ? windows.isSettingsWindow(from.senderId) : false, e.confirm);
    if (refused.length) return { ok: false, errors: refused };
    const reply = { senderId: from?.senderId ?? -1, notices: [] as Notice[] };
    if (from) replies.push(reply);
    try {
      const r = await settings.update(patch);
      return r.ok ? { ...r, notices: reply.notices } : r;
    } finally {
      if (from) replies.splice(replies.indexOf(reply), 1);
    }
  }

  // Each owner watches its own slice; the store finds what changed, once. The shell's and the tools'
  // sections mean nothing to the session config: changing them sends no session.update.
  const sessionSlice = ({ hotkey: _h, devices: _d, app: _a, tools: _t, history: _hi, usage: _u, outputVolume: _v, conversation: _c, wakeWord: _w, screen: _sc, ...rest }: Settings) => rest;
  settings.watch(sessionSlice, (_slice, next) => session.applySettings(sessionSettings(next)));
  settings.watch((s) => s.app.idleDisconnectMinutes, () => companion.idle.refresh());
  settings.watch((s) => s.tools.policies, (policies) => tools.approvals.setPolicies(policies));
  settings.watch((s) => s.tools.approvalTimeoutMs, (ms) => (tools.approvals.timeoutMs = ms));
  settings.watch((s) => s.tools.mcpConfig, applyMcp);
  settings.watch((s) => s.hotkey, (hotkey) => void hotkeys.apply(hotkey));
  settings.watch((s) => s.app.startAtLogin, (on) => loginItem.apply(on));
  settings.on('change', (next) => {
    emit('settings:changed', next);
    renderTray();
  });
  settings.on('notice', (n) => emit('notice', n));
  keys.on('status', (s) => {
    emit('key:status', s);
    const key = keys.key();
    if (key === sessionOptions.apiKey) return; // e.g. a stored key under OPENAI_API_KEY's override
    sessionOptions.apiKey = key;
    session.setApiKey(key);
    // The key is read at connect: reconnect with the new one (or connect, now that there is one).
    if (session.state.phase !== 'disconnected') session.disconnect();
    if (key) connect();
  });
  hotkeys.on('status', (s) => {
    emit('hotkey:status', s);
    renderTray();
  });
  hotkeys.on('pressed', (down) => emit('hotkey:pressed', { down }));
  hotkeys.on('watchdog', () => emit('notice', { level: 'warning', message: 'The talk key was held for too long (or its release was missed), so the turn was sent.', code: 'ptt_watchdog' }));
  session.on('state', (s) => {
    hotkeys.talkKey.sync(s.turnOpen);
    renderTray();
  });

  async function onTrayAction(a: TrayAction): Promise<void> {
    switch (a.kind) {
      case 'talk':
        return talk();
      case 'send':
        return localVoice.endTurn();
      case 'cancel-turn':
        return session.cancelTurn();
      case 'interrupt':
        return session.interrupt();
      case 'mode':
        return void (await updateSettings({ turnDetection: { mode: a.mode } }));
      case 'voice':
        return void (await updateSettings({ voice: a.voice }));
      case 'mute':
        return session.setMuted(a.muted);
      case 'connect':
        return connect();
      case 'disconnect':
        return companion.disconnect();
      case 'new-conversation':
        return void companion.conversations.newConversation();
      case 'wake-word':
        return void (await updateSettings({ wakeWord: { enabled: a.on } }));
      case 'look-at-screen':
        return void extras.lookAtScreen().then((r) => (r.sent ? undefined : emit('notice', { level: 'info', code: 'look_not_sent', message: r.message })));
      case 'open-companion':
        return windows.showCompanion();
      case 'open-settings':
        return windows.showSettings();
      case 'open-log-folder':
        return e.openPath(appLog.dir);
      case 'quit':
        quitting = true;
        return e.app.quit();
    }
  }

  /** The key is set, cleared and tested only from the settings window. */
  const settingsWindowOnly = (from: { senderId: number }) => {
    if (!windows.isSettingsWindow(from.senderId)) throw new Error(`the API key ${SETTINGS_WINDOW_ONLY}`);
  };

  const router = new IpcRouter({ ipcMain: e.ipcMain, trustedIds: () => windows.trustedIds(), onRefused: (channel, why) => log.warn({ channel }, `IPC refused: ${why}`) });
  // The settings window's tools list, MCP status and notes editor.
  const toolLink = linkToolServices({ tools, emit });
  const shell = {
    'settings:get': () => settings.get(),
    'settings:update': (patch, from) => updateSettings(patch, from),
    'key:status': () => keys.status(),
    'key:set': ({ key }, from) => (settingsWindowOnly(from), keys.set(key)),
    'key:clear': (_req, from) => (settingsWindowOnly(from), keys.clear()),
    'key:test': (_req, from) =>
      (settingsWindowOnly(from), testKey)({
        key: keys.key(),
        settings: sessionSettings(settings.get()),
        createSession: (opts) => new RealtimeSession({ ...sessionOptions, ...opts, playback: undefined }),
      }),
    'window:open-settings': () => windows.showSettings(),
    'window:open-companion': () => windows.showCompanion(),
    'hotkey:status': () => hotkeys.status,
    'window:open-mic-settings': () => openMicSettings(o.platform, e),
    'window:copy-text': async ({ text }) => void (await e.toolPorts.clipboard.writeText(text)),
    'window:open-log-folder': () => e.openPath(appLog.dir),
    'hotkey:check': ({ accelerator }) => hotkeys.check(accelerator),
    'hotkey:request-accessibility': () => {
      e.isTrustedAccessibilityClient?.(true);
      return hotkeys.restart();
    },
  } satisfies Partial<Handlers>;
  router.serve(joinHandlers({ session: link.handlers, companion: companion.handlers, tools: toolLink.handlers, shell }));

  e.app.onWebContentsCreated((c) => guardWebContents(c, e.openExternal));
  e.permissions.setPermissionRequestHandler(permissionRequestHandler);
  e.permissions.setPermissionCheckHandler(permissionCheckHandler);
  e.handleProtocol('app', createAppProtocolHandler(join(o.distDir, 'renderer')));

  const cli = {
    toggleTalk: () => hotkeys.talkKey.tap(false),
    pttDown: () => hotkeys.talkKey.keyDown('hold'),
    pttUp: () => hotkeys.talkKey.keyUp('hold'),
    cancelTalk: () => hotkeys.talkKey.cancel(),
    showCompanion: () => windows.showCompanion(),
    showSettings: () => windows.showSettings(),
    lookAtScreen: () => void onTrayAction({ kind: 'look-at-screen' }),
  };
  e.app.onSecondInstance((argv) => void dispatchCli(argv, cli));
  const networkBack = retryWhenNetworkBack(session);
  e.onPowerResume(() => {
    void hotkeys.restart();
    networkBack();
  });

  /** Opens the windows, the tray and the key, and connects when a key is there. */
  async function start(argv: readonly string[] = []): Promise<void> {
    const s = settings.get();
    // An entry left by an AppImage that has since moved would start nothing: rewrite it.
    if (s.app.startAtLogin) loginItem.apply(true);
    const companion = windows.createCompanion(s.app.showWindowAtStart);
    companion.webContents.on('did-finish-load', () => {
      link.resync();
      for (const n of [...settings.startupNotices, ...keyNotices]) emit('notice', n);
      // A deprecated model, stored or typed later, is named with its shutdown date each start.
      for (const n of deprecationNotices(settings.get())) emit('notice', n);
    });
    renderTray();
    tools.start();
    // The startup check: without the detector Hark works as before, and says so once.
    void voiceWorker.start().then((detector) => {
      if (detector.state === 'unavailable' && settings.get().localVoice.enabled) {
        emit('notice', { level: 'warning', message: `Local voice detection could not start (${detector.reason}). Hark works without it: barge-in waits for the server, and push-to-talk has no post-roll.`, code: 'local_voice_unavailable' });
      }
      // interrupt_response follows whether Hark itself can tell the user from the echo.
      if (detector.state === 'ready' && session.isReady) session.applySettings(sessionSettings(settings.get()));
    });
    applyMcp(s.tools.mcpConfig);
    void extras.start();
    await hotkeys.apply(s.hotkey);
    // With the wake word on, Hark starts disconnected and waits for the phrase.
    if (keys.key() && !s.wakeWord.enabled) connect();
    // No key yet: the companion window's first-run guide asks for it.
    else windows.showCompanion();
    // The first launch's own switches: only the window ones make sense before a session exists.
    const first = parseCliSwitches(argv);
    if (first.includes('show')) windows.showCompanion();
    if (first.includes('settings')) windows.showSettings();
  }

  async function stop(): Promise<void> {
    quitting = true;
    hotkeys.dispose();
    e.globalShortcut.unregisterAll();
    session.disconnect();
    await extras.stop();
    localVoice.dispose();
    await voiceWorker.stop();
    link.dispose();
    toolLink.dispose();
    router.dispose();
    tray.destroy();
    await tools.stop(); // ends the MCP servers' processes
    await companion.dispose(); // flushes the conversation in progress
    await bounds.flush();
    log.info('Hark stops');
    await appLog.close();
  }

  /** A message for the user from outside the services (e.g. the macOS microphone refusal). */
  const notify = (n: Notice) => emit('notice', n);

  return { appLog, settings, keys, session, localVoice, tools, approvalQueue, companion, windows, hotkeys, tray, router, cli, start, stop, notify, onTrayAction, markQuitting: () => void (quitting = true) };
}

export type Services = Awaited<ReturnType<typeof createServices>>;

function contextLimitFor(s: Settings): number {
  return contextLimit(s.model, s.truncation.postInstructionsTokens, s.truncation.mode);
}
