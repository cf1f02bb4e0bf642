// The real settings page in Chromium on the test bridge, with a stand-in main: the real settings
// store (so patches are merged and refused exactly as the app does), the real tools handlers over a
// registry, approvals and notes store, and an MCP manager whose statuses the test sets.
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { z } from 'zod';
import type { McpServerStatus, SettingsPatch } from '../../preload/api';
import { linkToolServices, type ToolServices } from '../../main/app/tools-handlers';
import { SettingsStore } from '../../main/settings/settings-store';
import { Approvals } from '../../main/tools/approvals';
import { NotesStore } from '../../main/tools/notes-store';
import { defineTool, ToolRegistry } from '../../main/tools/tool-registry';
import { appBridgeInitScript, startSession, waitFor, type Session } from '../chromium/harness';
import { writeWav } from '../chromium/wav';

export interface SettingsPage {
  page: Page;
  s: Session;
  store: SettingsStore;
  notes: NotesStore;
  /** Every settings:update patch the page sent. */
  patches: SettingsPatch[];
  calls: Array<{ channel: string; payload: unknown }>;
  setMcp(statuses: McpServerStatus[]): void;
  close(): Promise<void>;
}

export async function openSettingsPage(o: { settings?: object; notes?: string[] } = {}): Promise<SettingsPage> {
  const dir = mkdtempSync(join(tmpdir(), 'hark-settings-'));
  if (o.settings) writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 2, ...o.settings }));
  const store = new SettingsStore({ dir });
  await store.load();
  const notes = new NotesStore({ dataDir: dir });
  for (const n of o.notes ?? []) notes.add(n);
  const approvals = new Approvals({ prompter: { ask: async () => 'deny' }, policies: store.get().tools.policies });
  const registry = new ToolRegistry(
    [
      defineTool({ name: 'get_current_time', description: 'The current date and time', parameters: z.object({}), run: () => 'now' }),
      defineTool({ name: 'write_clipboard', description: 'Puts text on the clipboard', parameters: z.object({ text: z.string() }), approval: 'ask', run: () => 'ok' }),
    ],
    { approvals },
  );
  const mcpEvents = new EventEmitter<{ status: [McpServerStatus[]] }>();
  let statuses: McpServerStatus[] = [];
  const mcp = Object.assign(mcpEvents, { statuses: () => statuses }) as unknown as ToolServices['tools']['mcp'];

  let s: Session | null = null;
  const emit: ToolServices['emit'] = (channel, payload) => s?.bridge.emit(channel, payload);
  const tools = linkToolServices({ tools: { registry, approvals, notes, mcp }, emit });
  store.on('change', (next) => {
    approvals.setPolicies(next.tools.policies);
    emit('settings:changed', next);
  });
  const patches: SettingsPatch[] = [];
  // The tools and notes channels are served by the app's own handler map; the shell's are stood in for.
  const onInvoke = (channel: string, payload: unknown): unknown => {
    switch (channel) {
      case 'settings:get':
        return store.get();
      case 'settings:update':
        patches.push(payload as SettingsPatch);
        return store.update(payload as SettingsPatch);
      case 'key:status':
        return { hasKey: true, source: 'stored', warning: 'Your system keyring is not available, so the key is only obfuscated (basic_text), not encrypted.' };
      case 'key:test':
        return { ok: true, message: 'The key works: a session opened with gpt-realtime.' };
      case 'hotkey:status':
        return { requested: 'hold', active: 'hold', backend: 'key-hook', accelerator: 'CommandOrControl+Shift+Space', problem: null };
      case 'hotkey:check':
        return { ok: true, message: 'Available.' };
      default:
        return undefined;
    }
  };
  const wav = writeWav(join(dir, 'silence.wav'), [{ ms: 2000, silence: true }]);
  s = await startSession(wav, { handlers: tools.handlers, onInvoke });
  await s.context.addInitScript({ content: await appBridgeInitScript() });
  await s.page.setViewportSize({ width: 640, height: 760 });
  await s.open({}, 'renderer/settings.html');
  await s.bridge.connected();
  await waitFor(async () => (await s!.page.locator('#connection').count()) > 0, 15_000, 'the settings page to render');
  const session = s;
  return {
    page: session.page,
    s: session,
    store,
    notes,
    patches,
    // Every call the page made, as the bridge recorded it.
    calls: session.received.invokes,
    setMcp(next) {
      statuses = next;
      mcpEvents.emit('status', next);
    },
    async close() {
      tools.dispose();
      await session.close();
    },
  };
}
