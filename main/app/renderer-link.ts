// Joins a RealtimeSession to a renderer through the channel table (preload/channels.ts): the
// session's handlers and the events it pushes. The Electron IPC router and the tests' bridge both
// serve these handlers, so the app and the full-stack test run the same wiring: payloads arriving
// here have already been validated by the caller.
import type { EventChannel, Events, Handlers, InterruptReply, PlayedPosition, SessionSnapshot } from '../../preload/api';
import type { AudioOut, PlaybackPort, RealtimeSession } from '../realtime/session';
import { redact } from '../security/redact';

export type EmitToRenderer = <K extends EventChannel>(channel: K, payload: Events[K]) => void;

/** The session's player is in the renderer: stop asks it over the bridge and waits for its answer. */
export class RendererPlayback implements PlaybackPort {
  /** The renderer's player counts an item re-pushed after a stop from zero (see InterruptiblePlayback). */
  readonly segmentCounts = true;
  private seq = 0;
  private readonly pending = new Map<number, (p: PlayedPosition) => void>();

  constructor(private readonly emit: EmitToRenderer) {}

  stop(): Promise<PlayedPosition> {
    const requestId = ++this.seq;
    // The session bounds the wait with its own timeout and an estimate.
    const answer = new Promise<PlayedPosition>((resolve) => this.pending.set(requestId, resolve));
    this.emit('audio:interrupt', { requestId });
    return answer;
  }

  answer(reply: InterruptReply): void {
    const resolve = this.pending.get(reply.requestId);
    if (!resolve) return;
    this.pending.delete(reply.requestId);
    resolve({ itemId: reply.itemId, playedMs: reply.playedMs });
  }
}

/** The session's channels: the calls of the talk button, the composer and the player. */
export type SessionChannel = 'session:connect' | 'session:disconnect' | 'session:snapshot' | 'turn:begin' | 'turn:end' | 'turn:cancel' | 'assistant:interrupt' | 'text:send' | 'mic:mute' | 'audio:frame' | 'audio:interrupted';
export type SessionHandlers = Pick<Handlers, SessionChannel>;

/**
 * Connect, talk and disconnect as the app means them (the daily cap, idle reconnect, what a new
 * connection carries: main/app/companion-services.ts); without it they go straight to the session.
 */
export interface SessionControl {
  connect(): Promise<void>;
  talk(): Promise<void>;
  disconnect(): void;
}

export interface RendererLink {
  handlers: SessionHandlers;
  /** A renderer (re)loaded: give it the current state and mic gate. */
  resync(): void;
  dispose(): void;
}

/** Local voice (main/voice): reply audio and mic frames pass through it when it is wired. */
export interface VoicePath {
  output(a: AudioOut): void;
  frame(pcm: Uint8Array): void;
  /** The end of a push-to-talk turn, after the post-roll. */
  endTurn(): void;
}

/** A copy of exactly these bytes: the Buffer may be a view into a larger pooled one. */
export function audioDelta(a: AudioOut): Events['audio:delta'] {
  return { responseId: a.responseId, itemId: a.itemId, pcm: a.pcm.buffer.slice(a.pcm.byteOffset, a.pcm.byteOffset + a.pcm.byteLength) as ArrayBuffer };
}

export function linkSessionToRenderer(session: RealtimeSession, playback: RendererPlayback, emit: EmitToRenderer, voice?: VoicePath, control?: SessionControl): RendererLink {
  let gateOpen = false;
  const listeners = {
    state: (s: Events['session:state']) => emit('session:state', s),
    item: (i: Events['conversation:item']) => emit('conversation:item', i),
    usage: (u: Events['conversation:usage']) => emit('conversation:usage', u),
    notice: (n: Events['notice']) => emit('notice', n),
    audio: (a: AudioOut) => (voice ? voice.output(a) : emit('audio:delta', audioDelta(a))),
    'audio-done': (d: Events['audio:done']) => emit('audio:done', d),
    gate: (g: Events['mic:gate']) => {
      gateOpen = g.open;
      emit('mic:gate', g);
    },
  };
  for (const [event, fn] of Object.entries(listeners)) session.on(event as never, fn as never);

  const snapshot = (): SessionSnapshot => ({ state: session.state, items: redact(session.conversation.items()), usage: { ...session.conversation.usage } });
  const handlers: SessionHandlers = {
    // Failures arrive as state and notices; the call itself only starts the connection.
    'session:connect': () => (control ? control.connect() : void session.connect().catch(() => {})),
    'session:disconnect': () => (control ? control.disconnect() : session.disconnect()),
    'session:snapshot': snapshot,
    'turn:begin': () => (control ? control.talk() : void session.beginTurn()),
    'turn:end': () => void (voice ? voice.endTurn() : session.endTurn()),
    'turn:cancel': () => session.cancelTurn(),
    'assistant:interrupt': () => session.interrupt(),
    'text:send': ({ text }) => void session.sendText(text),
    'mic:mute': ({ muted }) => session.setMuted(muted),
    'audio:frame': (frame) => {
      const pcm = new Uint8Array(frame);
      if (voice) voice.frame(pcm);
      else session.appendAudio(pcm);
    },
    'audio:interrupted': (reply) => playback.answer(reply),
  };

  return {
    handlers,
    resync() {
      emit('session:state', session.state);
      emit('mic:gate', { open: gateOpen });
    },
    dispose() {
      for (const [event, fn] of Object.entries(listeners)) session.off(event as never, fn as never);
    },
  };
}
