// Where the key goes and what programs start are decided in the settings window and confirmed in
// main: the companion window cannot change the endpoint, the key or the MCP servers; ws:// is for
// this computer only; a new endpoint host and every new or changed stdio server are confirmed by
// a main-side dialog that names the host / shows exactly what will run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Services } from '../../main/app/services';
import { createAppServices } from '../fakes/app-services';
import { createFakeElectron, type FakeElectron, type FakeWindow } from '../fakes/electron';

interface App {
  fake: FakeElectron;
  services: Services;
  companion: FakeWindow;
  settingsWin: FakeWindow;
}

const apps: App[] = [];
after(async () => {
  for (const a of apps) await a.services.stop();
});

async function boot(): Promise<App> {
  const fake = createFakeElectron();
  const services = await createAppServices(fake);
  await services.start();
  services.windows.showSettings();
  await new Promise((r) => setImmediate(r));
  const app = { fake, services, companion: fake.windows[0]!, settingsWin: fake.windows[1]! };
  apps.push(app);
  return app;
}

const call = (app: App, w: FakeWindow, channel: string, payload?: unknown) => app.fake.ipcMain.invoke(channel, payload, w.event());

describe('the endpoint and the key', () => {
  test('the companion window cannot point the endpoint elsewhere or set the key', async () => {
    const app = await boot();
    const r = (await call(app, app.companion, 'settings:update', { endpoint: { kind: 'custom', url: 'wss://evil.example/v1/realtime' } })) as { ok: boolean; errors?: string[] };
    assert.equal(r.ok, false);
    assert.match(r.errors!.join(' '), /settings window/);
    assert.equal(app.services.settings.get().endpoint.kind, 'openai');
    await assert.rejects(call(app, app.companion, 'key:set', { key: 'sk-attacker-000000000000' }), /settings window/);
    assert.equal(app.fake.confirmations.length, 0, 'nothing even asked');
    // Harmless fields still work from the companion window.
    assert.equal(((await call(app, app.companion, 'settings:update', { voice: 'cedar' })) as { ok: boolean }).ok, true);
  });

  test('ws:// is refused for a remote host; a new host is confirmed by a dialog that names it', async () => {
    const app = await boot();
    const plain = (await call(app, app.settingsWin, 'settings:update', { endpoint: { kind: 'custom', url: 'ws://evil.example/v1/realtime' } })) as { ok: boolean; errors?: string[] };
    assert.equal(plain.ok, false);
    assert.match(plain.errors!.join(' '), /ws:\/\/.*this computer/);
    assert.equal(app.fake.confirmations.length, 0);
    app.fake.confirmAnswer = false;
    const declined = (await call(app, app.settingsWin, 'settings:update', { endpoint: { kind: 'custom', url: 'wss://other.example/v1/realtime' } })) as { ok: boolean; errors?: string[] };
    assert.equal(declined.ok, false);
    assert.match(app.fake.confirmations[0]!.message, /other\.example/);
    assert.equal(app.services.settings.get().endpoint.kind, 'openai', 'declined: unchanged');
    app.fake.confirmAnswer = true;
    const local = (await call(app, app.settingsWin, 'settings:update', { endpoint: { kind: 'custom', url: 'ws://127.0.0.1:9/v1/realtime' } })) as { ok: boolean };
    assert.equal(local.ok, true);
    assert.match(app.fake.confirmations[1]!.message, /127\.0\.0\.1/);
    // The same host again asks nothing.
    await call(app, app.settingsWin, 'settings:update', { endpoint: { kind: 'custom', url: 'ws://127.0.0.1:9/v1/realtime?x=1' } });
    assert.equal(app.fake.confirmations.length, 2);
  });
});

describe('MCP stdio servers', () => {
  test('only from the settings window, and only after a dialog that shows exactly what will run', async () => {
    const app = await boot();
    const config = JSON.stringify({ mcpServers: { sh: { command: '/bin/sh', args: ['-c', 'touch /tmp/pwned'], env: { A: '1' }, cwd: '/tmp' } } });
    const fromCompanion = (await call(app, app.companion, 'settings:update', { tools: { mcpConfig: config } })) as { ok: boolean; errors?: string[] };
    assert.equal(fromCompanion.ok, false);
    assert.match(fromCompanion.errors!.join(' '), /settings window/);
    app.fake.confirmAnswer = false;
    const declined = (await call(app, app.settingsWin, 'settings:update', { tools: { mcpConfig: config } })) as { ok: boolean };
    assert.equal(declined.ok, false);
    const asked = app.fake.confirmations[0]!;
    assert.match(asked.message, /sh/);
    assert.match(asked.detail, /\/bin\/sh -c 'touch \/tmp\/pwned'/);
    assert.match(asked.detail, /A=1/);
    assert.match(asked.detail, /\/tmp/);
    assert.equal(app.services.settings.get().tools.mcpConfig, '', 'declined: nothing saved, nothing started');
    app.fake.confirmAnswer = true;
    const ok = (await call(app, app.settingsWin, 'settings:update', { tools: { mcpConfig: JSON.stringify({ mcpServers: { sh: { command: '/bin/true' } } }) } })) as { ok: boolean };
    assert.equal(ok.ok, true);
    assert.equal(app.fake.confirmations.length, 2);
  });
});
