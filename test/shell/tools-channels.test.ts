// The settings window's tools and notes channels, served by the whole main process (fake Electron):
// every tool with its policy, notes saved whole and listed, and a real MCP server configured through
// 'settings:update' whose status reaches the window as it starts.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Services } from '../../main/app/services';
import { createAppServices } from '../fakes/app-services';
import type { McpServerStatus, Note, ToolInfo } from '../../preload/api';
import { createFakeElectron, type FakeElectron, type FakeWindow } from '../fakes/electron';
import { until } from '../support/until';

const require = createRequire(import.meta.url);
const binOf = (pkg: string) => join(dirname(require.resolve(`${pkg}/package.json`)), Object.values(require(`${pkg}/package.json`).bin as Record<string, string>)[0]!);
const EVERYTHING = binOf('@modelcontextprotocol/server-everything');


interface App {
  fake: FakeElectron;
  services: Services;
  settingsWin: FakeWindow;
  call(channel: string, payload?: unknown): Promise<unknown>;
}

async function boot(settings?: object): Promise<App> {
  const fake = createFakeElectron();
  if (settings) writeFileSync(join(fake.userData, 'settings.json'), JSON.stringify({ version: 2, ...settings }));
  // No key and no realtime server: start-up never connects; these channels are the settings window's.
  const services = await createAppServices(fake);
  await services.start();
  services.windows.showSettings();
  await new Promise((r) => setImmediate(r));
  const settingsWin = fake.windows[1]!;
  assert.equal(settingsWin.url, 'app://hark/settings.html');
  return { fake, services, settingsWin, call: (channel, payload) => fake.ipcMain.invoke(channel, payload, settingsWin.event()) };
}

describe('tools and notes channels (fake Electron)', () => {
  const apps: App[] = [];
  after(async () => {
    for (const a of apps) await a.services.stop();
  });

  it('tools:list names every tool with its policy and default; notes:save replaces, notes:list reads', async () => {
    const app = await boot({ tools: { policies: { get_current_time: 'deny' } } });
    apps.push(app);
    const tools = (await app.call('tools:list')) as ToolInfo[];
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of ['get_current_time', 'set_reminder', 'remember_note', 'read_clipboard', 'write_clipboard', 'open_link', 'get_system_info']) assert.ok(byName.has(name), name);
    assert.deepEqual(byName.get('get_current_time'), { name: 'get_current_time', description: byName.get('get_current_time')!.description, policy: 'deny', defaultPolicy: 'allow', source: 'built-in' });
    assert.equal(byName.get('write_clipboard')!.policy, 'ask');
    assert.equal(byName.get('write_clipboard')!.defaultPolicy, 'ask');
    // A policy set in the settings shows at once.
    await app.call('settings:update', { tools: { policies: { write_clipboard: 'allow' } } });
    assert.equal(((await app.call('tools:list')) as ToolInfo[]).find((t) => t.name === 'write_clipboard')!.policy, 'allow');
    // So does the approval timeout, for the next prompt.
    await app.call('settings:update', { tools: { approvalTimeoutMs: 45_000 } });
    assert.equal(app.services.tools.approvals.timeoutMs, 45_000);

    assert.deepEqual(await app.call('notes:list'), []);
    const first = (await app.call('notes:save', { notes: [{ text: 'Sister: Ana' }, { text: '  ' }, { text: 'Takes the 8:15 train' }] })) as Note[];
    assert.deepEqual(first.map((n) => n.text), ['Sister: Ana', 'Takes the 8:15 train'], 'empty notes are dropped');
    const second = (await app.call('notes:save', { notes: [{ id: first[1]!.id, text: 'Takes the 8:15 train' }, { id: first[0]!.id, text: 'Sister: Ana (birthday 3 May)' }] })) as Note[];
    const listed = (await app.call('notes:list')) as Note[];
    assert.deepEqual(listed, second);
    assert.deepEqual(listed.map((n) => [n.id, n.text]), [[first[1]!.id, 'Takes the 8:15 train'], [first[0]!.id, 'Sister: Ana (birthday 3 May)']]);
    assert.equal(listed[1]!.createdAt, first[0]!.createdAt, 'an edited note keeps its creation date');
    assert.deepEqual(listed[0], first[1], 'an unchanged note is kept as it was');
    const changed = app.settingsWin.webContents.sent.filter((m) => m.channel === 'notes:changed').at(-1)!.payload;
    assert.deepEqual(changed, listed, 'the window hears the change');
    // The model's own notes reach the window too.
    app.services.tools.notes.add('Prefers metric units');
    assert.equal((app.settingsWin.webContents.sent.filter((m) => m.channel === 'notes:changed').at(-1)!.payload as Note[]).length, 3);

    // Over the limits: refused by the contract before any handler runs.
    await assert.rejects(app.call('notes:save', { notes: [{ text: 'x'.repeat(2001) }] }), /notes:save refused: invalid payload: a note can be at most 2000 characters/);
    await assert.rejects(app.call('notes:save', { notes: Array.from({ length: 201 }, (_, i) => ({ text: `n${i}` })) }), /at most 200 notes/);
    assert.equal(((await app.call('notes:list')) as Note[]).length, 3);
  });

  it('tools:mcp-status: a real MCP server configured through settings:update runs with its tool count', async () => {
    const app = await boot();
    apps.push(app);
    assert.deepEqual(await app.call('tools:mcp-status'), []);
    const bad = (await app.call('settings:update', { tools: { mcpConfig: '{ "mcpServers": { "everything": { "args": [] } } }' } })) as { ok: boolean; errors: string[] };
    assert.equal(bad.ok, false);
    assert.match(bad.errors.join('\n'), /tools\.mcpConfig: mcpServers\.everything: give either "command"/);

    const config = JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [EVERYTHING] } } }, null, 2);
    const r = (await app.call('settings:update', { tools: { mcpConfig: config } })) as { ok: boolean };
    assert.equal(r.ok, true);
    const running = await until(async () => {
      const s = (await app.call('tools:mcp-status')) as McpServerStatus[];
      return s[0]?.state === 'running' ? s[0] : undefined;
    }, 'the server to run').catch(async () => {
      throw new Error(`never ran: ${JSON.stringify(await app.call('tools:mcp-status'))}`);
    });
    assert.equal(running.name, 'everything');
    assert.ok(running.toolCount > 3, `${running.toolCount} tools`);
    // The window heard it start, and its tools are listed as MCP tools of that server.
    const events = app.settingsWin.webContents.sent.filter((m) => m.channel === 'tools:mcp-status').map((m) => (m.payload as McpServerStatus[])[0]?.state);
    assert.ok(events.includes('running'), events.join(','));
    const mcpTools = ((await app.call('tools:list')) as ToolInfo[]).filter((t) => t.source === 'mcp');
    assert.equal(mcpTools.length, running.toolCount);
    assert.ok(mcpTools.every((t) => t.server === 'everything' && t.defaultPolicy === 'ask'));
  });
});
