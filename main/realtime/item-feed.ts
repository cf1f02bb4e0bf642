// The server's items into the Conversation: messages and their phases, live captions, transcripts,
// reply text, and the ids each connection knows an item by (a carried copy has an id of its own).
// It exists so the session's event switch only routes; what an item event means for the shown
// conversation is decided here, in one place.
import type { Settings } from '../../common/settings/settings-schema';
import type { Conversation } from './conversation';
import { obj, str } from './event-fields';
import { readPhase } from './item-phase';
import type { SessionPort } from './session-port';

export class ItemFeed {
  /** Our copies of the conversation sent to a new session: the server's echo of them is not news. */
  private readonly carried = new Set<string>();
  /** Ids this connection's server knows, by our item id (carried copies have ids of their own). */
  private readonly serverIds = new Map<string, string>();
  /** The user item announced by speech_started, whose live caption may stream before its commit. */
  private liveItem: string | null = null;
  /** Idle nudges: the silent buffers the server committed (kept out of what a new session is carried). */
  private readonly idleItems = new Set<string>();

  constructor(
    private readonly port: SessionPort,
    private readonly conversation: Conversation,
    private readonly settings: () => Settings,
  ) {}

  /** conversation.item.added/done. `messageSeen` hears of every message item the user sees. */
  item(item: Record<string, unknown>, previous: string | null, done: boolean, messageSeen: (id: string) => void): void {
    const id = str(item.id);
    if (this.carried.has(id)) return;
    if (id && !this.serverIds.has(id)) this.serverIds.set(id, id);
    const type = item.type;
    if (type === 'message') {
      const role = item.role === 'assistant' ? 'assistant' : item.role === 'user' ? 'user' : null;
      if (!role) return; // system notes are ours (carry-over), not part of what the user sees
      const content = Array.isArray(item.content) ? item.content.map(obj) : [];
      const audio = content.some((c) => c.type === 'input_audio' || c.type === 'output_audio');
      const existing = this.conversation.get(id);
      if (!existing) {
        const text = content.map((c) => (typeof c.text === 'string' ? c.text : typeof c.transcript === 'string' ? c.transcript : '')).join('');
        const phase = readPhase(item);
        this.conversation.upsert(id, { role, type: 'message', modality: audio ? 'audio' : 'text', text, status: role === 'user' && !audio ? 'completed' : 'in_progress', ...(phase ? { phase } : {}) }, previous);
      } else if (role === 'assistant' && !existing.phase) {
        const phase = readPhase(item);
        if (phase) this.conversation.upsert(id, { phase });
      }
      messageSeen(id);
      return;
    }
    // Outputs we sent are already recorded with their real status; only foreign ones are added here.
    if (type === 'function_call_output' && !this.conversation.get(id)) {
      this.conversation.upsert(id, { role: 'tool', type: 'function_call_output', callId: str(item.call_id), output: str(item.output), modality: null, status: done ? 'completed' : 'in_progress' }, previous);
    }
    // function_call items are tracked from response.output_item.* (response-queue.ts)
  }

  /** A message output item of a response was added or finished. */
  outputMessage(responseId: string, item: Record<string, unknown>, done: boolean): void {
    const id = str(item.id);
    if (!done) {
      const modality = this.settings().outputModality === 'text' ? 'text' : 'audio';
      const phase = readPhase(item);
      this.conversation.upsert(id, { role: 'assistant', type: 'message', modality, responseId, status: 'in_progress', ...(phase ? { phase } : {}) });
      return;
    }
    const current = this.conversation.get(id);
    if (current && current.status !== 'interrupted') {
      this.conversation.upsert(id, { status: item.status === 'completed' ? 'completed' : 'interrupted' });
    }
  }

  /** The server heard speech start: this item's live caption may stream before its commit. */
  speechStarted(itemId: string | null): void {
    this.liveItem = itemId;
  }

  /** The server nudges an idle user: it commits the silent buffer (this item) and answers by itself. */
  nudged(itemId: string | null): void {
    if (itemId) this.idleItems.add(itemId);
  }

  /** A turn the server committed (from the mic), where it belongs; an idle nudge's silence is marked so. */
  committed(id: string, previous: string | null): void {
    const idle = this.idleItems.has(id);
    // A live caption may have created the item already; the commit says where it belongs.
    if (this.conversation.get(id)) this.conversation.move(id, previous);
    this.conversation.upsert(
      id,
      { role: 'user', type: 'message', modality: 'audio', status: this.settings().transcription.enabled ? 'in_progress' : 'completed', ...(idle ? { idle: true as const } : {}) },
      previous,
    );
    if (this.liveItem === id) this.liveItem = null;
  }

  /** A transcription delta; the live item's caption may come before its commit. */
  caption(id: string, delta: string): void {
    // Live captions (gpt-realtime-whisper) stream while the user still speaks, before the commit.
    if (!this.conversation.get(id) && id && id === this.liveItem) {
      this.conversation.upsert(id, { role: 'user', type: 'message', modality: 'audio', status: 'in_progress' });
    }
    this.conversation.appendText(id, delta);
  }

  transcribed(id: string, transcript: string): void {
    // Whisper-style models end transcripts with a newline; it means nothing to a reader.
    this.conversation.upsert(id, { text: transcript.trim(), status: 'completed' });
  }

  transcriptionFailed(id: string, why: string): void {
    this.conversation.upsert(id, { status: 'failed', error: `Transcription failed: ${why || 'transcription failed'}` });
  }

  /** The server confirmed where it cut an item's audio. */
  truncated(id: string, audioEndMs: unknown): void {
    if (typeof audioEndMs === 'number') this.conversation.upsert(id, { truncatedAtMs: audioEndMs, status: 'interrupted' });
  }

  /** A reply's text or transcript is final. */
  replyText(id: string, text: unknown): void {
    if (typeof text === 'string') this.conversation.upsert(id, { text });
  }

  /** The connection dropped: speech still waiting for its transcript will never get one. */
  untranscribedLost(): void {
    for (const item of this.conversation.items()) {
      if (item.role === 'user' && item.modality === 'audio' && item.status === 'in_progress') {
        this.conversation.upsert(item.id, { status: 'failed', error: 'The connection dropped before this was transcribed.' });
      }
    }
  }

  /** Seeds a new session (after a reconnect or renewal) with the finished conversation. */
  carry(): void {
    for (const entry of this.conversation.carryOver()) {
      const id = this.port.newId();
      this.carried.add(id);
      if (entry.sourceId) this.serverIds.set(entry.sourceId, id);
      const content = entry.role === 'assistant' ? [{ type: 'output_text' as const, text: entry.text }] : [{ type: 'input_text' as const, text: entry.text }];
      this.port.send({ type: 'conversation.item.create', item: { id, type: 'message', role: entry.role, content } as never });
    }
  }

  /**
   * Forget an item: gone from the server's context (when `live`) and from what a new session is
   * carried. Returns false for an unknown item.
   */
  forget(id: string, live: boolean): boolean {
    const item = this.conversation.get(id);
    if (!item || item.forgotten) return false;
    const serverId = this.serverIds.get(id);
    if (serverId && live) this.port.send({ type: 'conversation.item.delete', item_id: serverId });
    this.serverIds.delete(id);
    this.conversation.forget(id);
    return true;
  }

  /** A new connection: its server knows none of our ids yet. */
  reset(): void {
    this.serverIds.clear();
    // The carried copies' ids matter to their own connection only (each reconnect carries anew).
    this.carried.clear();
    this.idleItems.clear();
    this.liveItem = null;
  }
}
