import WebSocket from 'ws';
import { encodePcm16, msToSamples } from '../../simulator/pcm';

/** A bare `ws` client for the simulator's own tests: records every server event and the close. */
export class TestClient {
  readonly events: any[] = [];
  readonly raw: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private listeners: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      try {
        this.events.push(JSON.parse(text));
      } catch {
        // Malformed frames are a fault under test; they stay in `raw`.
      }
      for (const l of this.listeners.splice(0)) l();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async connect(url: string, opts: { key?: string | null; model?: string | null; headers?: Record<string, string>; ca?: string; protocols?: string[] } = {}): Promise<TestClient> {
    const u = new URL(url);
    if (opts.model !== null) u.searchParams.set('model', opts.model ?? 'gpt-realtime');
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.key !== null) headers.Authorization = `Bearer ${opts.key ?? 'sk-test-good-key-1234'}`;
    const ws = new WebSocket(u, opts.protocols ?? [], { headers, ca: opts.ca });
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(event: object): void {
    this.ws.send(JSON.stringify(event));
  }

  appendPcm(samples: Int16Array, chunkMs = 100): void {
    const step = msToSamples(chunkMs);
    for (let i = 0; i < samples.length; i += step) {
      this.send({ type: 'input_audio_buffer.append', audio: encodePcm16(samples.subarray(i, i + step)) });
    }
  }

  /** Resolves with the first event (from index `from`) matching type and predicate. */
  async waitFor(type: string, predicate: (e: any) => boolean = () => true, timeoutMs = 5000, from = 0): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.slice(from).find((e) => e.type === type && predicate(e));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${type}; got ${this.types().join(', ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.listeners.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  types(from = 0): string[] {
    return this.events.slice(from).map((e) => e.type);
  }

  close(): void {
    this.ws.close();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
