import { TimerSet } from '../main/realtime/timer-set';
import type { RealtimeClientEvent, RealtimeResponseUsage } from 'openai/resources/realtime/realtime';
import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import { EventCounter, type Faults } from './faults';
import { newId, obfuscation, seededRandom } from './ids';
import { decodePcm16, samplesToMs } from './pcm';
import { defaultBrain, defaultUserTranscript, wordDeltas, type ReplyContext } from './replies';
import { ResponseRun, type ResponseHost, type StreamOptions } from './response';
import { applyUpdate, defaultSession, validateUpdate, type SimSession } from './session';
import { EnergyVad, type VadEvent } from './vad';
import { checkImage, type ImageInfo } from './images';
import type { SimulatorOptions } from './server';

type ClientType = RealtimeClientEvent['type'];

/** The GA server's own list, in the order its invalid_value error prints it. */
const ACCEPTED_TYPES = [
  'session.update', 'session.close', 'input_audio_buffer.append', 'session.input_audio_buffer.append',
  'input_audio_buffer.commit', 'input_audio_buffer.clear', 'conversation.item.create', 'conversation.item.truncate',
  'conversation.item.delete', 'conversation.item.retrieve', 'response.create', 'response.cancel',
] as const satisfies readonly (ClientType | 'session.close' | 'session.input_audio_buffer.append')[];

const IDLE_NOTE =
  "No user speech was detected for a while. Please review the recorded audio: If the user was speaking, respond naturally. If not, follow up on their last message to keep the conversation going or ask if they're still there.";
const SESSION_CAP_REASON = 'Your session hit the maximum duration of 60 minutes.';
const RATE_LIMIT = 15_000_000;

interface StoredItem {
  item: Record<string, any>;
  audioMs: number;
  /** What the simulated ASR heard for a user audio item (null = failed). */
  heard?: string | null;
  /** input_image parts of a message, as checked (their tokens are counted apart from the text). */
  images?: ImageInfo[];
}

/** What a connection shares with its simulator: live options and faults, both mutable by tests. */
export interface SimShared {
  options: SimulatorOptions;
  faults: Faults;
}

export interface Rejection {
  code: string | null;
  message: string;
  closeCode: number;
  closeReason: string;
}

/** A driver that scripts the server side itself (replay): it sees client events first and gets VAD results instead of the brain. */
export interface ScriptObserver {
  /** Returns true when it has dealt with the event. */
  handle(event: any): boolean;
  onVad(ev: { type: 'start' | 'stop'; ms: number }): void;
}

export class SimConnection implements ResponseHost {
  readonly id = newId('sess');
  readonly conversationId = newId('conv');
  readonly received: { t: number; event: any }[] = [];
  readonly sent: { t: number; event: any }[] = [];
  session: SimSession;
  readonly rand: () => number;

  private items: StoredItem[] = [];
  private totalSamples = 0;
  private bufferStart = 0;
  private speechItemId: string | null = null;
  private vad: EnergyVad;
  private active: ResponseRun | null = null;
  private turnIndex = 0;
  private toolOutputsSince = 0;
  private imagesSince = 0;
  private tokensUsed = 0;
  private lastInputTokens = 0;
  private assistantAudio = false;
  private counter = new EventCounter();
  private readonly timers = new TimerSet();
  private idleTimer: NodeJS.Timeout | null = null;
  private waiters: { type: string; dir: 'sent' | 'received'; predicate?: (e: any) => boolean; resolve: (e: any) => void }[] = [];
  private dead = false;
  private lastWrite: Promise<void> = Promise.resolve();
  private observer: ScriptObserver | null = null;
  /** Tool outputs created while a response ran: echoed only at the client's next response.create. */
  private deferredEchoes: Record<string, any>[] = [];
  /** gpt-realtime-whisper: the transcript streaming while the user still speaks. */
  private live: { itemId: string; words: string[]; sent: number; nextAt: number } | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    readonly headers: Record<string, string | string[] | undefined>,
    model: string,
    private readonly shared: SimShared,
    seed: number,
  ) {
    const lifetime = shared.options.sessionLifetimeMs ?? 60 * 60 * 1000;
    this.session = defaultSession(this.id, model, Math.floor((Date.now() + lifetime) / 1000));
    this.rand = seededRandom(seed);
    this.vad = new EnergyVad(this.session.audio.input.turn_detection);
    ws.on('close', () => this.shutdown());
    ws.on('error', () => this.shutdown());
  }

  get faults(): Faults {
    return this.shared.faults;
  }

  get streamOptions(): StreamOptions {
    const o = this.shared.options;
    return {
      replyDelayMs: o.replyDelayMs ?? 0,
      audioChunkMs: o.audioChunkMs ?? 100,
      paceFactor: o.paceFactor ?? 10,
      lateDeltasAfterCancel: o.lateDeltasAfterCancel ?? 2,
      speak: o.speak,
      stamps: o.stamps,
    };
  }

  /** Accepted connections: session.created first, then pings, the session cap and client events. */
  start(): void {
    const o = this.shared.options;
    this.send({ type: 'session.created', session: this.session });
    // A fault may have closed the connection at session.created: no timers for a dead connection.
    if (this.dead) return;
    this.timers.every(o.pingIntervalMs ?? 20_300, () => {
      if (!this.faults.noPong && this.ws.readyState === this.ws.OPEN) this.ws.ping();
    });
    this.timers.after(o.sessionLifetimeMs ?? 60 * 60 * 1000, () => this.close(1001, SESSION_CAP_REASON));
    this.ws.on('ping', (data) => {
      if (!this.faults.noPong && this.ws.readyState === this.ws.OPEN) this.ws.pong(data);
    });
    this.ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
  }

  /** Starts with a given session and lets `observer` script the server side (replay mode). */
  startScripted(session: SimSession, observer: ScriptObserver): void {
    this.session = session;
    this.vad.configure(session.audio?.input?.turn_detection ?? null);
    this.observer = observer;
    this.start();
  }

  /** Connect-time refusal: one error and the close frame in the same tick, no session.created. */
  reject(r: Rejection): void {
    this.send({ type: 'error', error: { type: 'invalid_request_error', code: r.code, message: r.message, param: null, event_id: null } });
    this.close(r.closeCode, r.closeReason);
  }

  appendedMs(): number {
    return samplesToMs(this.totalSamples);
  }

  /** Where the uncommitted input buffer starts, in ms of appended audio (replay fills). */
  bufferStartMs(): number {
    return samplesToMs(this.bufferStart);
  }

  /** A scripted commit of everything appended so far (the recorded idle nudge). */
  markCommitted(): void {
    this.bufferStart = this.totalSamples;
    this.vad.reset(this.totalSamples);
  }

  close(code: number, reason?: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
    this.shutdown();
  }

  /** TCP drop without a close frame (the client sees 1006); frames already written still arrive first. */
  terminate(): void {
    this.shutdown();
    void this.lastWrite.then(() => this.socket.destroy());
  }

  /** Sends any server event; fills in event_id and applies the drop/close/half-open faults. */
  send(event: Record<string, any>): void {
    if (this.dead || this.faults.noPong || this.ws.readyState !== this.ws.OPEN) return;
    const full = { type: event.type, event_id: event.event_id ?? newId('event'), ...event };
    const n = this.counter.next(full.type);
    const drop = this.faults.dropAtEvent;
    if (drop && drop.type === full.type && (drop.nth ?? 1) === n) return this.terminate();
    const closeAt = this.faults.closeAtEvent;
    if (closeAt && closeAt.type === full.type && (closeAt.nth ?? 1) === n) return this.close(closeAt.code, closeAt.reason);
    this.sendRaw(JSON.stringify(full));
    this.record('sent', full);
  }

  /** A text frame exactly as given (the malformed/huge-frame faults need this). */
  sendRaw(text: string): void {
    if (this.shared.options.log) console.log(`[sim ${this.id}] <- ${text.slice(0, 300)}`);
    // With permessage-deflate, frames are written asynchronously; a drop must wait for them.
    this.lastWrite = new Promise((resolve) => this.ws.send(text, () => resolve()));
  }

  waitFor(type: string, predicate?: (e: any) => boolean, dir: 'sent' | 'received' = 'sent'): Promise<any> {
    const past = this[dir].find((r) => r.event?.type === type && (!predicate || predicate(r.event)));
    if (past) return Promise.resolve(past.event);
    return new Promise((resolve) => this.waiters.push({ type, dir, predicate, resolve }));
  }

  private record(dir: 'sent' | 'received', event: any): void {
    this[dir].push({ t: performance.now(), event });
    this.waiters = this.waiters.filter((w) => {
      if (w.dir !== dir || w.type !== event?.type || (w.predicate && !w.predicate(event))) return true;
      w.resolve(event);
      return false;
    });
  }

  private shutdown(): void {
    if (this.dead) return;
    this.dead = true;
    this.timers.cancelAll();
    if (this.active) this.active.finished = true;
  }

  private error(code: string | null, message: string, param: string | null, clientEventId: unknown): void {
    this.send({
      type: 'error',
      error: { type: 'invalid_request_error', code, message, param, event_id: typeof clientEventId === 'string' ? clientEventId : null },
    });
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.record('received', { binary: true, bytes: (data as Buffer).length });
      return this.error('invalid_event', 'Expected a text WebSocket message; binary frames are not supported.', null, null);
    }
    const text = data.toString();
    let event: any;
    try {
      event = JSON.parse(text);
    } catch (err) {
      this.record('received', text);
      return this.error('invalid_json', `Invalid event: failed to parse JSON value. ${(err as Error).message}`, null, null);
    }
    this.record('received', event);
    if (this.shared.options.log) console.log(`[sim ${this.id}] -> ${text.slice(0, 300)}`);
    this.handle(event);
  }

  private handle(e: any): void {
    const type = typeof e?.type === 'string' ? e.type : undefined;
    if (!type || !(ACCEPTED_TYPES as readonly string[]).includes(type)) {
      const list = ACCEPTED_TYPES.map((t) => `'${t}'`);
      const message = `Invalid value: '${type ?? ''}'. Supported values are: ${list.slice(0, -1).join(', ')}, and ${list.at(-1)}.`;
      return this.error('invalid_value', message, 'type', e?.event_id);
    }
    if (this.observer?.handle(e)) return;
    switch (type as (typeof ACCEPTED_TYPES)[number]) {
      case 'session.update':
        return this.onSessionUpdate(e);
      case 'session.close':
        return this.close(1000);
      case 'input_audio_buffer.append':
      case 'session.input_audio_buffer.append':
        return this.onAppend(e);
      case 'input_audio_buffer.commit':
        return this.onCommit(e);
      case 'input_audio_buffer.clear':
        this.bufferStart = this.totalSamples;
        this.speechItemId = null;
        this.vad.reset(this.totalSamples);
        return this.send({ type: 'input_audio_buffer.cleared' });
      case 'conversation.item.create':
        return this.onItemCreate(e);
      case 'conversation.item.retrieve': {
        const stored = this.find(e.item_id);
        if (!stored) return this.itemMissing('retrieving', e);
        return this.send({ type: 'conversation.item.retrieved', item: stored.item });
      }
      case 'conversation.item.delete': {
        const i = this.items.findIndex((s) => s.item.id === e.item_id);
        if (i < 0) return this.itemMissing('deleting', e);
        this.items.splice(i, 1);
        return this.send({ type: 'conversation.item.deleted', item_id: e.item_id });
      }
      case 'conversation.item.truncate':
        return this.onTruncate(e);
      case 'response.create':
        return this.onResponseCreate(e);
      case 'response.cancel':
        if (!this.active || (e.response_id && e.response_id !== this.active.id)) {
          return this.error('response_cancel_not_active', 'Cancellation failed: no active response found', null, e.event_id);
        }
        return this.active.cancel('client_cancelled');
    }
  }

  private onSessionUpdate(e: any): void {
    const forced = this.faults.rejectNextUpdate;
    if (forced) {
      this.shared.faults.rejectNextUpdate = null;
      return this.error(forced.code, forced.message, forced.param ?? null, e.event_id);
    }
    const bad = validateUpdate(e.session, this.session, this.assistantAudio);
    if (bad) return this.error(bad.code, bad.message, bad.param, e.event_id);
    this.session = applyUpdate(this.session, e.session);
    this.vad.configure(this.session.audio.input.turn_detection);
    const snapshot = structuredClone(this.session);
    this.timers.after(this.shared.options.updateDelayMs ?? 5, () => this.send({ type: 'session.updated', session: snapshot }));
  }

  private onAppend(e: any): void {
    if (typeof e.audio !== 'string') {
      return this.error('missing_required_parameter', "Missing required parameter: 'audio'.", 'audio', e.event_id);
    }
    const samples = decodePcm16(e.audio);
    this.shared.options.stamps?.onAppend(samples);
    const start = this.totalSamples;
    this.totalSamples += samples.length;
    for (const ev of this.vad.push(samples, start)) this.onVad(ev);
    this.streamLiveCaption();
  }

  private get streamsCaptions(): boolean {
    return this.session.audio.input.transcription?.model === 'gpt-realtime-whisper';
  }

  /** One word of the live transcript per 300 ms of speech; the last words wait for the commit. */
  private streamLiveCaption(): void {
    const live = this.live;
    if (!live || !this.vad.isSpeaking) return;
    while (this.totalSamples >= live.nextAt && live.sent < live.words.length - 1) {
      this.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: live.itemId, content_index: 0, delta: live.words[live.sent++], obfuscation: obfuscation(this.rand) });
      live.nextAt += 7200;
    }
  }

  private onVad(ev: VadEvent): void {
    const td = this.session.audio.input.turn_detection;
    const padded = Math.max(samplesToMs(this.bufferStart), samplesToMs(ev.sample) - (td?.prefix_padding_ms ?? 300));
    if (this.observer) {
      // Recorded server-VAD turns always commit at speech stop; keep the buffer start in step with them.
      if (ev.type === 'stop') this.bufferStart = Math.min(ev.sample, this.totalSamples);
      return this.observer.onVad({ type: ev.type, ms: Math.round(ev.type === 'start' ? padded : samplesToMs(ev.sample)) });
    }
    if (ev.type === 'start') {
      this.clearIdle();
      this.speechItemId = newId('item');
      const started = { type: 'input_audio_buffer.speech_started', audio_start_ms: Math.round(padded), item_id: this.speechItemId };
      const said = this.streamsCaptions && this.shared.options.userTranscript ? this.shared.options.userTranscript({ itemId: this.speechItemId, audioMs: Number.NaN, turnIndex: this.turnIndex }) : null;
      this.live = said ? { itemId: this.speechItemId, words: wordDeltas(said), sent: 0, nextAt: ev.sample + 7200 } : null;
      // A slow server VAD (speechStartedDelayMs) is how the local barge-in's head start is measured.
      const announce = () => {
        this.send(started);
        if (this.active && td?.interrupt_response !== false) this.active.cancel('turn_detected');
      };
      const delay = this.shared.options.speechStartedDelayMs ?? 0;
      if (delay > 0) this.timers.after(delay, announce);
      else announce();
      return;
    }
    const itemId = this.speechItemId ?? newId('item');
    this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: Math.round(samplesToMs(ev.sample)), item_id: itemId });
    this.commit(itemId, Math.min(ev.sample, this.totalSamples));
    if (td?.create_response !== false) this.autoRespond();
  }

  private autoRespond(): void {
    if (this.active) {
      this.error('conversation_already_has_active_response', this.activeMessage(), null, null);
      return;
    }
    this.startResponse(undefined);
  }

  private onCommit(e: any): void {
    const bufferedMs = samplesToMs(this.totalSamples - this.bufferStart);
    if (bufferedMs < 100) {
      return this.error(
        'input_audio_buffer_commit_empty',
        `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${bufferedMs.toFixed(2)}ms of audio.`,
        null,
        e.event_id,
      );
    }
    this.commit(this.speechItemId ?? newId('item'), this.totalSamples);
    this.vad.reset(this.totalSamples);
  }

  /** Turns buffered audio up to `endSample` into a user item; transcription follows on its own clock. */
  private commit(itemId: string, endSample: number, silent = false): void {
    const audioMs = samplesToMs(endSample - this.bufferStart);
    this.bufferStart = endSample;
    this.speechItemId = null;
    const item = { id: itemId, type: 'message', status: 'completed', role: 'user', content: [{ type: 'input_audio', transcript: null }] };
    const previous = this.lastItemId();
    const turnIndex = this.turnIndex;
    // The silent buffer of an idle nudge transcribes as nothing (idle-nudge.json: transcript "").
    const heard = silent ? '' : (this.shared.options.userTranscript ?? defaultUserTranscript)({ itemId, audioMs, turnIndex });
    this.items.push({ item: structuredClone(item), audioMs, heard });
    this.send({ type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: itemId });
    this.send({ type: 'conversation.item.added', previous_item_id: previous, item });
    this.send({ type: 'conversation.item.done', previous_item_id: previous, item });
    if (this.session.audio.input.transcription) {
      this.timers.after(this.shared.options.transcriptionDelayMs ?? 150, () => this.transcribe(itemId, heard, audioMs));
    }
  }

  private transcribe(itemId: string, heard: string | null, audioMs: number): void {
    if (heard === null) {
      return this.send({
        type: 'conversation.item.input_audio_transcription.failed',
        item_id: itemId,
        content_index: 0,
        error: { type: 'invalid_request_error', code: 'audio_unintelligible', message: 'Audio could not be transcribed.', param: null },
      });
    }
    // What streamed live already (a prefix of the final transcript) is not sent again.
    const live = this.live?.itemId === itemId ? this.live : null;
    if (live) this.live = null;
    const already = live ? live.words.slice(0, live.sent).join('') : '';
    const rest = already && heard.startsWith(already) ? heard.slice(already.length) : heard;
    for (const delta of wordDeltas(rest)) {
      this.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: itemId, content_index: 0, delta, obfuscation: obfuscation(this.rand) });
    }
    const stored = this.find(itemId);
    if (stored) stored.item.content[0].transcript = heard;
    const audioTokens = Math.ceil(audioMs / 100);
    const outputTokens = Math.ceil(heard.length / 4);
    this.send({
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: itemId,
      content_index: 0,
      transcript: heard,
      // gpt-realtime-whisper is billed by time and says so in its usage: whole seconds, and 0 for
      // the silent buffer of an idle nudge (vad-turn.json, idle-nudge.json).
      usage: this.streamsCaptions
        ? { type: 'duration', seconds: heard === '' ? 0 : Math.round(audioMs / 1000) }
        : {
            type: 'tokens',
            total_tokens: audioTokens + outputTokens,
            input_tokens: audioTokens,
            input_token_details: { text_tokens: 0, audio_tokens: audioTokens },
            output_tokens: outputTokens,
          },
    });
  }

  private onItemCreate(e: any): void {
    const item = e.item;
    let images: ImageInfo[] | undefined;
    if (!item || typeof item !== 'object') return this.error('missing_required_parameter', "Missing required parameter: 'item'.", 'item', e.event_id);
    if (item.type === 'function_call_output') {
      const call = this.items.find((s) => s.item.type === 'function_call' && s.item.call_id === item.call_id);
      if (!call) {
        return this.error('invalid_value', `Tool call ID '${item.call_id}' not found in conversation.`, 'item.call_id', e.event_id);
      }
    } else if (item.type === 'message') {
      if (!['user', 'system', 'assistant'].includes(item.role)) {
        return this.error('invalid_value', `Invalid value: '${item.role}'. Supported values are: 'user', 'system', and 'assistant'.`, 'item.role', e.event_id);
      }
      for (const [i, part] of (Array.isArray(item.content) ? item.content : []).entries()) {
        if (part?.type !== 'input_image') continue;
        const checked = checkImage(part, `item.content[${i}]`);
        if (!checked.ok) return this.error('invalid_value', checked.message, checked.param, e.event_id);
        (images ??= []).push(checked.image);
      }
    } else if (item.type !== 'function_call') {
      return this.error('invalid_value', `Invalid value: '${item.type}'. Supported values are: 'message', 'function_call', and 'function_call_output'.`, 'item.type', e.event_id);
    }
    const id = typeof item.id === 'string' ? item.id : newId('item');
    if (this.find(id)) return this.error('invalid_value', `Item with id '${id}' already exists.`, 'item.id', e.event_id);
    const { object: _object, ...rest } = item;
    const stored = { ...rest, id, status: 'completed' };
    let index = this.items.length;
    if (e.previous_item_id === 'root') index = 0;
    else if (typeof e.previous_item_id === 'string') {
      const prev = this.items.findIndex((s) => s.item.id === e.previous_item_id);
      if (prev < 0) return this.error('invalid_value', `Previous item with id '${e.previous_item_id}' not found.`, 'previous_item_id', e.event_id);
      index = prev + 1;
    }
    this.items.splice(index, 0, { item: structuredClone(stored), audioMs: 0, ...(images ? { images } : {}) });
    const previous = index === 0 ? null : this.items[index - 1]!.item.id;
    const echo = [
      { type: 'conversation.item.added', previous_item_id: previous, item: stored },
      { type: 'conversation.item.done', previous_item_id: previous, item: stored },
    ];
    // As recorded (preamble-tool.json, tool-round.json): an output sent while its response still
    // runs is acknowledged only after response.done, when the client asks for the next response.
    if (item.type === 'function_call_output' && this.active) this.deferredEchoes.push(...echo);
    else for (const ev of echo) this.send(ev);
  }

  private onTruncate(e: any): void {
    const stored = this.find(e.item_id);
    if (!stored) return this.itemMissing('truncating', e);
    if (stored.item.role !== 'assistant' || !stored.item.content?.some((c: any) => c.type === 'output_audio')) {
      return this.error('invalid_value', 'Only assistant messages with audio can be truncated.', 'item_id', e.event_id);
    }
    const end = e.audio_end_ms;
    if (!Number.isInteger(end) || end < 0) {
      return this.error('invalid_type', "Invalid type for 'audio_end_ms': expected a non-negative integer.", 'audio_end_ms', e.event_id);
    }
    if (end > stored.audioMs) {
      return this.error('invalid_value', `Audio content of ${Math.round(stored.audioMs)}ms is already shorter than ${end}ms`, 'audio_end_ms', e.event_id);
    }
    // Truncation drops the unheard part of the transcript too; proportional to the audio kept.
    const content = stored.item.content.find((c: any) => c.type === 'output_audio');
    if (typeof content.transcript === 'string' && stored.audioMs > 0) {
      content.transcript = content.transcript.slice(0, Math.round((content.transcript.length * end) / stored.audioMs));
    }
    stored.audioMs = end;
    this.send({ type: 'conversation.item.truncated', item_id: e.item_id, content_index: e.content_index ?? 0, audio_end_ms: end });
  }

  private itemMissing(verb: string, e: any): void {
    this.error('item_not_found', `Error ${verb} item: the item with id '${e.item_id}' does not exist.`, 'item_id', e.event_id);
  }

  private activeMessage(): string {
    return `Conversation already has an active response in progress: ${this.active?.id}. Wait until the response is finished before creating a new one.`;
  }

  private onResponseCreate(e: any): void {
    const refuse = this.faults.rejectCreates;
    if (refuse && refuse.count > 0) {
      refuse.count--;
      if (refuse.code === 'rate_limit_exceeded') {
        this.send({ type: 'rate_limits.updated', rate_limits: [{ name: 'tokens', limit: RATE_LIMIT, remaining: 0, reset_seconds: refuse.resetSeconds ?? 1 }] });
      }
      return this.error(refuse.code, refuse.message, null, e.event_id);
    }
    if (this.active) return this.error('conversation_already_has_active_response', this.activeMessage(), null, e.event_id);
    for (const ev of this.deferredEchoes.splice(0)) this.send(ev);
    this.startResponse(e.response);
  }

  private startResponse(overrides: Record<string, any> | undefined): void {
    this.clearIdle();
    const run = new ResponseRun(this, overrides);
    this.active = run;
    const ctx = this.replyContext();
    this.turnIndex++;
    const brain = this.shared.options.respond ?? defaultBrain;
    const reply = Promise.resolve().then(() => brain(ctx));
    run.run(reply).catch((err) => {
      if (!run.finished) run.cancel('client_cancelled');
      console.error('[simulator] reply failed:', err);
    });
  }

  private replyContext(): ReplyContext {
    const outputs = this.items.slice(this.toolOutputsSince).filter((s) => s.item.type === 'function_call_output');
    this.toolOutputsSince = this.items.length;
    const lastUser = [...this.items].reverse().find((s) => s.item.role === 'user');
    let userText: string | null = null;
    if (lastUser) {
      const c = lastUser.item.content?.find((p: { type?: string }) => p?.type !== 'input_image') ?? lastUser.item.content?.[0];
      userText = c?.type === 'input_text' ? c.text : (lastUser.heard ?? null);
    }
    const images = this.items.slice(this.imagesSince).flatMap((s) => s.images ?? []);
    this.imagesSince = this.items.length;
    return {
      turnIndex: this.turnIndex,
      userText,
      images: images.map((i) => ({ width: i.width, height: i.height, detail: i.detail, tokens: i.tokens })),
      toolOutputs: outputs.map((s) => ({
        callId: s.item.call_id,
        name: this.items.find((c) => c.item.type === 'function_call' && c.item.call_id === s.item.call_id)?.item.name ?? null,
        output: s.item.output,
      })),
      session: structuredClone(this.session),
      items: this.items.map((s) => structuredClone(s.item)),
    };
  }

  // ResponseHost

  /** Junk the faults ask for, sent just before response.created; it must not disturb any state. */
  beforeResponseCreated(): void {
    const f = this.faults;
    for (let i = 0; i < f.malformedJson; i++) this.sendRaw(i % 2 ? '{"type":"response.created",' : 'not json at all');
    for (let i = 0; i < f.unknownEvents; i++) this.send({ type: `simulator.unknown_event_${i}`, detail: { note: 'ignore me' } });
    if (f.hugeFrameBytes > 0) {
      const head = JSON.stringify({ type: 'simulator.huge_frame', event_id: newId('event'), padding: '' });
      const room = Math.max(0, f.hugeFrameBytes - head.length);
      const padding = f.hugeFrameShape === 'objects' ? `[${'{},'.repeat(Math.max(0, Math.floor((room - 4) / 3)))}{}]` : `"${'x'.repeat(room)}"`;
      this.sendRaw(head.replace('"padding":""', `"padding":${padding}`));
    }
  }

  addItem(item: Record<string, any>): string | null {
    const previous = this.lastItemId();
    this.items.push({ item, audioMs: 0 });
    return previous;
  }

  updateItem(item: Record<string, any>, audioMs?: number): void {
    const stored = this.find(item.id);
    if (!stored) return;
    stored.item = item;
    if (audioMs !== undefined) stored.audioMs = audioMs;
    if (audioMs) this.assistantAudio = true;
  }

  previousItemId(itemId: string): string | null {
    const i = this.items.findIndex((s) => s.item.id === itemId);
    return i > 0 ? this.items[i - 1]!.item.id : null;
  }

  inputTokens(): { text: number; audio: number; image: number; cached: number } {
    let textChars = (this.session.instructions ?? '').length + JSON.stringify(this.session.tools ?? []).length;
    let audioMs = 0;
    let image = 0;
    for (const s of this.items) {
      if (s.item.role === 'user' && s.item.content?.[0]?.type === 'input_audio') audioMs += s.audioMs;
      else if (s.images) {
        // An image costs its tokens, not the length of its base64.
        image += s.images.reduce((n, i) => n + i.tokens, 0);
        textChars += JSON.stringify(s.item.content.filter((c: { type?: string }) => c?.type !== 'input_image')).length;
      } else textChars += JSON.stringify(s.item.content ?? s.item.output ?? s.item.arguments ?? '').length;
      if (s.item.role === 'assistant') audioMs += s.audioMs / 2;
    }
    const text = Math.ceil(textChars / 4);
    const audio = Math.ceil(audioMs / 100);
    // The prompt cache covers the previous turn's input in 64-token blocks.
    const cached = Math.min(text + audio, Math.floor(this.lastInputTokens / 64) * 64);
    this.lastInputTokens = text + audio;
    return { text, audio, image, cached };
  }

  responseFinished(run: ResponseRun, usage: RealtimeResponseUsage): void {
    if (this.active === run) this.active = null;
    this.tokensUsed += usage.total_tokens ?? 0;
    const remaining = this.faults.rateLimitRemaining ?? RATE_LIMIT - this.tokensUsed;
    this.send({ type: 'rate_limits.updated', rate_limits: [{ name: 'tokens', limit: RATE_LIMIT, remaining, reset_seconds: 0.001 }] });
    this.armIdle(run);
  }

  /** idle_timeout_ms: counted from response.done plus the time the client still needs to play the reply. */
  private armIdle(run: ResponseRun): void {
    const td = this.session.audio.input.turn_detection;
    if (td?.type !== 'server_vad' || !td.idle_timeout_ms) return;
    const playbackLeft = Math.max(0, run.playbackEndsAt - performance.now());
    this.clearIdle();
    this.idleTimer = this.timers.after(playbackLeft + td.idle_timeout_ms, () => {
      this.idleTimer = null;
      if (this.active || this.vad.isSpeaking) return;
      const itemId = newId('item');
      this.send({
        type: 'input_audio_buffer.timeout_triggered',
        item_id: itemId,
        audio_start_ms: Math.round(samplesToMs(this.bufferStart)),
        audio_end_ms: Math.round(samplesToMs(this.totalSamples)),
      });
      // As recorded (idle-nudge.json): a system note first, then the silent buffer as a user item.
      const note = { id: newId('item'), type: 'message', status: 'completed', role: 'system', content: [{ type: 'input_text', text: IDLE_NOTE }] };
      const previous = this.lastItemId();
      this.items.push({ item: structuredClone(note), audioMs: 0 });
      this.send({ type: 'conversation.item.added', previous_item_id: previous, item: note });
      this.send({ type: 'conversation.item.done', previous_item_id: previous, item: note });
      this.commit(itemId, this.totalSamples, true);
      this.vad.reset(this.totalSamples);
      this.startResponse(undefined);
    });
  }

  private clearIdle(): void {
    if (!this.idleTimer) return;
    this.timers.cancel(this.idleTimer);
    this.idleTimer = null;
  }

  private find(id: unknown): StoredItem | undefined {
    return this.items.find((s) => s.item.id === id);
  }

  private lastItemId(): string | null {
    return this.items.at(-1)?.item.id ?? null;
  }

  get isClosed(): boolean {
    return this.dead;
  }

  /** Test hook: the server's conversation as it stands (what the model would see). */
  get conversationItems(): Record<string, any>[] {
    return this.items.map((s) => structuredClone(s.item));
  }

  /** Test hook: the response currently streaming, if any. */
  get activeResponseId(): string | null {
    return this.active?.id ?? null;
  }
}
