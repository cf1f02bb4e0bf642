// Picking a window to look at, through the whole main process (fake Electron, the real IPC router,
// the simulator) and the real desktopCapturer adapter over fake sources: the picker's channel lists
// the open windows but never Hark's own, a look naming one captures that window (what
// desktopCapturer was asked is recorded; an exact title wins over a part of a longer one), the
// consent prompt names it, and an unknown title or an over-long one is refused in words.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encode as encodePng } from 'fast-png';
import { createServices, type Services } from '../../main/app/services';
import { electronScreenCapturer } from '../../main/screen/electron-screen-capturer';
import { localVoicePaths } from '../../main/voice/local-voice-paths';
import type { ApprovalRequest, LookResult, ScreenWindowList } from '../../preload/api';
import { startSimulator, type Simulator } from '../../simulator/server';
import { createFakeElectron, type FakeElectron } from '../fakes/electron';
import { until } from '../support/until';

const KEY = 'sk-proj-CANARY-KEY-0123456789abcdefXYZ';
const ROOT = new URL('../../', import.meta.url).pathname;

/** A real PNG of w × h in one colour: what a source's thumbnail would hold. */
function png(w: number, h: number, shade: number): Uint8Array {
  return encodePng({ width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3).fill(shade) });
}
const image = (bytes: Uint8Array, w: number, h: number) => ({ isEmpty: () => false, toPNG: () => bytes, getSize: () => ({ width: w, height: h }) });

/** desktopCapturer.getSources over three windows, one of them Hark's own; each call is recorded. */
const asked: Array<{ types: string[]; thumbnailSize: { width: number; height: number } }> = [];
const sources = [
  { id: 'window:1:0', name: 'Editor: notes.txt', display_id: '', thumbnail: image(png(64, 40, 200), 64, 40) },
  { id: 'window:2:0', name: 'Terminal', display_id: '', thumbnail: image(png(80, 50, 30), 80, 50) },
  { id: 'window:3:0', name: 'Editor', display_id: '', thumbnail: image(png(48, 30, 60), 48, 30) },
  { id: 'window:9:0', name: 'Hark', display_id: '', thumbnail: image(png(10, 10, 0), 10, 10) },
  { id: 'screen:0:0', name: 'Entire screen', display_id: '1', thumbnail: image(png(160, 100, 120), 160, 100) },
];

let sim: Simulator;
let fake: FakeElectron;
let services: Services;
before(async () => {
  sim = await startSimulator({ paceFactor: 10, updateDelayMs: 1 });
  fake = createFakeElectron();
  fake.screenCapturer = electronScreenCapturer({
    platform: 'linux',
    getSources: async (o) => {
      asked.push({ types: [...o.types], thumbnailSize: { ...o.thumbnailSize } });
      return sources.filter((s) => o.types.some((t) => s.id.startsWith(t)));
    },
    ownSourceIds: () => ['window:9:0'],
    cursorDisplayId: () => '1',
    whileHidden: (fn) => fn(),
  });
  const dist = mkdtempSync(join(tmpdir(), 'hark-dist-'));
  mkdirSync(join(dist, 'renderer'));
  writeFileSync(join(dist, 'renderer', 'index.html'), '<!doctype html><title>Hark</title>');
  services = await createServices({
    electron: fake,
    distDir: dist,
    iconDir: '/icons',
    env: { HARK_REALTIME_URL: sim.url, OPENAI_API_KEY: KEY, DISPLAY: ':99' },
    platform: 'linux',
    arch: 'x64',
    localVoicePaths: localVoicePaths({ sourceRoot: ROOT }),
  });
  await services.start([]);
  await until(() => services.session.isReady, 'connected', 10_000);
});
after(async () => {
  await services?.stop();
  await sim?.close();
});

describe('app: picking a window to look at (fake Electron, desktopCapturer adapter, simulator)', () => {
  it('lists the open windows without Hark, with no picture painted for the list', async () => {
    const w = fake.windows[0]!;
    asked.length = 0;
    const list = (await fake.ipcMain.invoke('screen:windows', undefined, w.event())) as ScreenWindowList;
    assert.deepEqual(list, { windows: [{ title: 'Editor: notes.txt' }, { title: 'Terminal' }, { title: 'Editor' }] });
    assert.deepEqual(asked, [{ types: ['window'], thumbnailSize: { width: 0, height: 0 } }]);
  });

  it('a look naming a window captures that window, and the prompt names it; Allow sends it', async () => {
    const w = fake.windows[0]!;
    const prompts = () => w.webContents.sent.filter((m) => m.channel === 'approval:request').map((m) => m.payload as ApprovalRequest);
    const before = prompts().length;
    asked.length = 0;
    const looked = fake.ipcMain.invoke('screen:look', { windowTitle: 'Terminal' }, w.event()) as Promise<LookResult>;
    await until(() => prompts().length > before, 'the consent prompt', 10_000);
    const prompt = prompts().at(-1)!;
    assert.equal(prompt.summary, 'Send a picture of the window "Terminal"');
    assert.match(prompt.preview ?? '', /^data:image\/jpeg;base64,/);
    // The window, at the size wanted, and no screen capture (which would hide Hark's windows).
    assert.deepEqual(asked, [{ types: ['window'], thumbnailSize: { width: 1280, height: 1280 } }]);
    await fake.ipcMain.invoke('approval:answer', { id: prompt.id, answer: 'allow' }, w.event());
    const r = await looked;
    assert.equal(r.sent, true, r.message);
    assert.match(r.message, /^Sent: 80×50,/, 'the Terminal window (80 × 50), not the editor or the screen');
    const image = services.session.conversation.items().find((i) => i.role === 'user' && i.image)?.image;
    assert.equal(image?.source, 'Terminal');
  });

  it('a title picked from the list is matched exactly before a part of a longer one', async () => {
    const w = fake.windows[0]!;
    const prompts = () => w.webContents.sent.filter((m) => m.channel === 'approval:request').map((m) => m.payload as ApprovalRequest);
    const before = prompts().length;
    const looked = fake.ipcMain.invoke('screen:look', { windowTitle: 'Editor' }, w.event()) as Promise<LookResult>;
    await until(() => prompts().length > before, 'the consent prompt', 10_000);
    await fake.ipcMain.invoke('approval:answer', { id: prompts().at(-1)!.id, answer: 'allow' }, w.event());
    assert.match((await looked).message, /^Sent: 48×30,/, '"Editor", not "Editor: notes.txt" listed before it');
  });

  it('an unknown title says so in words, asking nothing; an over-long one is refused at the router', async () => {
    const w = fake.windows[0]!;
    const prompts = () => w.webContents.sent.filter((m) => m.channel === 'approval:request').length;
    const before = prompts();
    const r = (await fake.ipcMain.invoke('screen:look', { windowTitle: 'Spreadsheet' }, w.event())) as LookResult;
    assert.deepEqual(r, { sent: false, message: `No window titled "Spreadsheet" is open (Hark's own windows are never captured).` });
    assert.equal(prompts(), before, 'no prompt for a window that is not there');
    await assert.rejects(fake.ipcMain.invoke('screen:look', { windowTitle: 'x'.repeat(201) }, w.event()), /invalid payload/);
  });
});
