// The one IPC contract between main, preload and renderer.
// Pure TypeScript: no `electron`, no `node:*`, no DOM. main imports the channel tables and the
// validators; preload builds `window.companion` from the same names; the renderer imports types only,
// so zod and the tables stay out of its bundle.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Session state: the one state the tray icon, the orb and the talk button all render.

export type TurnDetectionMode = 'server_vad' | 'semantic_vad' | 'none';

export type SessionPhase =
  | 'disconnected'
  | 'connecting'
  | 'listening'
  | 'user-speaking'
  | 'thinking'
  | 'assistant-speaking'
  | 'tool-running'
  | 'reconnecting'
  | 'error';

export interface SessionState {
  phase: SessionPhase;
  turnDetection: TurnDetectionMode;
  /** Push-to-talk: a manual turn is open and the mic gate is open. */
  turnOpen: boolean;
  muted: boolean;
  /** Set while phase is 'reconnecting'. */
  reconnect?: { attempt: number; inMs: number };
  /** Set while phase is 'error' (fatal) or after a recoverable problem the user should read. */
  error?: { fatal: boolean; code: string | null; message: string };
}

// ---------------------------------------------------------------------------------------------
// Conversation: what the user had, as ordered items.

export type ItemRole = 'user' | 'assistant' | 'tool';
export type ItemType = 'message' | 'function_call' | 'function_call_output';
export type ItemStatus = 'in_progress' | 'completed' | 'interrupted' | 'failed';

export interface ConversationItem {
  id: string;
  role: ItemRole;
  type: ItemType;
  /** Transcript (audio), typed text, or a one-line summary for tool items. */
  text: string;
  status: ItemStatus;
  /** 'audio' when the user spoke or the assistant answered with audio. */
  modality: 'audio' | 'text' | null;
  responseId?: string;
  /** Function calls and outputs. */
  callId?: string;
  name?: string;
  arguments?: string;
  output?: string;
  /** Assistant audio: ms received, and where it was cut when interrupted. */
  audioMs?: number;
  truncatedAtMs?: number;
  /** Why an item failed (e.g. transcription failed). */
  error?: string;
  createdAt: number;
}

export interface UsageTotals {
  responses: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  inputTextTokens: number;
  inputAudioTokens: number;
  inputCachedTokens: number;
  outputTextTokens: number;
  outputAudioTokens: number;
}

export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
  code?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Audio across the bridge. PCM16 little-endian, 24 kHz mono, as the Realtime API speaks it.

export const AUDIO_SAMPLE_RATE = 24_000;
/** One capture frame: 20 ms = 480 samples = 960 bytes. */
export const FRAME_SAMPLES = 480;
export const FRAME_BYTES = FRAME_SAMPLES * 2;

export interface AudioDelta {
  responseId: string;
  itemId: string;
  /** PCM16 LE, decoded once in main; transferred, never copied as JSON. */
  pcm: ArrayBuffer;
}

export interface InterruptRequest {
  requestId: number;
}

export interface PlayedPosition {
  /** The item whose audio was playing (null when nothing had played). */
  itemId: string | null;
  /** Samples actually rendered for that item, in ms at 24 kHz. */
  playedMs: number;
}

export interface InterruptReply extends PlayedPosition {
  requestId: number;
}

// ---------------------------------------------------------------------------------------------
// Channels. `Invoke`: renderer → main request/response. `Send`: renderer → main one-way.
// `Events`: main → renderer.

export interface Invoke {
  'session:connect': { req: void; res: void };
  'session:disconnect': { req: void; res: void };
  'session:snapshot': { req: void; res: SessionSnapshot };
  'turn:begin': { req: void; res: void };
  'turn:end': { req: void; res: void };
  'turn:cancel': { req: void; res: void };
  'assistant:interrupt': { req: void; res: void };
  'text:send': { req: { text: string }; res: void };
  'mic:mute': { req: { muted: boolean }; res: void };
}

export interface Send {
  /** One 20 ms capture frame, 960 bytes. */
  'audio:frame': ArrayBuffer;
  /** The player's answer to 'audio:interrupt'. */
  'audio:interrupted': InterruptReply;
}

export interface Events {
  'session:state': SessionState;
  'conversation:item': ConversationItem;
  'conversation:usage': UsageTotals;
  notice: Notice;
  'audio:delta': AudioDelta;
  /** The reply's audio for this item is complete: drain without counting an underrun. */
  'audio:done': { responseId: string; itemId: string };
  /** Stop playback now and answer with 'audio:interrupted'. */
  'audio:interrupt': InterruptRequest;
  /** Open or close the mic gate (push-to-talk); on open, the capture sends its pre-roll first. */
  'mic:gate': { open: boolean };
}

export interface SessionSnapshot {
  state: SessionState;
  items: ConversationItem[];
  usage: UsageTotals;
}

export type InvokeChannel = keyof Invoke;
export type SendChannel = keyof Send;
export type EventChannel = keyof Events;

type Unsubscribe = () => void;

/** What preload exposes as `window.companion`: one named function per channel, nothing generic. */
export interface CompanionApi {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  snapshot(): Promise<SessionSnapshot>;
  beginTurn(): Promise<void>;
  endTurn(): Promise<void>;
  cancelTurn(): Promise<void>;
  interrupt(): Promise<void>;
  sendText(text: string): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  sendAudioFrame(frame: ArrayBuffer): void;
  reportInterrupted(reply: InterruptReply): void;
  on<K extends EventChannel>(channel: K, listener: (payload: Events[K]) => void): Unsubscribe;
}

export const INVOKE_METHODS = {
  connect: 'session:connect',
  disconnect: 'session:disconnect',
  snapshot: 'session:snapshot',
  beginTurn: 'turn:begin',
  endTurn: 'turn:end',
  cancelTurn: 'turn:cancel',
  interrupt: 'assistant:interrupt',
  sendText: 'text:send',
  setMuted: 'mic:mute',
} as const satisfies Record<string, InvokeChannel>;

export const EVENT_CHANNELS = [
  'session:state',
  'conversation:item',
  'conversation:usage',
  'notice',
  'audio:delta',
  'audio:done',
  'audio:interrupt',
  'mic:gate',
] as const satisfies readonly EventChannel[];

// ---------------------------------------------------------------------------------------------
// Validators for everything the renderer sends. main runs these before any handler sees a payload.

const none = z.undefined();
const MAX_TEXT = 8_000;

export const invokeSchemas = {
  'session:connect': none,
  'session:disconnect': none,
  'session:snapshot': none,
  'turn:begin': none,
  'turn:end': none,
  'turn:cancel': none,
  'assistant:interrupt': none,
  'text:send': z.strictObject({ text: z.string().trim().min(1).max(MAX_TEXT) }),
  'mic:mute': z.strictObject({ muted: z.boolean() }),
} satisfies { [K in InvokeChannel]: z.ZodType };

export const sendSchemas = {
  'audio:frame': z.instanceof(ArrayBuffer).refine((b) => b.byteLength === FRAME_BYTES, {
    message: `an audio frame is ${FRAME_BYTES} bytes`,
  }),
  'audio:interrupted': z.strictObject({
    requestId: z.number().int().nonnegative(),
    itemId: z.string().max(200).nullable(),
    playedMs: z.number().finite().nonnegative(),
  }),
} satisfies { [K in SendChannel]: z.ZodType };
