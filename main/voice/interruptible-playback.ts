// The player as the session sees it, with one thing added: a pause that can be undone. A local
// barge-in stops the sound at once on the first sign of speech; only when the speech is confirmed
// does the session truncate (to the position the pause saved, which is what was really heard). If it
// was a false start (a cough, a door), playback resumes where it stopped, from audio kept here.
import type { PlayedPosition } from '../../preload/api';
import type { AudioOut, PlaybackPort } from '../realtime/session';
import { OutputReference } from './output-reference';

/**
 * A player that, like the renderer's, counts a re-pushed item from zero after a stop (instead of
 * from the item's start, as the talk command's speaker does) says so with `segmentCounts`.
 */
export interface SegmentCounting {
  readonly segmentCounts?: boolean;
}

export class InterruptiblePlayback implements PlaybackPort {
  private paused: PlayedPosition | null = null;
  /**
   * After a resume: the item resumed and where. A segment-counting player's later position is
   * counted from there. Resumed audio also goes out under a fresh response id, since a player
   * refuses more audio of a response it was told to cut (its guard against late deltas).
   */
  private resumedAt: { itemId: string; ms: number } | null = null;
  private resumes = 0;
  /** The current response's audio handed to the player, for a resume. */
  private kept: AudioOut[] = [];
  /** Audio that arrived while paused. */
  private held: AudioOut[] = [];

  constructor(
    private readonly inner: PlaybackPort,
    private readonly toPlayer: (a: AudioOut) => void,
    /** What is audible, for the echo guard; its latency is the player's (prebuffer + output). */
    readonly reference: OutputReference = new OutputReference(),
  ) {}

  private out(a: AudioOut): void {
    this.reference.push(a.pcm);
    this.toPlayer(this.resumes ? { ...a, responseId: `${a.responseId}~resumed${this.resumes}` } : a);
  }

  /** The inner player's answer, as a position from the item's start. */
  private heard(p: PlayedPosition): PlayedPosition {
    const r = this.resumedAt;
    if (!r || !(this.inner as SegmentCounting).segmentCounts || p.itemId !== r.itemId) return p;
    return { itemId: p.itemId, playedMs: r.ms + p.playedMs };
  }

  private onSilenced(): void {
    this.reference.stop();
  }

  get isPaused(): boolean {
    return this.paused !== null;
  }

  push(a: AudioOut): void {
    if (this.kept.length && this.kept[0]!.responseId !== a.responseId) {
      this.kept = [];
      this.resumes = 0;
      this.resumedAt = null;
    }
    if (this.paused) {
      this.held.push(a);
      return;
    }
    this.kept.push(a);
    this.out(a);
  }

  /** Silence now; the position heard is kept for the truncate or the resume. */
  async pause(): Promise<PlayedPosition> {
    if (this.paused) return this.paused;
    const position = this.heard(await this.inner.stop());
    this.paused = position;
    this.onSilenced();
    return position;
  }

  /** A false start: play on from where the pause stopped. Returns whether anything resumed. */
  resume(): boolean {
    const pos = this.paused;
    if (!pos) return false;
    this.paused = null;
    this.resumes++;
    if (pos.itemId) this.resumedAt = { itemId: pos.itemId, ms: pos.playedMs };
    const replay: AudioOut[] = [];
    let reached = pos.itemId === null;
    for (const chunk of this.kept) {
      if (!reached && chunk.itemId !== pos.itemId) continue; // an earlier item, heard whole
      if (!reached) {
        reached = true;
        let skip = Math.floor(pos.playedMs * 24) * 2;
        for (const c of this.kept.filter((k) => k.itemId === pos.itemId)) {
          if (skip >= c.pcm.length) {
            skip -= c.pcm.length;
            continue;
          }
          replay.push({ ...c, pcm: c.pcm.subarray(skip) });
          skip = 0;
        }
        continue;
      }
      if (chunk.itemId !== pos.itemId) replay.push(chunk);
    }
    // `kept` stays whole: positions are counted from each item's start.
    for (const a of replay) this.out(a);
    const held = this.held;
    this.held = [];
    for (const a of held) this.push(a);
    return true;
  }

  async stop(): Promise<PlayedPosition> {
    const pos = this.paused;
    this.paused = null;
    this.held = [];
    this.kept = [];
    if (pos) {
      this.resumes = 0;
      this.resumedAt = null;
      return pos;
    }
    const position = this.heard(await this.inner.stop());
    this.resumes = 0;
    this.resumedAt = null;
    this.onSilenced();
    return position;
  }
}
