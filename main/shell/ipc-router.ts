// The only place that talks to ipcMain. Every message must come from the main frame of one of our
// windows, on our origin, and its payload must pass the contract's schema before a handler runs.
import { CHANNELS, parseRequest, type Handlers, type Invoke, type InvokeChannel, type RequestChannel, type Send, type SendChannel, type Sender } from '../../preload/channels';
import { isAppUrl } from './hardening';

export interface IpcEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** Electron's ipcMain, as far as we use it. */
export interface IpcMainLike {
  handle(channel: string, fn: (e: IpcEventLike, payload: unknown) => unknown): void;
  on(channel: string, fn: (e: IpcEventLike, payload: unknown) => void): unknown;
  removeHandler(channel: string): void;
  removeAllListeners(channel: string): unknown;
}

export interface IpcRouterDeps {
  ipcMain: IpcMainLike;
  /** The webContents ids of our own windows, asked at each message. */
  trustedIds(): ReadonlySet<number>;
  onRefused?(channel: string, why: string): void;
}

/** A handler once its payload has passed the channel's schema. */
type Untyped = (req: unknown, from: Sender) => unknown;

export class IpcRouter {
  private readonly channels = new Set<string>();
  /** Refusals so far, by reason; for tests and the event log. */
  readonly refused: Array<{ channel: string; why: string }> = [];

  constructor(private readonly deps: IpcRouterDeps) {}

  /** Why this sender is not trusted, or null when it is. */
  senderProblem(e: IpcEventLike): string | null {
    const frame = e.senderFrame;
    if (!frame) return 'the sending frame is gone';
    if (frame.parent !== null) return 'the sender is not a main frame';
    if (!isAppUrl(frame.url)) return `the sender's origin is not the app (${safeOrigin(frame.url)})`;
    if (!this.deps.trustedIds().has(e.sender.id)) return 'the sender is not one of our windows';
    return null;
  }

  /** Serves every channel of the table, each with its one handler (the app's joined map). */
  serve(handlers: Handlers): void {
    // The table and the map agree channel by channel (Handlers); a loop over them only loses the pairing.
    for (const [channel, row] of Object.entries(CHANNELS)) this.listen(channel as RequestChannel, row.dir, handlers[channel as RequestChannel] as Untyped);
  }

  /** `fn` also learns which window sent the request, for channels only one window may use. */
  handle<K extends InvokeChannel>(channel: K, fn: (req: Invoke[K]['req'], from: Sender) => Invoke[K]['res'] | Promise<Invoke[K]['res']>): void {
    this.listen(channel, 'invoke', fn as Untyped);
  }

  on<K extends SendChannel>(channel: K, fn: (payload: Send[K], from: Sender) => void): void {
    this.listen(channel, 'send', fn as Untyped);
  }

  private listen(channel: RequestChannel, dir: 'invoke' | 'send', fn: Untyped): void {
    this.channels.add(channel);
    if (dir === 'invoke') {
      this.deps.ipcMain.handle(channel, async (e, payload) => {
        const bad = this.senderProblem(e);
        if (bad) throw this.refuse(channel, bad);
        const r = parseRequest(channel, payload);
        if (!r.ok) throw this.refuse(channel, `invalid payload: ${r.error}`);
        return fn(r.data, { senderId: e.sender.id });
      });
      return;
    }
    this.deps.ipcMain.on(channel, (e, payload) => {
      const bad = this.senderProblem(e);
      if (bad) return void this.refuse(channel, bad);
      const r = parseRequest(channel, asArrayBuffer(payload));
      if (!r.ok) return void this.refuse(channel, 'invalid payload');
      fn(r.data, { senderId: e.sender.id });
    });
  }

  dispose(): void {
    for (const c of this.channels) {
      this.deps.ipcMain.removeHandler(c);
      this.deps.ipcMain.removeAllListeners(c);
    }
    this.channels.clear();
  }

  private refuse(channel: string, why: string): Error {
    this.refused.push({ channel, why });
    // A misbehaving page must not grow main's memory without bound.
    if (this.refused.length > 100) this.refused.shift();
    this.deps.onRefused?.(channel, why);
    // Electron passes only the message to the renderer; it names the channel, never the payload.
    return new Error(`${channel} refused: ${why}`);
  }
}

function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'unparsable URL';
  }
}

// Structured clone may hand main a typed-array view where the renderer sent an ArrayBuffer; the
// contract speaks ArrayBuffer, so views are unwrapped to exactly their bytes.
function asArrayBuffer(p: unknown): unknown {
  if (!ArrayBuffer.isView(p)) return p;
  return p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength);
}
