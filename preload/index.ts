// The only preload file that imports Electron. Builds `window.companion` from the contract: one
// named function per channel, listeners that never see the IpcRendererEvent, nothing generic.
// Bundled to one CommonJS file, because a sandboxed preload can require only `electron`.
import { contextBridge, ipcRenderer } from 'electron';
import {
  EVENT_CHANNELS,
  INVOKE_METHODS,
  SHELL_INVOKE_METHODS,
  TOOLS_INVOKE_METHODS,
  WINDOW_INVOKE_METHODS,
  type AppApi,
  type EventChannel,
  type Events,
  type ToolsApi,
  type WindowApi,
} from './api';

const invoke = (channel: string, payload?: unknown) => ipcRenderer.invoke(channel, payload);
const known = new Set<string>(EVENT_CHANNELS);

// The window's calls take their payload as is, so they are built from the table.
const fromTable = (table: Record<string, string>) => Object.fromEntries(Object.entries(table).map(([method, channel]) => [method, (payload?: unknown) => invoke(channel, payload)]));
const windowApi = fromTable(WINDOW_INVOKE_METHODS) as unknown as WindowApi;
const toolsApi = fromTable(TOOLS_INVOKE_METHODS) as unknown as ToolsApi;

const api: AppApi = {
  ...windowApi,
  ...toolsApi,
  connect: () => invoke(INVOKE_METHODS.connect),
  disconnect: () => invoke(INVOKE_METHODS.disconnect),
  snapshot: () => invoke(INVOKE_METHODS.snapshot),
  beginTurn: () => invoke(INVOKE_METHODS.beginTurn),
  endTurn: () => invoke(INVOKE_METHODS.endTurn),
  cancelTurn: () => invoke(INVOKE_METHODS.cancelTurn),
  interrupt: () => invoke(INVOKE_METHODS.interrupt),
  sendText: (text) => invoke(INVOKE_METHODS.sendText, { text }),
  setMuted: (muted) => invoke(INVOKE_METHODS.setMuted, { muted }),
  sendAudioFrame: (frame) => ipcRenderer.send('audio:frame', frame),
  reportInterrupted: (reply) => ipcRenderer.send('audio:interrupted', reply),
  getSettings: () => invoke(SHELL_INVOKE_METHODS.getSettings),
  updateSettings: (patch) => invoke(SHELL_INVOKE_METHODS.updateSettings, patch),
  keyStatus: () => invoke(SHELL_INVOKE_METHODS.keyStatus),
  setKey: (key) => invoke(SHELL_INVOKE_METHODS.setKey, { key }),
  clearKey: () => invoke(SHELL_INVOKE_METHODS.clearKey),
  testKey: () => invoke(SHELL_INVOKE_METHODS.testKey),
  openSettings: () => invoke(SHELL_INVOKE_METHODS.openSettings),
  openCompanion: () => invoke(SHELL_INVOKE_METHODS.openCompanion),
  hotkeyStatus: () => invoke(SHELL_INVOKE_METHODS.hotkeyStatus),
  checkHotkey: (accelerator) => invoke(SHELL_INVOKE_METHODS.checkHotkey, { accelerator }),
  requestAccessibility: () => invoke(SHELL_INVOKE_METHODS.requestAccessibility),
  openMicSettings: () => invoke(SHELL_INVOKE_METHODS.openMicSettings),
  copyText: (req) => invoke(SHELL_INVOKE_METHODS.copyText, req),
  on<K extends EventChannel>(channel: K, listener: (payload: Events[K]) => void) {
    if (!known.has(channel)) throw new Error(`unknown event channel ${String(channel)}`);
    const wrapped = (_e: unknown, payload: Events[K]) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => void ipcRenderer.off(channel, wrapped);
  },
};

contextBridge.exposeInMainWorld('companion', api);
