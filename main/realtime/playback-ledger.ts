// The ledger of reply audio: how much of each item arrived, when it began, when the player runs dry,
// which responses must no longer play, and what the user actually heard when a reply was cut. It
// exists apart from the session so barge-in and truncation are decided from one record, and the
// truth about "heard" is always the samples the player rendered, never wall clock.
import type { PlayedPosition } from '../../preload/api';
import type { Conversation } from './conversation';
import { pcmMs } from '../../common/audio-format';
import type { SessionPort } from './session-port';
import type { PlaybackPort } from './session-types';
import { keepNewest } from './keep-newest';
import type { TimerSet } from './timer-set';

interface AudioInfo {
  responseId: string;
  receivedMs: number;
  done: boolean;
  truncated?: boolean;
}

export class PlaybackLedger {
  private readonly audio = new Map<string, AudioInfo>();
  private lastAudioItem: string | null = null;
  private readonly firstAudioAt = new Map<string, number>();
  /** Wall-clock estimate of when the player runs out of audio, for the state shown to the user. */
  private endsAt = 0;
  /** Responses the user interrupted: every later delta of theirs is dropped. */
  private readonly dropped = new Set<string>();

  constructor(
    private readonly port: SessionPort,
    private readonly conversation: Conversation,
    private readonly timers: TimerSet,
    private readonly player: PlaybackPort | undefined,
    private readonly stopTimeoutMs: number,
  ) {}

  /** Nothing more of this response may play or be shown. */
  drop(responseId: string): void {
    this.dropped.add(responseId);
    keepNewest(32, this.dropped);
  }

  isDropped(responseId: string): boolean {
    return this.dropped.has(responseId);
  }

  /** The player still has audio to play (by the wall-clock estimate). */
  get audible(): boolean {
    return this.endsAt > Date.now();
  }

  /** Milliseconds until the player runs dry; zero or less when it has. */
  get msLeft(): number {
    return this.endsAt - Date.now();
  }

  /** Records one decoded delta of an item, which the host then plays. */
  record(responseId: string, itemId: string, pcm: Buffer): void {
    const ms = pcmMs(pcm.length);
    const info = this.audio.get(itemId) ?? { responseId, receivedMs: 0, done: false };
    info.receivedMs += ms;
    this.audio.set(itemId, info);
    this.lastAudioItem = itemId;
    const now = Date.now();
    if (!this.firstAudioAt.has(itemId)) {
      this.firstAudioAt.set(itemId, now);
      // A new item: only the recent ones can still be cut or asked about.
      keepNewest(32, this.audio, this.firstAudioAt);
    }
    this.endsAt = Math.max(this.endsAt, now) + ms;
    // Noted without an update to the window: audioMs is read after a cut, which carries it.
    this.conversation.noteAudioMs(itemId, Math.round(info.receivedMs));
  }

  /** The server sent all of this item's audio. */
  done(itemId: string): void {
    const info = this.audio.get(itemId);
    if (info) info.done = true;
  }

  /**
   * Stops playback and truncates the item to what the user heard, so nothing more of that response
   * plays. Returns whether an item was cut (an item is cut once, and one heard whole is not cut).
   */
  async cut(): Promise<boolean> {
    const position = await this.stop();
    const itemId = position.itemId ?? this.lastAudioItem;
    const info = itemId ? this.audio.get(itemId) : undefined;
    // An item is cut once: a later interjection finds the same item "last played", but the server
    // already knows where it ended.
    if (!itemId || !info || info.truncated) return false;
    const endMs = Math.floor(Math.min(position.playedMs, info.receivedMs));
    const heardAll = info.done && endMs >= Math.floor(info.receivedMs);
    if (heardAll) return false;
    this.dropped.add(info.responseId);
    info.truncated = true;
    this.port.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: endMs });
    this.conversation.upsert(itemId, { status: 'interrupted', truncatedAtMs: endMs });
    return true;
  }

  /** A connection died mid-reply: what was heard of the cut reply is what a new session should remember of it. */
  rememberHeard(cutResponse: string | null): void {
    if (!cutResponse && !this.audible) return;
    void this.stop().then((pos) => {
      for (const [itemId, info] of this.audio) {
        if (info.responseId !== cutResponse) continue;
        // An item of the cut reply that the player was not on had not started playing.
        const heard = itemId === pos.itemId ? Math.floor(Math.min(pos.playedMs, info.receivedMs)) : 0;
        this.conversation.upsert(itemId, { truncatedAtMs: heard });
      }
    });
  }

  private async stop(): Promise<PlayedPosition> {
    this.endsAt = 0;
    const estimate = (): PlayedPosition => {
      const item = this.lastAudioItem;
      const started = item ? this.firstAudioAt.get(item) : undefined;
      return { itemId: item, playedMs: started === undefined ? 0 : Date.now() - started };
    };
    if (!this.player) return estimate();
    const fallback = estimate();
    try {
      return await Promise.race([
        this.player.stop(),
        new Promise<PlayedPosition>((resolve) => this.timers.after(this.stopTimeoutMs, () => resolve(fallback))),
      ]);
    } catch {
      return fallback;
    }
  }
}
