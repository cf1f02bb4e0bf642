// What a host of the session sees: its events, its options and the player port it is given. They
// live apart from the session's code so the session's pieces and its hosts can name them without
// importing the session itself (which would close a circle through the facade).
import type { ConversationItem, Notice, PlayedPosition, SessionState, UsageTotals } from '../../preload/api';
import type { Settings } from '../../common/settings/settings-schema';
import type { ToolRegistry } from '../tools/tool-registry';
import type { BackoffOptions } from './reconnect-policy';
import type { CreatePolicy } from './response-creates';
import type { Transport, TransportOptions } from './transport';

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

/** Counters for tests and the event log; every piece of the session counts into the one object. */
export interface SessionStats {
  duplicateEvents: number;
  droppedDeltas: number;
  badAudioDeltas: number;
  unreadableMessages: number;
  unknownEvents: number;
  reconnects: number;
  renewals: number;
  echoSuppressed: number;
}
