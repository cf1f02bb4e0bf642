import { readFile } from 'node:fs/promises';
import type { ScriptObserver, SimConnection } from './connection';
import { newId, obfuscation } from './ids';
import { encodePcm16, replyTone } from './pcm';
import type { SimulatorOptions } from './server';
import { defaultSession } from './session';

export type ReplayStep =
  | { send: Record<string, any>; fill?: 'speech-start' | 'speech-stop' | 'idle'; echo?: 'text' | 'fco'; synthesized?: boolean; if?: 'idle' }
  | { audio: { response_id: string; item_id: string; output_index: number; content_index: number; ms: number }; late?: boolean }
  | { pause: number }
  | { wait: 'speech-start' | 'speech-end' | 'commit' | 'response.create' | 'function_call_output' | 'text' | 'playing' | 'played' | 'idle'; item?: string; call_id?: string; text?: string; after?: string };

export interface ReplayScenario {
  name: string;
  notes?: string;
  mode?: 'bad-key';
  /** 'scenario': the recording holds the server's echo of the tool output (steps with echo: 'fco'). */
  fcoEcho?: 'scenario';
  session?: Record<string, any>;
  steps?: ReplayStep[];
  error?: Record<string, any>;
  close?: { code: number; reason: string };
}

export async function loadScenario(src: string | ReplayScenario): Promise<ReplayScenario> {
  return typeof src === 'string' ? (JSON.parse(await readFile(src, 'utf8')) as ReplayScenario) : src;
}

/** How long into an item's playback the recorded user barged in ('playing' waits), when the client does not speak first. */
const PLAYING_MS = 1000;

/**
 * Serves a recorded session. Recorded events go out unchanged (ids included); the driver only
 * waits where the recording depended on the client:
 * - speech-start / speech-end: the simulator's VAD on the audio the client appends;
 * - commit, response.create, function_call_output, text: that client event (received after the previous wait);
 * - playing: the client has played ~1 s of the item (1 s / replaySpeed after its first delta) or
 *   started speaking over it, whichever is first; played: the item's whole audio length
 *   (/ replaySpeed) since its first delta, or the client speaking.
 * `fill` steps take audio_start_ms / audio_end_ms from the live VAD; `$last_item` becomes the
 * latest conversation item. Items the client creates get conversation.item.added/done when the
 * recording has no `echo` for them; truncation is answered from the audio sent per item.
 * idle: the idle timeout the client's session asks for (turn_detection.idle_timeout_ms) passes in
 * silence after the last reply has played; steps marked `if: 'idle'` are sent only when it did (a
 * session without an idle timeout, or a user who speaks first, gets no nudge, as from the server).
 */
export class ReplayDriver implements ScriptObserver {
  private vadStarts: number[] = [];
  private vadStops: number[] = [];
  private received: any[] = [];
  private cursor = 0;
  private wake: (() => void) | null = null;
  private itemAudio = new Map<string, { firstAt: number; ms: number }>();
  private lastItemId: string | null = null;
  private lastVadStartAt = 0;
  private clientItems: any[] = [];
  /** Whether the last idle wait ended in a nudge. */
  private nudged = false;
  private lastFco: any = null;

  constructor(
    private readonly conn: SimConnection,
    private readonly scenario: ReplayScenario,
    private readonly options: SimulatorOptions,
  ) {}

  start(): void {
    const s = this.scenario;
    if (s.mode === 'bad-key') {
      if (s.error) this.conn.send(s.error);
      this.conn.close(s.close?.code ?? 3000, s.close?.reason);
      return;
    }
    const lifetime = this.options.sessionLifetimeMs ?? 60 * 60 * 1000;
    const session = structuredClone(s.session ?? defaultSession(this.conn.id, 'gpt-realtime', 0));
    session.expires_at = Math.floor((Date.now() + lifetime) / 1000);
    this.conn.startScripted(session, this);
    this.run().catch((err) => console.error('[simulator] replay failed:', err));
  }

  handle(e: any): boolean {
    switch (e.type) {
      case 'input_audio_buffer.commit':
      case 'response.create':
      case 'response.cancel':
        this.push(e);
        return true;
      case 'conversation.item.create':
        this.push(e);
        this.clientItems.push(e);
        return true;
      case 'conversation.item.truncate': {
        const audio = this.itemAudio.get(e.item_id);
        if (!audio || !Number.isInteger(e.audio_end_ms) || e.audio_end_ms > audio.ms) {
          this.conn.send({
            type: 'error',
            error: {
              type: 'invalid_request_error',
              code: 'invalid_value',
              message: `Audio content of ${audio?.ms ?? 0}ms is already shorter than ${e.audio_end_ms}ms`,
              param: 'audio_end_ms',
              event_id: e.event_id ?? null,
            },
          });
        } else {
          this.conn.send({ type: 'conversation.item.truncated', item_id: e.item_id, content_index: e.content_index ?? 0, audio_end_ms: e.audio_end_ms });
        }
        return true;
      }
      default:
        return false;
    }
  }

  onVad(ev: { type: 'start' | 'stop'; ms: number }): void {
    if (ev.type === 'start') {
      this.vadStarts.push(ev.ms);
      this.lastVadStartAt = performance.now();
    } else this.vadStops.push(ev.ms);
    this.poke();
  }

  private push(e: any): void {
    this.received.push(e);
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Sleeps until something arrives or `ms` passes. */
  private nap(ms = 1000): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private get speed(): number {
    return this.options.replaySpeed ?? 1;
  }

  private closed(): boolean {
    return this.conn.isClosed;
  }

  private async run(): Promise<void> {
    for (const step of this.scenario.steps ?? []) {
      if (this.closed()) return;
      if ('if' in step && step.if === 'idle' && !this.nudged) continue;
      if ('wait' in step) await this.waitFor(step);
      else if ('pause' in step) await new Promise((r) => setTimeout(r, step.pause / this.speed));
      else if ('audio' in step) await this.sendAudio(step.audio);
      else this.sendStep(step);
    }
  }

  private sendStep(step: Extract<ReplayStep, { send: unknown }>): void {
    const event = structuredClone(step.send);
    if (step.fill === 'speech-start') {
      const live = this.vadStarts.shift();
      event.audio_start_ms = live ?? Math.max(0, Math.round(this.conn.appendedMs()) - 300);
    } else if (step.fill === 'speech-stop') {
      const live = this.vadStops.shift();
      event.audio_end_ms = live ?? Math.round(this.conn.appendedMs());
    } else if (step.fill === 'idle') {
      event.audio_start_ms = Math.round(this.conn.bufferStartMs());
      event.audio_end_ms = Math.round(this.conn.appendedMs());
      this.conn.markCommitted();
    }
    if (step.echo === 'fco' && this.lastFco) {
      // The recorded echo, carrying what this client sent: its item id and output.
      if (this.lastFco.item?.id) event.item.id = this.lastFco.item.id;
      if (typeof this.lastFco.item?.output === 'string') event.item.output = this.lastFco.item.output;
    }
    if (step.echo === 'text') {
      const created = this.clientItems.find((c) => c.item?.content?.[0]?.type === 'input_text');
      if (created?.item?.id) event.item.id = created.item.id;
      if (created?.item?.content) event.item.content = created.item.content;
      if (event.type === 'conversation.item.done') this.clientItems.splice(this.clientItems.indexOf(created), 1);
    }
    if (event.previous_item_id === '$last_item') event.previous_item_id = this.lastItemId;
    if (event.type === 'conversation.item.added' && event.item?.id) this.lastItemId = event.item.id;
    this.conn.send(event);
  }

  private async sendAudio({ ms, ...a }: { response_id: string; item_id: string; output_index: number; content_index: number; ms: number }): Promise<void> {
    const record = this.itemAudio.get(a.item_id) ?? { firstAt: performance.now(), ms: 0 };
    this.itemAudio.set(a.item_id, record);
    const delta = encodePcm16(replyTone(record.ms, ms));
    record.ms += ms;
    this.conn.send({ type: 'response.output_audio.delta', ...a, delta, obfuscation: obfuscation(this.conn.rand) });
    const pace = this.options.paceFactor ?? 10;
    const wait = Number.isFinite(pace) && pace > 0 ? ms / pace : 0;
    await new Promise((r) => (wait >= 1 ? setTimeout(r, wait) : setImmediate(r)));
  }

  /** Takes the first unconsumed client event matching `match`. */
  private take(match: (e: any) => boolean): boolean {
    const i = this.received.findIndex(match);
    if (i < 0) return false;
    this.received.splice(0, i + 1);
    return true;
  }

  private async waitFor(step: Extract<ReplayStep, { wait: unknown }>): Promise<void> {
    const since = performance.now();
    for (;;) {
      if (this.closed()) return;
      if (this.satisfied(step, since)) return;
      await this.nap(50);
    }
  }

  private satisfied(step: Extract<ReplayStep, { wait: unknown }>, since: number): boolean {
    switch (step.wait) {
      case 'speech-start':
        return this.vadStarts.length > 0;
      case 'speech-end':
        return this.vadStops.length > 0;
      case 'commit':
        return this.take((e) => e.type === 'input_audio_buffer.commit');
      case 'response.create':
        return this.take((e) => e.type === 'response.create');
      case 'function_call_output': {
        const i = this.received.findIndex((e) => e.type === 'conversation.item.create' && e.item?.type === 'function_call_output' && e.item.call_id === step.call_id);
        if (i < 0) return false;
        this.lastFco = this.received[i];
        this.received.splice(0, i + 1);
        if (this.scenario.fcoEcho === 'scenario') {
          this.clientItems.splice(this.clientItems.indexOf(this.lastFco), 1);
          return true;
        }
        return this.echoClientItem();
      }
      case 'idle': {
        const td = this.conn.session.audio?.input?.turn_detection;
        const timeout = td?.type === 'server_vad' ? td.idle_timeout_ms : null;
        if (!timeout) {
          this.nudged = false;
          return true;
        }
        if (this.vadStarts.length > 0 && this.lastVadStartAt >= since) {
          this.nudged = false;
          return true;
        }
        let playedAt = since;
        for (const a of this.itemAudio.values()) playedAt = Math.max(playedAt, a.firstAt + a.ms / this.speed);
        if (performance.now() - playedAt < timeout / this.speed) return false;
        this.nudged = true;
        return true;
      }
      case 'text':
        return this.take((e) => e.type === 'conversation.item.create' && e.item?.content?.[0]?.type === 'input_text');
      case 'playing':
      case 'played': {
        const audio = step.item ? this.itemAudio.get(step.item) : undefined;
        if (!audio) return this.vadStarts.length > 0 && this.lastVadStartAt >= since;
        const needMs = step.wait === 'playing' ? Math.min(PLAYING_MS, audio.ms) : audio.ms;
        const spoke = this.vadStarts.length > 0 && this.lastVadStartAt >= audio.firstAt;
        return spoke || performance.now() - audio.firstAt >= needMs / this.speed;
      }
    }
  }

  /** The recording has no echo for a tool output; the real server acknowledges every created item. */
  private echoClientItem(): boolean {
    const created = this.clientItems.pop();
    if (!created) return true;
    const item = { id: newId('item'), ...created.item, status: 'completed' };
    const previous = this.lastItemId;
    this.lastItemId = item.id ?? this.lastItemId;
    this.conn.send({ type: 'conversation.item.added', previous_item_id: previous, item });
    this.conn.send({ type: 'conversation.item.done', previous_item_id: previous, item });
    return true;
  }
}
