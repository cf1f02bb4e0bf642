// Feeds the history from the session: finished items (and their later corrections, such as the
// point where a reply was cut) and each response's usage. Records wait in memory during a turn and
// are written, with an fsync, when the turn ends, so a crash loses at most the turn in progress.
// A new conversation file starts at the first item after the conversation was reset (a new or a
// resumed conversation); a disconnect does not end it, since Connect may continue it.
import { EventEmitter } from 'node:events';
import type { ConversationItem, Notice, SessionState, UsageTotals } from '../../preload/api';
import { encodeWav } from '../audio/wav';
import { HISTORY_FORMAT, type HistoryRecord } from './history-records';
import type { HistorySettings } from '../../common/settings/history-settings';
import type { HistoryStore } from './history-store';

/** What the recorder needs of a RealtimeSession. */
export interface RecordedSession {
  on(event: 'item', fn: (i: ConversationItem) => void): unknown;
  on(event: 'state', fn: (s: SessionState) => void): unknown;
  on(event: 'response', fn: (r: { id: string }) => void): unknown;
  on(event: 'audio', fn: (a: { itemId: string; pcm: Buffer }) => void): unknown;
  on(event: 'reset', fn: () => void): unknown;
  off(event: string, fn: (...a: never[]) => void): unknown;
}

/** What the recorder needs of the usage meter: one event per response. */
export interface ResponseUsageSource {
  on(event: 'response', fn: (r: { responseId: string | null; usage: UsageTotals; costUsd: number | null }) => void): unknown;
  off(event: string, fn: (...a: never[]) => void): unknown;
  startConversation?(): void;
}

export interface HistoryRecorderEvents {
  /** A flush reached the disk. */
  saved: [{ id: string }];
  notice: [Notice];
}

export interface HistoryRecorderOptions {
  session: RecordedSession;
  store: HistoryStore;
  settings: () => HistorySettings;
  model: () => string;
  usage?: ResponseUsageSource;
  now?: () => number;
}

const FINAL = new Set(['completed', 'interrupted', 'failed', 'deleted']);
const AUDIO_CAP_BYTES = 50 * 1024 * 1024;

export class HistoryRecorder extends EventEmitter<HistoryRecorderEvents> {
  private current: string | null = null;
  private readonly itemHome = new Map<string, string>();
  private readonly written = new Map<string, string>();
  private readonly queue = new Map<string, HistoryRecord[]>();
  private readonly audio = new Map<string, Buffer[]>();
  private chain: Promise<void> = Promise.resolve();
  private warned = false;
  private readonly now: () => number;
  private readonly unhook: () => void;

  constructor(private readonly o: HistoryRecorderOptions) {
    super();
    this.now = o.now ?? Date.now;
    const onItem = (i: ConversationItem) => this.onItem(i);
    const onState = (s: SessionState) => this.onState(s);
    const onResponse = () => void this.flush();
    const onAudio = (a: { itemId: string; pcm: Buffer }) => this.onAudio(a.itemId, a.pcm);
    const onUsage = (r: { responseId: string | null; usage: UsageTotals; costUsd: number | null }) => {
      if (this.enabled()) this.enqueue(this.conversation(), { t: 'usage', at: this.now(), ...r });
    };
    o.session.on('item', onItem);
    o.session.on('state', onState);
    o.session.on('audio', onAudio);
    const onReset = () => {
      void this.flush();
      this.current = null;
      this.audio.clear();
    };
    o.session.on('reset', onReset);
    // After the meter's own listener on the same response, so the usage record is in this flush.
    o.usage?.on('response', onUsage);
    o.session.on('response', onResponse);
    this.unhook = () => {
      o.session.off('item', onItem);
      o.session.off('state', onState);
      o.session.off('audio', onAudio);
      o.session.off('reset', onReset);
      o.session.off('response', onResponse);
      o.usage?.off('response', onUsage);
    };
  }

  get conversationId(): string | null {
    return this.current;
  }

  /** Writes whatever waits, durably; resolves when it is on disk. */
  flush(): Promise<void> {
    const batches = [...this.queue.entries()];
    this.queue.clear();
    for (const [id, records] of batches) {
      this.chain = this.chain
        .then(() => this.o.store.append(id, records))
        .then(
          () => void this.emit('saved', { id }),
          (e: unknown) => this.problem(`Could not save the conversation history: ${(e as Error).message}`),
        );
    }
    return this.chain;
  }

  async dispose(): Promise<void> {
    this.unhook();
    await this.flush();
  }

  private enabled(): boolean {
    return this.o.settings().enabled;
  }

  /** The conversation new records belong to, started on first need. */
  private conversation(): string {
    if (this.current) return this.current;
    const id = this.o.store.newId();
    this.current = id;
    this.o.usage?.startConversation?.();
    // The file's first line goes out with the first turn, so a conversation with nothing in it leaves no file.
    this.enqueue(id, { t: 'start', v: HISTORY_FORMAT, id, startedAt: this.now(), model: this.o.model() });
    return id;
  }

  private onItem(item: ConversationItem): void {
    if (!this.enabled() || !FINAL.has(item.status)) return;
    const json = JSON.stringify(item);
    if (this.written.get(item.id) === json) return;
    this.written.set(item.id, json);
    // A late correction (the cut point of a reply) goes to the file the item is already in.
    let home = this.itemHome.get(item.id);
    if (!home) {
      home = this.conversation();
      this.itemHome.set(item.id, home);
    }
    this.enqueue(home, { t: 'item', at: this.now(), item: { ...item } });
    if (item.role === 'assistant' && this.audio.has(item.id)) this.saveAudio(home, item.id);
  }

  private onAudio(itemId: string, pcm: Buffer): void {
    if (!this.enabled() || !this.o.settings().saveAudio) return;
    const parts = this.audio.get(itemId) ?? [];
    if (parts.reduce((n, p) => n + p.length, 0) + pcm.length > AUDIO_CAP_BYTES) return;
    parts.push(Buffer.from(pcm));
    this.audio.set(itemId, parts);
  }

  private saveAudio(id: string, itemId: string): void {
    const pcm = Buffer.concat(this.audio.get(itemId)!);
    this.audio.delete(itemId);
    this.chain = this.chain
      .then(() => this.o.store.saveAudio(id, itemId, Buffer.from(encodeWav(new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2)))))
      .then((file) => {
        this.enqueue(id, { t: 'audio', at: this.now(), itemId, file });
        void this.flush();
      })
      .catch((e: unknown) => this.problem(`Could not save reply audio: ${(e as Error).message}`));
  }

  private onState(s: SessionState): void {
    // The end of a turn (back to listening), or of the connection: what waits goes to disk.
    if (s.phase === 'listening' || s.phase === 'disconnected' || s.phase === 'error') void this.flush();
    // Audio of replies that never finished has no item to go with.
    if (s.phase === 'disconnected') this.audio.clear();
  }

  private enqueue(id: string, r: HistoryRecord): void {
    const q = this.queue.get(id) ?? [];
    q.push(r);
    this.queue.set(id, q);
  }

  private problem(message: string): void {
    // Once per run: a full disk would otherwise repeat this at every turn.
    if (this.warned) return;
    this.warned = true;
    this.emit('notice', { level: 'warning', code: 'history_write', message });
  }
}

