// Tool approval prompts ("Hark wants to run …"), their countdown, and how each was settled, so a
// tool card can show whether its call was allowed, denied or timed out.
import type { ApprovalChoice, ApprovalPrompt, ApprovalSettled, ConversationItem } from '../../preload/api';
import { ask, type Bridge } from './bridge';

export type ApprovalState = 'waiting' | ApprovalSettled['answer'];

interface Known {
  prompt: ApprovalPrompt;
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

  get pending(): ApprovalPrompt[] {
    return this.known.filter((k) => k.state === 'waiting').map((k) => k.prompt);
  }

  async load(): Promise<void> {
    const c = this.#c;
    for (const p of await ask(c.pendingApprovals && (() => c.pendingApprovals!()), [])) this.#add(p);
  }

  async answer(id: string, answer: ApprovalChoice): Promise<void> {
    const c = this.#c;
    const ok = await ask(c.answerApproval && (() => c.answerApproval!({ id, answer })), false);
    // Main's 'settled' event is the truth; this only covers a prompt that had already gone.
    if (!ok) this.#settle({ id, answer: 'expired' });
  }

  /** How the call of a tool card was settled: matched by tool name and arguments. */
  stateFor(item: ConversationItem): ApprovalState | null {
    const args = canonical(item.arguments);
    for (let i = this.known.length - 1; i >= 0; i--) {
      const k = this.known[i]!;
      if (k.prompt.toolName === item.name && JSON.stringify(k.prompt.args ?? {}) === args) return k.state;
    }
    return null;
  }

  secondsLeft(p: ApprovalPrompt): number {
    return Math.max(0, Math.ceil((p.expiresAt - this.now) / 1000));
  }

  #add(p: ApprovalPrompt): void {
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

function canonical(args: string | undefined): string {
  try {
    return JSON.stringify(JSON.parse(args || '{}'));
  } catch {
    return args ?? '';
  }
}
