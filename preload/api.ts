// The one IPC contract between main, preload and renderer.
// Pure TypeScript: no `electron`, no `node:*`, no DOM. main imports the channel tables and the
// validators; preload builds `window.companion` from the same names; the renderer imports types only,
// so zod and the tables stay out of its bundle.
// Type-only, so nothing of main reaches a bundle: the settings' one definition is their zod schema.
import type { Settings } from '../main/settings/settings-schema';

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
  'settings:changed': Settings;
  'key:status': KeyStatus;
  'hotkey:status': HotkeyStatus;
  /** The talk key went down or up (any source): the first-run guide shows it was seen. */
  'hotkey:pressed': { down: boolean };
  /** The companion window: usage after each response, history changes, tool approvals, the event log. */
  'usage:summary': UsageSummary;
  'history:changed': { id: string | null };
  'approval:request': ApprovalPrompt;
  'approval:settled': ApprovalSettled;
  /** Only while a window watches the log ('eventlog:watch'). */
  'eventlog:entry': WireEntry;
  /** The settings window: each MCP server's state whenever one changes; the notes after any change. */
  'tools:mcp-status': McpServerStatus[];
  'notes:changed': Note[];
  /** The conversation was emptied: a new one, or a resumed one (its items follow). */
  'conversation:reset': { resumedFrom: string | null };
  /** Connect was asked for after an explicit disconnect: continue the conversation or start anew? */
  'conversation:ask': { items: number };
  /** The wake-word mode: off, loading, waiting for the phrase (disconnected), awake, or unavailable. */
  'wake:state': WakeStatus;
  /** A screen capture is being taken (the indicator); `periodic` while the periodic mode runs. */
  'screen:capture': { active: boolean; periodic: boolean };
}

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
  'settings:changed',
  'key:status',
  'hotkey:status',
  'hotkey:pressed',
  'usage:summary',
  'history:changed',
  'approval:request',
  'approval:settled',
  'eventlog:entry',
  'tools:mcp-status',
  'notes:changed',
  'conversation:reset',
  'conversation:ask',
  'wake:state',
  'screen:capture',
] as const satisfies readonly EventChannel[];


// ---------------------------------------------------------------------------------------------
// The desktop shell: settings, the API key, windows and the global hotkey.

export type { Settings };

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

/** What preload exposes in the app: the audio contract plus the shell's settings, key and windows. */
export interface AppApi extends CompanionApi, WindowApi, ToolsApi {
  getSettings(): Promise<Settings>;
  updateSettings(patch: SettingsPatch): Promise<SettingsUpdate>;
  keyStatus(): Promise<KeyStatus>;
  setKey(key: string): Promise<KeyStatus>;
  clearKey(): Promise<KeyStatus>;
  testKey(): Promise<KeyTestResult>;
  openSettings(): Promise<void>;
  openCompanion(): Promise<void>;
  hotkeyStatus(): Promise<HotkeyStatus>;
  checkHotkey(accelerator: string): Promise<AcceleratorCheck>;
  requestAccessibility(): Promise<HotkeyStatus>;
  openMicSettings(): Promise<boolean>;
  copyText(req: { text: string }): Promise<void>;
}

/**
 * The shell's renderer → main calls, kept apart from `Invoke` so the session's handler table stays
 * exactly the session's. The IPC router serves both tables.
 */
export interface ShellInvoke {
  'settings:get': { req: void; res: Settings };
  'settings:update': { req: SettingsPatch; res: SettingsUpdate };
  'key:status': { req: void; res: KeyStatus };
  'key:set': { req: { key: string }; res: KeyStatus };
  'key:clear': { req: void; res: KeyStatus };
  'key:test': { req: void; res: KeyTestResult };
  'window:open-settings': { req: void; res: void };
  'window:open-companion': { req: void; res: void };
  'hotkey:status': { req: void; res: HotkeyStatus };
  'hotkey:check': { req: { accelerator: string }; res: AcceleratorCheck };
  /** macOS: show the system's Accessibility prompt, then try the key hook again. */
  'hotkey:request-accessibility': { req: void; res: HotkeyStatus };
  /** The microphone was refused: ask again (macOS) and open the system's microphone privacy page; false where there is none (Linux). */
  'window:open-mic-settings': { req: void; res: boolean };
  /** Copies a message or the whole conversation; main writes the clipboard (the window has no clipboard permission). */
  'window:copy-text': { req: { text: string }; res: void };
}

export type ShellInvokeChannel = keyof ShellInvoke;
export type AnyInvoke = Invoke & ShellInvoke & WindowInvoke & ToolsInvoke;
export type AnyInvokeChannel = keyof AnyInvoke;

export const SHELL_INVOKE_METHODS = {
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  keyStatus: 'key:status',
  setKey: 'key:set',
  clearKey: 'key:clear',
  testKey: 'key:test',
  openSettings: 'window:open-settings',
  openCompanion: 'window:open-companion',
  hotkeyStatus: 'hotkey:status',
  checkHotkey: 'hotkey:check',
  requestAccessibility: 'hotkey:request-accessibility',
  openMicSettings: 'window:open-mic-settings',
  copyText: 'window:copy-text',
} as const satisfies Record<string, ShellInvokeChannel>;


// ---------------------------------------------------------------------------------------------
// The companion window: conversation history, usage and cost, tool approvals and the event log.
// Kept in their own table (like the shell's) so the session's handler table stays the session's.

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

export type ApprovalChoice = 'allow' | 'deny' | 'always';

/** Mirrors main/tools/host-ports ApprovalRequest: "Hark wants to run <toolName>: <summary>". */
export interface ApprovalPrompt {
  id: string;
  toolName: string;
  summary: string;
  args: unknown;
  /** Epoch ms when the prompt stops waiting, for the countdown. */
  expiresAt: number;
  /** A thumbnail (JPEG data URI) of what would be sent, e.g. the captured screen. */
  preview?: string;
}

export interface ApprovalSettled {
  id: string;
  answer: ApprovalChoice | 'expired';
}

/** One client or server event, audio payloads elided, large payloads shortened. */
export interface WireEntry {
  seq: number;
  at: number;
  dir: 'in' | 'out';
  type: string;
  event: unknown;
}

export interface WindowInvoke {
  'history:list': { req: { query?: string } | undefined; res: HistoryHit[] };
  'history:get': { req: { id: string }; res: HistoryConversation | null };
  'history:export': { req: { id: string }; res: HistoryExport };
  'history:delete': { req: { id: string }; res: boolean };
  'history:delete-all': { req: void; res: number };
  'usage:get': { req: void; res: UsageSummary };
  'approval:pending': { req: void; res: ApprovalPrompt[] };
  'approval:answer': { req: { id: string; answer: ApprovalChoice }; res: boolean };
  /** Start or stop streaming 'eventlog:entry'; answers with the recent entries. */
  'eventlog:watch': { req: { on: boolean }; res: WireEntry[] };
  /** Connect choosing what happens to the conversation on screen (after an explicit disconnect). */
  'conversation:connect': { req: { choice: 'continue' | 'new' }; res: void };
  'conversation:new': { req: void; res: void };
  'conversation:forget': { req: { id: string }; res: boolean };
  'history:resume': { req: { id: string }; res: ResumeResult };
  /** The window's "Look at my screen" button: capture, ask with a preview, send. */
  'screen:look': { req: void; res: LookResult };
}

export interface ResumeResult {
  /** Messages taken into the new session, of how many; their estimated tokens, and the budget. */
  items: number;
  total: number;
  tokens: number;
  budgetTokens: number;
}

export type WindowInvokeChannel = keyof WindowInvoke;

/** The companion window's calls beyond the session's; preload adds these to `window.companion`. */
export interface WindowApi {
  listHistory(req?: { query?: string }): Promise<HistoryHit[]>;
  getHistory(req: { id: string }): Promise<HistoryConversation | null>;
  exportHistory(req: { id: string }): Promise<HistoryExport>;
  deleteHistory(req: { id: string }): Promise<boolean>;
  deleteAllHistory(): Promise<number>;
  usage(): Promise<UsageSummary>;
  pendingApprovals(): Promise<ApprovalPrompt[]>;
  answerApproval(req: { id: string; answer: ApprovalChoice }): Promise<boolean>;
  watchEventLog(req: { on: boolean }): Promise<WireEntry[]>;
  connectConversation(req: { choice: 'continue' | 'new' }): Promise<void>;
  newConversation(): Promise<void>;
  forgetItem(req: { id: string }): Promise<boolean>;
  resumeHistory(req: { id: string }): Promise<ResumeResult>;
  lookAtScreen(): Promise<LookResult>;
}

/** Every WindowApi method takes its payload as is, so preload can build them generically. */
export const WINDOW_INVOKE_METHODS = {
  listHistory: 'history:list',
  getHistory: 'history:get',
  exportHistory: 'history:export',
  deleteHistory: 'history:delete',
  deleteAllHistory: 'history:delete-all',
  usage: 'usage:get',
  pendingApprovals: 'approval:pending',
  answerApproval: 'approval:answer',
  watchEventLog: 'eventlog:watch',
  connectConversation: 'conversation:connect',
  newConversation: 'conversation:new',
  forgetItem: 'conversation:forget',
  resumeHistory: 'history:resume',
  lookAtScreen: 'screen:look',
} as const satisfies { [M in keyof WindowApi]: WindowInvokeChannel };


// ---------------------------------------------------------------------------------------------
// The settings window's tools and notes: every tool with its policy, the MCP servers' live state,
// and the notes the model remembers. Their own table, like the window's.

export type ToolPolicy = 'allow' | 'ask' | 'deny';

export interface ToolInfo {
  name: string;
  description: string;
  /** What applies now: the user's choice, else the tool's default. */
  policy: ToolPolicy;
  defaultPolicy: ToolPolicy;
  source: 'built-in' | 'mcp';
  /** The MCP server it comes from. */
  server?: string;
}

/** Mirrors main/tools/mcp/mcp-connection McpServerStatus (kept here so the renderer needs no main types). */
export interface McpServerStatus {
  name: string;
  transport: 'stdio' | 'http';
  state: 'starting' | 'running' | 'failed' | 'stopped';
  toolCount: number;
  /** Why it failed, in a sentence. */
  error?: string;
  /** The last lines the server wrote to stderr (stdio only). */
  stderrTail: string;
  restarts: number;
  /** Epoch ms of the next restart, while failed. */
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

export interface ToolsInvoke {
  'tools:list': { req: void; res: ToolInfo[] };
  'tools:mcp-status': { req: void; res: McpServerStatus[] };
  'notes:list': { req: void; res: Note[] };
  /** Replaces every note at once (the editor's whole list). */
  'notes:save': { req: { notes: NoteDraft[] }; res: Note[] };
}

export type ToolsInvokeChannel = keyof ToolsInvoke;

export interface ToolsApi {
  listTools(): Promise<ToolInfo[]>;
  mcpStatus(): Promise<McpServerStatus[]>;
  listNotes(): Promise<Note[]>;
  saveNotes(req: { notes: NoteDraft[] }): Promise<Note[]>;
}

/** Every ToolsApi method takes its payload as is, so preload builds them from this table. */
export const TOOLS_INVOKE_METHODS = {
  listTools: 'tools:list',
  mcpStatus: 'tools:mcp-status',
  listNotes: 'notes:list',
  saveNotes: 'notes:save',
} as const satisfies { [M in keyof ToolsApi]: ToolsInvokeChannel };
