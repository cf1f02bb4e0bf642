// Notices from main (and from the audio engine) as dismissible messages, newest last. The same
// message repeated replaces the earlier one rather than stacking.
import type { Notice } from '../../preload/api';
import type { Bridge } from './bridge';

export interface ShownNotice extends Notice {
  key: number;
}

const MAX = 4;

export class NoticeStore {
  list = $state<ShownNotice[]>([]);
  #seq = 0;

  constructor(c: Bridge) {
    c.on('notice', (n) => this.add(n));
  }

  add(n: Notice): void {
    const rest = this.list.filter((m) => m.message !== n.message);
    this.list = [...rest, { ...n, key: ++this.#seq }].slice(-MAX);
  }

  dismiss(key: number): void {
    this.list = this.list.filter((n) => n.key !== key);
  }
}
