// The saved conversations: the list (or search results), the one open, export and delete.
import type { HistoryConversation, HistoryExport, HistoryHit, ResumeResult } from '../../preload/api';
import { ask, type Bridge } from './bridge';

export class HistoryStore {
  list = $state<HistoryHit[]>([]);
  query = $state('');
  open = $state<HistoryConversation | null>(null);
  exported = $state<HistoryExport | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  /** What the last resume took into the new session, and the budget it had. */
  resumed = $state<ResumeResult | null>(null);
  /** The resume budget from settings, shown before resuming. */
  budgetTokens = $state<number | null>(null);
  readonly available: boolean;
  readonly #c: Bridge;
  #stale = true;

  constructor(c: Bridge) {
    this.#c = c;
    this.available = typeof c.listHistory === 'function';
    // A saved turn changes the list; it is re-read when next shown rather than on every turn.
    c.on('history:changed', () => {
      this.#stale = true;
      if (this.visible) void this.refresh();
    });
  }

  /** Set by the view while it is on screen. */
  visible = false;

  async refresh(force = false): Promise<void> {
    if (!force && !this.#stale) return;
    this.#stale = false;
    this.loading = true;
    const c = this.#c;
    const q = this.query.trim();
    this.list = await ask(c.listHistory && (() => c.listHistory!(q ? { query: q } : {})), [], this.#fail);
    this.loading = false;
  }

  async search(q: string): Promise<void> {
    this.query = q;
    await this.refresh(true);
  }

  get canResume(): boolean {
    return typeof this.#c.resumeHistory === 'function';
  }

  /** Resume a past conversation: its newest messages within the budget start a new session. */
  async resume(id: string): Promise<boolean> {
    const c = this.#c;
    this.resumed = await ask(c.resumeHistory && (() => c.resumeHistory!({ id })), null, this.#fail);
    return this.resumed !== null;
  }

  async show(id: string): Promise<void> {
    const c = this.#c;
    this.exported = null;
    if (this.budgetTokens === null) {
      const s = await ask(c.getSettings && (() => c.getSettings!()), null);
      this.budgetTokens = s?.conversation?.resumeBudgetTokens ?? null;
    }
    this.open = await ask(c.getHistory && (() => c.getHistory!({ id })), null, this.#fail);
  }

  close(): void {
    this.open = null;
    this.exported = null;
  }

  async exportOpen(): Promise<void> {
    const c = this.#c;
    const id = this.open?.summary.id;
    if (!id) return;
    this.exported = await ask(c.exportHistory && (() => c.exportHistory!({ id })), null, this.#fail);
  }

  async remove(id: string): Promise<void> {
    const c = this.#c;
    await ask(c.deleteHistory && (() => c.deleteHistory!({ id })), false, this.#fail);
    if (this.open?.summary.id === id) this.close();
    await this.refresh(true);
  }

  async removeAll(): Promise<void> {
    const c = this.#c;
    await ask(c.deleteAllHistory && (() => c.deleteAllHistory!()), 0, this.#fail);
    this.close();
    await this.refresh(true);
  }

  #fail = (message: string) => (this.error = message);
}
