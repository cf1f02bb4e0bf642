// The ledger of `response.create`: when the client owes the conversation a reply, whether a create
// is on the wire, and what settles it. It exists because the server answers a create in four ways
// (a response, "already has an active response", a rate limit, any other error) and each must
// leave the client able to ask again, while every intended reply still happens exactly once.
//
// "Exactly once" rests on one fact of the protocol: a response sees every item added before its
// `response.created`. So a wish for a reply names the newest item the reply must see; any response
// created after that item was added (ours, or one the server's VAD started) fulfils it, and a
// refused create is never simply resent.
import type { TimerSet } from './timer-set';

export interface CreateHost {
  /** Sends `response.create`; the event id, or null if the socket is gone. */
  sendCreate(): string | null;
  /** A response is running (ours or the server's); a create now would be refused. */
  busy(): boolean;
  notice(level: 'info' | 'warning' | 'error', message: string, code: string): void;
  /** Something changed that the shown phase depends on. */
  changed(): void;
}

export interface CreatePolicy {
  /** Rate-limit retries before giving up on that reply. */
  maxRateLimitRetries: number;
  /** First retry delay; doubles per retry, never under the server's announced reset. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_CREATE_POLICY: CreatePolicy = { maxRateLimitRetries: 4, baseMs: 1000, maxMs: 8000 };

interface Wish {
  /** The newest item the reply must see; null: any response created from now on will do. */
  mustSee: string | null;
  /** Bumped per request, so a create answers only the wishes made before it was sent. */
  serial: number;
}

/** Remembered so a late "already active" refusal can be matched to what it named. */
const RECENT_DONE = 32;
const ACTIVE_ID = /\b(resp_[A-Za-z0-9]+)/;

export class ResponseCreates {
  private wish: Wish | null = null;
  private serial = 0;
  /** The create on the wire, until a response.created or an error answers it. */
  private inFlightCreate: { id: string; serial: number } | null = null;
  /** Every create id of this connection still unanswered, so a late refusal is recognised. */
  private readonly unanswered = new Set<string>();
  /** Items the server confirmed (conversation.item.added) on this connection, in its order. */
  private readonly addedSeq = new Map<string, number>();
  /** Items added before the last committed user turn: what a reply the server starts for it sees. */
  private commitSeq = 0;
  /** The response we took for ours, and the wish it took away, until a refusal says otherwise. */
  private credited: { responseId: string; wish: Wish; commitSeq: number } | null = null;
  /** A refusal named a response not yet seen (or none): no create until a response ends. */
  private blockedBy: string | null = null;
  private readonly recentDone: string[] = [];
  private rateLimitRetries = 0;
  private resetMs = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private ready = false;

  constructor(
    private readonly host: CreateHost,
    private readonly timers: TimerSet,
    private readonly policy: CreatePolicy = DEFAULT_CREATE_POLICY,
  ) {}

  /** A create is on the wire. */
  get inFlight(): boolean {
    return this.inFlightCreate !== null;
  }

  /** A reply is owed and not yet asked for (waiting for a running response or a rate limit). */
  get pending(): boolean {
    return this.wish !== null && this.inFlightCreate === null;
  }

  /** The conversation needs a reply that sees `mustSee` (or anything added so far, when null). */
  request(mustSee: string | null = null): void {
    this.wish = { mustSee: mustSee ?? this.wish?.mustSee ?? null, serial: ++this.serial };
    this.flush();
  }

  /** The connection is configured (true) or gone (false); a new connection starts a clean ledger. */
  setReady(ready: boolean): void {
    this.ready = ready;
    if (!ready) {
      this.inFlightCreate = null;
      this.unanswered.clear();
      this.addedSeq.clear();
      this.commitSeq = 0;
      this.credited = null;
      this.blockedBy = null;
      this.recentDone.length = 0;
      this.wish = null;
      this.rateLimitRetries = 0;
      this.timers.cancel(this.retryTimer);
      this.retryTimer = null;
    }
  }

  itemAdded(id: string): void {
    if (id && !this.addedSeq.has(id)) this.addedSeq.set(id, this.addedSeq.size + 1);
  }

  /** The server committed a user turn; a reply its VAD starts for it sees what was added until now. */
  committed(): void {
    this.commitSeq = this.addedSeq.size;
  }

  /** Any response.created: ours if a create is out (until a refusal says otherwise), else the server's. */
  responseCreated(responseId: string): void {
    this.rateLimitRetries = 0;
    const mine = this.inFlightCreate;
    if (mine) {
      this.inFlightCreate = null;
      if (this.wish && this.wish.serial <= mine.serial) {
        this.credited = { responseId, wish: this.wish, commitSeq: this.commitSeq };
        this.wish = null;
      }
      return;
    }
    if (this.wish && this.seenByServerReply(this.wish, this.commitSeq)) this.wish = null;
  }

  responseDone(responseId: string): void {
    this.recentDone.push(responseId);
    if (this.recentDone.length > RECENT_DONE) this.recentDone.shift();
    if (this.blockedBy === responseId || this.blockedBy === '') this.blockedBy = null;
    if (this.credited?.responseId === responseId) this.credited = null;
  }

  /** The rate limit's reset time, from rate_limits.updated; the next retry waits at least that. */
  rateLimitReset(seconds: number): void {
    this.resetMs = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 60_000) : 0;
  }

  /**
   * A server error. Returns true when it answered one of our creates (the caller then says
   * nothing more about it).
   */
  onError(code: string | null, eventId: string | null, message = ''): boolean {
    const alreadyActive = code === 'conversation_already_has_active_response' || (!code && /already has an active response/i.test(message));
    if (alreadyActive && !eventId) {
      // The server's VAD could not start a reply for a turn because one is running: that turn is
      // still owed one, once the running reply is done.
      this.request(null);
      return true;
    }
    if (!eventId || !this.unanswered.delete(eventId)) return false;
    if (this.inFlightCreate?.id === eventId) this.inFlightCreate = null;
    if (alreadyActive) {
      const named = ACTIVE_ID.exec(message)?.[1] ?? '';
      const credited = this.credited;
      if (credited && credited.responseId === named) {
        // What we took for our reply is the server's own: it answers our wish only if it saw it.
        this.credited = null;
        if (!this.seenByServerReply(credited.wish, credited.commitSeq)) this.wish ??= credited.wish;
      }
      // Wait for the blocking response to end (unless it already has); never re-poll on a timer.
      if (!this.recentDone.includes(named)) this.blockedBy = named;
      this.flush();
      return true;
    }
    if (code === 'rate_limit_exceeded') {
      this.rateLimited();
      return true;
    }
    // Any other refusal: that reply will not happen; the next turn asks afresh.
    this.wish = null;
    this.host.changed();
    return false;
  }

  /** Sends the owed create if nothing blocks it. */
  flush(): void {
    if (!this.wish || this.inFlightCreate || this.retryTimer || this.blockedBy !== null || !this.ready || this.host.busy()) return;
    const id = this.host.sendCreate();
    if (!id) return;
    this.inFlightCreate = { id, serial: this.wish.serial };
    this.unanswered.add(id);
  }

  /** A reply the server started for a committed turn sees the items added before that commit. */
  private seenByServerReply(wish: Wish, commitSeq: number): boolean {
    if (wish.mustSee === null) return true;
    const seq = this.addedSeq.get(wish.mustSee);
    return seq !== undefined && seq <= commitSeq;
  }
  private rateLimited(): void {
    if (!this.wish) return;
    if (this.rateLimitRetries >= this.policy.maxRateLimitRetries) {
      this.wish = null;
      this.rateLimitRetries = 0;
      this.host.notice('error', 'No reply: the rate limit of your OpenAI account stayed exhausted. Try again in a moment.', 'rate_limited_gave_up');
      this.host.changed();
      return;
    }
    this.rateLimitRetries++;
    const backoff = Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** (this.rateLimitRetries - 1));
    const delay = Math.max(backoff, this.resetMs);
    if (this.rateLimitRetries === 1) {
      this.host.notice('warning', `The rate limit is reached; the reply follows when it allows (about ${Math.ceil(delay / 1000)} s).`, 'rate_limit_exceeded');
    }
    this.retryTimer = this.timers.after(delay, () => {
      this.retryTimer = null;
      this.flush();
    });
  }
}
