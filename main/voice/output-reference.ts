// What the speakers are playing, as a level over time: the echo guard's reference. Main sends reply
// audio to a player that renders it in real time, so each 20 ms of it is laid on a timeline from
// when it will be heard; the level "now" is the loudest of the last `spanMs`, which covers both the
// player's latency estimate and the 10–50 ms acoustic delay of the echo.
import { FRAME_BYTES, pcmMs } from '../../common/audio-format';
import { pcmLevel } from './echo-guard';

export class OutputReference {
  private readonly frames: Array<{ at: number; level: number }> = [];
  private endAt = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    /** From hand-over to audible: the player's prebuffer and output latency. */
    private readonly latencyMs = 0,
    private readonly spanMs = 120,
  ) {}

  /** Reply audio handed to the player now. */
  push(pcm: Uint8Array): void {
    const t = this.now();
    let at = Math.max(this.endAt, t + this.latencyMs);
    for (let off = 0; off < pcm.byteLength; off += FRAME_BYTES) {
      const frame = pcm.subarray(off, Math.min(off + FRAME_BYTES, pcm.byteLength));
      this.frames.push({ at, level: pcmLevel(frame) });
      at += pcmMs(frame.byteLength);
    }
    this.endAt = at;
    // Keep what can still matter: the span behind now, and everything ahead.
    while (this.frames.length && this.frames[0]!.at < t - 2000) this.frames.shift();
  }

  /** Playback stopped: nothing ahead is going to be heard. */
  stop(): void {
    const t = this.now();
    while (this.frames.length && this.frames.at(-1)!.at > t) this.frames.pop();
    this.endAt = t;
  }

  /** Whether output is being played right now. */
  get playing(): boolean {
    return this.endAt > this.now();
  }

  /** Whether anything is (or is about to be) audible, or its echo may still be in the room. */
  get audible(): boolean {
    return this.endAt > this.now() - this.spanMs;
  }

  /** The loudest output level of the last spanMs. */
  level(): number {
    const t = this.now();
    let max = 0;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.at > t) continue;
      if (f.at + 20 < t - this.spanMs) break;
      if (f.level > max) max = f.level;
    }
    return max;
  }
}
