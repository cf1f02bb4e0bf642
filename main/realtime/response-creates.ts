// The ledger of `response.create`: when the client owes the conversation a reply, whether a create
// is on the wire, and what settles it. It exists because the server answers a create in four ways
// (a response, "already has an active response", a rate limit, any other error) and each must
// leave the client able to ask again, while every intended reply still happens exactly once.
//
// "Exactly once" rests on three facts of the protocol. Each create carries a tag in
// `response.metadata`, which the server echoes in the response.created it answers (its VAD's own
// replies carry null): so a response is matched to its create exactly, even when a spoken turn and
// our create cross on the wire and response.created comes late. The server handles events in order
// and starts responses in that order, so a reply not of ours answers the oldest turn its VAD
// committed (a server that echoes no metadata is matched by that order alone). And a response sees what was in the conversation when it started: everything we sent before our
// create, or everything added before the committed turn. So a wish for a reply names the newest
// item the reply must see, a response whose source saw that item fulfils it, and a refused create
// is never simply resent: the wish waits for the blocking response to end and is judged again.
import type { TimerSet } from './timer-set';

export interface CreateHost {
  /** Sends `response.create` with this `response.metadata`; the event id, or null if the socket is gone. */
  sendCreate(metadata: Record<string, string>): string | null;
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
  /** The newest item the reply must see; null: any reply started from now on will do. */
  mustSee: string | null;
  /** Bumped per request, so a create answers only the wishes made before it was sent. */
  serial: number;
}

/** What a coming response.created answers, in the order the server will have started them. */
type Source =
  | { kind: 'create'; eventId: string; tag: string; serial: number; mark: number }
  | { kind: 'commit'; itemId: string; addedBefore: number };

/** Remembered so a late "already active" refusal can be matched to what it named. */
const RECENT_DONE = 32;
const UNANSWERED_MS = 10_000;
const ACTIVE_ID = /\b(resp_[A-Za-z0-9]+)/;
/** The metadata key of our tag (keys up to 64 characters, values up to 512). */
export const CREATE_TAG = 'hark_create';

export class ResponseCreates {
  private wish: Wish | null = null;
  private serial = 0;
  private readonly sources: Source[] = [];
  /** When each of our own items went out, on the same clock as creates. */
  private readonly sentMark = new Map<string, number>();
  private clock = 0;
  /** Items the server confirmed (conversation.item.added) on this connection, in its order. */
  private readonly addedSeq = new Map<string, number>();
  /**
   * Creates we took as answered by a response, and the wish that answer fulfilled: a refusal that
   * comes later shows the response was a committed turn's (the create and the commit crossed).
   */
  private readonly matched = new Map<string, Wish | null>();
  /** A refusal named a response not yet ended: no create until a response ends. */
  private blockedBy: string | null = null;
  private readonly recentDone: string[] = [];
  private rateLimitRetries = 0;
  private resetMs = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private ready = false;
  private tags = 0;
  /**
   * How many confirmed items had arrived by the last response.created or response.done. Responses
   * run one at a time and the server's events come in its order, so an item confirmed before any
   * earlier response's event was added before that response ended: every later response sees it.
   */
  private seenByNext = 0;
  /** The newest wish a response fulfilled: a create sent for it or an older one is not wanted any more. */
  private answeredSerial = 0;

  constructor(
    private readonly host: CreateHost,
    private readonly timers: TimerSet,
    private readonly policy: CreatePolicy = DEFAULT_CREATE_POLICY,
  ) {}

  /** A create is on the wire, unanswered. */
  get inFlight(): boolean {
    return this.sources.some((x) => x.kind === 'create');
  }

  /** A reply is owed and not yet asked for (waiting for a running response or a rate limit). */
  get pending(): boolean {
    return this.wish !== null && !this.inFlight;
  }

  /** The conversation needs a reply that sees `mustSee` (or anything there is, when null). */
  request(mustSee: string | null = null): void {
    this.wish = { mustSee: this.newer(mustSee, this.wish?.mustSee ?? null), serial: ++this.serial };
    this.flush();
  }

  /** The connection is configured (true) or gone (false); a new connection starts a clean ledger. */
  setReady(ready: boolean): void {
    this.ready = ready;
    if (!ready) {
      this.sources.length = 0;
      this.sentMark.clear();
      this.addedSeq.clear();
      this.seenByNext = 0;
      this.answeredSerial = 0;
      this.matched.clear();
      this.blockedBy = null;
      this.recentDone.length = 0;
      this.wish = null;
      this.rateLimitRetries = 0;
      this.timers.cancel(this.retryTimer);
      this.retryTimer = null;
    }
  }

  /** We sent this item (a typed message, a tool output): a create sent after it will see it. */
  itemSent(id: string): void {
    this.sentMark.set(id, ++this.clock);
  }

  itemAdded(id: string): void {
    if (id && !this.addedSeq.has(id)) this.addedSeq.set(id, this.addedSeq.size + 1);
  }

  /**
   * The server committed a user turn. With server-side turn detection its VAD starts a reply for it
   * (or refuses, if one runs); a push-to-talk commit starts nothing by itself.
   */
  committed(itemId: string, autoReply: boolean): void {
    if (!autoReply) return;
    this.sources.push({ kind: 'commit', itemId, addedBefore: this.addedSeq.size });
  }

  /**
   * A response started. `metadata` is its response.metadata: our tag names the create it answers;
   * null (present but untagged) makes it the reply to the oldest committed turn; absent (a server
   * that does not echo metadata) leaves only the order: it answers the oldest open source.
   *
   * Returns false for a response of ours nobody wants any more: its create crossed a reply (the
   * server's VAD's, whose response.created came late) that already answered the same context. No
   * client can know of that reply before its response.created, so the create cannot be held back;
   * the caller cancels the unwanted one at once and keeps its output out of the conversation.
   */
  responseCreated(_responseId: string, metadata?: unknown): boolean {
    this.rateLimitRetries = 0;
    const src = this.sourceOf(metadata);
    const fulfilled = this.wish && (this.sees(src, this.wish) || this.seenByAll(this.wish)) ? this.wish : null;
    this.seenByNext = this.addedSeq.size;
    if (fulfilled) {
      this.wish = null;
      this.answeredSerial = Math.max(this.answeredSerial, fulfilled.serial);
    }
    if (src?.kind === 'create') {
      this.matched.set(src.eventId, fulfilled);
      if (this.matched.size > RECENT_DONE) this.matched.delete(this.matched.keys().next().value!);
      // Only when matched by its tag: by order alone the response may not be this create's.
      if (!fulfilled && metadata !== undefined && src.serial <= this.answeredSerial) return false;
    }
    return true;
  }

  responseDone(responseId: string): void {
    this.seenByNext = this.addedSeq.size;
    this.recentDone.push(responseId);
    if (this.recentDone.length > RECENT_DONE) this.recentDone.shift();
    if (this.blockedBy === responseId || this.blockedBy === '') this.blockedBy = null;
  }

  /** The rate limit's reset time, from rate_limits.updated; the next retry waits at least that. */
  rateLimitReset(seconds: number): void {
    this.resetMs = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 60_000) : 0;
  }

  /**
   * A server error. Returns true when it answered one of our creates or a committed turn's reply
   * (the caller then says nothing more about it).
   */
  onError(code: string | null, eventId: string | null, message = ''): boolean {
    const alreadyActive = code === 'conversation_already_has_active_response' || (!code && /already has an active response/i.test(message));
    if (alreadyActive && !eventId) {
      // The server's VAD could not start a reply for the turn it just committed, because one is
      // running: that turn is still owed one, once the running reply is done.
      const at = this.sources.map((x) => x.kind).lastIndexOf('commit');
      const turn = at >= 0 ? (this.sources.splice(at, 1)[0] as Extract<Source, { kind: 'commit' }>).itemId : null;
      this.block(message);
      this.request(turn);
      return true;
    }
    if (!eventId) return false;
    const at = this.sources.findIndex((x) => x.kind === 'create' && x.eventId === eventId);
    if (at >= 0) this.sources.splice(at, 1);
    else if (this.matched.has(eventId)) {
      // A refusal of a create we had taken as answered: that response was the reply to a committed
      // turn (the turn and our create crossed on the wire). Judge the wish against that turn instead.
      const taken = this.matched.get(eventId)!;
      this.matched.delete(eventId);
      if (taken) this.wish ??= taken;
      const c = this.sources.findIndex((x) => x.kind === 'commit');
      const turn = c >= 0 ? this.sources.splice(c, 1)[0] : undefined;
      if (this.wish && this.sees(turn, this.wish)) this.wish = null;
    } else return false;
    if (alreadyActive) {
      this.block(message);
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
    if (!this.wish || this.inFlight || this.retryTimer || this.blockedBy !== null || !this.ready || this.host.busy()) return;
    const tag = `c${++this.tags}`;
    const id = this.host.sendCreate({ [CREATE_TAG]: tag });
    if (!id) return;
    const src: Source = { kind: 'create', eventId: id, tag, serial: this.wish.serial, mark: ++this.clock };
    this.sources.push(src);
    // A safety net, not a re-poll: the server answers a create within milliseconds, so one left
    // unanswered this long means the ledger lost step (a turn that never got its reply or refusal).
    this.timers.after(UNANSWERED_MS, () => {
      const at = this.sources.indexOf(src);
      if (at < 0) return;
      this.sources.splice(at, 1);
      this.sources.splice(0, this.sources.length, ...this.sources.filter((x) => x.kind === 'create'));
      this.flush();
      this.host.changed();
    });
  }

  /** The open source a response.created answers, taken off the list (see responseCreated). */
  private sourceOf(metadata: unknown): Source | undefined {
    if (metadata === undefined) return this.sources.shift();
    const tag = metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>)[CREATE_TAG] : undefined;
    let at = typeof tag === 'string' ? this.sources.findIndex((x) => x.kind === 'create' && x.tag === tag) : this.sources.findIndex((x) => x.kind === 'commit');
    // Untagged with no turn committed, but a create open: a server that sends metadata null
    // without echoing ours. The order is all there is.
    if (at < 0 && typeof tag !== 'string') at = this.sources.findIndex((x) => x.kind === 'create');
    return at >= 0 ? this.sources.splice(at, 1)[0] : undefined;
  }

  /** Wait for the named blocking response to end (unless it already has); never re-poll on a timer. */
  private block(message: string): void {
    const named = ACTIVE_ID.exec(message)?.[1] ?? '';
    if (!this.recentDone.includes(named)) this.blockedBy = named;
  }

  /** Whether any response starting now sees what `wish` needs, whatever its source (see seenByNext). */
  private seenByAll(wish: Wish): boolean {
    if (wish.mustSee === null) return true;
    const seq = this.addedSeq.get(wish.mustSee);
    return seq !== undefined && seq <= this.seenByNext;
  }

  /** Whether a response from `src` sees what `wish` needs. */
  private sees(src: Source | undefined, wish: Wish): boolean {
    if (wish.mustSee === null) return true;
    if (!src) return false;
    if (src.kind === 'create') {
      const sent = this.sentMark.get(wish.mustSee);
      return wish.serial <= src.serial || (sent !== undefined && sent < src.mark);
    }
    if (wish.mustSee === src.itemId) return true;
    const seq = this.addedSeq.get(wish.mustSee);
    return seq !== undefined && seq <= src.addedBefore;
  }

  /** Of two items a reply must see, the later one (a reply that sees it sees the other). */
  private newer(a: string | null, b: string | null): string | null {
    if (a === null) return b;
    if (b === null) return a;
    const order = (id: string) => this.addedSeq.get(id) ?? Number.MAX_SAFE_INTEGER - 1e6 + (this.sentMark.get(id) ?? 0);
    return order(a) >= order(b) ? a : b;
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
