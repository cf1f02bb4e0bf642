// The one table of IPC channels: each request channel once, with its direction, the `window.companion`
// method that calls it, the zod schema its payload must pass and the type of its reply; each event
// once with its payload. Everything
// else is derived from it: the `CompanionApi` type, preload's methods (and the test bridge's), the
// router's validation, and the type that asks main for exactly one handler per channel. Adding a
// channel is one row here and one handler in main (CONVENTIONS.md).
// Pure TypeScript and zod: no `electron`, no `node:*`, no DOM, nothing from main.
// zod/mini, not zod: this file is in the preload bundle, and mini keeps it a few kB instead of most
// of a megabyte. The schemas are the same checks; main's full zod gives their messages English words.
import * as z from 'zod/mini';
import {
  FRAME_BYTES,
  MAX_NOTE_CHARS,
  MAX_NOTES,
  MAX_WINDOW_TITLE,
  type AcceleratorCheck,
  type ApprovalRequest,
  type ApprovalSettled,
  type AudioDelta,
  type ConversationItem,
  type HistoryConversation,
  type HistoryExport,
  type HistoryHit,
  type HotkeyStatus,
  type InterruptRequest,
  type KeyStatus,
  type KeyTestResult,
  type LookResult,
  type ScreenWindowList,
  type WakeStatus,
  type McpServerStatus,
  type Note,
  type Notice,
  type ResumeResult,
  type SessionSnapshot,
  type SessionState,
  type Settings,
  type SettingsPatch,
  type SettingsUpdate,
  type ToolInfo,
  type UsageSummary,
  type UsageTotals,
  type WireEntry,
} from '../common/bridge-types';

/** The type a row's reply or event payload has; the value is never read (a row is data, not code). */
const of = <T>() => null as unknown as T;

const none = z.undefined();
const MAX_TEXT = 8_000;
const historyId = z.strictObject({ id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/, 'not a conversation id')) });

/** A page can send what JSON cannot hold (a BigInt, a cycle): that is refused, never thrown. */
function jsonLength(v: unknown): number {
  try {
    return JSON.stringify(v).length;
  } catch {
    return Infinity;
  }
}

/** renderer → main, answered. */
const invoke = <M extends string, S extends z.ZodMiniType, R>(method: M, req: S, _res: R) => ({ dir: 'invoke' as const, method, req, res: _res });
/** renderer → main, one way (audio). */
const send = <M extends string, S extends z.ZodMiniType>(method: M, req: S) => ({ dir: 'send' as const, method, req });
/** main → renderer. */
const event = <P>(_payload: P) => ({ dir: 'event' as const, payload: _payload });

export const CHANNELS = {
  // The session.
  'session:connect': invoke('connect', none, of<void>()),
  'session:disconnect': invoke('disconnect', none, of<void>()),
  'session:snapshot': invoke('snapshot', none, of<SessionSnapshot>()),
  'turn:begin': invoke('beginTurn', none, of<void>()),
  'turn:end': invoke('endTurn', none, of<void>()),
  'turn:cancel': invoke('cancelTurn', none, of<void>()),
  'assistant:interrupt': invoke('interrupt', none, of<void>()),
  'text:send': invoke('sendText', z.strictObject({ text: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_TEXT)) }), of<void>()),
  'mic:mute': invoke('setMuted', z.strictObject({ muted: z.boolean() }), of<void>()),
  /** One 20 ms capture frame, 960 bytes. */
  'audio:frame': send('sendAudioFrame', z.instanceof(ArrayBuffer).check(z.refine((b) => b.byteLength === FRAME_BYTES, { message: `an audio frame is ${FRAME_BYTES} bytes` }))),
  /** The player's answer to 'audio:interrupt'. */
  'audio:interrupted': send(
    'reportInterrupted',
    // zod 4 numbers are finite: Infinity and NaN are refused.
    z.strictObject({ requestId: z.int().check(z.nonnegative()), itemId: z.nullable(z.string().check(z.maxLength(200))), playedMs: z.number().check(z.nonnegative()) }),
  ),

  // The desktop shell: settings, the API key, windows and the global hotkey.
  // The envelope only: main merges the patch into the current settings and validates the result
  // with the settings schema before anything is stored or applied.
  'settings:update': invoke(
    'updateSettings',
    z.record(z.string().check(z.maxLength(64)), z.unknown()).check(z.refine((p) => jsonLength(p) <= 64_000, { message: 'the settings patch is too large, or not JSON' })) as unknown as z.ZodMiniType<SettingsPatch, SettingsPatch>,
    of<SettingsUpdate>(),
  ),
  'settings:get': invoke('getSettings', none, of<Settings>()),
  'key:status': invoke('keyStatus', none, of<KeyStatus>()),
  // Printable ASCII without spaces: every OpenAI and Azure key is; a pasted newline is trimmed.
  'key:set': invoke('setKey', z.strictObject({ key: z.string().check(z.trim(), z.minLength(8), z.maxLength(512), z.regex(/^[\x21-\x7e]+$/, 'a key has no spaces or special characters')) }), of<KeyStatus>()),
  'key:clear': invoke('clearKey', none, of<KeyStatus>()),
  'key:test': invoke('testKey', none, of<KeyTestResult>()),
  'window:open-settings': invoke('openSettings', none, of<void>()),
  'window:open-companion': invoke('openCompanion', none, of<void>()),
  'hotkey:status': invoke('hotkeyStatus', none, of<HotkeyStatus>()),
  'hotkey:check': invoke('checkHotkey', z.strictObject({ accelerator: z.string().check(z.maxLength(100)) }), of<AcceleratorCheck>()),
  /** macOS: show the system's Accessibility prompt, then try the key hook again. */
  'hotkey:request-accessibility': invoke('requestAccessibility', none, of<HotkeyStatus>()),
  /** The microphone was refused: ask again (macOS) and open the system's microphone privacy page; false where there is none (Linux). */
  'window:open-mic-settings': invoke('openMicSettings', none, of<boolean>()),
  /** Copies a message or the whole conversation; main writes the clipboard (the window has no clipboard permission). */
  'window:copy-text': invoke('copyText', z.strictObject({ text: z.string().check(z.maxLength(2_000_000)) }), of<void>()),
  /** Shows the folder of Hark's log file, for a bug report. */
  'window:open-log-folder': invoke('openLogFolder', none, of<void>()),

  // The companion window: history, usage and cost, tool approvals, the event log, conversations.
  'history:list': invoke('listHistory', z.optional(z.strictObject({ query: z.optional(z.string().check(z.maxLength(200))) })), of<HistoryHit[]>()),
  'history:get': invoke('getHistory', historyId, of<HistoryConversation | null>()),
  'history:export': invoke('exportHistory', historyId, of<HistoryExport>()),
  'history:delete': invoke('deleteHistory', historyId, of<boolean>()),
  'history:delete-all': invoke('deleteAllHistory', none, of<number>()),
  'history:resume': invoke('resumeHistory', historyId, of<ResumeResult>()),
  'usage:get': invoke('usage', none, of<UsageSummary>()),
  'approval:pending': invoke('pendingApprovals', none, of<ApprovalRequest[]>()),
  'approval:answer': invoke('answerApproval', z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(200)), answer: z.enum(['allow', 'deny', 'always']) }), of<boolean>()),
  /** Start or stop streaming 'eventlog:entry'; answers with the recent entries. */
  'eventlog:watch': invoke('watchEventLog', z.strictObject({ on: z.boolean() }), of<WireEntry[]>()),
  /** Connect choosing what happens to the conversation on screen (after an explicit disconnect). */
  'conversation:connect': invoke('connectConversation', z.strictObject({ choice: z.enum(['continue', 'new']) }), of<void>()),
  'conversation:new': invoke('newConversation', none, of<void>()),
  'conversation:forget': invoke('forgetItem', z.strictObject({ id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/, 'not an item id')) }), of<boolean>()),
  /** The window's "Look at my screen" button: capture (the screen, or the window picked), ask with a preview, send. */
  'screen:look': invoke('lookAtScreen', z.optional(z.strictObject({ windowTitle: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_WINDOW_TITLE))) })), of<LookResult>()),
  /** The windows the look button's picker offers, fetched when it opens. */
  'screen:windows': invoke('listScreenWindows', none, of<ScreenWindowList>()),

  // The settings window's tools and notes.
  'tools:list': invoke('listTools', none, of<ToolInfo[]>()),
  'tools:mcp-status': invoke('mcpStatus', none, of<McpServerStatus[]>()),
  'notes:list': invoke('listNotes', none, of<Note[]>()),
  /** Replaces every note at once (the editor's whole list). */
  'notes:save': invoke(
    'saveNotes',
    z.strictObject({
      notes: z
        .array(z.strictObject({ id: z.optional(z.string().check(z.minLength(1), z.maxLength(100))), text: z.string().check(z.maxLength(MAX_NOTE_CHARS, `a note can be at most ${MAX_NOTE_CHARS} characters`)) }))
        .check(z.maxLength(MAX_NOTES, `at most ${MAX_NOTES} notes`)),
    }),
    of<Note[]>(),
  ),
} as const;

/**
 * main → renderer, each event once with its payload's type. A table of its own because a name may
 * also be a request ('key:status' asks; the event tells every window when it changed).
 */
export const EVENTS = {
  'session:state': event(of<SessionState>()),
  'conversation:item': event(of<ConversationItem>()),
  'conversation:usage': event(of<UsageTotals>()),
  notice: event(of<Notice>()),
  'audio:delta': event(of<AudioDelta>()),
  /** The reply's audio for this item is complete: drain without counting an underrun. */
  'audio:done': event(of<{ responseId: string; itemId: string }>()),
  /** Stop playback now and answer with 'audio:interrupted'. */
  'audio:interrupt': event(of<InterruptRequest>()),
  /** Open or close the mic gate (push-to-talk); on open, the capture sends its pre-roll first. */
  'mic:gate': event(of<{ open: boolean }>()),
  'settings:changed': event(of<Settings>()),
  'key:status': event(of<KeyStatus>()),
  'hotkey:status': event(of<HotkeyStatus>()),
  /** The talk key went down or up (any source): the first-run guide shows it was seen. */
  'hotkey:pressed': event(of<{ down: boolean }>()),
  /** Usage after each response. */
  'usage:summary': event(of<UsageSummary>()),
  'history:changed': event(of<{ id: string | null }>()),
  'approval:request': event(of<ApprovalRequest>()),
  'approval:settled': event(of<ApprovalSettled>()),
  /** Only while a window watches the log ('eventlog:watch'). */
  'eventlog:entry': event(of<WireEntry>()),
  /** The settings window: each MCP server's state whenever one changes; the notes after any change. */
  'tools:mcp-status': event(of<McpServerStatus[]>()),
  'notes:changed': event(of<Note[]>()),
  /** The conversation was emptied: a new one, or a resumed one (its items follow). */
  'conversation:reset': event(of<{ resumedFrom: string | null }>()),
  /** Connect was asked for after an explicit disconnect: continue the conversation or start anew? */
  'conversation:ask': event(of<{ items: number }>()),
  /** The wake-word mode's state; 'awake' with `heard` when the phrase caused it (the earcon). */
  'wake:state': event(of<WakeStatus>()),
  /** A screen capture is being taken (the indicator); `periodic` while the periodic mode runs. */
  'screen:capture': event(of<{ active: boolean; periodic: boolean }>()),
} as const;

type Table = typeof CHANNELS;
type ChannelsWhere<D> = { [K in keyof Table]: Table[K] extends { dir: D } ? K : never }[keyof Table];

export type InvokeChannel = ChannelsWhere<'invoke'>;
export type SendChannel = ChannelsWhere<'send'>;
/** What a renderer may send main: the channels main validates and serves. */
export type RequestChannel = keyof Table;
export type EventChannel = keyof typeof EVENTS;

/** What a handler receives (the schema's output) and what it answers, per invoke channel. */
export type Invoke = { [K in InvokeChannel]: { req: z.output<Table[K]['req']>; res: Table[K]['res'] } };
export type Send = { [K in SendChannel]: z.output<Table[K]['req']> };
export type Events = { [K in EventChannel]: (typeof EVENTS)[K]['payload'] };

/** Who sent a request: some channels serve only one window. */
export interface Sender {
  senderId: number;
}

/** main's answer to every request channel, exactly one each (main/app/handlers.ts joins them). */
export type Handlers = {
  [K in InvokeChannel]: (req: Invoke[K]['req'], from: Sender) => Invoke[K]['res'] | Promise<Invoke[K]['res']>;
} & { [K in SendChannel]: (payload: Send[K], from: Sender) => void };

type Unsubscribe = () => void;
type Args<S extends z.ZodMiniType> = [z.input<S>] extends [undefined] ? [] : undefined extends z.input<S> ? [req?: z.input<S>] : [req: z.input<S>];
type MethodOf<K extends RequestChannel> = Table[K] extends { dir: 'invoke'; req: infer S extends z.ZodMiniType; res: infer R }
  ? (...args: Args<S>) => Promise<R>
  : Table[K] extends { dir: 'send'; req: infer S extends z.ZodMiniType }
    ? (payload: z.input<S>) => void
    : never;

/** What preload exposes as `window.companion`: one named function per request channel, and `on` for events. */
export type CompanionApi = { [K in RequestChannel as Table[K]['method']]: MethodOf<K> } & {
  on<K extends EventChannel>(channel: K, listener: (payload: Events[K]) => void): Unsubscribe;
};

export const EVENT_CHANNELS = Object.keys(EVENTS) as EventChannel[];

/** The validated payload of every request channel. */
export type Payloads = Invoke & { [K in SendChannel]: { req: Send[K] } };

/**
 * A renderer's payload checked against its channel's schema: what main's router and the tests'
 * bridge both run before any handler sees it. The reason names the fields, never their values.
 */
export function parseRequest<K extends RequestChannel>(channel: K, payload: unknown): { ok: true; data: Payloads[K]['req'] } | { ok: false; error: string } {
  const row = (CHANNELS as Record<string, { req: z.ZodMiniType } | undefined>)[channel];
  if (!row) return { ok: false, error: `unknown channel ${channel}` };
  const r = row.req.safeParse(payload ?? undefined);
  return r.success ? { ok: true, data: r.data as Payloads[K]['req'] } : { ok: false, error: r.error.issues.map((i) => i.message).join('; ') };
}

/** How a bridge delivers a request: preload's ipcRenderer, or the tests' WebSocket. */
export interface BridgeTransport {
  invoke(channel: InvokeChannel, payload: unknown): Promise<unknown>;
  send(channel: SendChannel, payload: unknown): void;
  on(channel: EventChannel, listener: (payload: unknown) => void): Unsubscribe;
}

/**
 * Every request method, built from the table over one transport: preload and the tests' bridge both
 * call this, so a page reaches main by the same method names and payloads in the app and in tests.
 * The one cast is here: the table's rows are checked by the types above, not at run time.
 */
export function buildCompanionApi(t: BridgeTransport): CompanionApi {
  const api: Record<string, unknown> = {};
  for (const [channel, row] of Object.entries(CHANNELS)) {
    if (row.method in api) throw new Error(`two channels are called ${row.method}`);
    if (row.dir === 'invoke') api[row.method] = (payload?: unknown) => t.invoke(channel as InvokeChannel, payload);
    else api[row.method] = (payload: unknown) => t.send(channel as SendChannel, payload);
  }
  const known = new Set<string>(EVENT_CHANNELS);
  api.on = (channel: EventChannel, listener: (payload: unknown) => void) => {
    // String() throws on an object without a prototype: name only what a string can say.
    if (!known.has(channel)) throw new Error(`unknown event channel ${typeof channel === 'string' ? channel : `(a ${typeof channel})`}`);
    return t.on(channel, listener);
  };
  return api as CompanionApi;
}
