// The conversation engine: one Realtime session over WebSocket, its turns, barge-in, function calls,
// errors and reconnection. It imports nothing from Electron, so the app, the `talk` command and the
// tests all run this same code. Hosts give it audio (appendAudio) and a way to stop playback
// (PlaybackPort), and listen to its events.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type {
  ConversationItem,
  Notice,
  PlayedPosition,
  SessionPhase,
  SessionState,
  UsageTotals,
} from '../../preload/api';
import type { Settings } from '../settings/settings-schema';
import { redact, redactText, registerSecret } from '../security/redact';
import type { ToolRegistry } from '../tools/tool-registry';
import { AudioUplink, decodeAudioDelta, pcmMs } from './audio-uplink';
import { Conversation } from './conversation';
import { buildEndpoint, type Endpoint } from './endpoint';
import { classifyClose, classifyConnectError, classifyErrorEvent, type Failure } from './errors';
import { backoffDelay, DEFAULT_BACKOFF, shouldGiveUp, type BackoffOptions } from './reconnect-policy';
import { buildSessionConfig } from './session-config';
import { explainModelRejection } from './models';
import { elideAudio, need, nullableStr, obj, str, type ServerEvent } from './event-fields';
import { fromResponseUsage, fromTranscriptionUsage } from '../usage/usage-math';
import { TimerSet } from './timer-set';
import { readPhase, readReportedSession, type ReportedSession } from './item-phase';
import { NoticeThrottle } from './notice-throttle';
import { RecentIds } from './recent-ids';
import { ResponseCreates, type CreatePolicy } from './response-creates';
import { ConnectError, Transport, type TransportOptions } from './transport';
import { keepNewest } from './keep-newest';

/** How the host's player stops: at once, answering with the samples it actually rendered. */
export interface PlaybackPort {
  stop(): Promise<PlayedPosition>;
}

export interface AudioOut {
  responseId: string;
  itemId: string;
  /** PCM16 LE, 24 kHz mono; decoded once from the delta. */
  pcm: Buffer;
}

export interface SessionEvents {
  state: [SessionState];
  item: [ConversationItem];
  usage: [UsageTotals];
  notice: [Notice];
  audio: [AudioOut];
  'audio-done': [{ responseId: string; itemId: string }];
  gate: [{ open: boolean }];
  /** A response ended: completed, cancelled, failed or incomplete, with its own token usage. */
  response: [{ id: string; status: string; usage: UsageTotals; error?: string; idle?: boolean }];
  /** An input transcription's own usage (tokens, or seconds for duration-billed models). */
  transcription: [{ itemId: string; usage: UsageTotals }];
  /** The conversation was emptied (new conversation, resume): what follows is another one. */
  reset: [{ resumedFrom: string | null }];
  /** Every event on the wire, audio payloads elided; for the event log. */
  wire: [{ dir: 'in' | 'out'; event: { type: string; [k: string]: unknown } }];
}

export interface SessionOptions {
  settings: Settings;
  apiKey: string | null;
  tools: ToolRegistry;
  playback?: PlaybackPort;
  transport?: TransportOptions;
  backoff?: Partial<BackoffOptions>;
  /** Renew the session after this fraction of its lifetime, at the first idle moment. */
  renewAfterFraction?: number;
  /** How long to wait for the player's answer before estimating the played position. */
  playbackStopTimeoutMs?: number;
  /** Appended to the instructions when a session starts, e.g. the user's notes. */
  instructionsSuffix?: () => string;
  /**
   * Local voice (main/voice): asked before the server's speech_started cuts an audible reply (the
   * echo guard), and whether Hark, not the server, cancels on barge-in (interrupt_response off).
   */
  localVoice?: {
    allowServerBargeIn(): boolean;
    /** Speech judged echo ran on into the user's own words after the reply ended: the turn is theirs. */
    userSpokeSinceEcho?(): boolean;
    readonly clientInterrupts: boolean;
    readonly buffersWhileConnecting?: boolean;
    /** The detector is running, so the 'local' turn mode can work (else it falls back to server VAD). */
    readonly localTurns?: boolean;
  };
  /** Replaces the WebSocket (sequence tests drive the message handler with thousands of event orders). */
  createTransport?: () => Transport;
  /** Rate-limit retries of response.create; by default 4, from the backoff base doubling up to 8 s. */
  createPolicy?: CreatePolicy;
}

interface ResponseInfo {
  id: string;
  done: boolean;
  status: string;
  /** Tool calls of this response still running. */
  toolsRunning: number;
  /** Tool outputs this response's calls produced (a follow-up response is due). */
  toolOutputs: number;
  /** The server created it by itself after an idle timeout (a nudge), not in answer to a turn. */
  idle?: boolean;
  /** The last of those outputs: the follow-up must see it. */
  lastOutputId?: string;
}

interface AudioInfo {
  responseId: string;
  receivedMs: number;
  done: boolean;
  truncated?: boolean;
}


const MAX_DURATION_REASON = /maximum duration/i;
const MIN_TURN_MS = 100;
const THINKING_GRACE_MS = 5000;

export class RealtimeSession extends EventEmitter<SessionEvents> {
  readonly conversation: Conversation;
  private settings: Settings;
  private readonly tools: ToolRegistry;
  private readonly playback: PlaybackPort | undefined;
  private readonly backoff: BackoffOptions;
  private readonly uplink: AudioUplink;

  private apiKey: string | null;
  private transport: Transport | null = null;
  /** Bumped for every socket, so callbacks of a replaced socket do nothing. */
  private generation = 0;
  private phase: SessionPhase = 'disconnected';
  private ready = false;
  private wanted = false;
  private attempt = 0;
  /** When the current outage began (its first failed attempt), and when the last attempt started. */
  private outageSince = 0;
  private lastOpenAt = 0;
  private endpointLabel = '';
  private reconnectInfo: { attempt: number; inMs: number } | undefined;
  private failure: Failure | undefined;
  private lastError: Failure | null = null;
  private readonly timers = new TimerSet();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stableTimer: NodeJS.Timeout | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private renewDue = false;
  private connectWaiters: Array<{ resolve: () => void; reject: (f: Failure) => void }> = [];

  /** The connection died owing the user a reply; the next session asks for it after the replay. */
  private replyOwed = false;
  private turnOpen = false;
  private muted = false;
  private gateOpen = false;
  private userSpeaking = false;
  private producedAudio = false;

  private activeResponseId: string | null = null;
  /** Owed replies and the create on the wire (see response-creates.ts). */
  private readonly creates: ResponseCreates;
  private readonly responses = new Map<string, ResponseInfo>();
  /** Responses the user interrupted: every later delta of theirs is dropped. */
  private readonly dropped = new Set<string>();
  private readonly audio = new Map<string, AudioInfo>();
  private lastAudioItem: string | null = null;
  private firstAudioAt = new Map<string, number>();
  /** Wall-clock estimate of when the player runs out of audio, for the state shown to the user. */
  private playbackEndsAt = 0;
  private playbackTimer: NodeJS.Timeout | null = null;
  private toolsTimer: NodeJS.Timeout | null = null;
  private readonly startedCalls = new Set<string>();
  private readonly awaitingAdded = new Set<string>();
  private readonly carried = new Set<string>();
  private readonly updateEvents = new Set<string>();
  /** Server speech the echo guard judged the assistant's own voice, by item id. */
  private readonly echoTurns = new Set<string>();
  private echoCommitted = false;
  /** The server's automatic replies to an echo turn, and their items: cancelled and deleted. */
  private readonly echoReplies = new Set<string>();
  private readonly echoItems = new Set<string>();
  private configEventId: string | null = null;
  /** Events are idempotent by event_id: a repeat is counted and skipped. */
  private readonly seenEvents = new RecentIds();
  /** Bad frames are all counted (stats) but told once per kind per minute. */
  private readonly told = new NoticeThrottle();
  private eventSeq = 0;
  /** Idle nudges: the silent buffers the server committed, and a nudge reply still to come. */
  private readonly idleItems = new Set<string>();
  private nudgeDue = false;
  /** A push-to-talk turn released while the session was still connecting. */
  private endWhenReady = false;
  /** The user item announced by speech_started, whose live caption may stream before its commit. */
  private speechItem: string | null = null;
  /** Ids this connection's server knows, by our item id (carried copies have ids of their own). */
  private readonly serverIds = new Map<string, string>();
  /** What the server reported for this session (model defaults such as silence and voice). */
  reported: ReportedSession | null = null;
  /** Fields this model refused once (reasoning, truncation): left out of later updates. */
  private readonly omitted = new Set<string>();
  /** Counters for tests and the event log. */
  readonly stats = { duplicateEvents: 0, droppedDeltas: 0, badAudioDeltas: 0, unreadableMessages: 0, unknownEvents: 0, reconnects: 0, renewals: 0, echoSuppressed: 0 };

  constructor(private readonly opts: SessionOptions) {
    super();
    this.settings = opts.settings;
    this.apiKey = opts.apiKey;
    registerSecret(opts.apiKey);
    this.tools = opts.tools;
    this.playback = opts.playback;
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.conversation = new Conversation((item) => this.emit('item', { ...item }));
    this.uplink = new AudioUplink((audio) => this.send({ type: 'input_audio_buffer.append', audio }));
    this.tools.onChange(() => this.refreshTools());
    this.creates = new ResponseCreates(
      {
        sendCreate: (metadata) => this.send({ type: 'response.create', response: { metadata } }),
        busy: () => this.activeResponseId !== null,
        notice: (level, message, code) => this.notice(level, message, code),
        changed: () => this.settlePhase(),
      },
      this.timers,
      opts.createPolicy ?? { maxRateLimitRetries: 4, baseMs: this.backoff.baseMs, maxMs: Math.max(this.backoff.baseMs, Math.min(8000, this.backoff.maxMs)) },
    );
  }

  /**
   * Every event leaves through the one redaction (a server may echo the key into an error, a close
   * reason or a transcript); audio and counters carry no text and skip it.
   */
  override emit<K extends keyof SessionEvents>(event: K, ...args: SessionEvents[K]): boolean {
    if (event === 'audio' || event === 'audio-done' || event === 'gate' || event === 'usage') return super.emit(event, ...(args as never));
    return super.emit(event, ...(redact(args) as never));
  }

  // ---------------------------------------------------------------------------------------------
  // Public surface

  get state(): SessionState {
    return {
      phase: this.phase,
      turnDetection: this.settings.turnDetection.mode,
      turnOpen: this.turnOpen,
      muted: this.muted,
      ...(this.reconnectInfo ? { reconnect: { ...this.reconnectInfo } } : {}),
      ...(this.failure ? { error: { fatal: this.failure.fatal, code: this.failure.code, message: redactText(this.failure.message) } } : {}),
    };
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** A reply is being generated or is still audible. */
  get assistantActive(): boolean {
    return this.isAssistantActive();
  }

  /** The local detector confirmed speech over the reply: cut it as the server's VAD would. */
  async bargeInLocal(): Promise<void> {
    await this.bargeIn('local');
  }

  /** Resolves once the session is configured; rejects with the reason if it cannot be (fatal). */
  connect(): Promise<void> {
    if (this.ready) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (!this.wanted) {
      this.wanted = true;
      this.failure = undefined;
      this.attempt = 0;
      void this.open();
    }
    return p;
  }

  disconnect(): void {
    this.wanted = false;
    this.replyOwed = false;
    this.clearTimers();
    this.setTurnOpen(false);
    const t = this.transport;
    this.transport = null;
    this.generation++;
    this.resetConnectionState();
    t?.close(1000, 'client disconnect');
    this.reconnectInfo = undefined;
    this.setPhase('disconnected');
    this.rejectWaiters({ fatal: true, code: 'disconnected', message: 'Disconnected.' });
  }

  /** Mic audio, PCM16 LE 24 kHz mono, any length. Dropped unless it should reach the server now. */
  appendAudio(pcm: Uint8Array): void {
    if (!this.ready || this.muted) return;
    if (this.manualTurns && !this.turnOpen) return;
    this.uplink.push(pcm);
  }

  /**
   * Push-to-talk start. With VAD on, the talk key interrupts the assistant instead. Returns whether
   * a manual turn is now open.
   */
  beginTurn(): boolean {
    if (this.isAssistantActive()) void this.interrupt();
    if (!this.manualTurns) return false;
    if (this.turnOpen) return true;
    if (!this.ready) {
      // Pressed while connecting (a wake from idle): the turn opens now, so local voice keeps what
      // is said and sends it once the session is ready; the new session's buffer starts empty.
      if (!this.buffersWhileConnecting()) return false;
      this.uplink.reset();
      this.setTurnOpen(true);
      return true;
    }
    this.send({ type: 'input_audio_buffer.clear' });
    this.uplink.reset();
    this.setTurnOpen(true);
    this.setPhase('user-speaking');
    return true;
  }

  /** A new key (or none): used from the next connection on; a live session keeps its socket. */
  setApiKey(key: string | null): void {
    this.apiKey = key;
    registerSecret(key);
  }

  /** Push-to-talk end: commit and ask for the reply. Returns false when nothing was sent. */
  endTurn(): boolean {
    if (!this.turnOpen) return false;
    if (!this.ready) {
      // Released before the session is ready: the turn ends once the kept audio has gone out.
      this.endWhenReady = true;
      return true;
    }
    this.setTurnOpen(false);
    this.uplink.flush();
    const ms = this.uplink.sentMs;
    if (ms < MIN_TURN_MS) {
      this.send({ type: 'input_audio_buffer.clear' });
      this.notice('warning', `That turn had only ${Math.round(ms)} ms of audio, too short to send (at least ${MIN_TURN_MS} ms). Hold the talk key while you speak.`, 'turn_too_short');
      this.setPhase('listening');
      return false;
    }
    this.send({ type: 'input_audio_buffer.commit' });
    this.requestResponse();
    this.setPhase('thinking');
    return true;
  }

  cancelTurn(): void {
    if (!this.turnOpen) return;
    this.setTurnOpen(false);
    this.uplink.reset();
    this.send({ type: 'input_audio_buffer.clear' });
    this.setPhase('listening');
  }

  /** A typed message joins the same conversation; the reply follows once any current one is done. */
  sendText(text: string): boolean {
    const trimmed = text.trim();
    if (!trimmed) return false;
    if (!this.ready) {
      this.notice('warning', 'Not connected: the message was not sent.', 'not_connected');
      return false;
    }
    const id = newItemId();
    this.conversation.upsert(id, { role: 'user', type: 'message', modality: 'text', text: trimmed, status: 'completed' });
    this.awaitingAdded.add(id);
    if (this.send({ type: 'conversation.item.create', item: { id, type: 'message', role: 'user', content: [{ type: 'input_text', text: trimmed }] } })) this.creates.itemSent(id);
    return true;
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.updateGate();
    this.emitState();
  }

  /** Applies new settings live where the API allows it; the rest at the next session. */
  applySettings(next: Settings): void {
    const prev = this.settings;
    this.settings = next;
    if (JSON.stringify(prev.endpoint) !== JSON.stringify(next.endpoint) || prev.model !== next.model) {
      this.omitted.clear();
      this.notice('info', 'The new endpoint or model takes effect at the next idle moment, when Hark reconnects.', 'reconnect_pending');
      this.renewDue = true;
      this.maybeRenew();
      return;
    }
    if (prev.turnDetection.mode !== next.turnDetection.mode && this.turnOpen) this.cancelTurn();
    this.updateGate();
    if (!this.ready) return;
    const session = this.sessionConfig();
    if (prev.voice !== next.voice && this.producedAudio) {
      // The API refuses a voice change once the assistant has spoken in this session.
      this.notice('info', `The voice "${next.voice}" will be used from the next session; this one has already spoken in "${prev.voice}".`, 'voice_deferred');
      session.audio!.output!.voice = prev.voice;
    }
    if (prev.speed !== next.speed) this.notice('info', `Speaking speed ${next.speed}: it applies from the next reply.`, 'speed_next_reply');
    const id = this.send({ type: 'session.update', session });
    if (id) this.updateEvents.add(id);
    this.emitState();
  }

  /**
   * The set of tools changed (an MCP server started or died): offer the new list. Changes that
   * come together (several servers starting) go out as one update.
   */
  refreshTools(): void {
    if (this.toolsTimer) return;
    this.toolsTimer = this.timers.after(50, () => {
      this.toolsTimer = null;
      if (!this.ready) return; // the next session.update at connect carries them anyway
      const id = this.send({ type: 'session.update', session: { type: 'realtime', tools: this.tools.definitions(), tool_choice: 'auto' } });
      if (id) this.updateEvents.add(id);
    });
  }

  /** The mode in force: 'local' needs the local detector and is server VAD without it. */
  private get turnMode(): Settings['turnDetection']['mode'] {
    const mode = this.settings.turnDetection.mode;
    return mode === 'local' && !this.opts.localVoice?.localTurns ? 'server_vad' : mode;
  }

  /** Turns opened and closed by the client (push-to-talk, or the local detector). */
  private get manualTurns(): boolean {
    return this.turnMode === 'none' || this.turnMode === 'local';
  }

  private sessionConfig() {
    const settings = { ...this.settings, turnDetection: { ...this.settings.turnDetection, mode: this.turnMode } };
    const config = buildSessionConfig(settings, this.tools.definitions());
    for (const field of this.omitted) delete (config as unknown as Record<string, unknown>)[field];
    const suffix = this.opts.instructionsSuffix?.().trim();
    if (suffix) config.instructions = `${config.instructions ?? ''}\n\n${suffix}`;
    const td = config.audio?.input?.turn_detection;
    if (td && this.opts.localVoice?.clientInterrupts) td.interrupt_response = false;
    return config;
  }

  /**
   * Forget an item: gone from the server's context (conversation.item.delete) and from what a new
   * session is carried. Returns false for an unknown item.
   */
  forgetItem(id: string): boolean {
    const item = this.conversation.get(id);
    if (!item || item.forgotten) return false;
    const serverId = this.serverIds.get(id);
    if (serverId && this.ready) this.send({ type: 'conversation.item.delete', item_id: serverId });
    this.serverIds.delete(id);
    this.conversation.forget(id);
    return true;
  }

  /**
   * A new conversation: nothing of the current one is carried. Connected, the socket is replaced
   * by a fresh session (a fresh server conversation); `seed` (a resumed past conversation) is what
   * the new session starts with instead.
   */
  newConversation(seed: ConversationItem[] = [], resumedFrom: string | null = null): void {
    const reconnect = this.wanted;
    if (this.transport || this.wanted) this.disconnect();
    this.conversation.reset(seed);
    this.emit('reset', { resumedFrom });
    for (const item of this.conversation.items()) this.emit('item', { ...item });
    if (reconnect) void this.connect().catch(() => {});
  }

  /** Manual barge-in (talk key or button while the assistant speaks). */
  async interrupt(): Promise<void> {
    await this.bargeIn('manual');
  }

  // ---------------------------------------------------------------------------------------------
  // Connection

  private async open(): Promise<void> {
    const gen = ++this.generation;
    const key = this.apiKey;
    if (!key) {
      this.fail({ fatal: true, code: 'no_key', message: 'No API key is set. Add one in settings, or set OPENAI_API_KEY.' });
      return;
    }
    let endpoint: Endpoint;
    try {
      endpoint = buildEndpoint(this.settings.endpoint, this.settings.model, key);
    } catch (err) {
      this.fail({ fatal: true, code: 'bad_endpoint', message: `The endpoint URL is not valid: ${(err as Error).message}` });
      return;
    }
    this.setPhase(this.attempt > 0 ? 'reconnecting' : 'connecting');
    this.lastOpenAt = Date.now();
    this.endpointLabel = endpoint.label;
    const transport = this.opts.createTransport?.() ?? new Transport(this.opts.transport);
    this.transport = transport;
    transport.on('message', (raw) => {
      if (gen === this.generation) this.onMessage(raw);
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
    const wasReady = this.ready;
    const hadItems = this.conversation.items().length > 0;
    this.transport = null;
    this.generation++;
    this.abandonInFlight();
    this.resetConnectionState();
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
        this.notice('info', 'The session reached its time limit; continuing in a new one with the conversation so far.', 'session_renewed');
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
    if (wasReady || hadItems) this.notice('warning', f.message, f.code);
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
    this.setPhase('reconnecting');
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

  private fail(f: Failure): void {
    f = { ...f, message: redactText(f.message) };
    this.wanted = false;
    this.clearTimers();
    this.failure = f;
    this.reconnectInfo = undefined;
    this.setTurnOpen(false);
    this.transport?.close(1000);
    this.transport = null;
    this.setPhase('error');
    this.notice('error', f.message, f.code);
    this.rejectWaiters(f);
  }

  private onReady(): void {
    this.ready = true;
    this.outageSince = 0;
    this.creates.setReady(true);
    this.failure = undefined;
    this.reconnectInfo = undefined;
    // Only a connection that stays up earns a fresh backoff; a server that accepts and drops at
    // once must not be hammered.
    this.stableTimer = this.timers.after(this.backoff.stableMs, () => {
      this.attempt = 0;
    });
    this.carryConversation();
    if (this.replyOwed) {
      // After the replay (the server handles events in order, so the reply sees all of it).
      this.replyOwed = false;
      this.requestResponse(null);
    }
    this.updateGate();
    // Listeners (local voice) send what they kept while connecting as this state goes out.
    this.setPhase(this.turnOpen ? 'user-speaking' : 'listening');
    if (this.endWhenReady) {
      this.endWhenReady = false;
      this.endTurn();
    }
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w.resolve();
  }

  /** Seeds a new session (after a reconnect or renewal) with the finished conversation. */
  private carryConversation(): void {
    for (const entry of this.conversation.carryOver()) {
      const id = newItemId();
      this.carried.add(id);
      if (entry.sourceId) this.serverIds.set(entry.sourceId, id);
      const content = entry.role === 'assistant' ? [{ type: 'output_text' as const, text: entry.text }] : [{ type: 'input_text' as const, text: entry.text }];
      this.send({ type: 'conversation.item.create', item: { id, type: 'message', role: entry.role, content } as never });
    }
  }

  private scheduleRenewal(expiresAtSec: unknown): void {
    if (typeof expiresAtSec !== 'number' || !Number.isFinite(expiresAtSec) || expiresAtSec <= 0) return;
    const lifetime = expiresAtSec * 1000 - Date.now();
    if (lifetime <= 0) return;
    const fraction = this.opts.renewAfterFraction ?? 0.8;
    this.renewTimer = this.timers.after(lifetime * fraction, () => {
      this.renewDue = true;
      this.maybeRenew();
    });
  }

  private isIdle(): boolean {
    return (
      this.ready &&
      !this.turnOpen &&
      !this.userSpeaking &&
      !this.activeResponseId &&
      !this.creates.inFlight &&
      !this.creates.pending &&
      this.runningTools() === 0 &&
      this.playbackEndsAt <= Date.now()
    );
  }

  private maybeRenew(): void {
    if (!this.renewDue || !this.isIdle() || !this.wanted) return;
    this.renewDue = false;
    this.stats.renewals++;
    const old = this.transport;
    this.transport = null;
    this.generation++;
    this.resetConnectionState();
    old?.close(1000, 'renewing session');
    this.attempt = 0;
    this.openAfter(0);
  }

  private resetConnectionState(): void {
    this.ready = false;
    this.activeResponseId = null;
    this.creates.setReady(false);
    this.userSpeaking = false;
    this.producedAudio = false;
    this.configEventId = null;
    this.updateEvents.clear();
    this.awaitingAdded.clear();
    this.serverIds.clear();
    this.carried.clear();
    this.idleItems.clear();
    this.echoCommitted = false;
    this.echoReplies.clear();
    this.echoItems.clear();
    this.nudgeDue = false;
    this.speechItem = null;
    this.uplink.reset();
    this.timers.cancel(this.stableTimer);
    this.timers.cancel(this.renewTimer);
    this.stableTimer = this.renewTimer = null;
    this.updateGate();
  }

  /** A connection died mid-reply: stop the audio and mark what was cut. */
  private abandonInFlight(): void {
    const rid = this.activeResponseId;
    if (rid) {
      this.dropped.add(rid);
      for (const item of this.conversation.items()) {
        if (item.responseId === rid && item.status === 'in_progress') this.conversation.upsert(item.id, { status: 'interrupted' });
      }
    }
    if (rid || this.playbackEndsAt > Date.now()) {
      // What was heard of the cut reply is what a new session should remember of it.
      void this.stopPlayback().then((pos) => {
        for (const [itemId, info] of this.audio) {
          if (info.responseId !== rid) continue;
          // An item of the cut reply that the player was not on had not started playing.
          const heard = itemId === pos.itemId ? Math.floor(Math.min(pos.playedMs, info.receivedMs)) : 0;
          this.conversation.upsert(itemId, { truncatedAtMs: heard });
        }
      });
    }
    for (const item of this.conversation.items()) {
      if (item.role === 'user' && item.modality === 'audio' && item.status === 'in_progress') {
        this.conversation.upsert(item.id, { status: 'failed', error: 'The connection dropped before this was transcribed.' });
      }
    }
    if (this.turnOpen) this.setTurnOpen(false);
    this.replyOwed = this.owesReply(rid);
  }

  /**
   * Whether the conversation, as it will be replayed, ends without its answer: a reply was running
   * or asked for, or the last thing said is the user's (or a tool's), or the reply cut just now.
   */
  private owesReply(cut: string | null): boolean {
    if (this.creates.inFlight || this.creates.pending) return true;
    const last = [...this.conversation.items()].reverse().find((i) => i.status !== 'failed' && (i.type === 'message' || i.type === 'function_call_output'));
    if (!last) return false;
    if (last.role === 'assistant') return cut !== null && last.responseId === cut;
    return last.type === 'function_call_output' || last.status === 'completed';
  }

  private rejectWaiters(f: Failure): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w.reject(f);
  }

  // ---------------------------------------------------------------------------------------------
  // Server events

  private onMessage(raw: string): void {
    let event: ServerEvent;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || typeof (parsed as ServerEvent).type !== 'string') throw new Error('no type');
      event = parsed as ServerEvent;
    } catch {
      this.stats.unreadableMessages++;
      if (this.told.allow('unreadable_message')) this.notice('warning', 'The server sent a message Hark could not read; it was ignored.', 'unreadable_message');
      return;
    }
    if (typeof event.event_id === 'string' && !this.seenEvents.first(event.event_id)) {
      this.stats.duplicateEvents++;
      return;
    }
    try {
      // Inside the try: a listener (the event log) choking on a hostile frame must not throw into ws.
      if (this.listenerCount('wire') > 0) this.emit('wire', { dir: 'in', event: elideAudio(event) });
      this.dispatch(event);
    } catch (err) {
      // A well-formed event with wrongly typed fields must not take the session down; the user is
      // told once per connection, not once per event.
      this.stats.unreadableMessages++;
      if (this.told.allow('malformed_event')) this.notice('warning', `Ignored a malformed "${event.type}" event from the server (${(err as Error).message}).`, 'malformed_event');
    }
  }

  private dispatch(e: ServerEvent): void {
    switch (e.type) {
      case 'session.created': {
        const session = obj(e.session);
        this.reported = readReportedSession(session);
        this.scheduleRenewal(session.expires_at);
        this.configEventId = this.send({ type: 'session.update', session: this.sessionConfig() });
        return;
      }
      case 'session.updated':
        if (!this.ready) this.onReady();
        return;
      case 'error':
        return this.onServerError(obj(e.error));
      case 'input_audio_buffer.speech_started':
        if (this.isAssistantActive() && this.opts.localVoice && !this.opts.localVoice.allowServerBargeIn()) {
          // The assistant's own echo: not the user's turn. Its committed item is deleted below.
          this.stats.echoSuppressed++;
          this.echoTurns.add(str(e.item_id));
          return;
        }
        this.speechItem = nullableStr(e.item_id);
        this.userSpeaking = true;
        this.setPhase('user-speaking');
        if (this.isAssistantActive()) void this.bargeIn('speech');
        return;
      case 'input_audio_buffer.speech_stopped':
        if (this.echoTurns.has(str(e.item_id))) return;
        // A stop without a start is noise: it must not leave the phase waiting for a reply.
        if (!this.userSpeaking) return this.settlePhase();
        this.userSpeaking = false;
        this.setPhase('thinking');
        // The server's VAD answers a finished turn at once; if no reply ever starts (an empty
        // commit, a refused auto-reply), the phase must not wait for it forever.
        this.timers.after(THINKING_GRACE_MS, () => {
          if (this.phase === 'thinking' && !this.activeResponseId && !this.creates.inFlight && !this.creates.pending) this.settlePhase();
        });
        return;
      case 'input_audio_buffer.committed': {
        const id = need(e.item_id, 'item_id');
        if (this.echoTurns.delete(id) && !this.opts.localVoice?.userSpokeSinceEcho?.()) {
          // Keep the echo out of the conversation; the server's automatic reply to it fails on the
          // active response, and that failure must not queue a reply to the echo either (or, when
          // the reply had already ended, it starts and is cancelled at response.created).
          this.send({ type: 'conversation.item.delete', item_id: id });
          this.echoCommitted = true;
          return;
        }
        this.echoCommitted = false;
        const previous = nullableStr(e.previous_item_id);
        // A live caption may have created the item already; the commit says where it belongs.
        if (this.conversation.get(id)) this.conversation.move(id, previous);
        this.creates.committed(id, !this.manualTurns);
        this.conversation.upsert(
          id,
          { role: 'user', type: 'message', modality: 'audio', status: this.settings.transcription.enabled ? 'in_progress' : 'completed', ...(this.idleItems.has(id) ? { idle: true as const } : {}) },
          previous,
        );
        if (this.speechItem === id) this.speechItem = null;
        return;
      }
      case 'input_audio_buffer.timeout_triggered': {
        // The server nudges an idle user: it commits the silent buffer (this item) and answers by itself.
        const id = nullableStr(e.item_id);
        if (id) this.idleItems.add(id);
        this.nudgeDue = true;
        return;
      }
      case 'conversation.item.added':
      case 'conversation.item.done':
        this.creates.itemAdded(str(obj(e.item).id));
        return this.onItem(obj(e.item), nullableStr(e.previous_item_id), e.type === 'conversation.item.done');
      case 'conversation.item.input_audio_transcription.delta': {
        const id = str(e.item_id);
        // Live captions (gpt-realtime-whisper) stream while the user still speaks, before the commit.
        if (!this.conversation.get(id) && id && id === this.speechItem) {
          this.conversation.upsert(id, { role: 'user', type: 'message', modality: 'audio', status: 'in_progress' });
        }
        this.conversation.appendText(id, str(e.delta));
        return;
      }
      case 'conversation.item.input_audio_transcription.completed': {
        // Whisper-style models end transcripts with a newline; it means nothing to a reader.
        this.conversation.upsert(str(e.item_id), { text: str(e.transcript).trim(), status: 'completed' });
        const usage = fromTranscriptionUsage(e.usage);
        if (usage) this.emit('transcription', { itemId: str(e.item_id), usage });
        return;
      }
      case 'conversation.item.input_audio_transcription.failed': {
        const why = str(obj(e.error).message) || 'transcription failed';
        this.conversation.upsert(str(e.item_id), { status: 'failed', error: `Transcription failed: ${why}` });
        return;
      }
      case 'conversation.item.truncated': {
        const ms = e.audio_end_ms;
        if (typeof ms === 'number') this.conversation.upsert(str(e.item_id), { truncatedAtMs: ms, status: 'interrupted' });
        return;
      }
      case 'response.created': {
        const id = need(obj(e.response).id, 'response.id');
        if (this.echoCommitted && !this.creates.inFlight) {
          // The echo was committed after the reply had ended, so the server's automatic reply to it
          // started: it answers no one. Cancelled, kept out of view, and its items deleted.
          this.echoCommitted = false;
          this.echoReplies.add(id);
          this.dropped.add(id);
          this.send({ type: 'response.cancel', response_id: id });
          return;
        }
        if (!this.creates.responseCreated(id, obj(e.response).metadata)) {
          // Our create crossed a reply that already answered this context: cancelled, hidden and
          // its items deleted, as the echo's reply above.
          this.echoReplies.add(id);
          this.dropped.add(id);
          this.send({ type: 'response.cancel', response_id: id });
          return;
        }
        this.activeResponseId = id;
        this.responses.set(id, { id, done: false, status: 'in_progress', toolsRunning: 0, toolOutputs: 0, ...(this.nudgeDue ? { idle: true } : {}) });
        keepNewest(32, this.responses, this.dropped, this.audio, this.firstAudioAt);
        this.nudgeDue = false;
        if (this.phase !== 'user-speaking' && this.phase !== 'assistant-speaking') this.setPhase('thinking');
        return;
      }
      case 'response.output_item.added':
        return this.onOutputItem(str(e.response_id), obj(e.item), false);
      case 'response.output_item.done':
        return this.onOutputItem(str(e.response_id), obj(e.item), true);
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta':
        if (this.dropped.has(str(e.response_id))) {
          this.stats.droppedDeltas++;
          return;
        }
        this.conversation.appendText(str(e.item_id), str(e.delta));
        return;
      case 'response.output_audio_transcript.done':
      case 'response.output_text.done': {
        if (this.dropped.has(str(e.response_id))) return;
        const text = e.type === 'response.output_text.done' ? e.text : e.transcript;
        if (typeof text === 'string') this.conversation.upsert(str(e.item_id), { text });
        return;
      }
      case 'response.output_audio.delta':
        return this.onAudioDelta(need(e.response_id, 'response_id'), need(e.item_id, 'item_id'), e.delta);
      case 'response.output_audio.done': {
        const info = this.audio.get(str(e.item_id));
        if (info) info.done = true;
        if (!this.dropped.has(str(e.response_id))) this.emit('audio-done', { responseId: str(e.response_id), itemId: str(e.item_id) });
        return;
      }
      case 'response.function_call_arguments.delta': {
        const item = this.conversation.get(str(e.item_id));
        if (item && !this.dropped.has(str(e.response_id))) this.conversation.upsert(item.id, { arguments: (item.arguments ?? '') + str(e.delta) });
        return;
      }
      case 'response.function_call_arguments.done': {
        const id = str(e.item_id);
        const args = str(e.arguments);
        this.conversation.upsert(id, { arguments: args });
        const item = this.conversation.get(id);
        const name = typeof e.name === 'string' ? e.name : item?.name;
        const callId = typeof e.call_id === 'string' ? e.call_id : item?.callId;
        if (name && callId) this.startToolCall(str(e.response_id), callId, name, args);
        return;
      }
      case 'response.done': {
        const id = need(obj(e.response).id, 'response.id');
        if (this.echoReplies.delete(id)) {
          this.creates.responseDone(id);
          this.creates.flush();
          return this.settlePhase();
        }
        return this.onResponseDone(obj(e.response));
      }
      case 'conversation.item.deleted':
        // Gone from what is shown, from history and from what a new session is seeded with.
        this.conversation.remove(need(e.item_id, 'item_id'));
        return;
      case 'rate_limits.updated': {
        const limits = Array.isArray(e.rate_limits) ? e.rate_limits : [];
        const tokens = limits.map(obj).find((l) => l.name === 'tokens');
        if (tokens) this.creates.rateLimitReset(Number(tokens.reset_seconds));
        if (tokens && tokens.remaining === 0) {
          this.notice('warning', `The token rate limit is used up; it resets in about ${Math.ceil(Number(tokens.reset_seconds) || 1)} s.`, 'rate_limited');
        }
        return;
      }
      case 'input_audio_buffer.cleared':
      case 'response.content_part.added':
      case 'response.content_part.done':
      case 'conversation.item.retrieved':
      case 'conversation.created':
        return;
      default:
        // New server events appear over time; ignoring them is the forward-compatible choice.
        this.stats.unknownEvents++;
    }
  }

  private onServerError(err: Record<string, unknown>): void {
    if (typeof err.message !== 'string' && typeof err.code !== 'string') {
      // An error event that says nothing readable is a bad frame like any other.
      this.stats.unreadableMessages++;
      if (this.told.allow('malformed_error')) this.notice('warning', 'The server reported an error Hark could not read; it was ignored.', 'malformed_error');
      return;
    }
    const code = nullableStr(err.code);
    const message = str(err.message);
    const clientEventId = nullableStr(err.event_id);
    if (code === 'response_cancel_not_active') return; // a cancel that raced the response's end: harmless
    if (code === 'conversation_already_has_active_response' && !clientEventId && this.echoCommitted) {
      this.echoCommitted = false;
      return;
    }
    // Every error that answers a response.create settles it there (retry, wait, or give up).
    if (this.creates.onError(code, clientEventId, message)) return;
    if (clientEventId && clientEventId === this.configEventId) {
      const why = explainModelRejection(nullableStr(err.param), this.settings.model);
      if (why && !this.omitted.has(why.retryWithout)) {
        // One field the model refuses must not cost the user all the other settings.
        this.omitted.add(why.retryWithout);
        this.notice('warning', why.message, code);
        this.configEventId = this.send({ type: 'session.update', session: this.sessionConfig() });
        return;
      }
      this.notice('warning', `The server did not accept Hark's settings (${message}); continuing with its defaults.`, code);
      if (!this.ready) this.onReady();
      return;
    }
    if (clientEventId && this.updateEvents.delete(clientEventId)) {
      this.notice('warning', `Settings were not applied: ${message}`, code);
      return;
    }
    const f = classifyErrorEvent(code, message);
    this.lastError = f;
    // A fatal error decides at once, whatever close follows it (a 1001, a 1011, a TCP drop, or
    // none at all): retrying would loop forever on a dead key or an empty account.
    if (f.fatal) return this.fail(f);
    if (this.told.allow(`server_error:${code ?? ''}:${f.message}`)) this.notice('warning', `Server error: ${f.message}`, code);
  }

  private onItem(item: Record<string, unknown>, previous: string | null, done: boolean): void {
    const id = str(item.id);
    if (this.carried.has(id) || this.echoItems.has(id)) return;
    if (id && !this.serverIds.has(id)) this.serverIds.set(id, id);
    const type = item.type;
    if (type === 'message') {
      const role = item.role === 'assistant' ? 'assistant' : item.role === 'user' ? 'user' : null;
      if (!role) return; // system notes are ours (carry-over), not part of what the user sees
      const content = Array.isArray(item.content) ? item.content.map(obj) : [];
      const audio = content.some((c) => c.type === 'input_audio' || c.type === 'output_audio');
      const existing = this.conversation.get(id);
      if (!existing) {
        const text = content.map((c) => (typeof c.text === 'string' ? c.text : typeof c.transcript === 'string' ? c.transcript : '')).join('');
        const phase = readPhase(item);
        this.conversation.upsert(id, { role, type: 'message', modality: audio ? 'audio' : 'text', text, status: role === 'user' && !audio ? 'completed' : 'in_progress', ...(phase ? { phase } : {}) }, previous);
      } else if (role === 'assistant' && !existing.phase) {
        const phase = readPhase(item);
        if (phase) this.conversation.upsert(id, { phase });
      }
      if (this.awaitingAdded.delete(id)) this.requestResponse(id);
      return;
    }
    // Outputs we sent are already recorded with their real status; only foreign ones are added here.
    if (type === 'function_call_output' && !this.conversation.get(id)) {
      this.conversation.upsert(id, { role: 'tool', type: 'function_call_output', callId: str(item.call_id), output: str(item.output), modality: null, status: done ? 'completed' : 'in_progress' }, previous);
    }
    // function_call items are tracked from response.output_item.*
  }

  private onOutputItem(responseId: string, item: Record<string, unknown>, done: boolean): void {
    const id = str(item.id);
    if (this.echoReplies.has(responseId)) {
      if (!done && id && !this.echoItems.has(id)) {
        this.echoItems.add(id);
        this.send({ type: 'conversation.item.delete', item_id: id });
      }
      return;
    }
    if (item.type === 'message') {
      if (!done) {
        const modality = this.settings.outputModality === 'text' ? 'text' : 'audio';
        const phase = readPhase(item);
        this.conversation.upsert(id, { role: 'assistant', type: 'message', modality, responseId, status: 'in_progress', ...(phase ? { phase } : {}) });
        return;
      }
      const current = this.conversation.get(id);
      if (current && current.status !== 'interrupted') {
        this.conversation.upsert(id, { status: item.status === 'completed' ? 'completed' : 'interrupted' });
      }
      return;
    }
    if (item.type === 'function_call') {
      const callId = str(item.call_id);
      const name = str(item.name);
      if (!done) {
        this.conversation.upsert(id, { role: 'tool', type: 'function_call', modality: null, responseId, callId, name, arguments: '', status: 'in_progress', text: name });
        return;
      }
      const args = typeof item.arguments === 'string' ? item.arguments : (this.conversation.get(id)?.arguments ?? '');
      this.conversation.upsert(id, { arguments: args, status: item.status === 'completed' ? 'completed' : 'interrupted' });
      // Some servers send no arguments.done; the finished item carries the same information.
      if (item.status === 'completed') this.startToolCall(responseId, callId, name, args);
    }
  }

  private onAudioDelta(responseId: string, itemId: string, delta: unknown): void {
    // Only the active response plays: audio of one never created, or already done, is dropped.
    if (this.dropped.has(responseId) || responseId !== this.activeResponseId) {
      this.stats.droppedDeltas++;
      return;
    }
    const pcm = decodeAudioDelta(delta);
    if (!pcm) {
      this.stats.badAudioDeltas++;
      if (this.told.allow('bad_audio')) this.notice('warning', 'Some reply audio from the server was corrupted and was skipped.', 'bad_audio');
      return;
    }
    const ms = pcmMs(pcm.length);
    const info = this.audio.get(itemId) ?? { responseId, receivedMs: 0, done: false };
    info.receivedMs += ms;
    this.audio.set(itemId, info);
    this.lastAudioItem = itemId;
    this.producedAudio = true;
    const now = Date.now();
    if (!this.firstAudioAt.has(itemId)) this.firstAudioAt.set(itemId, now);
    this.playbackEndsAt = Math.max(this.playbackEndsAt, now) + ms;
    this.conversation.upsert(itemId, { audioMs: Math.round(info.receivedMs) });
    if (this.phase !== 'assistant-speaking' && this.phase !== 'user-speaking') this.setPhase('assistant-speaking');
    this.emit('audio', { responseId, itemId, pcm });
  }

  private onResponseDone(response: Record<string, unknown>): void {
    const id = str(response.id);
    const status = str(response.status) || 'completed';
    const info = this.responses.get(id) ?? { id, done: false, status, toolsRunning: 0, toolOutputs: 0 };
    info.done = true;
    info.status = status;
    this.responses.set(id, info);
    if (this.activeResponseId === id) this.activeResponseId = null;
    this.creates.responseDone(id);
    const usage = fromResponseUsage(response.usage as never);
    this.conversation.addUsage(usage);
    this.emit('usage', { ...this.conversation.usage });
    let error: string | undefined;
    if (status === 'failed') {
      error = str(obj(obj(response.status_details).error).message) || 'The model could not finish its reply.';
      this.notice('error', `The reply failed: ${error}`, 'response_failed');
    }
    const finalStatus = status === 'completed' ? 'completed' : status === 'failed' ? 'failed' : 'interrupted';
    for (const item of this.conversation.items()) {
      if (item.responseId === id && item.status === 'in_progress') this.conversation.upsert(item.id, { status: finalStatus });
    }
    this.emit('response', { id, status, usage, ...(error ? { error } : {}), ...(info.idle ? { idle: true } : {}) });
    this.afterResponse(info);
  }

  /** The one place that decides what follows a response: tool follow-up, queued create, or rest. */
  private afterResponse(info: ResponseInfo): void {
    if (info.done && info.toolsRunning === 0 && info.toolOutputs > 0 && info.status === 'completed') {
      info.toolOutputs = 0;
      this.requestResponse(info.lastOutputId);
    } else {
      this.creates.flush();
    }
    this.settlePhase();
  }

  // ---------------------------------------------------------------------------------------------
  // Responses and tools

  /** At most one response is active; a request while one is busy waits for its response.done. */
  private requestResponse(mustSee: string | null = null): void {
    this.creates.request(mustSee);
  }

  private startToolCall(responseId: string, callId: string, name: string, args: string): void {
    const info = this.responses.get(responseId);
    // A call of a response this session never saw created has no reply to feed: it is not run.
    if (!info || this.startedCalls.has(callId) || this.dropped.has(responseId)) return;
    this.startedCalls.add(callId);
    info.toolsRunning++;
    const gen = this.generation;
    this.setPhase('tool-running');
    void this.tools.run(name, args, this.settings.toolTimeoutMs).then((result) => {
      if (info) info.toolsRunning--;
      const id = newItemId();
      this.conversation.upsert(id, { role: 'tool', type: 'function_call_output', modality: null, callId, name, output: result.output, text: name, status: result.ok ? 'completed' : 'failed' });
      // An output for a call of a dead connection would reference an unknown call_id.
      if (gen !== this.generation || !this.ready) return;
      if (this.send({ type: 'conversation.item.create', item: { id, type: 'function_call_output', call_id: callId, output: result.output } })) this.creates.itemSent(id);
      if (info) {
        info.toolOutputs++;
        info.lastOutputId = id;
        if (info.done) this.afterResponse(info);
      }
    });
  }

  private runningTools(): number {
    let n = 0;
    for (const r of this.responses.values()) n += r.toolsRunning;
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Barge-in

  private isAssistantActive(): boolean {
    return this.activeResponseId !== null || this.playbackEndsAt > Date.now();
  }

  /**
   * Stop playback now, truncate the item to what the user actually heard, and make sure nothing more
   * of that response plays. Truth is the samples the player rendered, never wall clock.
   */
  private async bargeIn(trigger: 'speech' | 'local' | 'manual'): Promise<void> {
    const rid = this.activeResponseId;
    if (rid) {
      this.dropped.add(rid);
      // With server VAD and interrupt_response the server cancels by itself; otherwise we must.
      const serverCancels = trigger === 'speech' && !this.manualTurns && !this.opts.localVoice?.clientInterrupts;
      if (!serverCancels) this.send({ type: 'response.cancel' });
    }
    const position = await this.stopPlayback();
    const itemId = position.itemId ?? this.lastAudioItem;
    const info = itemId ? this.audio.get(itemId) : undefined;
    // An item is cut once: a later interjection finds the same item "last played", but the server
    // already knows where it ended.
    if (!itemId || !info || info.truncated) return;
    const endMs = Math.floor(Math.min(position.playedMs, info.receivedMs));
    const heardAll = info.done && endMs >= Math.floor(info.receivedMs);
    if (heardAll) return;
    this.dropped.add(info.responseId);
    info.truncated = true;
    this.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: endMs });
    this.conversation.upsert(itemId, { status: 'interrupted', truncatedAtMs: endMs });
    this.settlePhase();
  }

  private async stopPlayback(): Promise<PlayedPosition> {
    this.playbackEndsAt = 0;
    const estimate = (): PlayedPosition => {
      const item = this.lastAudioItem;
      const started = item ? this.firstAudioAt.get(item) : undefined;
      return { itemId: item, playedMs: started === undefined ? 0 : Date.now() - started };
    };
    if (!this.playback) return estimate();
    const fallback = estimate();
    try {
      return await Promise.race([
        this.playback.stop(),
        new Promise<PlayedPosition>((resolve) => this.timers.after(this.opts.playbackStopTimeoutMs ?? 250, () => resolve(fallback))),
      ]);
    } catch {
      return fallback;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // State

  private settlePhase(): void {
    if (!this.ready) return;
    if (this.turnOpen || this.userSpeaking) return this.setPhase('user-speaking');
    if (this.runningTools() > 0) return this.setPhase('tool-running');
    if (this.activeResponseId || this.creates.inFlight) return this.setPhase(this.playbackEndsAt > Date.now() ? 'assistant-speaking' : 'thinking');
    const left = this.playbackEndsAt - Date.now();
    if (left > 0) {
      this.setPhase('assistant-speaking');
      this.timers.cancel(this.playbackTimer);
      this.playbackTimer = this.timers.after(left + 5, () => {
        this.playbackTimer = null;
        this.settlePhase();
      });
      return;
    }
    this.setPhase('listening');
    this.maybeRenew();
  }

  private setTurnOpen(open: boolean): void {
    this.turnOpen = open;
    if (!open) this.endWhenReady = false;
    this.updateGate();
  }

  private updateGate(): void {
    // While connecting, local voice keeps what the mic hears and sends it once ready (no lost words).
    const live = this.ready || this.buffersWhileConnecting();
    // In the local mode every frame goes to main's detector; only turns reach the server.
    const open = live && !this.muted && (this.settings.turnDetection.mode !== 'none' || this.turnOpen);
    if (open === this.gateOpen) return;
    this.gateOpen = open;
    this.emit('gate', { open });
  }

  /** Connecting, with local voice keeping the mic's audio until the session is ready. */
  private buffersWhileConnecting(): boolean {
    return (this.phase === 'connecting' || this.phase === 'reconnecting') && this.opts.localVoice?.buffersWhileConnecting === true;
  }

  private lastStateJson = '';
  private setPhase(phase: SessionPhase): void {
    this.phase = phase;
    this.updateGate();
    this.emitState();
  }

  private emitState(): void {
    const s = this.state;
    const json = JSON.stringify(s);
    if (json === this.lastStateJson) return;
    this.lastStateJson = json;
    this.emit('state', s);
  }

  private notice(level: Notice['level'], message: string, code?: string | null): void {
    this.emit('notice', { level, message, code: code ?? null });
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  /** Sends a client event with an id, so the server's error can be matched to it. */
  private send(event: RealtimeClientEvent): string | null {
    if (!this.transport) return null;
    const id = `hark_${++this.eventSeq}`;
    const withId = { ...event, event_id: id };
    if (!this.transport.send(withId)) return null;
    if (this.listenerCount('wire') > 0) this.emit('wire', { dir: 'out', event: elideAudio(withId as ServerEvent) });
    return id;
  }

  private clearTimers(): void {
    this.timers.cancelAll();
    this.reconnectTimer = this.stableTimer = this.renewTimer = this.playbackTimer = this.toolsTimer = null;
  }
}

function newItemId(): string {
  // The API accepts client ids up to 32 characters; the prefix marks them as ours in logs.
  return `hark_${randomBytes(12).toString('hex')}`;
}
