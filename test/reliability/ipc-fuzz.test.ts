// B5 row 20 (b): the renderer cannot reach the key through the API preload gives it. Two halves:
// 1. The real preload, bundled as the app bundles it and run against a recording ipcRenderer: what
//    it exposes is a fixed list of named functions of fixed arity (a snapshot, below), and no method
//    takes a channel name: whatever it is called with, each goes to its one channel of the table.
// 2. Every request channel served by main's real handlers (createAppServices over the fake
//    Electron, the canary key stored and echoed by the simulator into every reply, so the
//    conversation, the history and its exports hold it too), called with random arguments
//    (fast-check) from the companion window, the settings window and forged senders: nothing but a
//    clean refusal is thrown; no reply or refusal, nor any event, export, clipboard text or log
//    line, carries the key or a key shape; the built-in prototypes are untouched; a refused payload
//    changes neither the settings nor the stored key; no promise is left rejected; and main still
//    answers valid calls afterwards.
// A payload is what Electron would deliver: the structured clone of what the page passed (a value
// that cannot be cloned never leaves the renderer, so it is not sent here).
// What each channel may do with a valid random payload is decided above RESTORES.
// HARK_FC_IPC sets the runs per channel and window (npm test: 30; `npm run soak`: 1,000); forged
// senders get a third as many.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import fc from 'fast-check';
import { CHANNELS, EVENT_CHANNELS, type RequestChannel } from '../../preload/channels';
import { defaultSettings } from '../../common/settings/settings-schema';
import type { Services } from '../../main/app/services';
import { KEY_FILE } from '../../main/settings/key-store';
import { SETTINGS_FILE } from '../../main/settings/settings-store';
import { startSimulator, type Simulator } from '../../simulator/server';
import { createAppServices } from '../fakes/app-services';
import { createFakeElectron, type FakeElectron, type FakeWindow } from '../fakes/electron';
import type { IpcEventLike } from '../../main/shell/ipc-router';
import { until } from '../support/until';

const RUNS = Number(process.env.HARK_FC_IPC ?? 30);
const CANARY = 'sk-test-CANARY-0123456789abcdefXYZ';
/** The canary itself, or anything shaped like an OpenAI key. */
const KEY_SHAPE = /CANARY|sk-(?:proj-|test-|svcacct-)?[A-Za-z0-9_-]{16,}/;
const root = new URL('../../', import.meta.url).pathname;

/**
 * What the preload exposes, name and arity: the allowlist. A channel added to preload/channels.ts
 * adds its method here (the test says which); nothing else may appear.
 */
const EXPOSED = [
  'answerApproval/1', 'beginTurn/1', 'cancelTurn/1', 'checkHotkey/1', 'clearKey/1', 'connect/1', 'connectConversation/1', 'copyText/1',
  'deleteAllHistory/1', 'deleteHistory/1', 'disconnect/1', 'endTurn/1', 'exportHistory/1', 'forgetItem/1', 'getHistory/1', 'getSettings/1',
  'hotkeyStatus/1', 'interrupt/1', 'keyStatus/1', 'listHistory/1', 'listNotes/1', 'listScreenWindows/1', 'listTools/1', 'lookAtScreen/1',
  'mcpStatus/1', 'newConversation/1', 'on/2', 'openCompanion/1', 'openLogFolder/1', 'openMicSettings/1', 'openSettings/1', 'pendingApprovals/1',
  'reportInterrupted/1', 'requestAccessibility/1', 'resumeHistory/1', 'saveNotes/1', 'sendAudioFrame/1', 'sendText/1', 'setKey/1', 'setMuted/1',
  'snapshot/1', 'testKey/1', 'updateSettings/1', 'usage/1', 'watchEventLog/1',
];

const REQUESTS = Object.keys(CHANNELS) as RequestChannel[];
const CHANNEL_NAMES = [...REQUESTS, ...EVENT_CHANNELS, 'no:such-channel', 'ELECTRON_BROWSER_REQUIRE', ''];

// ---- random arguments ------------------------------------------------------------------------------

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', 'then'];
/** Every field name a schema of the table knows, and the settings' sections and fields. */
const FIELD_NAMES = [...new Set(REQUESTS.flatMap((c) => fieldsOf(CHANNELS[c].req)))];
const SETTING_PATHS = leafPaths(defaultSettings() as unknown as Record<string, unknown>);
const SETTING_NAMES = [...new Set(SETTING_PATHS.flat())];
const key = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...PROTO_KEYS, ...FIELD_NAMES, ...SETTING_NAMES));
const anything = fc.anything({ key, maxDepth: 3, maxKeys: 5, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withTypedArray: true, withSparseArray: true, withUnicodeString: true });
const idLike = fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/);
const huge = fc.constantFrom(8_001, 64_001, 2_000_001).chain((n) => fc.constantFrom('x', ' ', 'é', '\u0000', 'sk-').map((c) => c.repeat(Math.ceil(n / c.length))));
const deep = fc.tuple(fc.constantFrom(100, 1_000, 3_000), fc.constantFrom('array', 'object', 'proto')).map(([depth, kind]) => {
  let v: unknown = 'leaf';
  // 'proto': each level an own "__proto__" key (as JSON.parse makes one), holding the next.
  const own = (next: unknown) => Object.defineProperty({ hark_polluted: 1 }, '__proto__', { value: next, enumerable: true, writable: true, configurable: true });
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : kind === 'object' ? { a: v } : own(v);
  return v;
});
// JSON.parse makes "__proto__" an own key, as a page's JSON.parse would before sending it.
const pollution = fc.constantFrom(
  '{"__proto__":{"hark_polluted":1}}',
  '{"constructor":{"prototype":{"hark_polluted":1}}}',
  '{"text":"hi","__proto__":{"hark_polluted":1}}',
  '{"notes":[{"text":"a","__proto__":{"hark_polluted":1}}]}',
  '{"app":{"__proto__":{"hark_polluted":1}},"__proto__":{"voice":"cedar"}}',
  '{"tools":{"constructor":{"prototype":{"hark_polluted":1}}}}',
).map((s) => JSON.parse(s) as unknown);
// Structured clone keeps cycles, so a page can send one.
const cycles = fc.constantFrom('object', 'array', 'field', 'settings').map((kind) => {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  const a: unknown[] = [1];
  a.push(a);
  return kind === 'object' ? o : kind === 'array' ? a : kind === 'field' ? { text: 'hi', notes: a, query: o } : { app: o, tools: { policies: o } };
});
const buffers = fc.oneof(
  fc.uint8Array({ minLength: 960, maxLength: 960 }).map((a) => a.buffer),
  fc.uint8Array({ minLength: 960, maxLength: 960 }),
  fc.constantFrom(new Float32Array(240), new Int16Array(480), new DataView(new ArrayBuffer(960)), new ArrayBuffer(0), new ArrayBuffer(961), new Float64Array(120), new BigInt64Array(120)),
);
/** A value for a known field: often valid, often just wrong. */
const value = fc.oneof(
  ...[
    anything,
    fc.boolean(),
    fc.integer({ min: -5, max: 2 ** 31 }),
    fc.double(),
    fc.string({ maxLength: 40 }),
    idLike,
    fc.constant(null),
    fc.constantFrom('allow', 'deny', 'always', 'continue', 'new', 'cedar', 'none', 'semantic_vad', 'CommandOrControl+Shift+Space', 'Alt+Space', ...CHANNEL_NAMES),
    fc.array(fc.record({ id: fc.option(idLike, { nil: undefined }), text: fc.string({ maxLength: 30 }) }, { requiredKeys: ['text'] }), { maxLength: 4 }),
  ].map((arbitrary) => ({ arbitrary: arbitrary as fc.Arbitrary<unknown>, weight: 3 })),
  // Huge strings are few: each costs a copy of up to 2 MB per hop.
  { arbitrary: huge, weight: 1 },
);
/** Objects with the fields the table knows, sometimes an extra or prototype key. */
const shaped = fc
  .tuple(fc.dictionary(fc.constantFrom(...FIELD_NAMES), value, { maxKeys: 3 }), fc.option(fc.dictionary(key, anything, { maxKeys: 2 })))
  .map(([known, extra]) => ({ ...known, ...extra }));
/** The conversations in the history now (refreshed before each channel). */
const knownIds: string[] = [];
/** Values of the type a field of that name has, so that whole payloads are often valid. */
const FIELD_HINTS: Record<string, fc.Arbitrary<unknown>> = {
  muted: fc.boolean(),
  on: fc.boolean(),
  choice: fc.constantFrom('continue', 'new'),
  answer: fc.constantFrom('allow', 'deny', 'always'),
  // A conversation that exists (the server's replies are recorded), or any well-formed id.
  id: fc.oneof(idLike, fc.nat().map((i) => knownIds[i % Math.max(1, knownIds.length)] ?? 'no-such-id')),
  requestId: fc.nat(),
  itemId: fc.option(idLike, { nil: null }),
  playedMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
  text: fc.string({ minLength: 1, maxLength: 60 }),
  query: fc.string({ maxLength: 30 }),
  windowTitle: fc.string({ minLength: 1, maxLength: 30 }),
  accelerator: fc.constantFrom('CommandOrControl+Shift+Space', 'Alt+Space', 'F13', 'Ctrl+', '', 'Super+Alt+K'),
  key: fc.stringMatching(/^[\x21-\x7e]{8,60}$/),
  notes: fc.array(fc.record({ id: fc.option(idLike, { nil: undefined }), text: fc.string({ maxLength: 30 }) }, { requiredKeys: ['text'] }), { maxLength: 4 }),
};
/** The channel's own fields with values from the pool: often valid, so its handler runs. */
function ownFields(channel: RequestChannel): fc.Arbitrary<unknown> | null {
  const fields = fieldsOf(CHANNELS[channel].req);
  if (!fields.length) return null;
  const model = Object.fromEntries(fields.map((f) => [f, FIELD_HINTS[f] ? fc.oneof({ arbitrary: FIELD_HINTS[f], weight: 3 }, value) : value]));
  const record = fc.oneof({ arbitrary: fc.record(model), weight: 3 }, fc.record(model, { requiredKeys: [] }));
  return fc.tuple(record, fc.option(fc.dictionary(key, anything, { maxKeys: 1 }), { freq: 5 })).map(([own, extra]) => ({ ...own, ...extra }));
}
/** A settings patch: real sections and fields, random values (type-matched or not). */
const settingsPatch = fc.array(fc.tuple(fc.constantFrom(...SETTING_PATHS), fc.oneof(value, fc.constant('__typed__'))), { minLength: 1, maxLength: 3 }).map((entries) => {
  const patch: Record<string, unknown> = {};
  for (const [path, v] of entries) {
    let at = patch;
    for (const p of path.slice(0, -1)) at = (at[p] = typeof at[p] === 'object' && at[p] ? at[p] : {}) as Record<string, unknown>;
    at[path.at(-1)!] = v === '__typed__' ? typedLike(path) : v;
  }
  return patch;
});
const topLevelSettings = fc.dictionary(fc.constantFrom(...Object.keys(defaultSettings()), ...PROTO_KEYS), value, { minKeys: 1, maxKeys: 3 });

function payloadFor(channel: RequestChannel): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: anything, weight: 4 },
    { arbitrary: shaped, weight: 4 },
    { arbitrary: fc.oneof(huge, deep, pollution, cycles, buffers), weight: 2 },
    { arbitrary: fc.constantFrom(undefined, null, 0, '', [], {}, Number.NaN, -0), weight: 1 },
    // A channel without a payload takes undefined (or null); its handler runs on those only.
    ...(ownFields(channel) ? [{ arbitrary: ownFields(channel)!, weight: 8 }] : CHANNELS[channel].req._zod.def.type === 'undefined' ? [{ arbitrary: fc.constantFrom(undefined, null), weight: 2 }] : []),
    ...(channel === 'settings:update' ? [{ arbitrary: settingsPatch, weight: 6 }, { arbitrary: topLevelSettings, weight: 3 }] : []),
    ...(channel === 'audio:frame' ? [{ arbitrary: buffers, weight: 6 }] : []),
  );
}

/** The structured clone Electron delivers, or null when the page could not have sent it. */
function delivered(v: unknown): { v: unknown } | null {
  try {
    return { v: structuredClone(v) };
  } catch {
    return null;
  }
}

// ---- 1. the real preload ---------------------------------------------------------------------------

interface PreloadRun {
  api: Record<string, unknown>;
  calls: Array<{ fn: 'invoke' | 'send' | 'on' | 'off'; args: unknown[] }>;
  listeners: Map<string, (e: unknown, p: unknown) => void>;
}

/** Bundles preload/index.ts as scripts/build.mjs does and runs it with a recording `electron`. */
async function runPreload(): Promise<PreloadRun> {
  const out = await build({ absWorkingDir: root, entryPoints: ['preload/index.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node22', write: false, external: ['electron'], logLevel: 'warning' });
  const calls: PreloadRun['calls'] = [];
  const listeners = new Map<string, (e: unknown, p: unknown) => void>();
  const exposed: Record<string, unknown> = {};
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, api: unknown) => void (exposed[name] = api) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => (calls.push({ fn: 'invoke', args }), Promise.resolve('ok')),
      send: (...args: unknown[]) => void calls.push({ fn: 'send', args }),
      on: (...args: unknown[]) => (calls.push({ fn: 'on', args }), listeners.set(args[0] as string, args[1] as never)),
      off: (...args: unknown[]) => void calls.push({ fn: 'off', args }),
    },
  };
  // A sandboxed preload can require only 'electron'; anything else would fail there too.
  const require = (m: string) => {
    if (m !== 'electron') throw new Error(`the preload requires ${m}`);
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(out.outputFiles[0]!.text, { require, module, exports: module.exports, Promise, Error });
  assert.deepEqual(Object.keys(exposed), ['companion'], 'one object in the main world');
  return { api: exposed.companion as Record<string, unknown>, calls, listeners };
}

describe('the API the preload exposes', () => {
  let p: PreloadRun;
  before(async () => {
    p = await runPreload();
  });

  test('a fixed allowlist: these names, functions of this arity, and nothing else', () => {
    const names = Object.getOwnPropertyNames(p.api).sort();
    for (const n of names) assert.equal(typeof p.api[n], 'function', `${n} is a function`);
    const got = names.map((n) => `${n}/${(p.api[n] as (...a: unknown[]) => unknown).length}`);
    assert.deepEqual(got, EXPOSED, 'a new channel adds its method to EXPOSED in this test; nothing else may be exposed');
    // The table is the only source: one method per request channel, and `on`.
    assert.deepEqual(names, [...REQUESTS.map((c) => CHANNELS[c].method), 'on'].sort());
    assert.equal(Object.getOwnPropertySymbols(p.api).length, 0);
  });

  test('no method takes a channel name: whatever a method is given, it reaches its own channel', () => {
    const methods = REQUESTS.map((c) => [c, CHANNELS[c].method, CHANNELS[c].dir] as const);
    fc.assert(
      fc.property(fc.constantFrom(...methods), fc.array(fc.oneof(fc.constantFrom(...CHANNEL_NAMES), anything), { maxLength: 4 }), ([channel, method, dir], args) => {
        p.calls.length = 0;
        const r = (p.api[method] as (...a: unknown[]) => unknown)(...args);
        if (r instanceof Promise) void r.catch(() => {});
        assert.equal(p.calls.length, 1, 'one message');
        const [call] = p.calls;
        assert.equal(call!.fn, dir, `${method} ${dir}s`);
        assert.equal(call!.args[0], channel, `${method} reaches ${channel} only`);
        assert.equal(call!.args.length, 2, 'the channel and one payload: any further argument is dropped');
        assert.equal(call!.args[1], args[0], 'the payload is the first argument, untouched');
      }),
      { numRuns: 500 },
    );
  });

  test('`on` subscribes only to the event table, and only listens: it never invokes or sends', () => {
    const on = p.api.on as (c: unknown, l: unknown) => unknown;
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...CHANNEL_NAMES), fc.string(), anything), (channel) => {
        p.calls.length = 0;
        let unsubscribe: unknown;
        try {
          unsubscribe = on(channel, () => {});
        } catch (e) {
          assert.ok(!(EVENT_CHANNELS as unknown[]).includes(channel), `${inspect(channel)} is an event`);
          assert.match((e as Error).message, /unknown event channel/);
          assert.equal(p.calls.length, 0);
          return;
        }
        assert.ok((EVENT_CHANNELS as unknown[]).includes(channel), `${inspect(channel)} was accepted, so it must be an event`);
        assert.deepEqual(p.calls.map((c) => [c.fn, c.args[0]]), [['on', channel]]);
        (unsubscribe as () => void)();
        assert.deepEqual(p.calls.map((c) => c.fn), ['on', 'off']);
      }),
      { numRuns: 500 },
    );
  });

  test('found: `on` with a channel that is not a string refuses in its own words', () => {
    for (const channel of [Object.create(null), [Object.create(null)], Symbol('x'), 1n]) {
      assert.throws(() => (p.api.on as (c: unknown, l: unknown) => unknown)(channel, () => {}), (e: Error) => e.constructor === Error && /^unknown event channel/.test(e.message));
    }
  });

  test('a listener sees the payload only, never the IpcRendererEvent (and with it ipcRenderer)', () => {
    const seen: unknown[][] = [];
    (p.api.on as (c: string, l: (...a: unknown[]) => void) => unknown)('notice', (...a) => void seen.push(a));
    p.listeners.get('notice')!({ sender: { invoke: () => 'the raw ipcRenderer' }, ports: [] }, { level: 'info', message: 'hi', code: 'x' });
    assert.deepEqual(seen, [[{ level: 'info', message: 'hi', code: 'x' }]]);
  });
});

// ---- 2. every channel, fuzzed against main's handlers ----------------------------------------------

interface App {
  sim: Simulator;
  fake: FakeElectron;
  services: Services;
  companion: FakeWindow;
  settingsWin: FakeWindow;
}

let app: App;
const rejections: unknown[] = [];
const onRejection = (r: unknown) => void rejections.push(r);
// Every own property of the prototypes a payload could pollute, by identity: a key added, or a
// method replaced, shows.
const PROTOS = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Boolean.prototype];
const protoState = () =>
  PROTOS.flatMap((p) =>
    Reflect.ownKeys(p).flatMap((k) => {
      const d = Object.getOwnPropertyDescriptor(p, k)!;
      return [k, d.value, d.get, d.set];
    }),
  );
const protoBefore = protoState();

// A file's identity: write-file-atomic renames a new file into place, so any write, even of the
// same bytes, changes the inode. Cheaper than reading both files at every run.
const identity = (f: string) => {
  const st = statSync(f, { bigint: true, throwIfNoEntry: false });
  return st ? `${st.ino}:${st.size}:${st.mtimeNs}` : null;
};
/** Settings the store accepted so far (each accepted update emits 'change'). */
let settingsChanges = 0;
/** Keys set or cleared so far (each emits 'status'), even one set to the same value. */
let keyChanges = 0;
function stored() {
  const dir = app.fake.userData;
  return { settingsFile: identity(join(dir, SETTINGS_FILE)), keyFile: identity(join(dir, KEY_FILE)), key: app.services.keys.key(), keyChanges, settingsChanges };
}
const settingsText = () => JSON.stringify(app.services.settings.get());

// How main may answer a payload it will not serve: the router's refusal, or a handler's refusal in
// words (a plain Error, never a TypeError or RangeError from code that met an unexpected value).
const REFUSALS = [/^[a-z-]+:[a-z-]+ refused: /, /can be changed only in the settings window/, /^That conversation no longer exists\.$/, /^Conversations cannot be started over here\.$/];

// What a valid random payload may do, channel by channel, and what the test does about it. Only
// the first three may touch what is compared (the key, the settings); after one of them accepts,
// the test puts the canary key and the settings back. Every other accepted call must leave both
// as they were, and so must every refusal, from any sender.
//   key:set, key:clear   settings window: the user sets or clears the key (restored); companion
//                        window: refused in words, the key unchanged.
//   settings:update      { ok: false } is a refusal (nothing changed); { ok: true } a change the user
//                        may make (restored), never of the endpoint or the MCP servers: those need
//                        main's dialog, which answers Cancel here, and the companion window is refused.
//   key:test             settings window only: a test session connects to the simulator.
//   session:*, turn:*, assistant:interrupt, text:send, mic:mute, audio:*, conversation:*
//                        drive the session against the simulator (text is sent, frames appended);
//                        the fuzz ends by connecting and asking for a snapshot.
//   notes:save, history:delete(-all), window:copy-text, eventlog:watch, hotkey:request-accessibility
//                        change notes, history (empty here), the fake clipboard, the log stream or
//                        restart the fake key hook: none of it is the key or the settings.
//   history:export/resume with a well-formed id: no such conversation, refused in words.
const RESTORES = new Set<RequestChannel>(['key:set', 'key:clear', 'settings:update']);

function forgedEvents(a: App): IpcEventLike[] {
  const good = a.companion.event();
  return [
    { ...good, senderFrame: { url: 'https://evil.example/', parent: null } },
    { ...good, senderFrame: { url: 'app://hark.evil/index.html', parent: null } },
    { ...good, senderFrame: { url: 'file:///index.html', parent: null } },
    { ...good, senderFrame: { url: good.senderFrame!.url, parent: {} } },
    { ...good, sender: { id: 999_999 } },
    { ...good, senderFrame: null },
  ];
}

/** Everything a value says, bytes included (JSON: what crosses IPC is data, and inspect is slow). */
function text(v: unknown): string {
  const bytes = (b: ArrayBufferLike | ArrayBufferView) => Buffer.from(ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b)).toString('latin1');
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x instanceof ArrayBuffer || ArrayBuffer.isView(x) ? bytes(x) : x instanceof Map || x instanceof Set ? [...x] : x)) ?? String(v);
  } catch {
    return inspect(v, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity, breakLength: Infinity });
  }
}

/** The key, or a key shape the payload itself did not bring. */
function leak(out: string, payload: unknown): string | null {
  const m = KEY_SHAPE.exec(out);
  if (!m) return null;
  if (!m[0].includes('CANARY') && text(payload).includes(m[0])) return null;
  return m[0];
}

type Outcome = { kind: 'answered'; value: unknown } | { kind: 'refused'; error: unknown };

async function call(channel: RequestChannel, payload: unknown, e: IpcEventLike): Promise<Outcome> {
  if (CHANNELS[channel].dir === 'send') {
    // Electron calls ipcMain.on listeners synchronously: a throw here would be an uncaught
    // exception in main, so none may escape.
    const last = app.services.router.refused.at(-1);
    app.fake.ipcMain.send(channel, payload, e);
    const refusal = app.services.router.refused.at(-1);
    return refusal !== last ? { kind: 'refused', error: new Error(`${channel} refused: ${refusal!.why}`) } : { kind: 'answered', value: undefined };
  }
  try {
    return { kind: 'answered', value: await app.fake.ipcMain.invoke(channel, payload, e) };
  } catch (error) {
    return { kind: 'refused', error };
  }
}

async function restore(baseline: { settings: string }): Promise<void> {
  if (app.services.keys.key() !== CANARY) await app.services.keys.set(CANARY);
  if (settingsText() !== baseline.settings) await app.services.settings.update(JSON.parse(baseline.settings));
}

describe('every request channel, random arguments, from each window and forged senders', () => {
  before(async () => {
    process.on('unhandledRejection', onRejection);
    // The server echoes the key into every reply, so it is in main's conversation, history and
    // usage as well as its key store: every reply path has it to leak.
    const sim = await startSimulator({ paceFactor: 20, updateDelayMs: 1, transcriptionDelayMs: 1, replyDelayMs: 1, respond: ({ userText }) => ({ text: `Your key is ${CANARY}; you said ${userText ?? 'nothing'}.`, audioMs: 60 }) });
    const fake = createFakeElectron();
    // The main-side dialog (a new endpoint host, an MCP program) answers Cancel.
    fake.confirmAnswer = false;
    const services = await createAppServices(fake, {
      env: { HARK_REALTIME_URL: sim.url, XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'hark-xdg-')) },
      // No renderer answers 'audio:interrupt' here: a short wait for it keeps valid interrupts cheap.
      session: { backoff: { baseMs: 50, maxMs: 200, stableMs: 5000 }, playbackStopTimeoutMs: 10 },
    });
    await services.keys.set(CANARY);
    services.settings.on('change', () => void settingsChanges++);
    services.keys.on('status', () => void keyChanges++);
    await services.start();
    services.windows.showSettings();
    await new Promise((r) => setImmediate(r));
    app = { sim, fake, services, companion: fake.windows[0]!, settingsWin: fake.windows[1]! };
    await until(() => services.session.state.phase === 'listening', 'the session connects with the canary key');
  });

  /** At least one recorded conversation, whose reply holds the key, and its id among the hints. */
  async function seedHistory(): Promise<void> {
    const list = async () => (await app.fake.ipcMain.invoke('history:list', undefined, app.companion.event())) as Array<{ id: string }>;
    if (!(await list()).length) {
      // A new conversation: whatever the fuzz left the current one waiting for, the message's turn is
      // recorded once its reply is done.
      await app.fake.ipcMain.invoke('conversation:new', undefined, app.companion.event());
      await app.fake.ipcMain.invoke('conversation:connect', { choice: 'continue' }, app.companion.event());
      await until(() => app.services.session.state.phase === 'listening', 'listening, to seed the history', 10_000);
      await app.fake.ipcMain.invoke('text:send', { text: `remember ${CANARY}` }, app.companion.event());
      await until(async () => (await list()).length > 0, 'a recorded conversation', 10_000).catch((e: Error) => {
        throw new Error(`${e.message}; the session: ${JSON.stringify(app.services.session.state)}; history files: ${readdirSync(join(app.fake.userData, 'history')).join(', ')}`);
      });
    }
    knownIds.splice(0, knownIds.length, ...(await list()).map((h) => h.id));
  }
  after(async () => {
    await app?.services.stop();
    await app?.sim.close();
    process.off('unhandledRejection', onRejection);
  });

  // The shrunk counterexamples the fuzz found, kept as plain regression tests.
  test('found: a settings patch JSON cannot hold (a BigInt, a cycle) is refused, not a TypeError', async () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    for (const patch of [{ '': { '': 0n } }, { app: cycle }]) {
      const before = stored();
      await assert.rejects(app.fake.ipcMain.invoke('settings:update', structuredClone(patch), app.settingsWin.event()), (e: Error) => e.constructor === Error && /^settings:update refused: invalid payload/.test(e.message));
      assert.deepEqual(stored(), before);
    }
  });

  test('found: a settings patch whose tools section is not an object is refused in words, not a TypeError', async () => {
    for (const sender of [app.settingsWin, app.companion]) {
      for (const tools of ['x', 5, true, ['mcpConfig']]) {
        const before = stored();
        const r = (await app.fake.ipcMain.invoke('settings:update', { tools }, sender.event())) as { ok: boolean; errors?: string[] };
        assert.equal(r.ok, false);
        assert.match(r.errors!.join(' '), /^tools: /);
        assert.deepEqual(stored(), before);
      }
    }
  });

  const senders = ['companion', 'settings', 'forged'] as const;
  for (const channel of REQUESTS) {
    test(channel, async (t) => {
      if (channel.startsWith('history:')) await seedHistory();
      const baseline = { settings: settingsText() };
      const counts = { answered: 0, refused: 0, skipped: 0, answeredBy: { companion: 0, settings: 0, forged: 0 } };
      for (const sender of senders) {
        const events = sender === 'forged' ? forgedEvents(app) : [(sender === 'companion' ? app.companion : app.settingsWin).event()];
        await fc.assert(
          fc.asyncProperty(payloadFor(channel), fc.nat(events.length - 1), async (raw, n) => {
            const d = delivered(raw);
            if (!d) return void counts.skipped++;
            const before = stored();
            const out = await call(channel, d.v, events[n]!);
            counts[out.kind]++;
            if (out.kind === 'answered') counts.answeredBy[sender]++;
            if (out.kind === 'refused') {
              const err = out.error;
              assert.ok(err instanceof Error && err.constructor === Error, `a plain Error, not ${inspect(err).slice(0, 300)}`);
              assert.ok(REFUSALS.some((re) => re.test(err.message)), `a refusal in words, not: ${err.message.slice(0, 300)}`);
              if (sender === 'forged') assert.match(err.message, /refused: the (sender|sending frame)/);
              assert.equal(leak(err.message, d.v), null, 'the refusal carries no key');
            } else {
              assert.notEqual(sender, 'forged', 'a forged sender is never answered');
              assert.equal(leak(text(out.value), d.v), null, 'the reply carries no key');
            }
            const protoNow = protoState();
            assert.ok(protoNow.length === protoBefore.length && protoNow.every((x, i) => x === protoBefore[i]), 'the prototypes untouched');
            assert.equal(({} as Record<string, unknown>).hark_polluted, undefined);
            const now = stored();
            const refusedUpdate = channel === 'settings:update' && out.kind === 'answered' && (out.value as { ok: boolean }).ok === false;
            if (out.kind === 'refused' || refusedUpdate || !RESTORES.has(channel)) {
              // Refused, or a channel that has no business with the key or the settings.
              assert.equal(now.key, before.key, 'the key unchanged');
              assert.equal(now.keyChanges, before.keyChanges, 'the key not set again');
              assert.equal(now.keyFile, before.keyFile, 'the stored key unchanged');
              assert.equal(now.settingsChanges, before.settingsChanges, 'the settings unchanged');
              assert.equal(now.settingsFile, before.settingsFile, 'the settings file unchanged');
            } else {
              // Accepted: a change the user may make from this window, never the endpoint or the MCP servers.
              const s = app.services.settings.get();
              const b = JSON.parse(baseline.settings) as ReturnType<typeof defaultSettings>;
              assert.deepEqual(s.endpoint, b.endpoint, 'the endpoint unchanged without the dialog');
              assert.equal(s.tools.mcpConfig, b.tools.mcpConfig, 'the MCP servers unchanged without the dialog');
              if (channel === 'settings:update' || sender === 'companion') assert.equal(now.key, before.key, 'the key unchanged');
              await restore(baseline);
            }
          }),
          { numRuns: sender === 'forged' ? Math.ceil(RUNS / 3) : RUNS },
        );
      }
      // Nothing left rejected, nothing sent to a window with the key, and main still answers.
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(rejections, [], 'no unhandled rejection');
      for (const w of app.fake.windows) {
        for (const m of w.webContents.sent) assert.equal(text(m.payload).includes('CANARY'), false, `${m.channel} carried the key`);
        w.webContents.sent.length = 0;
      }
      app.fake.ipcMain.replies.length = 0;
      for (const f of app.fake.saved) assert.equal(f.contents.includes('CANARY'), false, `the export ${f.name} holds the key`);
      assert.equal(app.fake.clipboardText.includes('CANARY'), false, 'the clipboard holds the key');
      await restore(baseline);
      assert.equal(app.services.keys.key(), CANARY);
      assert.deepEqual(await app.fake.ipcMain.invoke('key:status', undefined, app.settingsWin.event()), { hasKey: true, source: 'stored' });
      assert.equal(JSON.stringify(await app.fake.ipcMain.invoke('settings:get', undefined, app.settingsWin.event())), baseline.settings);
      assert.ok(counts.answered + counts.refused > 0, `${channel} was called (${inspect(counts)})`);
      t.diagnostic(`${counts.answered + counts.refused} calls: ${counts.answeredBy.companion} answered from the companion window, ${counts.answeredBy.settings} from the settings window, ${counts.refused} refused; ${counts.skipped} payloads not clonable`);
    });
  }

  test('afterwards: the session still connects and answers, and the log holds no key', async () => {
    // conversation:connect, not session:connect: after the fuzz's explicit disconnects a plain
    // connect may ask the window whether to continue (as it should) instead of connecting.
    await app.fake.ipcMain.invoke('conversation:connect', { choice: 'continue' }, app.companion.event());
    await until(() => app.services.session.state.phase === 'listening', 'listening after the fuzz', 10_000);
    const snap = (await app.fake.ipcMain.invoke('session:snapshot', undefined, app.companion.event())) as { state: { phase: string } };
    assert.equal(snap.state.phase, 'listening');
    const logDir = app.services.appLog.dir;
    for (const f of readdirSync(logDir)) assert.equal(readFileSync(join(logDir, f), 'utf8').includes('CANARY'), false, `${f} holds the key`);
    assert.deepEqual(rejections, []);
  });
});

// ---- helpers ---------------------------------------------------------------------------------------

/** The field names of a zod/mini object schema (through optional), for near-valid payloads. */
function fieldsOf(schema: unknown): string[] {
  const def = (schema as { _zod: { def: { type: string; shape?: object; innerType?: unknown } } })._zod.def;
  if (def.type === 'optional') return fieldsOf(def.innerType);
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** Every leaf path of the default settings (section.field, or a top-level field). */
function leafPaths(o: Record<string, unknown>, at: string[] = []): string[][] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) && at.length < 2 ? [[...at, k], ...leafPaths(v as Record<string, unknown>, [...at, k])] : [[...at, k]]));
}

/** A value of the same type as the default at `path`: the patches most likely to be accepted. */
function typedLike(path: string[]): unknown {
  let v: unknown = defaultSettings();
  for (const p of path) v = (v as Record<string, unknown>)?.[p];
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'string') return `${v}x`;
  return v;
}
