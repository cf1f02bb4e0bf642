// The WebSocket to the Realtime server, on `ws`. It knows nothing about the protocol's events: it
// connects, sends JSON, hands text frames up, and notices a dead peer with its own pings, because a
// half-open TCP connection otherwise looks like a quiet server forever.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Endpoint } from './endpoint';

export interface TransportOptions {
  /** Extra CA (PEM) for wss:// servers with a private certificate, e.g. the simulator in TLS mode. */
  ca?: string;
  handshakeTimeoutMs?: number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  /** Largest server frame accepted; a larger one closes the socket with 1009 instead of eating memory. */
  maxPayloadBytes?: number;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

/** Why a connection attempt failed before any Realtime event arrived. */
export class ConnectError extends Error {
  constructor(
    message: string,
    readonly kind: 'http' | 'network' | 'timeout',
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
  }
}

/**
 * The largest legitimate server event is the session.updated echo of Hark's own settings: with
 * instructions at their 20,000-character maximum, 100 notes of 2,000 characters and 128 rich tools
 * it is about 0.73 MB (test/reliability/frame-cap measures it); reply audio comes in deltas of a
 * few tens of KB. 1 MiB is 1.4× that. ws holds about twice a frame (its read chunks and their
 * concatenation) before Hark sees it, so every byte of cap costs two; over the cap, ws refuses the
 * frame from its header and it costs nothing.
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

const DEFAULTS = {
  handshakeTimeoutMs: 10_000,
  pingIntervalMs: 15_000,
  pongTimeoutMs: 5_000,
  maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
};

export class Transport extends EventEmitter<{ message: [string]; close: [CloseInfo] }> {
  private ws: WebSocket | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private pongDeadline: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly opts: Required<Omit<TransportOptions, 'ca'>> & Pick<TransportOptions, 'ca'>;

  constructor(options: TransportOptions = {}) {
    super();
    this.opts = { ...DEFAULTS, ...options };
  }

  connect(endpoint: Endpoint): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(endpoint.url, {
        headers: endpoint.headers,
        handshakeTimeout: this.opts.handshakeTimeoutMs,
        maxPayload: this.opts.maxPayloadBytes,
        perMessageDeflate: false,
        // A redirect would carry the Authorization header to another host.
        followRedirects: false,
        ...(this.opts.ca ? { ca: this.opts.ca } : {}),
      });
      this.ws = ws;
      let settled = false;
      let socketError: NodeJS.ErrnoException | null = null;
      const fail = (err: ConnectError) => {
        if (settled) return;
        settled = true;
        this.closed = true;
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        reject(err);
      };
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 4096) body += c;
        });
        res.on('end', () => fail(new ConnectError(`HTTP ${res.statusCode}`, 'http', res.statusCode, body)));
        res.on('error', () => fail(new ConnectError(`HTTP ${res.statusCode}`, 'http', res.statusCode, body)));
      });
      ws.on('error', (err: NodeJS.ErrnoException) => {
        if (!settled) {
          const timeout = /timed out/i.test(err.message);
          fail(new ConnectError(err.code ? `${err.code}: ${err.message}` : err.message, timeout ? 'timeout' : 'network'));
        }
        // After open, errors are followed by 'close', which is what callers act on; remember why.
        socketError = err;
        // Over the cap, ws would keep reading (and dropping) the rest of the frame while it waits up to
        // 30 s for the server's closing handshake: a 50 MB frame cost 27 MiB that way. Cut it off now.
        if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') ws.terminate();
      });
      ws.on('open', () => {
        settled = true;
        this.startKeepalive();
        resolve();
      });
      ws.on('message', (data, isBinary) => {
        this.sawTraffic();
        // The server only sends text frames; a binary one is passed up as text so the session reports it.
        this.emit('message', isBinary ? `\u0000binary:${(data as Buffer).length}` : data.toString());
      });
      ws.on('pong', () => this.sawTraffic());
      ws.on('close', (code, reason) => {
        if (!settled) {
          fail(new ConnectError(`closed during handshake (${code})`, 'network'));
          return;
        }
        // ws reports its own size cap as an abnormal close; say what actually happened.
        if (socketError?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.finish({ code: 1009, reason: 'message too big' });
        else this.finish({ code, reason: reason.toString() });
      });
    });
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  send(event: object): boolean {
    if (!this.isOpen) return false;
    this.ws!.send(JSON.stringify(event));
    return true;
  }

  close(code = 1000, reason = ''): void {
    if (!this.ws || this.closed) return;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
    else this.ws.terminate();
    // Report our own close now; the peer's echo may never come on a dead link.
    this.finish({ code, reason });
  }

  private startKeepalive(): void {
    this.pingTimer = setInterval(() => {
      if (!this.isOpen || this.pongDeadline) return;
      this.ws!.ping();
      this.pongDeadline = setTimeout(() => {
        // terminate(), not close(): a half-open peer will never complete a closing handshake.
        this.ws?.terminate();
        this.finish({ code: 1006, reason: 'no answer to ping' });
      }, this.opts.pongTimeoutMs);
    }, this.opts.pingIntervalMs);
  }

  private sawTraffic(): void {
    if (this.pongDeadline) {
      clearTimeout(this.pongDeadline);
      this.pongDeadline = null;
    }
  }

  private finish(info: CloseInfo): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.sawTraffic();
    this.ws?.removeAllListeners('message');
    this.ws?.on('error', () => {});
    this.emit('close', info);
  }
}
