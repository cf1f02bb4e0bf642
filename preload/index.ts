// The only preload file that imports Electron. Builds `window.companion` from the one channel table
// (channels.ts): one named function per channel over ipcRenderer, listeners that never see the
// IpcRendererEvent. Bundled to one CommonJS file, because a sandboxed preload can require only `electron`.
import { contextBridge, ipcRenderer } from 'electron';
import { buildCompanionApi } from './channels';

const api = buildCompanionApi({
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  send: (channel, payload) => ipcRenderer.send(channel, payload),
  on(channel, listener) {
    const wrapped = (_e: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => void ipcRenderer.off(channel, wrapped);
  },
});

contextBridge.exposeInMainWorld('companion', api);
