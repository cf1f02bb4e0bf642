// CompanionApi over a loopback WebSocket: what preload's contextBridge is in the app, the test
// bridge is in Chromium tests. Same method names, same payloads, audio as binary messages.
import { INVOKE_METHODS, SHELL_INVOKE_METHODS, TOOLS_INVOKE_METHODS, WINDOW_INVOKE_METHODS, type AppApi, type CompanionApi, type EventChannel, type Events } from '../../preload/api';
import { decodeDelta, type NodeToPage, type PageToNode } from './wire';

export function connectBrowserCompanion(url: string): Promise<CompanionApi> {
  const { api, ready } = openBridge(url);
  return ready.then(() => api);
}

/**
 * The whole AppApi at once, before the socket is open (calls wait for it): what a page that reads
 * `window.companion` at load, like the settings window, finds in place of preload's.
 */
export function openBrowserApp(url: string): AppApi {
  return openBridge(url).api as AppApi;
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
  const invoke = (channel: string, payload?: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      post({ t: 'invoke', id, channel, payload });
    });

  const api: CompanionApi = {
    connect: () => invoke(INVOKE_METHODS.connect) as Promise<void>,
    disconnect: () => invoke(INVOKE_METHODS.disconnect) as Promise<void>,
    snapshot: () => invoke(INVOKE_METHODS.snapshot) as ReturnType<CompanionApi['snapshot']>,
    beginTurn: () => invoke(INVOKE_METHODS.beginTurn) as Promise<void>,
    endTurn: () => invoke(INVOKE_METHODS.endTurn) as Promise<void>,
    cancelTurn: () => invoke(INVOKE_METHODS.cancelTurn) as Promise<void>,
    interrupt: () => invoke(INVOKE_METHODS.interrupt) as Promise<void>,
    sendText: (text) => invoke(INVOKE_METHODS.sendText, { text }) as Promise<void>,
    setMuted: (muted) => invoke(INVOKE_METHODS.setMuted, { muted }) as Promise<void>,
    sendAudioFrame: (frame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame);
    },
    reportInterrupted: (reply) => post({ t: 'send', channel: 'audio:interrupted', payload: reply }),
    on<K extends EventChannel>(channel: K, listener: (payload: Events[K]) => void) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
  };
  // The companion window's calls, and the settings calls its mode switch uses: each takes its
  // payload as is, as preload builds them.
  const extra: Record<string, (payload?: unknown) => Promise<unknown>> = {};
  for (const [method, channel] of Object.entries(WINDOW_INVOKE_METHODS)) extra[method] = (payload) => invoke(channel, payload);
  for (const [method, channel] of Object.entries(TOOLS_INVOKE_METHODS)) extra[method] = (payload) => invoke(channel, payload);
  // The shell's calls, with the same payloads preload builds.
  for (const [method, channel] of Object.entries(SHELL_INVOKE_METHODS)) extra[method] = (payload) => invoke(channel, payload);
  extra.setKey = (key) => invoke(SHELL_INVOKE_METHODS.setKey, { key });
  extra.checkHotkey = (accelerator) => invoke(SHELL_INVOKE_METHODS.checkHotkey, { accelerator });
  Object.assign(api, extra);
  return { api, ready };
}
