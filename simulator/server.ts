import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { SimConnection } from './connection';
import { defaultFaults, type Faults } from './faults';
import { checkHandshake, defaultIsValidKey, REALTIME_PATHS } from './handshake';
import { loadScenario, ReplayDriver, type ReplayScenario } from './replay';
import type { Reply, ReplyContext } from './replies';
import type { PcmStamps } from './stamp';
import { makeLoopbackCert, type TlsMaterial } from './tls';

export type { Faults } from './faults';
export type { Reply, ReplyContext } from './replies';
export type { SimConnection } from './connection';
export type { ReplayScenario } from './replay';

export interface SimulatorOptions {
  port?: number;
  /** wss:// with a fresh loopback certificate, or with this one (several simulators one client trusts). */
  tls?: boolean | TlsMaterial;
  isValidKey?: (key: string) => boolean;
  replyDelayMs?: number;
  audioChunkMs?: number;
  paceFactor?: number;
  /** Audio deltas of a cancelled response still sent after the cancel (they were "in flight"); default 2. */
  lateDeltasAfterCancel?: number;
  sessionLifetimeMs?: number;
  pingIntervalMs?: number;
  updateDelayMs?: number;
  transcriptionDelayMs?: number;
  respond?: (ctx: ReplyContext) => Reply | Promise<Reply>;
  /** Speak reply text as real speech (simulator/tts.ts's synthesize); default: the reply tone. */
  speak?: (text: string) => Promise<Int16Array>;
  userTranscript?: (ctx: { itemId: string; audioMs: number; turnIndex: number }) => string | null;
  faults?: Partial<Faults>;
  /** Seeds argument splits and obfuscation strings (each connection adds its index); default 1. */
  seed?: number;
  log?: boolean;
  /** Serve a recorded scenario (path to a realtime-replay/*.json file, or its parsed content) instead of the brain. */
  replay?: string | ReplayScenario;
  /** speech_started (and the cancel it brings) this long after the VAD heard speech; default 0. */
  speechStartedDelayMs?: number;
  /** Replay `pause` steps are divided by this; default 1. */
  replaySpeed?: number;
  /** Benchmark: latency stamps in the reply PCM, and read from the appended PCM (simulator/stamp.ts). */
  stamps?: PcmStamps;
}

export interface Simulator {
  url: string;
  port: number;
  ca?: string;
  options: SimulatorOptions;
  setFaults(f: Partial<Faults>): void;
  connections: SimConnection[];
  waitForConnection(n?: number): Promise<SimConnection>;
  close(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const options: SimulatorOptions = { ...opts };
  const faults: Faults = { ...defaultFaults, ...opts.faults };
  const shared = { options, faults };
  const scenario = opts.replay === undefined ? null : await loadScenario(opts.replay);
  const tls = opts.tls ? (typeof opts.tls === 'object' ? opts.tls : await makeLoopbackCert()) : null;
  const http: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }) : createHttpServer();
  // The real server advertises permessage-deflate; clients usually turn it off.
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: true,
    autoPong: false,
    maxPayload: 64 * 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has('realtime') ? 'realtime' : (protocols.values().next().value ?? false)),
  });
  const connections: SimConnection[] = [];
  const waiting: { n: number; resolve: (c: SimConnection) => void }[] = [];

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!REALTIME_PATHS.includes(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const verdict = checkHandshake(req, options.isValidKey ?? defaultIsValidKey);
      const model = 'model' in verdict ? verdict.model : 'gpt-realtime';
      const conn = new SimConnection(ws, socket, { ...req.headers }, model, shared, (options.seed ?? 1) + connections.length);
      connections.push(conn);
      if ('closeCode' in verdict) conn.reject(verdict);
      else if (scenario) new ReplayDriver(conn, scenario, options).start();
      else conn.start();
      for (const w of waiting.filter((w) => w.n < connections.length)) w.resolve(connections[w.n]!);
      waiting.splice(0, waiting.length, ...waiting.filter((w) => w.n >= connections.length));
    });
  });

  await new Promise<void>((resolve) => http.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (http.address() as { port: number }).port;
  return {
    url: `${tls ? 'wss' : 'ws'}://127.0.0.1:${port}/v1/realtime`,
    port,
    ca: tls?.cert,
    options,
    connections,
    setFaults(f) {
      Object.assign(faults, f);
    },
    waitForConnection(n = connections.length === 0 ? 0 : connections.length - 1) {
      const existing = connections[n];
      return existing ? Promise.resolve(existing) : new Promise((resolve) => waiting.push({ n, resolve }));
    },
    async close() {
      for (const c of connections) c.terminate();
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections?.();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
