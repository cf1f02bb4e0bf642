// The player as the session sees it, with one thing added: a pause that can be undone. A local
// barge-in stops the sound at once on the first sign of speech; only when the speech is confirmed
// does the session truncate (to the position the pause saved, which is what was really heard). If it
// was a false start (a cough, a door), playback resumes where it stopped, from audio kept here.
import type { PlayedPosition } from '../../preload/api';
import type { AudioOut, PlaybackPort } from '../realtime/session';
import { OutputReference } from './output-reference';

export class InterruptiblePlayback implements PlaybackPort {
  private paused: PlayedPosition | null = null;
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
    this.toPlayer(a);
  }

  private onSilenced(): void {
    this.reference.stop();
  }

  get isPaused(): boolean {
    return this.paused !== null;
  }

  push(a: AudioOut): void {
    if (this.kept.length && this.kept[0]!.responseId !== a.responseId) this.kept = [];
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
    const position = await this.inner.stop();
    this.paused = position;
    this.onSilenced();
    return position;
  }

  /** A false start: play on from where the pause stopped. Returns whether anything resumed. */
  resume(): boolean {
    const pos = this.paused;
    if (!pos) return false;
    this.paused = null;
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
    if (pos) return pos;
    const position = await this.inner.stop();
    this.onSilenced();
    return position;
  }
}
