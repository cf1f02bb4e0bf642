// The shapes that cross the bridge between main and the windows, declared once. They live in common/
// because main, preload and the renderer all read them and none of those may own what the others
// import (preload and renderer never import main). The channels that carry them are preload/channels.ts.
// Pure TypeScript: no `electron`, no `node:*`, no DOM.
import type { ApprovalPolicy } from './settings/tool-settings';
import type { Settings } from './settings/settings-schema';

// ---------------------------------------------------------------------------------------------
// Session state: the one state the tray icon, the orb and the talk button all render.

/** 'local': Hark's own voice detector ends the turn (turn_detection null, only speech is sent). */
export type TurnDetectionMode = 'server_vad' | 'semantic_vad' | 'local' | 'none';

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
/** 'deleted': the server removed the item; it is announced once so every view drops it. */
export type ItemStatus = 'in_progress' | 'completed' | 'interrupted' | 'failed' | 'deleted';

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
  /** 2.x assistant messages: a spoken preamble before a tool call, or the answer. */
  phase?: AssistantPhase;
  /** The silent buffer the server committed when it nudged an idle user: not a turn with words. */
  idle?: true;
  /** Seeded from a past conversation when it was resumed. */
  resumed?: true;
  /** The user forgot it: gone from the server's context and from what is carried next. */
  forgotten?: true;
  /** A screen the user shared in this message: its thumbnail for the transcript, not the image sent. */
  image?: ItemImage;
  createdAt: number;
}

/** What the transcript shows of a shared screen; the full image went to the model only. */
export interface ItemImage {
  /** A small JPEG data URI (long side ≤ 240 px). Absent in history unless the user allowed storing it. */
  thumbnail?: string;
  /** The size and bytes of the JPEG that was sent, and its estimated image tokens. */
  width: number;
  height: number;
  bytes: number;
  tokens: number;
  /** What was captured: 'screen' or the window's title. */
  source: string;
}

/** The wake-word mode: off, loading, waiting for the phrase (disconnected), awake, or unavailable. */
export interface WakeStatus {
  state: 'off' | 'loading' | 'waiting' | 'awake' | 'unavailable';
  /** The words to say, e.g. "Hey Jarvis". */
  phrase?: string;
  reason?: string;
  /** Set on the 'awake' that the phrase itself caused: the window plays the earcon. */
  heard?: boolean;
}

/** The answer to 'screen:look': sent, or why not, in words. */
export interface LookResult {
  sent: boolean;
  message: string;
}

/** A window the user can pick for "look at my screen" (Hark's own are never listed). */
export interface ScreenWindow {
  title: string;
}

/** The picker's list; `message` says in words why there is none (a refused permission, an error). */
export interface ScreenWindowList {
  windows: ScreenWindow[];
  message?: string;
}

/** The longest window title a look may name (the model's `window_title` has the same bound). */
export const MAX_WINDOW_TITLE = 200;

export type AssistantPhase = 'commentary' | 'final_answer';

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
  /** Inside outputTextTokens (counted once), shown apart. */
  outputReasoningTokens: number;
  inputImageTokens: number;
  /** The cached part of input by modality, when the server says (part of inputCachedTokens). */
  cachedTextTokens: number;
  cachedAudioTokens: number;
  cachedImageTokens: number;
  /** Input transcription billed by duration (gpt-realtime-whisper). */
  transcriptionSeconds: number;
  /** Input transcription billed by tokens. */
  transcriptionInputTokens: number;
  transcriptionOutputTokens: number;
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

export interface SessionSnapshot {
  state: SessionState;
  items: ConversationItem[];
  usage: UsageTotals;
}

// ---------------------------------------------------------------------------------------------
// The desktop shell: settings, the API key, windows and the global hotkey.

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> | null } : T;
/** Objects merge field by field; anything else (and null) replaces. */
export type SettingsPatch = DeepPartial<Settings>;

export type SettingsUpdate =
  | { ok: true; settings: Settings; notices: Notice[] }
  /** Nothing was stored or applied; one sentence per problem, naming the field. */
  | { ok: false; errors: string[] };

/** All the renderer ever learns about the key. */
export interface KeyStatus {
  hasKey: boolean;
  /** 'env' = OPENAI_API_KEY, which overrides a stored key. */
  source: 'env' | 'stored' | null;
  /** The key is weakly protected, or could not be stored; in words. */
  warning?: string;
}

export interface KeyTestResult {
  ok: boolean;
  message: string;
}

export type HotkeyStyle = 'hold' | 'toggle' | 'hybrid';

export interface HotkeyStatus {
  requested: HotkeyStyle;
  /** What runs now: the requested style, its toggle fallback, or 'none' when no key works. */
  active: HotkeyStyle | 'none';
  backend: 'key-hook' | 'global-shortcut' | 'none';
  accelerator: string;
  /** Why the requested style is not running and what the user can do; null when all is well. */
  problem: string | null;
  /** macOS: the hook waits for the Accessibility permission, which settings can ask for. */
  needsAccessibility?: boolean;
}

export interface AcceleratorCheck {
  ok: boolean;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// The companion window: conversation history, usage and cost, tool approvals and the event log.

/** Tokens of one response, one conversation or one day, with the estimated cost (null: no price known for the model). */
export interface CostedUsage {
  usage: UsageTotals;
  costUsd: number | null;
}

export interface UsageSummary {
  model: string;
  lastResponse: (CostedUsage & { responseId: string | null }) | null;
  conversation: CostedUsage;
  today: CostedUsage & { day: string };
  dailyCapUsd: number | null;
  /** Today's spend has reached the cap: connecting is refused until tomorrow or a higher cap. */
  capReached: boolean;
  /** How full the model's context was at the last response: its input tokens against the limit. */
  context?: { usedTokens: number; limitTokens: number };
  /** When the price table was last checked against the published prices. */
  pricesDated?: string;
}

export interface HistorySummary {
  id: string;
  title: string;
  startedAt: number;
  updatedAt: number;
  /** User and assistant messages. */
  messages: number;
  usage: UsageTotals;
  costUsd: number | null;
}

export interface HistoryConversation {
  summary: HistorySummary;
  items: ConversationItem[];
  /** Set when the file was damaged (e.g. a crash mid-write): what was dropped, in words. */
  recovered: string | null;
}

export interface HistoryHit extends HistorySummary {
  /** The matching text with some context. */
  snippet: string;
}

export interface HistoryExport {
  fileName: string;
  markdown: string;
  /** Where main saved it, when it offered a save dialog; null when the user cancelled or none was offered. */
  savedTo: string | null;
}

/** 'always' allows this call and sets the tool's policy to 'allow'. */
export type ApprovalAnswer = 'allow' | 'deny' | 'always';

/** "Hark wants to run <toolName>: <summary>": one prompt, for one function call. */
export interface ApprovalRequest {
  /** Unique per prompt, so the window can answer the right one. */
  id: string;
  /** The function call it asks about: two identical calls are two cards, each knowing its own. */
  callId: string;
  toolName: string;
  /** One line for the user: what will happen if they allow it. */
  summary: string;
  args: unknown;
  /** When the prompt stops waiting (epoch ms), for a countdown in the window. */
  expiresAt: number;
  /** A thumbnail (JPEG data URI) of what would be sent, e.g. the captured screen. */
  preview?: string;
}

export interface ApprovalSettled {
  id: string;
  answer: ApprovalAnswer | 'expired';
}

/** One client or server event, audio payloads elided, large payloads shortened. */
export interface WireEntry {
  seq: number;
  at: number;
  dir: 'in' | 'out';
  type: string;
  event: unknown;
}

export interface ResumeResult {
  /** Messages taken into the new session, of how many; their estimated tokens, and the budget. */
  items: number;
  total: number;
  tokens: number;
  budgetTokens: number;
}

// ---------------------------------------------------------------------------------------------
// The settings window's tools and notes: every tool with its policy, the MCP servers' live state,
// and the notes the model remembers.

export type { ApprovalPolicy, Settings };

export interface ToolInfo {
  name: string;
  description: string;
  /** What applies now: the user's choice, else the tool's default. */
  policy: ApprovalPolicy;
  defaultPolicy: ApprovalPolicy;
  source: 'built-in' | 'mcp';
  /** The MCP server it comes from. */
  server?: string;
}

/** One MCP server as main/tools/mcp/mcp-connection.ts runs it, and as the settings window shows it. */
export interface McpServerStatus {
  name: string;
  transport: 'stdio' | 'http';
  state: 'starting' | 'running' | 'failed' | 'stopped';
  toolCount: number;
  /** Why it failed, in a sentence. */
  error?: string;
  /** The last lines the server wrote to stderr (stdio only): usually the real reason it failed. */
  stderrTail: string;
  /** Restarts after a crash or failed start since the config was applied. */
  restarts: number;
  /** When the next restart is due (epoch ms), while failed. */
  retryAt?: number;
}

/** Mirrors main/tools/notes-store Note. */
export interface Note {
  id: string;
  text: string;
  createdAt: number;
  updatedAt: number;
}

/** A note as the editor sends it: new ones have no id; empty ones are dropped. */
export interface NoteDraft {
  id?: string;
  text: string;
}

export const MAX_NOTES = 200;
export const MAX_NOTE_CHARS = 2000;

