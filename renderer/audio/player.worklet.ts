/// <reference path="./worklet-env.d.ts" />
// Player processor: a preallocated ring of 24 kHz PCM16 that plays gaplessly across deltas, counts
// the samples rendered per item (the truth for a truncate), and detects underruns.
// process() never allocates and never touches a timer: messages it posts reuse one object each, and
// deltas are copied into the ring in the message handler, not in process().
import { LevelMeter, type Level } from './levels';
import { FIR_TAPS, Upsampler2 } from './resample';
import { PLAYER_PROCESSOR, type PlayerIn, type PlayerOptions } from './messages';
import { SAMPLE_RATE as API_RATE } from '../../common/audio-format';

/** Group delay of the 2× upsampler in 24 kHz samples: (taps − 1) / 2 output samples at 48 kHz. */
const UPSAMPLER_DELAY = (FIR_TAPS - 1) / 4;
/** Items queued at once; a reply has one audio item, so 64 is far beyond any real queue. */
const MAX_SEGMENTS = 64;

const IDLE = 0;
const WAITING = 1; // prebuffering, at start or after an underrun
const PLAYING = 2;

class PlayerProcessor extends AudioWorkletProcessor {
  private readonly ring: Int16Array;
  private readonly cap: number;
  private readonly prebuffer: number;
  private readonly ratio = sampleRate / API_RATE;
  private readonly up: Upsampler2 | null;
  private writeTotal = 0;
  private readTotal = 0;

  // Segment queue: one entry per item, in stream order, as absolute sample positions.
  private readonly segId: (string | null)[] = new Array<string | null>(MAX_SEGMENTS).fill(null);
  private readonly segStart = new Float64Array(MAX_SEGMENTS);
  private readonly segEnd = new Float64Array(MAX_SEGMENTS);
  private readonly segDone = new Uint8Array(MAX_SEGMENTS);
  private readonly segAnnounced = new Uint8Array(MAX_SEGMENTS);
  private segHead = 0;
  private segCount = 0;
  private lastItemId: string | null = null;
  private lastItemPlayed = 0;
  private overflowItem: string | null = null;

  private state = IDLE;
  private starving = false;
  private c = { pushedSamples: 0, playedSamples: 0, underruns: 0, starvedFrames: 0, droppedSamples: 0, flushedSamples: 0, overflows: 0 };

  private readonly meter: LevelMeter;
  private readonly levelMsg: Level & { type: 'level'; bufferedSamples: number } = { type: 'level', rms: 0, peak: 0, bufferedSamples: 0 };
  private readonly startedMsg = { type: 'started' as const, itemId: '', frame: 0, offset: 0 };
  private readonly underrunMsg = { type: 'underrun' as const, itemId: null as string | null, frame: 0 };

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    if (sampleRate !== API_RATE && sampleRate !== 2 * API_RATE) {
      throw new Error(`player runs at 24000 or 48000 Hz, not ${sampleRate}`);
    }
    const opts = options.processorOptions as PlayerOptions;
    this.cap = opts.capacity;
    this.prebuffer = Math.min(opts.prebuffer, opts.capacity);
    this.ring = new Int16Array(this.cap);
    this.up = this.ratio === 2 ? new Upsampler2() : null;
    this.meter = new LevelMeter(opts.levelQuanta);
    this.port.onmessage = (e: MessageEvent<PlayerIn>) => this.onMessage(e.data);
  }

  private seg(i: number): number {
    return (this.segHead + i) % MAX_SEGMENTS;
  }

  private onMessage(m: PlayerIn): void {
    switch (m.type) {
      case 'push':
        return this.push(m.itemId, new Int16Array(m.pcm));
      case 'done': {
        for (let i = 0; i < this.segCount; i++) {
          const s = this.seg(i);
          if (this.segId[s] === m.itemId) this.segDone[s] = 1;
        }
        return;
      }
      case 'interrupt':
        return this.interrupt(m.requestId);
      case 'stats':
        this.port.postMessage({ type: 'stats', requestId: m.requestId, ...this.c, bufferedSamples: this.writeTotal - this.readTotal, capacity: this.cap });
        return;
    }
  }

  private push(itemId: string, pcm: Int16Array): void {
    if (itemId === this.overflowItem) {
      this.c.droppedSamples += pcm.length; // policy: once an item overflows, the rest of it is dropped
      return;
    }
    let s = this.segCount > 0 ? this.seg(this.segCount - 1) : -1;
    if (s < 0 || this.segId[s] !== itemId) {
      if (this.segCount === MAX_SEGMENTS) {
        this.c.droppedSamples += pcm.length;
        return;
      }
      s = this.seg(this.segCount++);
      this.segId[s] = itemId;
      this.segStart[s] = this.writeTotal;
      this.segEnd[s] = this.writeTotal;
      this.segDone[s] = 0;
      this.segAnnounced[s] = 0;
    }
    const space = this.cap - (this.writeTotal - this.readTotal);
    const n = Math.min(pcm.length, space);
    let w = this.writeTotal % this.cap;
    const first = Math.min(n, this.cap - w);
    this.ring.set(first === pcm.length ? pcm : pcm.subarray(0, first), w);
    if (n > first) this.ring.set(pcm.subarray(first, n), 0);
    this.writeTotal += n;
    this.segEnd[s] = this.writeTotal;
    this.c.pushedSamples += n;
    if (n < pcm.length) {
      this.c.droppedSamples += pcm.length - n;
      this.c.overflows++;
      this.overflowItem = itemId;
      this.port.postMessage({ type: 'overflow', itemId, droppedSamples: pcm.length - n });
    }
    if (this.state === IDLE) this.state = WAITING;
  }

  /** The item now playing (or last played) and its samples rendered so far. */
  private position(): { itemId: string | null; played: number } {
    if (this.segCount > 0) {
      const h = this.segHead;
      if (this.readTotal > this.segStart[h]!) return { itemId: this.segId[h]!, played: this.readTotal - this.segStart[h]! };
    }
    return { itemId: this.lastItemId, played: this.lastItemPlayed };
  }

  private interrupt(requestId: number): void {
    const pos = this.position();
    // At 48 kHz the last FIR_DELAY source samples consumed are still inside the upsampler's history
    // and are discarded by the reset below: they were never rendered, so they are not "played".
    if (this.up && pos.played > 0) pos.played = Math.max(0, pos.played - UPSAMPLER_DELAY);
    this.c.flushedSamples += this.writeTotal - this.readTotal;
    this.readTotal = this.writeTotal;
    for (let i = 0; i < MAX_SEGMENTS; i++) this.segId[i] = null;
    this.segCount = 0;
    this.lastItemId = pos.itemId;
    this.lastItemPlayed = pos.played;
    this.overflowItem = null;
    this.state = IDLE;
    this.starving = false;
    this.up?.reset();
    this.port.postMessage({ type: 'interrupted', requestId, itemId: pos.itemId, playedSamples: pos.played, frame: currentFrame });
  }

  private tailDone(): boolean {
    return this.segCount === 0 || this.segDone[this.seg(this.segCount - 1)] === 1;
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    const frames = out.length;
    const ratio = this.ratio;
    const need = frames / ratio;
    const buffered = this.writeTotal - this.readTotal;

    if (this.state === WAITING && (buffered >= this.prebuffer || (buffered > 0 && this.tailDone()))) {
      this.state = PLAYING;
      this.starving = false;
    }
    let n = 0;
    if (this.state === PLAYING) {
      n = buffered < need ? buffered : need;
      this.announceStarts(n);
    } else if (this.starving) {
      this.c.starvedFrames += frames;
    }

    const ring = this.ring;
    const cap = this.cap;
    let r = this.readTotal % cap;
    const up = this.up;
    for (let i = 0; i < need; i++) {
      let x = 0;
      if (i < n) {
        const v = ring[r]!;
        x = v < 0 ? v / 32768 : v / 32767;
        if (++r === cap) r = 0;
      }
      if (up) up.step(x, out, 2 * i);
      else out[i] = x;
    }

    if (this.state === PLAYING) {
      this.readTotal += n;
      this.c.playedSamples += n;
      this.retireSegments();
      if (n < need) {
        if (this.tailDone()) {
          this.state = IDLE;
        } else {
          this.state = WAITING;
          this.starving = true;
          this.c.underruns++;
          this.c.starvedFrames += (need - n) * ratio;
          const m = this.underrunMsg;
          m.itemId = this.segCount > 0 ? this.segId[this.segHead]! : this.lastItemId;
          m.frame = currentFrame + n * ratio;
          this.port.postMessage(m);
        }
      }
    }

    if (this.meter.addQuantum(out)) {
      const m = this.meter.take(this.levelMsg);
      this.levelMsg.bufferedSamples = this.writeTotal - this.readTotal;
      this.port.postMessage(m);
    }
    return true;
  }

  /** Posts 'started' for each item whose first sample falls in the next `n` samples. */
  private announceStarts(n: number): void {
    for (let i = 0; i < this.segCount; i++) {
      const s = this.seg(i);
      const start = this.segStart[s]!;
      if (start >= this.readTotal + n) break;
      if (this.segAnnounced[s] === 0 && start >= this.readTotal && start < this.segEnd[s]!) {
        this.segAnnounced[s] = 1;
        const m = this.startedMsg;
        m.itemId = this.segId[s]!;
        m.frame = currentFrame;
        m.offset = (start - this.readTotal) * this.ratio;
        this.port.postMessage(m);
      }
    }
  }

  /** Drops finished items from the queue, remembering the last one for interrupt replies. */
  private retireSegments(): void {
    while (this.segCount > 0) {
      const h = this.segHead;
      const end = this.segEnd[h]!;
      if (this.readTotal < end || (this.segCount === 1 && this.segDone[h] === 0)) return;
      this.lastItemId = this.segId[h]!;
      this.lastItemPlayed = end - this.segStart[h]!;
      this.segId[h] = null;
      this.segHead = (h + 1) % MAX_SEGMENTS;
      this.segCount--;
    }
  }
}

registerProcessor(PLAYER_PROCESSOR, PlayerProcessor);
