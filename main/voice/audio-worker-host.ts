// Main's side of the local audio worker: starts the thread, loads the models, feeds it mic frames
// and hands back what the models say. If the worker or a model cannot load, it says so once, in
// words, and stays 'unavailable': Hark then works as it did without local voice detection.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { pcmMs } from '../../common/audio-format';
import type { ModelResult } from './model-runner';
import type { FromWorker, ModelSpec, ToWorker } from './worker-protocol';

export type WorkerStatus = { state: 'loading' } | { state: 'ready'; models: string[] } | { state: 'unavailable'; reason: string };

export interface AudioWorkerOptions {
  /** The worker's script: dist/main/audio-worker.cjs in the app, the .ts file under tsx. */
  workerPath: string;
  models: ModelSpec[];
}

export interface AudioWorkerEvents {
  status: [WorkerStatus];
  result: [ModelResult];
}

/** A path inside a packaged app's asar archive, moved to the unpacked copy native code can open. */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** Loads a TypeScript worker through tsx's loader, as the talk command and the tests run. */
const TSX_BOOT = `const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then((tsx) => { tsx.register(); return import(require('node:url').pathToFileURL(workerData.path).href); });`;

export class AudioWorkerHost extends EventEmitter<AudioWorkerEvents> {
  private worker: Worker | null = null;
  private current: WorkerStatus = { state: 'loading' };
  /** Inference time and audio fed, for the CPU figure (ms of inference per minute of audio). */
  readonly usage = { busyMs: 0, audioMs: 0, windows: 0 };
  private readyWaiters: Array<(s: WorkerStatus) => void> = [];

  constructor(private readonly opts: AudioWorkerOptions) {
    super();
  }

  get status(): WorkerStatus {
    return this.current;
  }

  /** Starts the worker; resolves once it is ready or known to be unavailable. Never rejects. */
  start(): Promise<WorkerStatus> {
    if (this.worker || this.current.state !== 'loading') return this.whenSettled();
    const missing = [this.opts.workerPath, ...this.opts.models.map((m) => m.path)].map(unpackedPath).find((p) => !existsSync(p));
    if (missing) return Promise.resolve(this.settle({ state: 'unavailable', reason: `a file it needs is missing (${missing})` }));
    let worker: Worker;
    try {
      // Under tsx (talk, tests) the worker is TypeScript and needs the same loader.
      const path = unpackedPath(this.opts.workerPath);
      worker = path.endsWith('.ts') ? new Worker(TSX_BOOT, { eval: true, workerData: { path } }) : new Worker(path);
    } catch (err) {
      return Promise.resolve(this.settle({ state: 'unavailable', reason: (err as Error).message }));
    }
    this.worker = worker;
    worker.unref();
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (err) => this.settle({ state: 'unavailable', reason: err.message }));
    worker.on('exit', (code) => {
      this.worker = null;
      if (this.current.state !== 'unavailable') this.settle({ state: 'unavailable', reason: `the worker stopped (exit code ${code})` });
    });
    this.send({ type: 'init', models: this.opts.models.map((m) => ({ ...m, path: unpackedPath(m.path) })) });
    return this.whenSettled();
  }

  /** One mic frame (PCM16 LE 24 kHz). Copied, so the caller's buffer stays its own. */
  push(pcm: Uint8Array): void {
    if (this.current.state !== 'ready' || !this.worker) return;
    const copy = pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength - (pcm.byteLength % 2)) as ArrayBuffer;
    this.usage.audioMs += pcmMs(copy.byteLength);
    this.worker.postMessage({ type: 'frame', pcm: copy } satisfies ToWorker, [copy]);
  }

  reset(): void {
    this.send({ type: 'reset' });
  }

  /** Inference ms per minute of audio fed. */
  cpuMsPerMinute(): number {
    return this.usage.audioMs > 0 ? (this.usage.busyMs / this.usage.audioMs) * 60_000 : 0;
  }

  /** Ends the worker once its inference under way is done (terminating mid-run aborts the process). */
  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (this.current.state !== 'unavailable') this.settle({ state: 'unavailable', reason: 'stopped' });
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage({ type: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => void w.terminate(), 2000);
    await exited;
    clearTimeout(timer);
  }

  private whenSettled(): Promise<WorkerStatus> {
    if (this.current.state !== 'loading') return Promise.resolve(this.current);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ready') this.settle({ state: 'ready', models: m.models });
    else if (m.type === 'failed') {
      this.settle({ state: 'unavailable', reason: m.error });
      void this.worker?.terminate();
    } else {
      for (const r of m.results) {
        this.usage.busyMs += r.busyMs;
        this.usage.windows++;
        this.emit('result', r);
      }
    }
  }

  private settle(s: WorkerStatus): WorkerStatus {
    const changed = JSON.stringify(s) !== JSON.stringify(this.current);
    this.current = s;
    if (changed) this.emit('status', s);
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w(s);
    return s;
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }
}
