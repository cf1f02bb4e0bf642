// A speaker for the talk command: it consumes reply audio at real-time pace, like a sound card, so
// barge-in and truncation behave as in the app. What it "plays" is what lands in --out, and its
// per-item sample counter is the truth the session truncates to.
import type { PlayedPosition } from '../../preload/api';
import type { AudioOut, PlaybackPort } from '../realtime/session';
import { FRAME_SAMPLES, samplesMs } from '../../common/audio-format';
import { RealtimeClock } from './realtime-clock';

const SAMPLES_PER_FRAME = FRAME_SAMPLES;

interface Queued {
  itemId: string;
  pcm: Int16Array;
  offset: number;
}

export class Speaker implements PlaybackPort {
  private readonly queue: Queued[] = [];
  private readonly played: Int16Array[] = [];
  private readonly playedByItem = new Map<string, number>();
  private current: string | null = null;
  private readonly clock = new RealtimeClock(() => this.tick());
  private drainWaiters: Array<() => void> = [];

  /** `record: false` keeps nothing once played (for long runs such as the soak; output() is then empty). */
  constructor(private readonly opts: { record?: boolean } = {}) {}

  /** Audio from the session; copied out because the session's buffer is a view of a pooled one. */
  push(chunk: AudioOut): void {
    const pcm = new Int16Array(chunk.pcm.length / 2);
    new Uint8Array(pcm.buffer).set(chunk.pcm);
    this.queue.push({ itemId: chunk.itemId, pcm, offset: 0 });
    this.clock.startTicking();
  }

  /** Every rendered frame (silence included while playing), e.g. for an echo simulation. */
  tap: ((pcm: Int16Array) => void) | null = null;

  /** When stop() found something playing (performance.now()), for barge-in latency checks. */
  readonly stops: number[] = [];

  async stop(): Promise<PlayedPosition> {
    if (this.queue.length > 0) this.stops.push(performance.now());
    this.queue.length = 0;
    const itemId = this.current;
    this.resolveDrain();
    return { itemId, playedMs: itemId ? samplesMs(this.playedByItem.get(itemId) ?? 0) : 0 };
  }

  get isPlaying(): boolean {
    return this.queue.length > 0;
  }

  /** Resolves when everything queued has been played (or stopped). */
  drained(): Promise<void> {
    if (!this.isPlaying) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  playedMs(itemId: string): number {
    return samplesMs(this.playedByItem.get(itemId) ?? 0);
  }

  /** Everything played, back to back. */
  output(): Int16Array {
    const total = this.played.reduce((n, p) => n + p.length, 0);
    const out = new Int16Array(total);
    let at = 0;
    for (const p of this.played) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  close(): void {
    this.clock.stop();
    this.resolveDrain();
  }

  private tick(): void {
    let need = SAMPLES_PER_FRAME;
    const frameStart = this.played.length;
    while (need > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      const n = Math.min(need, head.pcm.length - head.offset);
      this.played.push(head.pcm.subarray(head.offset, head.offset + n));
      this.playedByItem.set(head.itemId, (this.playedByItem.get(head.itemId) ?? 0) + n);
      this.current = head.itemId;
      head.offset += n;
      need -= n;
      if (head.offset >= head.pcm.length) this.queue.shift();
    }
    if (this.tap) for (let i = frameStart; i < this.played.length; i++) this.tap(this.played[i]!);
    if (this.opts.record === false) this.played.length = 0;
    if (this.queue.length === 0) {
      this.clock.stop();
      this.resolveDrain();
    }
  }

  private resolveDrain(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}
