// The raw event log: watched only while the drawer is open, so main streams nothing otherwise.
import type { WireEntry } from '../../preload/api';
import { ask, type Bridge } from './bridge';

const MAX = 2000;

export class EventLogStore {
  entries = $state.raw<WireEntry[]>([]);
  filter = $state('');
  direction = $state<'all' | 'in' | 'out'>('all');
  selected = $state<WireEntry | null>(null);
  open = $state(false);
  readonly #c: Bridge;

  constructor(c: Bridge) {
    this.#c = c;
    c.on('eventlog:entry', (e) => {
      if (!this.open) return;
      const next = this.entries.length >= MAX ? this.entries.slice(-MAX + 1) : this.entries.slice();
      next.push(e);
      this.entries = next;
    });
  }

  get shown(): WireEntry[] {
    const f = this.filter.trim().toLowerCase();
    return this.entries.filter((e) => (this.direction === 'all' || e.dir === this.direction) && (!f || e.type.toLowerCase().includes(f)));
  }

  async toggle(on = !this.open): Promise<void> {
    this.open = on;
    const c = this.#c;
    const recent = await ask(c.watchEventLog && (() => c.watchEventLog!({ on })), []);
    if (on) this.entries = recent;
    else this.selected = null;
  }
}
