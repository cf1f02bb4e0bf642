// CompanionApi over a loopback WebSocket: what preload's contextBridge is in the app, the test
// bridge is in Chromium tests. Same method names, same payloads, audio as binary messages.
import { buildCompanionApi, type CompanionApi } from '../../preload/channels';
import { decodeDelta, type NodeToPage, type PageToNode } from './wire';

export function connectBrowserCompanion(url: string): Promise<CompanionApi> {
  const { api, ready } = openBridge(url);
  return ready.then(() => api);
}

/**
 * The whole CompanionApi at once, before the socket is open (calls wait for it): what a page that reads
 * `window.companion` at load, like the settings window, finds in place of preload's.
 */
export function openBrowserApp(url: string): CompanionApi {
  return openBridge(url).api;
}

function openBridge(url: string): { api: CompanionApi; ready: Promise<void> } {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;

  const dispatch = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l(payload);
  };
  ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
    if (typeof e.data !== 'string') return dispatch('audio:delta', decodeDelta(e.data));
    const m = JSON.parse(e.data) as NodeToPage;
    if (m.t === 'event') return dispatch(m.channel, m.payload);
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (!p) return;
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.error));
  };
  const ready = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`test bridge: cannot connect to ${url}`));
  });
  ready.catch(() => {});
  const post = (m: PageToNode) => void ready.then(() => ws.send(JSON.stringify(m)));
  // The same builder preload uses: every method from the one channel table, over this socket.
  const api = buildCompanionApi({
    invoke: (channel, payload) =>
      new Promise<unknown>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        post({ t: 'invoke', id, channel, payload });
      }),
    send(channel, payload) {
      // Audio frames go as binary messages, everything else as JSON.
      if (channel !== 'audio:frame') return post({ t: 'send', channel, payload });
      if (ws.readyState === WebSocket.OPEN) ws.send(payload as ArrayBuffer);
    },
    on(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
  });
  return { api, ready };
}
