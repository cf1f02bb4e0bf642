// The whole main process, wired by the composition root, over the fake Electron and the local
// Realtime simulator: the key never crosses IPC, switches reach the running instance, the tray
// drives the session and settings, windows hide instead of closing.
import assert from 'node:assert/strict';
import { localVoicePaths } from '../../main/voice/local-voice-paths';
import type { AudioWorkerOptions } from '../../main/voice/audio-worker-host';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import type { Services } from '../../main/app/services';
import { createAppServices } from '../fakes/app-services';
import type { SessionPhase } from '../../preload/api';
import { startSimulator, type Simulator } from '../../simulator/server';
import { createFakeElectron, type FakeElectron, FakeSafeStorage, type FakeWindow } from '../fakes/electron';
import { KEY_FILE } from '../../main/settings/key-store';
import { until } from '../support/until';

const KEY = 'sk-proj-CANARY-KEY-0123456789abcdefXYZ';
const BAD_KEY = 'sk-bad-CANARY-9876543210zyxwvuABC';


interface App {
  sim: Simulator;
  fake: FakeElectron;
  services: Services;
  companion: FakeWindow;
  phase(): SessionPhase;
  close(): Promise<void>;
}

async function boot(o: { env?: NodeJS.ProcessEnv; settings?: object; rawSettings?: string; argv?: string[]; userData?: string; screens?: FakeElectron['screens']; voicePaths?: AudioWorkerOptions; storedKey?: string; keyring?: string } = {}): Promise<App> {
  const sim = await startSimulator({ paceFactor: 10, updateDelayMs: 1, transcriptionDelayMs: 20 });
  const fake = createFakeElectron(o.userData ? { userData: o.userData } : {});
  if (o.screens) fake.screens = o.screens;
  // A key saved by an earlier run, and the store safeStorage reports this time.
  if (o.storedKey) writeFileSync(join(fake.userData, KEY_FILE), fake.safeStorage.encryptString(o.storedKey));
  if (o.keyring) (fake.safeStorage as FakeSafeStorage).backend = o.keyring;
  if (o.settings) writeFileSync(join(fake.userData, 'settings.json'), JSON.stringify({ version: 2, ...o.settings }));
  if (o.rawSettings) writeFileSync(join(fake.userData, 'settings.json'), o.rawSettings);
  const services = await createAppServices(fake, {
    env: { HARK_REALTIME_URL: sim.url, ...o.env },
    session: { backoff: { baseMs: 50, maxMs: 200, stableMs: 5000 }, playbackStopTimeoutMs: 50 },
    localVoicePaths: o.voicePaths ?? localVoicePaths({ sourceRoot: new URL('../../', import.meta.url).pathname }),
  });
  await services.start(o.argv);
  // Let the windows finish loading, as they would before anyone could click.
  await new Promise((r) => setImmediate(r));
  return {
    sim,
    fake,
    services,
    companion: fake.windows[0]!,
    phase: () => services.session.state.phase,
    async close() {
      await services.stop();
      await sim.close();
    },
  };
}

/** Everything that crossed from main to any renderer, and every reply, as searchable text. */
function ipcTraffic(fake: FakeElectron): string {
  const deep = (v: unknown) => inspect(v, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity, breakLength: Infinity });
  const parts: string[] = [];
  for (const w of fake.windows) for (const m of w.webContents.sent) parts.push(m.channel, deep(m.payload), m.payload instanceof ArrayBuffer ? Buffer.from(m.payload).toString('latin1') : '');
  for (const r of fake.ipcMain.replies) parts.push(r.channel, deep(r.value));
  return parts.join('\n');
}

describe('app (fake Electron, simulator)', () => {
  const apps: App[] = [];
  after(async () => {
    for (const a of apps) await a.close();
  });

  it('the API key reaches no renderer: every IPC payload and reply is free of it', async () => {
    const app = await boot();
    apps.push(app);
    const { fake, companion } = app;
    // No key: start-up shows the companion window (its first-run guide asks for one) instead of connecting.
    assert.equal(companion.visible, true);
    assert.equal(fake.windows.length, 1, 'the settings window is not opened over the guide');
    assert.equal(app.phase(), 'disconnected');
    fake.secondInstance(['hark', '--settings']);
    const settingsWin = fake.windows[1]!;
    assert.equal(settingsWin.url, 'app://hark/settings.html');
    const errors: string[] = [];
    const call = (w: FakeWindow, channel: string, payload?: unknown) => fake.ipcMain.invoke(channel, payload, w.event()).catch((e: Error) => void errors.push(e.message));

    assert.deepEqual(await call(settingsWin, 'key:set', { key: KEY }), { hasKey: true, source: 'stored' });
    assert.equal(readFileSync(join(fake.userData, 'api-key.enc')).includes(KEY), false);
    await call(companion, 'session:connect');
    await until(() => app.phase() === 'listening', 'the session to be ready');
    const test = (await call(settingsWin, 'key:test')) as { ok: boolean; message: string };
    assert.equal(test.ok, true, test.message);
    await call(settingsWin, 'key:status');
    await call(settingsWin, 'settings:get');
    await call(settingsWin, 'settings:update', { voice: 'cedar' });
    await call(companion, 'session:snapshot');
    await call(settingsWin, 'hotkey:status');
    // A refused key: the failure is reported in words, and the words do not carry it either.
    await call(settingsWin, 'key:set', { key: BAD_KEY });
    const badTest = (await call(settingsWin, 'key:test')) as { ok: boolean; message: string };
    assert.equal(badTest.ok, false);
    assert.match(badTest.message, /key test failed/i);
    await until(() => app.phase() === 'error', 'the refused key to surface');

    const traffic = ipcTraffic(fake);
    assert.match(traffic, /key:status/, 'the inspection saw the key traffic');
    assert.match(traffic, /session:state/);
    assert.equal(traffic.includes(KEY), false, 'the key appears in an IPC payload');
    assert.equal(traffic.includes(BAD_KEY), false, 'the refused key appears in an IPC payload');
    assert.equal(errors.join('\n').includes(KEY) || errors.join('\n').includes(BAD_KEY), false);
    // Only main ever saw it: the session got it through its options.
    assert.equal(app.services.keys.key(), BAD_KEY);
  });

  it('command-line switches of a second launch drive the running instance', async () => {
    const app = await boot({ settings: { turnDetection: { mode: 'none' } } });
    apps.push(app);
    await app.services.keys.set(KEY);
    await until(() => app.phase() === 'listening', 'ready');
    const conn = app.sim.connections.at(-1)!;

    app.fake.secondInstance(['/opt/Hark/hark', '--toggle-talk']);
    assert.equal(app.services.session.state.turnOpen, true);
    const frame = new ArrayBuffer(960);
    for (let i = 0; i < 15; i++) app.fake.ipcMain.send('audio:frame', frame, app.companion.event());
    app.fake.secondInstance(['/opt/Hark/hark', '--toggle-talk']);
    assert.equal(app.services.session.state.turnOpen, false);
    await conn.waitFor('input_audio_buffer.commit', undefined, 'received');

    app.fake.secondInstance(['hark', '--ptt-down']);
    app.fake.secondInstance(['hark', '--ptt-down']); // a repeating compositor binding
    assert.equal(app.services.session.state.turnOpen, true);
    app.fake.secondInstance(['hark', '--cancel-talk']);
    assert.equal(app.services.session.state.turnOpen, false);

    app.fake.secondInstance(['hark', '--settings']);
    // The settings window shows once it has loaded (ready-to-show).
    await until(() => app.fake.windows.some((w) => w.url === 'app://hark/settings.html' && w.visible), 'the settings window');
  });

  it('the tray drives mode, mute, windows and quit; closing the window only hides it', async () => {
    const app = await boot({ env: { OPENAI_API_KEY: KEY } });
    apps.push(app);
    await until(() => app.phase() === 'listening', 'ready');
    const tray = app.fake.trays[0]!;
    assert.equal(tray.image, '/icons/listening.png');
    tray.click('Push-to-talk');
    await until(() => app.services.session.state.turnDetection === 'none', 'the mode to apply');
    assert.equal(JSON.parse(readFileSync(join(app.fake.userData, 'settings.json'), 'utf8')).turnDetection.mode, 'none');
    assert.equal(tray.image, '/icons/idle.png');
    tray.click('Talk');
    assert.equal(app.services.session.state.turnOpen, true);
    tray.click('Cancel turn');
    tray.click('Mute microphone');
    assert.equal(tray.image, '/icons/muted.png');
    assert.match(tray.tooltip, /microphone muted/);

    assert.equal(app.companion.visible, false, 'starts in the tray');
    tray.click('Open Hark');
    assert.equal(app.companion.visible, true);
    assert.equal(app.companion.close(), false, 'closing hides');
    assert.equal(app.companion.visible, false);
    tray.click('Quit Hark');
    assert.equal(app.fake.quitCalls, 1);
    assert.equal(app.companion.close(), true, 'after Quit, windows really close');
  });

  it('settings apply live; what cannot apply now says when it will; invalid updates are refused in words', async () => {
    // Linux: "start at login" is an XDG autostart entry (Electron's login item does nothing there).
    const config = mkdtempSync(join(tmpdir(), 'hark-xdg-'));
    const app = await boot({ env: { OPENAI_API_KEY: KEY, XDG_CONFIG_HOME: config } });
    apps.push(app);
    await until(() => app.phase() === 'listening', 'ready');
    const w = app.companion;
    const r = (await app.fake.ipcMain.invoke('settings:update', { turnDetection: { mode: 'semantic_vad' }, app: { startAtLogin: true } }, w.event())) as { ok: boolean };
    assert.equal(r.ok, true);
    assert.equal(app.services.session.state.turnDetection, 'semantic_vad');
    assert.match(readFileSync(join(config, 'autostart', 'hark.desktop'), 'utf8'), /^Exec=\S+/m);
    const changed = w.webContents.sent.filter((m) => m.channel === 'settings:changed');
    assert.equal(changed.length, 1);
    const model = (await app.fake.ipcMain.invoke('settings:update', { model: 'gpt-realtime-mini' }, w.event())) as { ok: true; notices: Array<{ code: string; message: string }> };
    assert.deepEqual(model.notices.map((n) => n.code), ['reconnect_pending']);
    assert.match(model.notices[0]!.message, /next idle moment/);
    const bad = (await app.fake.ipcMain.invoke('settings:update', { turnDetection: { mode: 'loud' } }, w.event())) as { ok: false; errors: string[] };
    assert.equal(bad.ok, false);
    assert.match(bad.errors[0]!, /^turnDetection\.mode/);
  });

  it('"Open log folder" (the tray, the settings window) shows the log folder, where the app writes its log without the key', async () => {
    const app = await boot({ env: { OPENAI_API_KEY: KEY } });
    apps.push(app);
    await until(() => app.phase() === 'listening', 'ready');
    app.fake.trays[0]!.click('Open log folder');
    await until(() => app.fake.openedPaths.length === 1, 'the folder to open');
    assert.deepEqual(app.fake.openedPaths, [join(app.fake.userData, 'logs')]);
    // The settings window's button asks for the same folder over its channel.
    app.fake.secondInstance(['hark', '--settings']);
    await app.fake.ipcMain.invoke('window:open-log-folder', undefined, app.fake.windows[1]!.event());
    assert.deepEqual(app.fake.openedPaths, [join(app.fake.userData, 'logs'), join(app.fake.userData, 'logs')]);
    // A notice carrying the key, as a server might echo it, goes to the log masked.
    app.services.notify({ level: 'error', message: `the server said: bad key ${KEY}`, code: 'test' });
    await app.services.appLog.close();
    const text = readFileSync(join(app.fake.userData, 'logs', 'hark.log'), 'utf8');
    assert.match(text, /Hark starts/);
    assert.match(text, /the server said: bad key/);
    assert.equal(text.includes('CANARY'), false);
  });

  it('a notice raised by a settings change reaches each window once: the asking window in its reply, the others as an event', async () => {
    const app = await boot({ env: { OPENAI_API_KEY: KEY } });
    apps.push(app);
    await until(() => app.phase() === 'listening', 'ready');
    app.fake.secondInstance(['hark', '--settings']);
    const settingsWin = app.fake.windows[1]!;
    await new Promise((r) => setImmediate(r));
    const r = (await app.fake.ipcMain.invoke('settings:update', { model: 'gpt-realtime-mini' }, settingsWin.event())) as { ok: true; notices: Array<{ code: string }> };
    await new Promise((r) => setTimeout(r, 50));
    const events = (w: FakeWindow) => w.webContents.sent.filter((m) => m.channel === 'notice' && (m.payload as { code?: string }).code === 'reconnect_pending').length;
    // What the settings window shows: the reply's notices and the notices sent to it.
    assert.equal(r.notices.filter((n) => n.code === 'reconnect_pending').length + events(settingsWin), 1, 'the settings window shows the notice once');
    assert.equal(events(app.companion), 1, 'the companion window hears of it once');
  });

  it('local voice detection that cannot load is said plainly once, and the app runs on', async () => {
    const paths = localVoicePaths({ sourceRoot: new URL('../../', import.meta.url).pathname });
    const app = await boot({ env: { OPENAI_API_KEY: KEY }, voicePaths: { ...paths, models: [{ kind: 'silero-vad', path: '/missing/silero_vad_v5.onnx' }] } });
    apps.push(app);
    const notice = await until(() => app.companion.webContents.sent.find((m) => m.channel === 'notice' && (m.payload as { code: string }).code === 'local_voice_unavailable'), 'the detector notice');
    assert.match((notice!.payload as { message: string }).message, /could not start.*missing.*Hark works without it/);
    await until(() => app.services.session.isReady, 'the session ready without the detector');
  });

  it('local voice: the detector runs in the app, and its barge-ins and echo suppressions reach the event log', async () => {
    const app = await boot({ env: { OPENAI_API_KEY: KEY } });
    apps.push(app);
    await until(() => app.services.localVoice.active, 'the detector ready');
    // What the echo guard says when it suppresses a barge-in (its own tests drive the real case).
    app.services.localVoice.emit('note', { type: 'local.echo_suppressed', source: 'local', count: 3 });
    const entry = app.services.companion.eventLog.entries().find((e) => e.type === 'local.echo_suppressed');
    assert.ok(entry, 'in the event log');
    assert.equal((entry.event as { count: number }).count, 3);
  });

  it('a corrupted settings file: the app starts on defaults and the window is told, with the backup named', async () => {
    const app = await boot({ rawSettings: '{"voice": ', env: { OPENAI_API_KEY: KEY } });
    apps.push(app);
    const notices = app.companion.webContents.sent.filter((m) => m.channel === 'notice').map((m) => (m.payload as { code: string; message: string }));
    assert.equal(notices.length, 1);
    assert.equal(notices[0]!.code, 'settings_reset');
    assert.match(notices[0]!.message, /settings\.corrupt-.*\.json/);
    // The renderer that just loaded also got the state and the mic gate to start from.
    assert.ok(app.companion.webContents.sent.some((m) => m.channel === 'session:state'));
    assert.ok(app.companion.webContents.sent.some((m) => m.channel === 'mic:gate'));
  });

  it('Linux without a keyring (safeStorage on basic_text): each start tells the window the stored key is only obfuscated', async () => {
    const keyNotices = (a: App) => a.companion.webContents.sent.filter((m) => m.channel === 'notice' && (m.payload as { code: string }).code === 'key_store_warning');
    const plain = await boot({ storedKey: KEY, keyring: 'basic_text' });
    apps.push(plain);
    assert.equal(plain.services.keys.key(), KEY, 'the stored key is used');
    const [notice] = keyNotices(plain);
    assert.ok(notice, 'a notice at start');
    assert.equal((notice.payload as { level: string }).level, 'warning');
    assert.match((notice.payload as { message: string }).message, /basic_text.*keyring/);
    const keyring = await boot({ storedKey: KEY });
    apps.push(keyring);
    assert.deepEqual(keyNotices(keyring), [], 'none with a real keyring');
  });

  it('the session gets the permission handlers: the microphone for app pages, nothing else', async () => {
    const app = await boot({ env: { OPENAI_API_KEY: KEY } });
    apps.push(app);
    const ask = (permission: string, details: object) => new Promise<boolean>((resolve) => app.fake.requestHandler!({ getURL: () => 'app://hark/index.html' }, permission, resolve, details as never));
    assert.equal(await ask('media', { mediaTypes: ['audio'], requestingUrl: 'app://hark/index.html' }), true);
    assert.equal(await ask('media', { mediaTypes: ['video'], requestingUrl: 'app://hark/index.html' }), false);
    assert.equal(await ask('media', { mediaTypes: ['audio'], requestingUrl: 'https://evil.example/' }), false);
    assert.equal(await ask('notifications', { requestingUrl: 'app://hark/index.html' }), false);
    assert.equal(app.fake.checkHandler!(null, 'media', 'app://hark', { mediaType: 'audio' }), true);
    assert.equal(app.fake.checkHandler!(null, 'media', 'https://evil.example', { mediaType: 'audio' }), false);
  });

  it('tools: the built-ins act through their ports, policies come from settings, notes reach the instructions', async () => {
    const app = await boot({ env: { OPENAI_API_KEY: KEY }, settings: { tools: { policies: { write_clipboard: 'allow' } } } });
    apps.push(app);
    const { services, sim, fake } = app;
    await until(() => app.phase() === 'listening', 'connected with the key from the environment');
    const offered = (sim.connections[0]!.session.tools as Array<{ name: string }>).map((t) => t.name);
    for (const name of ['get_current_time', 'set_reminder', 'remember_note', 'write_clipboard', 'open_link', 'get_system_info']) assert.ok(offered.includes(name), name);
    sim.options.respond = (ctx) => (ctx.toolOutputs.length ? { text: 'Copied.' } : { toolCalls: [{ name: 'write_clipboard', arguments: '{"text":"from Hark"}' }] });
    services.session.sendText('copy "from Hark"');
    await until(() => services.session.conversation.items().some((i) => i.role === 'assistant' && i.text === 'Copied.'), 'the tool round trip');
    assert.equal(fake.clipboardText, 'from Hark', 'allowed by the stored policy, so no prompt was needed');
    // The window's Copy: main writes the clipboard; a payload of the wrong shape is refused.
    await fake.ipcMain.invoke('window:copy-text', { text: 'You: hi\n\nHark: hello' }, app.companion.event());
    assert.equal(fake.clipboardText, 'You: hi\n\nHark: hello');
    await assert.rejects(fake.ipcMain.invoke('window:copy-text', { text: 42 }, app.companion.event()) as Promise<unknown>);
    assert.equal(fake.clipboardText, 'You: hi\n\nHark: hello');
    // A note the user keeps is part of the instructions of the next session configuration.
    services.tools.notes.add('The user prefers metric units.');
    await services.settings.update({ instructions: 'Be brief.' });
    const update = await sim.connections[0]!.waitFor('session.updated', (e) => e.session.instructions.startsWith('Be brief.'));
    assert.match(update.session.instructions, /The user prefers metric units\./);
  });

  it('the window\'s channels are served: an approval answered in the window, history, usage and export', async () => {
    const app = await boot({ env: { OPENAI_API_KEY: KEY } });
    apps.push(app);
    const { services, sim, fake, companion } = app;
    await until(() => app.phase() === 'listening', 'connected');
    const call = (channel: string, payload?: unknown) => fake.ipcMain.invoke(channel, payload, companion.event());
    // write_clipboard asks by default: the prompt reaches the window, which answers through IPC.
    sim.options.respond = (ctx) => (ctx.toolOutputs.length ? { text: 'Done copying.' } : { toolCalls: [{ name: 'write_clipboard', arguments: '{"text":"approved"}' }] });
    await call('text:send', { text: 'copy something' });
    await until(() => companion.webContents.sent.some((m) => m.channel === 'approval:request'), 'the approval prompt in the window');
    const prompt = companion.webContents.sent.find((m) => m.channel === 'approval:request')!.payload as { id: string; toolName: string };
    assert.equal(prompt.toolName, 'write_clipboard');
    assert.equal(fake.clipboardText, '', 'nothing runs before the answer');
    assert.equal(await call('approval:answer', { id: prompt.id, answer: 'allow' }), true);
    await until(() => services.session.conversation.items().some((i) => i.text === 'Done copying.'), 'the reply after the tool');
    assert.equal(fake.clipboardText, 'approved');
    await until(() => app.phase() === 'listening', 'the turn to end');
    // The finished turn is in history, searchable and exportable through the save dialog.
    const hits = (await call('history:list', { query: 'copy something' })) as Array<{ id: string }>;
    assert.equal(hits.length, 1);
    const exported = (await call('history:export', { id: hits[0]!.id })) as { savedTo: string | null };
    assert.equal(fake.saved.length, 1);
    assert.match(fake.saved[0]!.contents, /copy something/);
    assert.match(fake.saved[0]!.contents, /write_clipboard/);
    assert.equal(exported.savedTo, `/saved/${fake.saved[0]!.name}`);
    const usage = (await call('usage:get')) as { conversation: { usage: { responses: number } } };
    assert.equal(usage.conversation.usage.responses, 2);
    // Ids from a window cannot point outside the history folder.
    await assert.rejects(call('history:get', { id: '../settings' }), /history:get refused: invalid payload/);
  });

  it('the window comes back where it was left, unless that place is no longer on any screen', async () => {
    const first = await boot();
    first.companion.moveTo({ x: 1300, y: 200, width: 500, height: 700 });
    await first.close();
    const second = await boot({ userData: first.fake.userData });
    apps.push(second);
    assert.deepEqual([second.companion.options.x, second.companion.options.y, second.companion.options.width, second.companion.options.height], [1300, 200, 500, 700]);
    // The second monitor is gone: the remembered place would be off-screen.
    const third = await boot({ userData: first.fake.userData, screens: [{ x: 0, y: 0, width: 1280, height: 800 }] });
    apps.push(third);
    assert.equal(third.companion.options.x, undefined);
    assert.equal(third.companion.options.width, 420);
  });

  it('the first launch\'s --show opens the window (it otherwise starts in the tray)', async () => {
    const app = await boot({ env: { OPENAI_API_KEY: KEY }, argv: ['/opt/Hark/hark', '--show'] });
    apps.push(app);
    assert.equal(app.fake.windows.length, 1);
    assert.equal(app.companion.visible, true);
  });
});
