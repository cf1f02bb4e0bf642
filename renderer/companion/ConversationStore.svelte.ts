// The live conversation as the window shows it, fed by 'conversation:item' upserts, and the line the
// ARIA live region reads out when a turn's transcript is final. Also starting over: a new
// conversation, forgetting an item, and the choice Connect asks for after an explicit disconnect.
import type { ConversationItem } from '../../preload/api';
import { ask, type Bridge } from './bridge';

export class ConversationStore {
  items = $state<ConversationItem[]>([]);
  /** The last finished transcript, for screen readers ("You said …", "Hark: …"). */
  announcement = $state('');
  readonly #index = new Map<string, number>();
  readonly #announced = new Set<string>();
  readonly #c: Bridge;
  /** Set when Connect asks whether to continue the conversation on screen or start a new one. */
  choice = $state<{ items: number } | null>(null);
  error = $state<string | null>(null);
  /**
   * The last item of a resumed conversation: the window marks where the new part starts. Kept up to
   * date by the changes that can move it, not derived: a derived search from the end would read
   * every item of a conversation with no resumed part on each streamed delta.
   */
  resumedEnd = $state<string | null>(null);

  constructor(c: Bridge) {
    this.#c = c;
    c.on('conversation:item', (item) => this.upsert(item));
    c.on('conversation:reset', () => this.reset([]));
    c.on('conversation:ask', (a) => (this.choice = a));
  }

  /** A fresh conversation: nothing carried; connected, a fresh server conversation. */
  async startNew(): Promise<void> {
    this.choice = null;
    const c = this.#c;
    await ask(c.newConversation && (() => c.newConversation!()), undefined, this.#fail);
  }

  /** The answer to Connect's question. */
  async connectWith(choice: 'continue' | 'new'): Promise<void> {
    this.choice = null;
    const c = this.#c;
    await ask(c.connectConversation && (() => c.connectConversation!({ choice })), undefined, this.#fail);
  }

  async forget(id: string): Promise<void> {
    const c = this.#c;
    await ask(c.forgetItem && (() => c.forgetItem!({ id })), false, this.#fail);
  }

  get canForget(): boolean {
    return typeof this.#c.forgetItem === 'function';
  }

  #fail = (message: string) => (this.error = message);

  /** A reloaded window starts from the session's snapshot. */
  reset(items: ConversationItem[]): void {
    this.#index.clear();
    items.forEach((item, i) => this.#index.set(item.id, i));
    this.items = items;
    this.#findResumedEnd();
    for (const i of items) if (i.status !== 'in_progress') this.#announced.add(i.id);
  }

  upsert(item: ConversationItem): void {
    const at = this.#index.get(item.id);
    if (item.status === 'deleted') {
      if (at === undefined) return;
      this.items.splice(at, 1);
      this.#index.clear();
      this.items.forEach((x, n) => this.#index.set(x.id, n));
      if (item.id === this.resumedEnd) this.#findResumedEnd();
      return;
    }
    if (at === undefined) {
      this.#index.set(item.id, this.items.length);
      this.items.push(item);
    } else {
      this.items[at] = item;
    }
    // Only a resumed item (seeded, or forgotten since) can move the mark.
    if (item.resumed) this.#findResumedEnd();
    this.#announce(item);
  }

  #findResumedEnd(): void {
    this.resumedEnd = this.items.findLast((i) => i.resumed && !i.forgotten)?.id ?? null;
  }

  /** The output of a function call, by call id. */
  outputOf(callId: string | undefined): ConversationItem | undefined {
    return callId ? this.items.find((i) => i.type === 'function_call_output' && i.callId === callId) : undefined;
  }

  #announce(item: ConversationItem): void {
    if (item.type !== 'message' || item.status === 'in_progress' || this.#announced.has(item.id)) return;
    const text = item.text.trim();
    if (!text) return;
    this.#announced.add(item.id);
    const cut = item.status === 'interrupted' ? ' (interrupted)' : '';
    this.announcement = item.role === 'user' ? `You said: ${text}` : `Hark${cut}: ${text}`;
  }
}
