// The real settings window (renderer/settings.html, its strict CSP, the companion's theme) in
// Chromium on the test bridge: it shows the stored settings, sends exactly the changed field, keeps
// the user's input and shows main's refusal at the field, refuses a bad MCP block in words, edits
// notes through 'notes:save', shows a failed MCP server's stderr, and is operable by keyboard with a
// visible focus ring. Screenshots (light, dark, a refused field) go to docs/screenshots.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { waitFor } from '../chromium/harness';
import { SHOTS } from '../companion/stack';
import { openSettingsPage, type SettingsPage } from '../settings/settings-page';

let sp: SettingsPage | null = null;
afterEach(async () => {
  await sp?.close();
  sp = null;
});

const STORED = {
  model: 'gpt-realtime-mini',
  voice: 'cedar',
  turnDetection: { mode: 'server_vad', threshold: 0.7, silenceDurationMs: 650 },
  history: { retentionDays: 30 },
  usage: { dailyCapUsd: 5 },
  app: { idleDisconnectMinutes: 15 },
  tools: { policies: { write_clipboard: 'deny' } },
};

describe('settings window (Chromium, test bridge)', () => {
  test('a deprecated model: the notice names the shutdown date, one click switches; reasoning appears for 2.x only', async () => {
    sp = await openSettingsPage({ settings: { model: 'gpt-realtime-mini', transcription: { model: 'whisper-1' } } });
    const { page } = sp;
    const notice = page.getByTestId('model-deprecated');
    assert.match((await notice.textContent())!, /shuts it down on 2027-01-20/);
    assert.equal(await page.getByLabel('Reasoning effort').count(), 0, 'gpt-realtime-mini does not reason');
    assert.match((await page.getByTestId('tr-deprecated').textContent())!, /2027-02-26.*gpt-realtime-whisper/);
    await page.getByTestId('model-switch').click();
    assert.equal(await page.getByLabel('Model', { exact: true }).inputValue(), 'gpt-realtime-2.1-mini');
    assert.equal(await notice.count(), 0);
    assert.match((await page.locator('#model-hint').textContent())!, /Reasoning, low price/);
    await page.getByLabel('Reasoning effort').selectOption('medium');
    await page.getByRole('button', { name: 'Save changes to Connection' }).click();
    await waitFor(() => sp!.patches.length === 1, 5000, 'the model patch');
    assert.deepEqual(sp.patches[0], { model: 'gpt-realtime-2.1-mini', reasoningEffort: 'medium' });
    assert.match((await page.getByTestId('prices-dated').textContent())!, /as published on 2026-12-01/);
  });

  test('shows the stored settings, styled under the CSP, and sends exactly the changed field', async () => {
    sp = await openSettingsPage({ settings: STORED });
    const { page } = sp;
    assert.equal(await page.getByLabel('Model', { exact: true }).inputValue(), 'gpt-realtime-mini');
    assert.equal(await page.getByLabel('Voice').inputValue(), 'cedar');
    assert.equal(await page.getByLabel('Speech threshold (0–1)').inputValue(), '0.7');
    assert.equal(await page.getByLabel('Silence that ends a turn (ms)').inputValue(), '650');
    assert.equal(await page.getByLabel('Delete conversations older than (days)').inputValue(), '30');
    assert.equal(await page.getByLabel('Daily spend cap (USD)').inputValue(), '5');
    assert.equal(await page.getByLabel('Disconnect after this many minutes without speech').inputValue(), '15');
    assert.equal(await page.getByLabel('write_clipboard').inputValue(), 'deny');
    assert.equal(await page.getByLabel('get_current_time').inputValue(), 'allow');
    assert.match((await page.getByTestId('key-status').textContent())!, /stored on this computer/);
    assert.match((await page.getByTestId('key-warning').textContent())!, /basic_text/);
    // The semantic-VAD and Azure fields are hidden until chosen.
    assert.equal(await page.getByLabel('Eagerness').count(), 0);
    assert.equal(await page.getByLabel('Deployment').count(), 0);

    // The theme's stylesheet applied (served from 'self', no inline styles): the page is not unstyled.
    const looks = await page.evaluate(() => ({
      bg: getComputedStyle(document.body).backgroundColor,
      card: getComputedStyle(document.querySelector('#connection')!).borderRadius,
      sheets: [...document.styleSheets].map((s) => s.href ?? 'inline'),
    }));
    assert.equal(looks.bg, 'rgb(247, 247, 249)');
    assert.equal(looks.card, '10px');
    assert.ok(looks.sheets.length > 0 && looks.sheets.every((h) => /\/assets\/.*\.css$/.test(h)), looks.sheets.join(', '));

    await page.getByLabel('Voice').selectOption('sage');
    const connection = page.getByTestId('section-connection');
    await connection.getByTestId('unsaved').waitFor();
    assert.match((await page.getByTestId('unsaved-summary').textContent())!, /Unsaved changes in Connection/);
    await page.getByRole('button', { name: 'Save changes to Connection' }).click();
    await waitFor(() => sp!.store.get().voice === 'sage', 5000, 'the voice to be stored');
    assert.deepEqual(sp.patches, [{ voice: 'sage' }]);
    await waitFor(async () => (await connection.getByTestId('unsaved').count()) === 0, 5000, 'the section to be clean');
    assert.match((await page.getByTestId('unsaved-summary').textContent())!, /All changes saved/);

    // A nested field: only it travels.
    await page.getByLabel('Keep a history of my conversations').uncheck();
    await page.getByRole('button', { name: 'Save changes to History' }).click();
    await waitFor(() => sp!.patches.length === 2, 5000, 'the history patch');
    assert.deepEqual(sp.patches[1], { history: { enabled: false } });
    assert.equal(sp.store.get().history.retentionDays, 30);
    // The endpoint is a union: it travels whole, with the field the kind needs.
    await page.getByLabel('Endpoint').selectOption('azure');
    await page.getByLabel('Azure resource URL').fill('https://me.openai.azure.com');
    await page.getByLabel('Deployment').fill('rt');
    await page.getByRole('button', { name: 'Save changes to Connection' }).click();
    await waitFor(() => sp!.patches.length === 3, 5000, 'the endpoint patch');
    assert.deepEqual(sp.patches[2], { endpoint: { kind: 'azure', url: 'https://me.openai.azure.com', deployment: 'rt' } });
    assert.deepEqual(sp.store.get().endpoint, { kind: 'azure', url: 'https://me.openai.azure.com', deployment: 'rt' });
    // Clearing the deployment removes it, though main merges patches field by field.
    await page.getByLabel('Deployment').fill('');
    await page.getByRole('button', { name: 'Save changes to Connection' }).click();
    await waitFor(() => sp!.patches.length === 4, 5000, 'the cleared deployment');
    assert.deepEqual(sp.patches[3], { endpoint: { kind: 'azure', url: 'https://me.openai.azure.com', deployment: null } });
    await waitFor(() => sp!.store.get().endpoint.kind === 'azure' && (sp!.store.get().endpoint as { deployment?: string }).deployment === undefined, 5000, 'the deployment to be gone');
    await waitFor(() => JSON.parse(readFileSync(sp!.store.path, 'utf8')).endpoint.deployment === undefined, 5000, 'the file to lose the deployment');
    await waitFor(async () => (await connection.getByTestId('unsaved').count()) === 0, 5000, 'the section to be clean again');
    assert.deepEqual(sp.s.pageErrors, []);
  });

  test('a refused patch: the error in words at the field, the input kept, other sections untouched', async () => {
    sp = await openSettingsPage({ settings: STORED });
    const { page } = sp;
    const instructions = page.getByLabel('What Hark should know and how it should answer');
    await instructions.fill('Answer like a pirate.');
    await page.getByLabel('Speech threshold (0–1)').fill('1.5');
    await page.getByLabel('Silence that ends a turn (ms)').fill('900');
    await page.getByRole('button', { name: 'Save changes to Turn-taking' }).click();
    const turn = page.getByTestId('section-turn-taking');
    const error = turn.getByTestId('field-error');
    await error.waitFor();
    assert.equal(await error.count(), 1, 'one field is wrong');
    assert.equal((await error.textContent())!.trim(), 'must be at most 1');
    // The error sits with the threshold field and is tied to its input.
    assert.equal(await page.getByLabel('Speech threshold (0–1)').getAttribute('aria-describedby'), 'td-threshold-hint td-threshold-error');
    assert.equal(await page.locator('#td-threshold-error').textContent(), 'must be at most 1');
    assert.deepEqual(sp.patches, [{ turnDetection: { threshold: 1.5, silenceDurationMs: 900 } }]);
    assert.equal(sp.store.get().turnDetection.threshold, 0.7, 'nothing was stored');
    assert.equal(await page.getByLabel('Speech threshold (0–1)').inputValue(), '1.5');
    assert.equal(await page.getByLabel('Silence that ends a turn (ms)').inputValue(), '900');
    assert.equal(await instructions.inputValue(), 'Answer like a pirate.');
    assert.match((await page.getByTestId('unsaved-summary').textContent())!, /Instructions, Turn-taking/);
    await turn.screenshot({ path: join(SHOTS, 'settings-field-error.png') });

    // Fixed, it goes through; the instructions are still waiting for their own save.
    await page.getByLabel('Speech threshold (0–1)').fill('0.4');
    await page.getByRole('button', { name: 'Save changes to Turn-taking' }).click();
    await waitFor(() => sp!.store.get().turnDetection.threshold === 0.4, 5000, 'the fixed threshold');
    assert.deepEqual(sp.patches[1], { turnDetection: { threshold: 0.4, silenceDurationMs: 900 } });
    await waitFor(async () => (await error.count()) === 0, 5000, 'the error to go');
    assert.equal(await instructions.inputValue(), 'Answer like a pirate.');
    assert.equal(await page.getByTestId('section-instructions').getAttribute('data-dirty'), 'true');

    // A bad MCP block is refused in words, naming the server, and stays in the editor.
    const bad = '{ "mcpServers": { "files": { "args": ["x"] } } }';
    await page.getByLabel('Servers (JSON)').fill(bad);
    await page.getByRole('button', { name: 'Save changes to MCP servers' }).click();
    const mcpError = page.locator('#mcp-config-error');
    await mcpError.waitFor();
    assert.match((await mcpError.textContent())!, /mcpServers\.files: give either "command".*or "url"/);
    assert.equal(await page.getByLabel('Servers (JSON)').inputValue(), bad);
    assert.equal(sp.store.get().tools.mcpConfig, '');
    await page.getByLabel('Servers (JSON)').fill('{ "mcpServers": ');
    await page.getByRole('button', { name: 'Save changes to MCP servers' }).click();
    await waitFor(async () => /not valid JSON/.test((await mcpError.textContent()) ?? ''), 5000, 'the JSON error');
  });

  test('notes round-trip through notes:save; a failed MCP server shows its stderr tail and its retry', async () => {
    sp = await openSettingsPage({ notes: ['My sister is called Ana', 'I take the 8:15 train'] });
    const { page } = sp;
    const notes = page.getByTestId('note');
    await waitFor(async () => (await notes.count()) === 2, 5000, 'the notes');
    await page.getByLabel('Note 1', { exact: true }).fill('My sister is called Ana; her birthday is 3 May');
    await page.getByRole('button', { name: 'Delete note 2' }).click();
    await page.getByRole('button', { name: 'Add a note' }).click();
    // The new note's box has the focus, so the user types straight away.
    await page.keyboard.type('Prefers metric units');
    assert.equal(await page.getByTestId('section-notes').getAttribute('data-dirty'), 'true');
    const before = sp.notes.list();
    await page.getByRole('button', { name: 'Save changes to Notes' }).click();
    await waitFor(() => sp!.notes.list().length === 2 && sp!.notes.list()[1]!.text === 'Prefers metric units', 5000, 'the notes to be stored');
    const saved = sp.calls.filter((c) => c.channel === 'notes:save');
    assert.deepEqual(saved.map((c) => c.payload), [{ notes: [{ id: before[0]!.id, text: 'My sister is called Ana; her birthday is 3 May' }, { text: 'Prefers metric units' }] }]);
    const stored = sp.notes.list();
    assert.equal(stored[0]!.id, before[0]!.id);
    assert.equal(stored[0]!.createdAt, before[0]!.createdAt);
    await waitFor(async () => (await page.getByTestId('section-notes').getAttribute('data-dirty')) === 'false', 5000, 'the notes to be clean');
    // The model remembers something meanwhile: the list follows.
    sp.notes.add('Allergic to peanuts');
    await waitFor(async () => (await notes.count()) === 3, 5000, 'the new note to appear');
    assert.equal(await page.getByLabel('Note 3', { exact: true }).inputValue(), 'Allergic to peanuts');

    sp.setMcp([
      { name: 'everything', transport: 'stdio', state: 'running', toolCount: 11, stderrTail: '', restarts: 0 },
      {
        name: 'files',
        transport: 'stdio',
        state: 'failed',
        toolCount: 0,
        error: 'The server exited with code 1 before it answered.',
        stderrTail: 'Error: ENOENT: no such file or directory, scandir /nope\n    at main (index.js:12)',
        restarts: 2,
        retryAt: Date.now() + 8_000,
      },
    ]);
    const servers = page.getByTestId('mcp-server');
    await waitFor(async () => (await servers.count()) === 2, 5000, 'the server list');
    assert.equal(await servers.nth(0).getByTestId('mcp-words').textContent(), 'Running with 11 tools');
    const failed = servers.nth(1);
    assert.match((await failed.getByTestId('mcp-words').textContent())!, /^Failed: The server exited with code 1 before it answered\. Retrying in [78] s\.$/);
    assert.match((await failed.getByTestId('mcp-stderr').textContent())!, /ENOENT: no such file or directory, scandir \/nope/);
    assert.match((await failed.textContent())!, /2 restarts/);
    assert.deepEqual(sp.s.pageErrors, []);
  });

  test('keyboard: Tab reaches every control, each with a visible focus ring', async () => {
    sp = await openSettingsPage({ settings: STORED, notes: ['One note'] });
    const { page } = sp;
    const controls = await page.$$eval('input, select, textarea, button, summary, a[href]', (els) =>
      els.filter((e) => !(e as HTMLInputElement).disabled && (e as HTMLElement).offsetParent !== null).map((e) => e.id || `${e.tagName}:${e.textContent?.trim()}`),
    );
    assert.ok(controls.length > 40, `${controls.length} controls`);
    const reached = new Set<string>();
    const noRing: string[] = [];
    await page.locator('body').focus();
    for (let i = 0; i < controls.length + 20; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const e = document.activeElement as HTMLElement | null;
        if (!e || e === document.body) return null;
        const st = getComputedStyle(e);
        return { key: e.id || `${e.tagName}:${e.textContent?.trim()}`, ring: st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2 && e.matches(':focus-visible') };
      });
      if (!f) continue;
      if (reached.has(f.key) && reached.size >= controls.length) break;
      reached.add(f.key);
      if (!f.ring) noRing.push(f.key);
    }
    assert.deepEqual(controls.filter((c) => !reached.has(c)), [], 'controls Tab never reached');
    assert.deepEqual(noRing, [], 'controls without a visible focus ring');
  });

  test('screenshots, light and dark', async () => {
    sp = await openSettingsPage({ settings: { ...STORED, tools: { mcpConfig: '{ "mcpServers": { "files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/nope"] } } }' } }, notes: ['My sister is called Ana', 'I take the 8:15 train'] });
    const { page } = sp;
    sp.setMcp([
      { name: 'files', transport: 'stdio', state: 'failed', toolCount: 0, error: 'The server exited with code 1.', stderrTail: 'Error: ENOENT: no such file or directory, scandir /nope', restarts: 1, retryAt: Date.now() + 30_000 },
    ]);
    await page.getByTestId('mcp-server').waitFor();
    await page.getByLabel('Voice').selectOption('sage');
    // The whole page in one image: a viewport as tall as the page, so the layout is the window's width
    // with no scrollbar taken out of it (a fullPage shot would cut off the right edge).
    await page.setViewportSize({ width: 640, height: await page.evaluate(() => document.documentElement.scrollHeight) });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.screenshot({ path: join(SHOTS, `settings-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(21, 22, 26)');
  });
});
