// The life of the session's socket: connect, the reconnects of an outage (the policy is in
// reconnect-policy.ts), going offline when it outlasts them, and the renewal of a session near its
// lifetime at an idle moment. It owns the transport and its generation, so callbacks of a replaced
// socket do nothing. It never sets the phase: it reports to its host, and the facade decides.
import type { Settings } from '../../common/settings/settings-schema';
import { redactText } from '../security/redact';
import { buildEndpoint, type Endpoint } from './endpoint';
import { classifyClose, classifyConnectError, type Failure } from './errors';
import { backoffDelay, shouldGiveUp, type BackoffOptions } from './reconnect-policy';
import type { SessionPort } from './session-port';
import type { SessionStats } from './session-types';
import type { TimerSet } from './timer-set';
import { ConnectError, Transport, type TransportOptions } from './transport';

const MAX_DURATION_REASON = /maximum duration/i;

export interface LifecycleHost {
  apiKey(): string | null;
  settings(): Settings;
  message(raw: string): void;
  /** Whether the conversation holds anything (a drop of an unused session is not worth a notice). */
  hasItems(): boolean;
  ready(): boolean;
  /** No reply is running, owed or audible, and no turn is open: a renewal would cut nothing. */
  idle(): boolean;
  /** A socket is opening: the first of an outage (`again` false) or a reconnect. */
  opening(again: boolean): void;
  /** The socket died unasked: whatever was in flight on it is cut. */
  lost(): void;
  /** The socket is gone (lost, replaced, renewed or closed): forget everything that belonged to it. */
  forget(): void;
  /** Waiting to reconnect; reconnectInfo says when. */
  waiting(): void;
  /** Given up (fatal, or offline): stop every timer and close the turn. */
  stopping(): void;
  /** Stopped and the socket closed: the failure is now the state. */
  failed(f: Failure): void;
}

export class ConnectionLifecycle {
  transport: Transport | null = null;
  /** Bumped for every socket, so callbacks of a replaced socket do nothing. */
  generation = 0;
  /** The user wants a connection (between connect and disconnect or a failure). */
  wanted = false;
  reconnectInfo: { attempt: number; inMs: number } | undefined;
  failure: Failure | undefined;
  private attempt = 0;
  /** When the current outage began (its first failed attempt), and when the last attempt started. */
  private outageSince = 0;
  private lastOpenAt = 0;
  private endpointLabel = '';
  private lastError: Failure | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stableTimer: NodeJS.Timeout | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private renewDue = false;
  private connectWaiters: Array<{ resolve: () => void; reject: (f: Failure) => void }> = [];

  constructor(
    private readonly port: SessionPort,
    private readonly host: LifecycleHost,
    private readonly timers: TimerSet,
    private readonly backoff: BackoffOptions,
    private readonly stats: SessionStats,
    private readonly options: { transport?: TransportOptions; createTransport?: () => Transport; renewAfterFraction?: number },
  ) {}

  /** Resolves once the session is configured; rejects with the reason if it cannot be (fatal). */
  connect(): Promise<void> {
    const p = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (!this.wanted) {
      this.wanted = true;
      this.failure = undefined;
      this.attempt = 0;
      void this.open();
    }
    return p;
  }

  /** Closes the socket for good; `closing` runs first, while the socket is still there. */
  disconnect(closing: () => void, closed: () => void): void {
    this.wanted = false;
    closing();
    const t = this.transport;
    this.transport = null;
    this.generation++;
    this.host.forget();
    t?.close(1000, 'client disconnect');
    this.reconnectInfo = undefined;
    closed();
    this.rejectWaiters({ fatal: true, code: 'disconnected', message: 'Disconnected.' });
  }

  /** The server's last error event: a close that follows is judged with it. */
  noteError(f: Failure): void {
    this.lastError = f;
  }

  /** The session was configured: the outage is over, and the connect() callers are answered. */
  established(): void {
    this.outageSince = 0;
    this.failure = undefined;
    this.reconnectInfo = undefined;
    // Only a connection that stays up earns a fresh backoff; a server that accepts and drops at
    // once must not be hammered.
    this.stableTimer = this.timers.after(this.backoff.stableMs, () => {
      this.attempt = 0;
    });
  }

  resolveWaiters(): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w.resolve();
  }

  /** The new endpoint or model is used from the next session, opened at the first idle moment. */
  renewSoon(): void {
    this.renewDue = true;
    this.maybeRenew();
  }

  scheduleRenewal(expiresAtSec: unknown): void {
    if (typeof expiresAtSec !== 'number' || !Number.isFinite(expiresAtSec) || expiresAtSec <= 0) return;
    const lifetime = expiresAtSec * 1000 - Date.now();
    if (lifetime <= 0) return;
    const fraction = this.options.renewAfterFraction ?? 0.8;
    this.renewTimer = this.timers.after(lifetime * fraction, () => {
      this.renewDue = true;
      this.maybeRenew();
    });
  }

  maybeRenew(): void {
    if (!this.renewDue || !this.host.idle() || !this.wanted) return;
    this.renewDue = false;
    this.stats.renewals++;
    const old = this.transport;
    this.transport = null;
    this.generation++;
    this.host.forget();
    old?.close(1000, 'renewing session');
    this.attempt = 0;
    this.openAfter(0);
  }

  fail(f: Failure): void {
    f = { ...f, message: redactText(f.message) };
    this.wanted = false;
    this.host.stopping();
    this.failure = f;
    this.reconnectInfo = undefined;
    this.transport?.close(1000);
    this.transport = null;
    this.host.failed(f);
    this.port.notice('error', f.message, f.code);
    this.rejectWaiters(f);
  }

  /** The timers of this connection were cancelled all at once (TimerSet.cancelAll). */
  timersCleared(): void {
    this.reconnectTimer = this.stableTimer = this.renewTimer = null;
  }

  /** The socket is gone: the timers that belonged to it go too. */
  cancelConnectionTimers(): void {
    this.timers.cancel(this.stableTimer);
    this.timers.cancel(this.renewTimer);
    this.stableTimer = this.renewTimer = null;
  }

  private async open(): Promise<void> {
    const gen = ++this.generation;
    const settings = this.host.settings();
    const key = this.host.apiKey();
    if (!key) {
      this.fail({ fatal: true, code: 'no_key', message: 'No API key is set. Add one in settings, or set OPENAI_API_KEY.' });
      return;
    }
    let endpoint: Endpoint;
    try {
      endpoint = buildEndpoint(settings.endpoint, settings.model, key);
    } catch (err) {
      this.fail({ fatal: true, code: 'bad_endpoint', message: `The endpoint URL is not valid: ${(err as Error).message}` });
      return;
    }
    this.host.opening(this.attempt > 0);
    this.lastOpenAt = Date.now();
    this.endpointLabel = endpoint.label;
    const transport = this.options.createTransport?.() ?? new Transport(this.options.transport);
    this.transport = transport;
    transport.on('message', (raw) => {
      if (gen === this.generation) this.host.message(raw);
    });
    transport.on('close', (info) => {
      if (gen === this.generation) this.onClose(info.code, info.reason);
    });
    try {
      await transport.connect(endpoint);
    } catch (err) {
      if (gen !== this.generation) return;
      const f = err instanceof ConnectError ? classifyConnectError(err, endpoint.label) : { fatal: false, code: 'network', message: String(err) };
      // Whatever the server said, the key itself must never reach a message.
      f.message = redactText(f.message);
      if (f.fatal) this.fail(f);
      else this.scheduleReconnect(f);
    }
  }

  private onClose(code: number, reason: string): void {
    const wasReady = this.host.ready();
    const hadItems = this.host.hasItems();
    this.transport = null;
    this.generation++;
    this.host.lost();
    this.host.forget();
    if (!this.wanted) return;
    const f = classifyClose(code, reason, this.lastError);
    this.lastError = null;
    if (code === 1001 && MAX_DURATION_REASON.test(reason)) {
      this.stats.renewals++;
      if (this.attempt === 0) {
        // The 60-minute cap arrived before an idle moment did: start the next session now (within
        // the one-a-second floor). The renewal counts as an attempt until the new session proves
        // stable, so a server that ends every new session this way meets the backoff.
        this.countAttempt();
        this.port.notice('info', 'The session reached its time limit; continuing in a new one with the conversation so far.', 'session_renewed');
        this.openAfter(0);
        return;
      }
      this.scheduleReconnect({ fatal: false, code: '1001', message: 'Reconnecting: the server keeps ending new sessions at once.' });
      return;
    }
    if (f.fatal) {
      this.fail(f);
      return;
    }
    if (wasReady || hadItems) this.port.notice('warning', f.message, f.code);
    this.scheduleReconnect(f);
  }

  private scheduleReconnect(f: Failure): void {
    if (!this.wanted) return;
    this.countAttempt();
    if (shouldGiveUp(this.attempt, Date.now() - this.outageSince, this.backoff)) return this.goOffline(f);
    this.stats.reconnects++;
    const inMs = Math.max(backoffDelay(this.attempt, this.backoff), this.floorWait());
    this.reconnectInfo = { attempt: this.attempt, inMs };
    this.failure = { ...f, fatal: false };
    this.host.waiting();
    this.openAfter(inMs);
  }

  private countAttempt(): void {
    // The outage's clock runs from the first failure since the last working session; the attempt
    // count runs until a session proves stable, so a server that accepts and drops still gives up.
    if (this.attempt === 0 || this.outageSince === 0) this.outageSince = Date.now();
    this.attempt++;
  }

  /** Time left before another attempt may start (the one-a-second floor). */
  private floorWait(): number {
    return Math.max(0, this.lastOpenAt + this.backoff.minIntervalMs - Date.now());
  }

  private openAfter(ms: number): void {
    const wait = Math.max(ms, this.floorWait());
    if (wait <= 0) {
      void this.open();
      return;
    }
    this.timers.cancel(this.reconnectTimer);
    this.reconnectTimer = this.timers.after(wait, () => {
      this.reconnectTimer = null;
      void this.open();
    });
  }

  /** The outage outlasted the policy: stop, say why, and wait for the network or the user. */
  private goOffline(f: Failure): void {
    const cause = f.message.replace(/^Reconnecting: /, '').replace(/; retrying\.$/, '').replace(/\.$/, '');
    const secs = Math.round((Date.now() - this.outageSince) / 1000);
    this.attempt = 0;
    this.fail({
      fatal: false,
      code: 'offline',
      message: `Offline: no connection to ${this.endpointLabel || 'the server'} (${cause}). Hark stopped after ${this.backoff.maxAttempts} attempts in ${secs} s; it tries again when the network is back, or choose Try again.`,
    });
  }

  private rejectWaiters(f: Failure): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w.reject(f);
  }
}
