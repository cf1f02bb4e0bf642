// The conversation as the user had it: ordered items with their statuses, and usage totals. It is the
// client's own record, fed by server events, so it survives reconnects and renewals, and is what a new
// session is seeded with.
import type { ConversationItem, UsageTotals } from '../../preload/api';
import { addUsage, zeroUsage } from '../usage/usage-math';
import { heardText } from '../../common/heard-text';

type Patch = Partial<Omit<ConversationItem, 'id'>>;

export class Conversation {
  private readonly byId = new Map<string, ConversationItem>();
  private readonly order: string[] = [];
  usage: UsageTotals = zeroUsage();

  constructor(private readonly onChange: (item: ConversationItem) => void = () => {}) {}

  get(id: string): ConversationItem | undefined {
    return this.byId.get(id);
  }

  items(): ConversationItem[] {
    return this.order.map((id) => this.byId.get(id)!);
  }

  /**
   * Adds an item, or patches it if known. `after` places a new item after that one (the server's
   * `previous_item_id`); otherwise it goes last.
   */
  upsert(id: string, fields: Patch & Pick<ConversationItem, 'role' | 'type'>, after?: string | null): ConversationItem;
  upsert(id: string, fields: Patch, after?: string | null): ConversationItem | undefined;
  upsert(id: string, fields: Patch, after?: string | null): ConversationItem | undefined {
    const existing = this.byId.get(id);
    if (existing) {
      Object.assign(existing, fields);
      this.onChange(existing);
      return existing;
    }
    if (!fields.role || !fields.type) return undefined;
    const item: ConversationItem = {
      id,
      role: fields.role,
      type: fields.type,
      text: '',
      status: 'in_progress',
      modality: null,
      createdAt: Date.now(),
      ...fields,
    };
    this.byId.set(id, item);
    const at = after ? this.order.indexOf(after) : -1;
    if (at >= 0) this.order.splice(at + 1, 0, id);
    else this.order.push(id);
    this.onChange(item);
    return item;
  }

  /**
   * Records how much reply audio an item has without telling the listeners: it changes with every
   * audio delta (~50 a second) but is read only after a cut, and every later change of the item
   * (the cut itself, its transcript, its end) carries it.
   */
  noteAudioMs(id: string, audioMs: number): void {
    const item = this.byId.get(id);
    if (item) item.audioMs = audioMs;
  }

  /** Moves a known item to just after `after` (null: first), where the server says it belongs. */
  move(id: string, after: string | null): void {
    const from = this.order.indexOf(id);
    if (from < 0 || (after !== null && !this.byId.has(after)) || after === id) return;
    this.order.splice(from, 1);
    const at = after === null ? -1 : this.order.indexOf(after);
    this.order.splice(at + 1, 0, id);
  }

  /** The user forgot an item: its words go, a marker stays so every view drops it. */
  forget(id: string): void {
    const item = this.byId.get(id);
    if (!item) return;
    item.forgotten = true;
    item.text = '';
    delete item.arguments;
    delete item.output;
    this.onChange(item);
  }

  /** Empties the conversation (a new one starts), optionally seeded with a resumed one's items. */
  reset(seed: ConversationItem[] = []): void {
    this.byId.clear();
    this.order.length = 0;
    this.usage = zeroUsage();
    for (const item of seed) {
      this.byId.set(item.id, { ...item });
      this.order.push(item.id);
    }
  }

  /** The server deleted the item: it leaves the record (listeners see it once more, as 'deleted'). */
  remove(id: string): void {
    const item = this.byId.get(id);
    if (!item) return;
    this.byId.delete(id);
    this.order.splice(this.order.indexOf(id), 1);
    this.onChange({ ...item, status: 'deleted' });
  }

  appendText(id: string, delta: string): void {
    const item = this.byId.get(id);
    if (!item) return;
    item.text += delta;
    this.onChange(item);
  }

  /** Adds one response's usage to the conversation's totals. */
  addUsage(step: UsageTotals): void {
    this.usage = addUsage(this.usage, step);
  }

  /**
   * The finished conversation as text items for a new session (renewal or reconnect), so the model
   * keeps the context. Interrupted replies carry only the part the user heard; tool results become a
   * short system note rather than function-call items that would reference calls the new session
   * never made.
   */
  carryOver(): Array<{ role: 'user' | 'assistant' | 'system'; text: string; sourceId?: string }> {
    const out: Array<{ role: 'user' | 'assistant' | 'system'; text: string; sourceId?: string }> = [];
    for (const item of this.items()) {
      if (item.forgotten || item.idle) continue;
      if (item.type === 'message') {
        if (item.status === 'in_progress' || item.status === 'failed') continue;
        const text = heardText(item).trim();
        if (!text) continue;
        out.push({ role: item.role === 'user' ? 'user' : 'assistant', text, sourceId: item.id });
      } else if (item.type === 'function_call_output' && item.output !== undefined) {
        const call = this.items().find((c) => c.type === 'function_call' && c.callId === item.callId);
        out.push({ role: 'system', text: `Earlier, the tool ${call?.name ?? 'call'}(${call?.arguments ?? ''}) returned: ${item.output}`, sourceId: item.id });
      }
    }
    return out;
  }
}
