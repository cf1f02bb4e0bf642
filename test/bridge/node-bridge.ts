// Node end of the test bridge: stands where ipcMain stands in the app. Validates every payload from
// the page with the channel table's schemas (parseRequest, as main's router does), then serves it
// from the app's own handler map when the test gives one, so a page reaches the app by its own path.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CHANNELS, parseRequest, type EventChannel, type Events, type Handlers, type InvokeChannel, type RequestChannel, type SendChannel, type Sender } from '../../preload/channels';
import { BRIDGE_PATH, encodeDelta, type NodeToPage, type PageToNode } from './wire';

export interface TestBridgeOptions {
  /** Attach to this HTTP server (same origin as the page, so CSP connect-src 'self' holds). */
  server?: Server;
  /** The app's handlers (or part of them): a channel found here is served by it, as the router would. */
  handlers?: Partial<Handlers>;
  /** Every valid request, before it is served (the tests' record of what the page asked). */
  observe?: (channel: RequestChannel, payload: unknown) => void;
  /** Channels the handlers do not serve. */
  onInvoke?: (channel: InvokeChannel, payload: unknown) => unknown;
  onSend?: (channel: SendChannel, payload: unknown) => void;
  /** A payload failed validation (it never reaches onInvoke/onSend). */
  onInvalid?: (channel: string, message: string) => void;
}

export interface TestBridge {
  /** ws:// URL of the bridge. */
  url: string;
  emit<K extends EventChannel>(channel: K, payload: Events[K]): void;
  /** Resolves when a page is connected (immediately if one already is). */
  connected(): Promise<void>;
  close(): Promise<void>;
}

/** The page, as a sender: the tests' bridge serves one window. */
const PAGE: Sender = { senderId: 0 };

export async function startTestBridge(opts: TestBridgeOptions = {}): Promise<TestBridge> {
  const own = !opts.server;
  const server = opts.server ?? createServer((_, res) => res.writeHead(404).end());
  if (own) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const wss = new WebSocketServer({ noServer: true });
  const clients = new Set<WebSocket>();
  let waiters: (() => void)[] = [];

  const onUpgrade = (req: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    if (!req.url?.startsWith(BRIDGE_PATH)) return;
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    for (const w of waiters.splice(0)) w();
    ws.on('message', (data, isBinary) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
      if (isBinary) {
        // Main receives an ArrayBuffer from ipcRenderer; give the schema exactly that.
        const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
        return deliverSend('audio:frame', ab);
      }
      const m = JSON.parse(buf.toString('utf8')) as PageToNode;
      if (m.t === 'send') return deliverSend(m.channel, m.payload);
      void deliverInvoke(ws, m.id, m.channel, m.payload);
    });
  });

  function deliverSend(channel: string, payload: unknown): void {
    if (CHANNELS[channel as RequestChannel]?.dir !== 'send') return opts.onInvalid?.(channel, 'unknown channel');
    const r = parseRequest(channel as SendChannel, payload);
    if (!r.ok) return opts.onInvalid?.(channel, r.error);
    opts.observe?.(channel as SendChannel, r.data);
    const handler = opts.handlers?.[channel as SendChannel] as ((p: unknown, from: Sender) => void) | undefined;
    if (handler) handler(r.data, PAGE);
    else opts.onSend?.(channel as SendChannel, r.data);
  }

  async function deliverInvoke(ws: WebSocket, id: number, channel: string, payload: unknown): Promise<void> {
    const reply = (m: NodeToPage) => ws.send(JSON.stringify(m));
    if (CHANNELS[channel as RequestChannel]?.dir !== 'invoke') {
      opts.onInvalid?.(channel, 'unknown channel');
      return reply({ t: 'result', id, ok: false, error: `unknown channel ${channel}` });
    }
    const r = parseRequest(channel as InvokeChannel, payload);
    if (!r.ok) {
      opts.onInvalid?.(channel, r.error);
      return reply({ t: 'result', id, ok: false, error: `invalid payload for ${channel}` });
    }
    try {
      opts.observe?.(channel as InvokeChannel, r.data);
      const handler = opts.handlers?.[channel as InvokeChannel] as ((p: unknown, from: Sender) => unknown) | undefined;
      const value = await (handler ? handler(r.data, PAGE) : opts.onInvoke?.(channel as InvokeChannel, r.data));
      reply({ t: 'result', id, ok: true, value: value ?? null });
    } catch (e) {
      reply({ t: 'result', id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}${BRIDGE_PATH}`,
    emit(channel, payload) {
      let msg: string | Uint8Array;
      if (channel === 'audio:delta') {
        const d = payload as Events['audio:delta'];
        msg = encodeDelta(d.responseId, d.itemId, new Uint8Array(d.pcm));
      } else {
        msg = JSON.stringify({ t: 'event', channel, payload } satisfies NodeToPage);
      }
      for (const ws of clients) ws.send(msg);
    },
    connected: () => (clients.size > 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    async close() {
      server.off('upgrade', onUpgrade);
      for (const ws of clients) ws.terminate();
      waiters = [];
      await new Promise<void>((r) => wss.close(() => r()));
      if (own) await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
