// The IPC router: forged senders and bad payloads never reach a handler.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IpcRouter, type IpcEventLike } from '../../main/shell/ipc-router';
import { FakeIpcMain } from '../fakes/electron';

function setup() {
  const ipcMain = new FakeIpcMain();
  const router = new IpcRouter({ ipcMain, trustedIds: () => new Set([7]) });
  const seen: unknown[] = [];
  router.handle('text:send', (req) => void seen.push(req));
  router.handle('key:set', (req) => (seen.push('key'), { hasKey: !!req.key, source: 'stored' as const }));
  router.on('audio:frame', (f) => void seen.push(f.byteLength));
  return { ipcMain, router, seen };
}

const good: IpcEventLike = { sender: { id: 7 }, senderFrame: { url: 'app://hark/index.html', parent: null } };

describe('ipc router', () => {
  it('a trusted main frame with a valid payload reaches the handler, parsed', async () => {
    const { ipcMain, seen } = setup();
    await ipcMain.invoke('text:send', { text: '  hello  ' }, good);
    assert.deepEqual(seen, [{ text: 'hello' }]);
  });

  const forged: Array<[string, IpcEventLike, RegExp]> = [
    ['another origin', { ...good, senderFrame: { url: 'https://evil.example/', parent: null } }, /origin is not the app/],
    ['a look-alike host', { ...good, senderFrame: { url: 'app://hark.evil/index.html', parent: null } }, /origin is not the app/],
    ['credentials in the URL', { ...good, senderFrame: { url: 'app://x@hark/index.html', parent: null } }, /origin is not the app/],
    ['file://', { ...good, senderFrame: { url: 'file:///work/main/dist/renderer/index.html', parent: null } }, /origin is not the app/],
    ['a subframe of our page', { ...good, senderFrame: { url: 'app://hark/index.html', parent: {} } }, /not a main frame/],
    ['an unknown webContents', { ...good, sender: { id: 8 } }, /not one of our windows/],
    ['a frame that is gone', { ...good, senderFrame: null }, /frame is gone/],
  ];
  for (const [name, event, why] of forged) {
    it(`refuses ${name}`, async () => {
      const { ipcMain, router, seen } = setup();
      await assert.rejects(ipcMain.invoke('text:send', { text: 'hi' }, event), why);
      ipcMain.send('audio:frame', new ArrayBuffer(960), event);
      assert.deepEqual(seen, []);
      assert.equal(router.refused.length, 2);
    });
  }

  const bad: Array<[string, unknown]> = [
    ['missing field', {}],
    ['extra field', { text: 'hi', admin: true }],
    ['wrong type', { text: 42 }],
    ['empty text', { text: '   ' }],
    ['too long', { text: 'x'.repeat(8001) }],
    ['not an object', 'hi'],
  ];
  for (const [name, payload] of bad) {
    it(`refuses a bad payload: ${name}`, async () => {
      const { ipcMain, seen } = setup();
      await assert.rejects(ipcMain.invoke('text:send', payload, good), /invalid payload/);
      assert.deepEqual(seen, []);
    });
  }

  it('a refused key:set names the channel, never the payload', async () => {
    const { ipcMain } = setup();
    const key = 'sk-has a space-CANARY';
    await assert.rejects(ipcMain.invoke('key:set', { key }, good), (e: Error) => /key:set refused/.test(e.message) && !e.message.includes('CANARY'));
  });

  it('audio frames: only 960-byte ArrayBuffers (typed views unwrapped to their bytes)', () => {
    const { ipcMain, seen } = setup();
    ipcMain.send('audio:frame', new ArrayBuffer(961), good);
    ipcMain.send('audio:frame', 'not audio', good);
    ipcMain.send('audio:frame', new ArrayBuffer(960), good);
    ipcMain.send('audio:frame', new Uint8Array(new ArrayBuffer(2000), 40, 960), good);
    assert.deepEqual(seen, [960, 960]);
  });

  it('dispose removes every handler it registered', () => {
    const { ipcMain, router } = setup();
    router.dispose();
    assert.equal(ipcMain.handlers.size, 0);
    assert.equal(ipcMain.listeners.size, 0);
  });
});
