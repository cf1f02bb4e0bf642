// The conversation engine: one Realtime session over WebSocket, its turns, barge-in, function calls,
// errors and reconnection. It imports nothing from Electron, so the app, the `talk` command and the
// tests all run this same code. Hosts give it audio (appendAudio) and a way to stop playback
// (PlaybackPort), and listen to its events.
//
// This file is the facade: it owns the server-event switch, the turn and the phase (only it sets
// the phase), and wires the rooms that do the rest, each acting through the small port of
// session-port.ts and none importing another: connection-lifecycle.ts (connect, reconnect,
// renewal), response-queue.ts (creates, tool calls and their outputs), playback-ledger.ts (audio per
// item, barge-in, truncation), item-feed.ts (server items into the Conversation), mic-turn.ts (mute,
// manual turns, the mic gate), echo-turns.ts (the assistant's own voice kept out),
// session-updates.ts (config and live updates) and server-inbox.ts (frames into events).
import { EventEmitter } from 'node:events';
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type { ConversationItem, ItemImage, Notice, SessionPhase, SessionState } from '../../preload/api';
import type { Settings } from '../../common/settings/settings-schema';
import { redact, redactText, registerSecret } from '../security/redact';
import type { ToolRegistry } from '../tools/tool-registry';
import { decodeAudioDelta } from './audio-delta';
import { ConnectionLifecycle } from './connection-lifecycle';
import { Conversation } from './conversation';
import { EchoTurns } from './echo-turns';
import { classifyErrorEvent } from './errors';
import { elideAudio, need, nullableStr, obj, str, type ServerEvent } from './event-fields';
import { readReportedSession, type ReportedSession } from './item-phase';
import { ItemFeed } from './item-feed';
import { MicTurn } from './mic-turn';
import { PlaybackLedger } from './playback-ledger';
import { DEFAULT_BACKOFF } from './reconnect-policy';
import { ResponseQueue } from './response-queue';
import { newItemId, type SessionPort } from './session-port';
import { ServerInbox } from './server-inbox';
import { SessionUpdates } from './session-updates';
import type { SessionEvents, SessionOptions, SessionStats } from './session-types';
import { TimerSet } from './timer-set';
import { fromTranscriptionUsage } from '../usage/usage-math';

export type { AudioOut, PlaybackPort, SessionEvents, SessionOptions } from './session-types';

/** An image for sendImage: what the model gets (the data URI) and what the transcript shows. */
export type UserImage = ItemImage & { dataUri: string; detail: 'low' | 'high' | 'auto' };

const THINKING_GRACE_MS = 5000;

export class RealtimeSession extends EventEmitter<SessionEvents> {
  readonly conversation: Conversation;
  private settings: Settings;
  private readonly tools: ToolRegistry;
  private apiKey: string | null;
  private readonly timers = new TimerSet();
  /** The rooms of the session (see the opening comment). */
  private readonly port: SessionPort;
  private readonly link: ConnectionLifecycle;
  private readonly queue: ResponseQueue;
  private readonly ledger: PlaybackLedger;
  private readonly feed: ItemFeed;
  private readonly echo: EchoTurns;
  private readonly updates: SessionUpdates;
  private readonly mic: MicTurn;
  private readonly inbox: ServerInbox;

  private phase: SessionPhase = 'disconnected';
  private ready = false;
  private userSpeaking = false;
  private producedAudio = false;
  private playbackTimer: NodeJS.Timeout | null = null;
  private eventSeq = 0;
  /** What the server reported for this session (model defaults such as silence and voice). */
  reported: ReportedSession | null = null;
  /** Counters for tests and the event log. */
  readonly stats: SessionStats = { duplicateEvents: 0, droppedDeltas: 0, badAudioDeltas: 0, unreadableMessages: 0, unknownEvents: 0, reconnects: 0, renewals: 0, echoSuppressed: 0 };

  constructor(private readonly opts: SessionOptions) {
    super();
    this.settings = opts.settings;
    this.apiKey = opts.apiKey;
    registerSecret(opts.apiKey);
    this.tools = opts.tools;
    const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.conversation = new Conversation((item) => this.emit('item', { ...item }));
    this.port = { send: (event) => this.send(event), notice: (level, message, code) => this.notice(level, message, code), newId: newItemId };
    this.mic = new MicTurn(this.port, { live: () => this.ready || this.buffersWhileConnecting(), turnDetection: () => this.settings.turnDetection.mode, gate: (open) => this.emit('gate', { open }) });
    this.link = new ConnectionLifecycle(
      this.port,
      {
        apiKey: () => this.apiKey,
        settings: () => this.settings,
        message: (raw) => this.onMessage(raw),
        hasItems: () => this.conversation.items().length > 0,
        ready: () => this.ready,
        idle: () => this.isIdle(),
        opening: (again) => this.setPhase(again ? 'reconnecting' : 'connecting'),
        lost: () => this.abandonInFlight(),
        forget: () => this.resetConnectionState(),
        waiting: () => this.setPhase('reconnecting'),
        stopping: () => {
          this.clearTimers();
          this.mic.setOpen(false);
        },
        failed: () => this.setPhase('error'),
      },
      this.timers,
      backoff,
      this.stats,
      opts,
    );
    this.ledger = new PlaybackLedger(this.port, this.conversation, this.timers, opts.playback, opts.playbackStopTimeoutMs ?? 250);
    this.queue = new ResponseQueue(
      this.port,
      {
        settings: () => this.settings,
        connection: () => this.link.generation,
        ready: () => this.ready,
        isDropped: (id) => this.ledger.isDropped(id),
        toolStarted: () => this.setPhase('tool-running'),
        changed: () => this.settlePhase(),
        usage: (totals) => this.emit('usage', totals),
        ended: (response) => this.emit('response', response),
      },
      this.conversation,
      this.tools,
      this.timers,
      opts.createPolicy ?? { maxRateLimitRetries: 4, baseMs: backoff.baseMs, maxMs: Math.max(backoff.baseMs, Math.min(8000, backoff.maxMs)) },
    );
    this.feed = new ItemFeed(this.port, this.conversation, () => this.settings);
    this.echo = new EchoTurns(this.port);
    this.inbox = new ServerInbox(this.port, this.stats);
    this.updates = new SessionUpdates(this.port, { settings: () => this.settings, turnMode: () => this.turnMode, ready: () => this.ready }, this.tools, this.timers, opts);
    this.tools.onChange(() => this.refreshTools());
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
    const failure = this.link.failure;
    return {
      phase: this.phase,
      turnDetection: this.settings.turnDetection.mode,
      turnOpen: this.mic.isOpen,
      muted: this.mic.muted,
      ...(this.link.reconnectInfo ? { reconnect: { ...this.link.reconnectInfo } } : {}),
      ...(failure ? { error: { fatal: failure.fatal, code: failure.code, message: redactText(failure.message) } } : {}),
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
    return this.link.connect();
  }

  disconnect(): void {
    this.link.disconnect(
      () => {
        this.queue.forgetOwed();
        this.clearTimers();
        this.mic.setOpen(false);
      },
      () => this.setPhase('disconnected'),
    );
  }

  /** Mic audio, PCM16 LE 24 kHz mono, any length. Dropped unless it should reach the server now. */
  appendAudio(pcm: Uint8Array): void {
    if (this.ready) this.mic.push(pcm, this.manualTurns);
  }

  /**
   * Push-to-talk start. With VAD on, the talk key interrupts the assistant instead. Returns whether
   * a manual turn is now open.
   */
  beginTurn(): boolean {
    if (this.isAssistantActive()) void this.interrupt();
    if (!this.manualTurns) return false;
    if (this.mic.isOpen) return true;
    if (!this.ready) {
      // Pressed while connecting (a wake from idle): the turn opens now, so local voice keeps what
      // is said and sends it once the session is ready; the new session's buffer starts empty.
      if (!this.buffersWhileConnecting()) return false;
      this.mic.begin(false);
      return true;
    }
    this.mic.begin(true);
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
    if (!this.mic.isOpen) return false;
    if (!this.ready) {
      // Released before the session is ready: the turn ends once the kept audio has gone out.
      this.mic.endWhenReady = true;
      return true;
    }
    if (!this.mic.end()) {
      this.setPhase('listening');
      return false;
    }
    this.queue.request();
    this.setPhase('thinking');
    return true;
  }

  cancelTurn(): void {
    if (!this.mic.isOpen) return;
    this.mic.cancel();
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
    this.queue.awaitAdded(id);
    if (this.send({ type: 'conversation.item.create', item: { id, type: 'message', role: 'user', content: [{ type: 'input_text', text: trimmed }] } })) this.queue.creates.itemSent(id);
    return true;
  }

  /**
   * A user message with an image (a screen the user agreed to share). `text` goes with it; with
   * `respond` the reply follows once the server has it (a tool's image waits for the tool's output).
   */
  sendImage(image: UserImage, text: string | null, respond: boolean): boolean {
    if (!this.ready) {
      this.notice('warning', 'Not connected: the image was not sent.', 'not_connected');
      return false;
    }
    const id = newItemId();
    const { dataUri, detail, ...shown } = image;
    this.conversation.upsert(id, { role: 'user', type: 'message', modality: 'text', text: text ?? '', image: shown, status: 'completed' });
    if (respond) this.queue.awaitAdded(id);
    const content = [...(text ? [{ type: 'input_text' as const, text }] : []), { type: 'input_image' as const, image_url: dataUri, detail }];
    const sent = this.send({ type: 'conversation.item.create', item: { id, type: 'message', role: 'user', content } });
    if (sent && respond) this.queue.creates.itemSent(id);
    return sent !== null;
  }

  setMuted(muted: boolean): void {
    this.mic.muted = muted;
    this.mic.updateGate();
    this.emitState();
  }

  /** Applies new settings live where the API allows it; the rest at the next session. */
  applySettings(next: Settings): void {
    const prev = this.settings;
    this.settings = next;
    if (JSON.stringify(prev.endpoint) !== JSON.stringify(next.endpoint) || prev.model !== next.model) {
      this.updates.forgetRefusals();
      this.notice('info', 'The new endpoint or model takes effect at the next idle moment, when Hark reconnects.', 'reconnect_pending');
      this.link.renewSoon();
      return;
    }
    if (prev.turnDetection.mode !== next.turnDetection.mode && this.mic.isOpen) this.cancelTurn();
    this.mic.updateGate();
    if (!this.ready) return;
    this.updates.applyLive(prev, next, this.producedAudio);
    this.emitState();
  }

  /** The set of tools changed (an MCP server started or died): offer the new list. */
  refreshTools(): void {
    this.updates.refreshTools();
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

  /**
   * Forget an item: gone from the server's context (conversation.item.delete) and from what a new
   * session is carried. Returns false for an unknown item.
   */
  forgetItem(id: string): boolean {
    return this.feed.forget(id, this.ready);
  }

  /**
   * A new conversation: nothing of the current one is carried. Connected, the socket is replaced
   * by a fresh session (a fresh server conversation); `seed` (a resumed past conversation) is what
   * the new session starts with instead.
   */
  newConversation(seed: ConversationItem[] = [], resumedFrom: string | null = null): void {
    const reconnect = this.link.wanted;
    if (this.transport || this.link.wanted) this.disconnect();
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
  // Connection events (the lifecycle reports; the session decides what they mean for the turn)

  private onReady(): void {
    this.ready = true;
    this.queue.creates.setReady(true);
    this.link.established();
    this.feed.carry();
    this.queue.askOwed();
    this.mic.updateGate();
    // Listeners (local voice) send what they kept while connecting as this state goes out.
    this.setPhase(this.mic.isOpen ? 'user-speaking' : 'listening');
    if (this.mic.endWhenReady) {
      this.mic.endWhenReady = false;
      this.endTurn();
    }
    this.link.resolveWaiters();
  }

  private isIdle(): boolean {
    return this.ready && !this.mic.isOpen && !this.userSpeaking && this.queue.idle && !this.ledger.audible;
  }

  private resetConnectionState(): void {
    this.ready = false;
    this.queue.reset();
    this.userSpeaking = false;
    this.producedAudio = false;
    this.updates.reset();
    this.feed.reset();
    this.echo.reset();
    this.mic.reset();
    this.link.cancelConnectionTimers();
    this.mic.updateGate();
  }

  /** A connection died mid-reply: stop the audio and mark what was cut. */
  private abandonInFlight(): void {
    const rid = this.queue.abandon();
    if (rid) this.ledger.drop(rid);
    this.ledger.rememberHeard(rid);
    this.feed.untranscribedLost();
    if (this.mic.isOpen) this.mic.setOpen(false);
    this.queue.rememberOwed(rid);
  }

  // ---------------------------------------------------------------------------------------------
  // Server events

  private onMessage(raw: string): void {
    const event = this.inbox.read(raw);
    if (!event) return;
    try {
      // Inside the try: a listener (the event log) choking on a hostile frame must not throw into ws.
      if (this.listenerCount('wire') > 0) this.emit('wire', { dir: 'in', event: elideAudio(event) });
      this.dispatch(event);
    } catch (err) {
      // A well-formed event with wrongly typed fields must not take the session down; the user is
      // told once per connection, not once per event.
      this.inbox.bad('malformed_event', `Ignored a malformed "${event.type}" event from the server (${(err as Error).message}).`);
    }
  }

  private dispatch(e: ServerEvent): void {
    const creates = this.queue.creates;
    switch (e.type) {
      case 'session.created': {
        const session = obj(e.session);
        this.reported = readReportedSession(session);
        this.link.scheduleRenewal(session.expires_at);
        this.updates.configure();
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
          this.echo.suppress(str(e.item_id));
          return;
        }
        this.feed.speechStarted(nullableStr(e.item_id));
        this.userSpeaking = true;
        this.setPhase('user-speaking');
        if (this.isAssistantActive()) void this.bargeIn('speech');
        return;
      case 'input_audio_buffer.speech_stopped':
        if (this.echo.isEchoTurn(str(e.item_id))) return;
        // A stop without a start is noise: it must not leave the phase waiting for a reply.
        if (!this.userSpeaking) return this.settlePhase();
        this.userSpeaking = false;
        this.setPhase('thinking');
        // The server's VAD answers a finished turn at once; if no reply ever starts (an empty
        // commit, a refused auto-reply), the phase must not wait for it forever.
        this.timers.after(THINKING_GRACE_MS, () => {
          if (this.phase === 'thinking' && !this.queue.activeId && !creates.inFlight && !creates.pending) this.settlePhase();
        });
        return;
      case 'input_audio_buffer.committed': {
        const id = need(e.item_id, 'item_id');
        if (this.echo.committed(id, () => this.opts.localVoice?.userSpokeSinceEcho?.() ?? false)) return;
        creates.committed(id, !this.manualTurns);
        return this.feed.committed(id, nullableStr(e.previous_item_id));
      }
      case 'input_audio_buffer.timeout_triggered': {
        // The server nudges an idle user: it commits the silent buffer (this item) and answers by itself.
        this.feed.nudged(nullableStr(e.item_id));
        this.queue.nudged();
        return;
      }
      case 'conversation.item.added':
      case 'conversation.item.done': {
        const item = obj(e.item);
        creates.itemAdded(str(item.id));
        if (this.echo.isEchoItem(str(item.id))) return;
        return this.feed.item(item, nullableStr(e.previous_item_id), e.type === 'conversation.item.done', (id) => this.queue.messageAdded(id));
      }
      case 'conversation.item.input_audio_transcription.delta':
        return this.feed.caption(str(e.item_id), str(e.delta));
      case 'conversation.item.input_audio_transcription.completed': {
        this.feed.transcribed(str(e.item_id), str(e.transcript));
        const usage = fromTranscriptionUsage(e.usage);
        if (usage) this.emit('transcription', { itemId: str(e.item_id), usage });
        return;
      }
      case 'conversation.item.input_audio_transcription.failed':
        return this.feed.transcriptionFailed(str(e.item_id), str(obj(e.error).message));
      case 'conversation.item.truncated':
        return this.feed.truncated(str(e.item_id), e.audio_end_ms);
      case 'response.created': {
        const id = need(obj(e.response).id, 'response.id');
        // The server's automatic reply to an echo committed after the reply ended: kept out of view.
        if (this.echo.responseCreated(id, creates.inFlight)) return this.ledger.drop(id);
        if (!this.queue.created(id, obj(e.response).metadata)) {
          // Our create crossed a reply that already answered this context: cancelled and hidden.
          this.echo.unwanted(id);
          return this.ledger.drop(id);
        }
        if (this.phase !== 'user-speaking' && this.phase !== 'assistant-speaking') this.setPhase('thinking');
        return;
      }
      case 'response.output_item.added':
      case 'response.output_item.done': {
        const responseId = str(e.response_id);
        const item = obj(e.item);
        const done = e.type === 'response.output_item.done';
        if (this.echo.outputItem(responseId, str(item.id), done)) return;
        if (item.type === 'message') return this.feed.outputMessage(responseId, item, done);
        if (item.type === 'function_call') return this.queue.outputCall(responseId, item, done);
        return;
      }
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta':
        if (this.ledger.isDropped(str(e.response_id))) return void this.stats.droppedDeltas++;
        return this.conversation.appendText(str(e.item_id), str(e.delta));
      case 'response.output_audio_transcript.done':
      case 'response.output_text.done':
        if (this.ledger.isDropped(str(e.response_id))) return;
        return this.feed.replyText(str(e.item_id), e.type === 'response.output_text.done' ? e.text : e.transcript);
      case 'response.output_audio.delta':
        return this.onAudioDelta(need(e.response_id, 'response_id'), need(e.item_id, 'item_id'), e.delta);
      case 'response.output_audio.done':
        this.ledger.done(str(e.item_id));
        if (!this.ledger.isDropped(str(e.response_id))) this.emit('audio-done', { responseId: str(e.response_id), itemId: str(e.item_id) });
        return;
      case 'response.function_call_arguments.delta':
        return this.queue.argumentsDelta(str(e.response_id), str(e.item_id), str(e.delta));
      case 'response.function_call_arguments.done':
        return this.queue.argumentsDone(e);
      case 'response.done': {
        const id = need(obj(e.response).id, 'response.id');
        if (this.echo.responseDone(id)) {
          creates.responseDone(id);
          creates.flush();
          return this.settlePhase();
        }
        return this.queue.done(obj(e.response));
      }
      case 'conversation.item.deleted':
        // Gone from what is shown, from history and from what a new session is seeded with.
        this.conversation.remove(need(e.item_id, 'item_id'));
        return;
      case 'rate_limits.updated':
        return this.queue.rateLimits(e.rate_limits);
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
      return this.inbox.bad('malformed_error', 'The server reported an error Hark could not read; it was ignored.');
    }
    const code = nullableStr(err.code);
    const message = str(err.message);
    const clientEventId = nullableStr(err.event_id);
    if (code === 'response_cancel_not_active') return; // a cancel that raced the response's end: harmless
    if (this.echo.absorbsRefusal(code, clientEventId)) return;
    // Every error that answers a response.create settles it there (retry, wait, or give up).
    if (this.queue.creates.onError(code, clientEventId, message)) return;
    const answered = this.updates.onError(code, clientEventId, message, nullableStr(err.param));
    if (answered === 'defaults' && !this.ready) this.onReady();
    if (answered) return;
    const f = classifyErrorEvent(code, message);
    this.link.noteError(f);
    // A fatal error decides at once, whatever close follows it (a 1001, a 1011, a TCP drop, or
    // none at all): retrying would loop forever on a dead key or an empty account.
    if (f.fatal) return this.link.fail(f);
    if (this.inbox.mayTell(`server_error:${code ?? ''}:${f.message}`)) this.notice('warning', `Server error: ${f.message}`, code);
  }

  private onAudioDelta(responseId: string, itemId: string, delta: unknown): void {
    // Only the active response plays: audio of one never created, or already done, is dropped.
    if (this.ledger.isDropped(responseId) || responseId !== this.queue.activeId) {
      this.stats.droppedDeltas++;
      return;
    }
    const pcm = decodeAudioDelta(delta);
    if (!pcm) return this.inbox.bad('bad_audio', 'Some reply audio from the server was corrupted and was skipped.', 'badAudioDeltas');
    this.producedAudio = true;
    this.ledger.record(responseId, itemId, pcm);
    if (this.phase !== 'assistant-speaking' && this.phase !== 'user-speaking') this.setPhase('assistant-speaking');
    this.emit('audio', { responseId, itemId, pcm });
  }

  // ---------------------------------------------------------------------------------------------
  // Barge-in

  private isAssistantActive(): boolean {
    return this.queue.activeId !== null || this.ledger.audible;
  }

  /**
   * Stop playback now, truncate the item to what the user actually heard, and make sure nothing more
   * of that response plays. Truth is the samples the player rendered, never wall clock.
   */
  private async bargeIn(trigger: 'speech' | 'local' | 'manual'): Promise<void> {
    const rid = this.queue.activeId;
    if (rid) {
      this.ledger.drop(rid);
      // With server VAD and interrupt_response the server cancels by itself; otherwise we must.
      const serverCancels = trigger === 'speech' && !this.manualTurns && !this.opts.localVoice?.clientInterrupts;
      if (!serverCancels) this.send({ type: 'response.cancel' });
    }
    if (await this.ledger.cut()) this.settlePhase();
  }

  // ---------------------------------------------------------------------------------------------
  // State

  private settlePhase(): void {
    if (!this.ready) return;
    if (this.mic.isOpen || this.userSpeaking) return this.setPhase('user-speaking');
    if (this.queue.runningTools() > 0) return this.setPhase('tool-running');
    if (this.queue.activeId || this.queue.creates.inFlight) return this.setPhase(this.ledger.audible ? 'assistant-speaking' : 'thinking');
    const left = this.ledger.msLeft;
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
    this.link.maybeRenew();
  }

  /** Connecting, with local voice keeping the mic's audio until the session is ready. */
  private buffersWhileConnecting(): boolean {
    return (this.phase === 'connecting' || this.phase === 'reconnecting') && this.opts.localVoice?.buffersWhileConnecting === true;
  }

  private lastStateJson = '';
  private setPhase(phase: SessionPhase): void {
    this.phase = phase;
    this.mic.updateGate();
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

  /** The live socket, if any (the connection lifecycle owns it). */
  private get transport() {
    return this.link.transport;
  }

  private clearTimers(): void {
    this.timers.cancelAll();
    this.link.timersCleared();
    this.updates.timersCleared();
    this.playbackTimer = null;
  }
}
