// Token accounting for the window: each response's usage (as its response.done reported it), the
// current conversation's and today's, each with an estimated cost; and the daily spend
// cap, which disconnects with a notice and refuses to reconnect while it holds.
import { EventEmitter } from 'node:events';
import type { Notice, SessionState, UsageSummary, UsageTotals } from '../../preload/api';
import type { DailyLedger } from './daily-ledger';
import { localDay } from './daily-ledger';
import { costOf, priceFor } from '../../common/price-table';
import type { UsageSettings } from '../../common/settings/usage-settings';
import { addUsage, zeroUsage } from './usage-math';

/** What the meter needs of a RealtimeSession. */
export interface MeteredSession {
  on(event: 'response', fn: (r: { id: string; status: string; usage: UsageTotals }) => void): unknown;
  on(event: 'state', fn: (s: SessionState) => void): unknown;
  on(event: 'transcription', fn: (t: { itemId: string; usage: UsageTotals }) => void): unknown;
  off(event: string, fn: (...a: never[]) => void): unknown;
  disconnect(): void;
  readonly state: SessionState;
}

export interface UsageMeterEvents {
  summary: [UsageSummary];
  /** One response's usage, for the history. */
  response: [{ responseId: string | null; usage: UsageTotals; costUsd: number | null }];
  notice: [Notice];
}

export interface UsageMeterOptions {
  session: MeteredSession;
  ledger: DailyLedger;
  settings: () => UsageSettings;
  model: () => string;
  /** The input transcription model, priced per minute or per token; none when transcription is off. */
  transcriptionModel?: () => string | null;
  /** Tokens the conversation may hold (truncation limit or the model's window), for the fullness view. */
  contextLimit?: () => number;
  now?: () => number;
}

export class UsageMeter extends EventEmitter<UsageMeterEvents> {
  private conversation = zeroUsage();
  private conversationCost: number | null = 0;
  private lastResponse: UsageSummary['lastResponse'] = null;
  private readonly now: () => number;
  private readonly unhook: () => void;

  constructor(private readonly o: UsageMeterOptions) {
    super();
    this.now = o.now ?? Date.now;
    const onResponse = (r: { id: string; usage: UsageTotals }) => this.onResponse(r.id, r.usage);
    const onState = (s: SessionState) => this.onState(s);
    const onTranscription = (t: { usage: UsageTotals }) => this.onResponse(null, t.usage);
    o.session.on('response', onResponse);
    o.session.on('state', onState);
    o.session.on('transcription', onTranscription);
    this.unhook = () => {
      o.session.off('response', onResponse);
      o.session.off('state', onState);
      o.session.off('transcription', onTranscription);
    };
  }

  /** A new conversation starts (the history opened a new one): its totals start at zero. */
  startConversation(): void {
    this.conversation = zeroUsage();
    this.conversationCost = 0;
    this.lastResponse = null;
    this.emit('summary', this.summary());
  }

  summary(): UsageSummary {
    const model = this.o.model();
    const day = localDay(this.now());
    const today = this.o.ledger.get(day);
    const cap = this.o.settings().dailyCapUsd;
    return {
      model,
      lastResponse: this.lastResponse,
      conversation: { usage: { ...this.conversation }, costUsd: this.conversationCost },
      today: { day, usage: today.usage, costUsd: today.costUsd },
      dailyCapUsd: cap,
      capReached: cap !== null && today.costUsd >= cap,
      ...(this.o.contextLimit ? { context: { usedTokens: this.lastResponse?.usage.inputTokens ?? 0, limitTokens: this.o.contextLimit() } } : {}),
      pricesDated: this.o.settings().pricesDated,
    };
  }

  /** Whether a connection may start now; the reason when not. */
  connectRefusal(): string | null {
    const s = this.summary();
    if (!s.capReached) return null;
    return `Today's estimated spend ($${(s.today.costUsd ?? 0).toFixed(2)}) has reached your daily cap of $${s.dailyCapUsd!.toFixed(2)}. Raise the cap in settings to continue today.`;
  }

  dispose(): void {
    this.unhook();
  }

  /** A response's usage (id) or an input transcription's (null id: it is no response of its own). */
  private onResponse(id: string | null, usage: UsageTotals): void {
    const prices = this.o.settings().prices;
    const tm = this.o.transcriptionModel?.() ?? null;
    const cost = costOf(usage, priceFor(this.o.model(), prices), tm ? priceFor(tm, prices) : null);
    this.conversation = addUsage(this.conversation, usage);
    this.conversationCost = this.conversationCost === null || cost === null ? null : this.conversationCost + cost;
    this.o.ledger.add(localDay(this.now()), usage, cost);
    if (id !== null) this.lastResponse = { responseId: id, usage, costUsd: cost };
    this.emit('response', { responseId: id, usage, costUsd: cost });
    this.emit('summary', this.summary());
    this.enforceCap();
  }

  private onState(s: SessionState): void {
    // A connection started some other way (tray, hotkey, a key change) still meets the cap.
    // Not from inside the session's own state change: it is still setting up the socket it would close.
    if (s.phase === 'connecting' || s.phase === 'listening' || s.phase === 'reconnecting') queueMicrotask(() => this.enforceCap());
  }

  private enforceCap(): void {
    const why = this.connectRefusal();
    if (!why || this.o.session.state.phase === 'disconnected') return;
    this.o.session.disconnect();
    this.emit('notice', { level: 'warning', code: 'daily_cap', message: `Disconnected: ${why}` });
  }
}
