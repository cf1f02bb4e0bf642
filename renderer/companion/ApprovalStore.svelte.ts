// Tool approval prompts ("Hark wants to run …"), their countdown, and how each was settled, so a
// tool card can show whether its call was allowed, denied or timed out.
import type { ApprovalAnswer, ApprovalRequest, ApprovalSettled, ConversationItem } from '../../preload/api';
import { ask, type Bridge } from './bridge';

export type ApprovalState = 'waiting' | ApprovalSettled['answer'];

interface Known {
  prompt: ApprovalRequest;
  state: ApprovalState;
}

export class ApprovalStore {
  known = $state<Known[]>([]);
  /** Wall clock for the countdowns; ticks once a second only while a prompt is open. */
  now = $state(Date.now());
  readonly #c: Bridge;
  #tick: ReturnType<typeof setInterval> | null = null;

  constructor(c: Bridge) {
    this.#c = c;
    c.on('approval:request', (p) => this.#add(p));
    c.on('approval:settled', (s) => this.#settle(s));
  }

  get pending(): ApprovalRequest[] {
    return this.known.filter((k) => k.state === 'waiting').map((k) => k.prompt);
  }

  async load(): Promise<void> {
    const c = this.#c;
    for (const p of await ask(c.pendingApprovals && (() => c.pendingApprovals!()), [])) this.#add(p);
  }

  async answer(id: string, answer: ApprovalAnswer): Promise<void> {
    const c = this.#c;
    const ok = await ask(c.answerApproval && (() => c.answerApproval!({ id, answer })), false);
    // Main's 'settled' event is the truth; this only covers a prompt that had already gone.
    if (!ok) this.#settle({ id, answer: 'expired' });
  }

  /** How the call of a tool card was settled: matched by the function call's id. */
  stateFor(item: ConversationItem): ApprovalState | null {
    if (!item.callId) return null;
    return this.known.find((k) => k.prompt.callId === item.callId)?.state ?? null;
  }

  secondsLeft(p: ApprovalRequest): number {
    return Math.max(0, Math.ceil((p.expiresAt - this.now) / 1000));
  }

  #add(p: ApprovalRequest): void {
    if (this.known.some((k) => k.prompt.id === p.id)) return;
    this.known.push({ prompt: p, state: 'waiting' });
    this.#clock();
  }

  #settle(s: ApprovalSettled): void {
    const k = this.known.find((x) => x.prompt.id === s.id);
    if (k && k.state === 'waiting') k.state = s.answer;
    this.#clock();
  }

  #clock(): void {
    const waiting = this.known.some((k) => k.state === 'waiting');
    if (waiting && !this.#tick) {
      this.now = Date.now();
      this.#tick = setInterval(() => (this.now = Date.now()), 1000);
    } else if (!waiting && this.#tick) {
      clearInterval(this.#tick);
      this.#tick = null;
    }
  }
}
