import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ReminderScheduler } from '../../main/tools/reminder-scheduler';
import { FakeClock } from '../support/fake-clock';
import { NotesStore, notesInstructions } from '../../main/tools/notes-store';
import { createToolHost, type ToolHost } from '../../main/tools/tool-host';
import type { BatteryState } from '../../main/tools/host-ports';
import { systemInfoTool } from '../../main/tools/builtin/system-info';
import { ToolRegistry } from '../../main/tools/tool-registry';
import { defaultSettings } from '../../common/settings/settings-schema';
import { startPair } from '../realtime/harness';

const T0 = Date.parse('2026-11-25T10:00:00Z');
let dir: string;
let hosts: ToolHost[] = [];
let notified: Array<{ title: string; body: string }>;
let clipboardText: string;
let opened: string[];
let answer: 'allow' | 'deny';

function host(clock: FakeClock, extra: Partial<Parameters<typeof createToolHost>[0]> = {}) {
  const h = createToolHost({
    dataDir: dir,
    notifier: { notify: (n) => notified.push(n) },
    clipboard: { readText: async () => clipboardText, writeText: async (t) => void (clipboardText = t) },
    openExternal: async (url) => void opened.push(url),
    battery: async () => ({ percent: 42, charging: false, onBattery: true }),
    prompter: { ask: async () => answer },
    timeZone: 'Europe/Paris',
    clock,
    ...extra,
  });
  hosts.push(h);
  return h;
}

const run = async (h: ToolHost, name: string, args: unknown) => {
  const r = await h.registry.run(name, JSON.stringify(args), 2_000);
  return { ok: r.ok, out: JSON.parse(r.output) };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hark-tools-'));
  notified = [];
  clipboardText = 'copied earlier';
  opened = [];
  answer = 'allow';
});
afterEach(async () => {
  for (const h of hosts) await h.stop();
  hosts = [];
  rmSync(dir, { recursive: true, force: true });
});

describe('the built-in tool set', () => {
  test('every built-in is offered with a valid name and an object schema', () => {
    const h = host(new FakeClock(T0));
    assert.deepEqual(h.registry.names().sort(), [
      'cancel_reminder', 'forget_note', 'get_current_time', 'get_system_info', 'list_reminders', 'open_link',
      'read_clipboard', 'recall_notes', 'remember_note', 'set_reminder', 'write_clipboard',
    ]);
    for (const d of h.registry.definitions()) assert.equal((d.parameters as { type: string }).type, 'object', d.name);
  });

  test('date and time in the user\'s time zone', async () => {
    const h = host(new FakeClock(T0));
    const { out } = await run(h, 'get_current_time', {});
    assert.equal(out.timeZone, 'Europe/Paris');
    assert.equal(out.iso, '2026-11-25T10:00:00.000Z');
    assert.match(out.local, /Wednesday,? 25 November 2026 at 11:00:00 CET/);
  });
});

describe('reminders', () => {
  test('set, list, cancel by voice; a notification fires at the time', async () => {
    const clock = new FakeClock(T0);
    const h = host(clock);
    h.start();
    const tea = (await run(h, 'set_reminder', { text: 'Tea is ready', in_seconds: 240 })).out.set;
    assert.equal(tea.dueIso, '2026-11-25T10:04:00.000Z');
    assert.match(tea.due, /11:04/, 'spoken in the user\'s zone');
    const call = (await run(h, 'set_reminder', { text: 'Call Sam', at: '2026-11-25T15:30:00+01:00' })).out.set;
    const { out: list } = await run(h, 'list_reminders', {});
    assert.deepEqual(list.reminders.map((r: { text: string }) => r.text), ['Tea is ready', 'Call Sam']);

    clock.advance(239_000);
    assert.deepEqual(notified, []);
    clock.advance(1_000);
    assert.deepEqual(notified, [{ title: 'Reminder', body: 'Tea is ready' }]);

    assert.equal((await run(h, 'cancel_reminder', { id: call.id })).out.cancelled.text, 'Call Sam');
    clock.advance(24 * 3600_000);
    assert.equal(notified.length, 1, 'a cancelled reminder never fires');
    assert.deepEqual((await run(h, 'list_reminders', {})).out.reminders, []);
  });

  test('bad times are refused with a reason', async () => {
    const h = host(new FakeClock(T0));
    assert.match((await run(h, 'set_reminder', { text: 'x' })).out.error, /exactly one of in_seconds or at/);
    assert.match((await run(h, 'set_reminder', { text: 'x', in_seconds: 5, at: '2026-11-25T12:00:00Z' })).out.error, /exactly one/);
    assert.match((await run(h, 'set_reminder', { text: 'x', at: 'teatime' })).out.error, /at: at is not a date-time/);
    assert.match((await run(h, 'set_reminder', { text: 'x', at: '2026-11-25T09:00:00Z' })).out.error, /already passed/);
    assert.match((await run(h, 'cancel_reminder', { id: 'nope' })).out.error, /no pending reminder/);
  });

  test('they survive a restart; those that came due while Hark was closed fire at start, marked late', async () => {
    const clock = new FakeClock(T0);
    const first = host(clock);
    first.start();
    await run(first, 'set_reminder', { text: 'Stretch', in_seconds: 600 });
    await run(first, 'set_reminder', { text: 'Leave for the train', in_seconds: 7200 });
    await first.stop(); // Hark quits

    clock.t = T0 + 3600_000; // an hour later Hark starts again
    const second = host(clock);
    assert.equal(notified.length, 0, 'nothing fires before start');
    second.start();
    assert.equal(notified.length, 1);
    assert.equal(notified[0]!.title, 'Reminder (missed while Hark was closed)');
    assert.match(notified[0]!.body, /^Stretch \(was due 25 Nov 2026, 11:10\)$/);
    assert.deepEqual(second.reminders.list().map((r) => r.text), ['Leave for the train']);

    clock.advance(3600_000);
    assert.deepEqual(notified[1], { title: 'Reminder', body: 'Leave for the train' });

    // Fired reminders are gone from disk too: a third start fires nothing.
    await second.stop();
    const third = new ReminderScheduler({ dataDir: dir, notifier: { notify: (n) => notified.push(n) }, clock });
    third.start();
    third.stop();
    assert.equal(notified.length, 2);
  });

  test('a reminder weeks ahead still fires (timers are re-armed, never longer than a minute)', () => {
    const clock = new FakeClock(T0);
    const s = new ReminderScheduler({ dataDir: dir, notifier: { notify: (n) => notified.push(n) }, clock });
    s.start();
    s.add('Renew passport', T0 + 40 * 24 * 3600_000);
    clock.advance(40 * 24 * 3600_000 - 1);
    assert.equal(notified.length, 0);
    clock.advance(1);
    assert.equal(notified[0]!.body, 'Renew passport');
    s.stop();
  });

  test('with the real clock, a short timer fires by itself', async () => {
    const s = new ReminderScheduler({ dataDir: dir, notifier: { notify: (n) => notified.push(n) } });
    s.start();
    s.add('Now', Date.now() + 50);
    await new Promise((r) => setTimeout(r, 300));
    s.stop();
    assert.deepEqual(notified, [{ title: 'Reminder', body: 'Now' }]);
  });
});

describe('notes', () => {
  test('remember, recall, forget; persisted across a restart', async () => {
    const clock = new FakeClock(T0);
    const h = host(clock);
    const saved = (await run(h, 'remember_note', { text: 'My sister is called Ada' })).out.saved;
    clock.t += 1000;
    await run(h, 'remember_note', { text: 'Prefers tea over coffee' });
    assert.deepEqual((await run(h, 'recall_notes', { query: 'ada SISTER' })).out.notes.map((n: { text: string }) => n.text), ['My sister is called Ada']);
    assert.equal((await run(h, 'recall_notes', {})).out.count, 2);

    const again = host(clock);
    assert.equal(again.notes.list().length, 2, 'read back from disk');
    assert.equal((await run(again, 'forget_note', { id: saved.id })).out.forgotten, 'My sister is called Ada');
    assert.match((await run(again, 'forget_note', { id: saved.id })).out.error, /no note with id/);
    assert.deepEqual(host(clock).notes.list().map((n) => n.text), ['Prefers tea over coffee']);
  });

  test('the notes reach the instructions as a short block, newest first', async () => {
    const clock = new FakeClock(T0);
    const h = host(clock);
    assert.equal(h.instructionsSuffix(), '', 'nothing is added without notes');
    await run(h, 'remember_note', { text: 'Lives in Lyon' });
    clock.t += 1000;
    await run(h, 'remember_note', { text: 'Allergic to peanuts' });
    const block = h.instructionsSuffix();
    assert.match(block, /^Notes the user asked you to remember/);
    assert.ok(block.indexOf('Allergic to peanuts') < block.indexOf('Lives in Lyon'));

    const many = Array.from({ length: 100 }, (_, i) => ({ id: `n${i}`, text: `Note number ${i} ${'x'.repeat(40)}`, createdAt: i, updatedAt: i }));
    const short = notesInstructions(many, 800);
    assert.ok(short.length <= 800 + 40, `${short.length}`);
    assert.match(short, /Note number 99/);
    assert.match(short, /\(\d+ older notes not shown\.\)$/);
  });

  test('at session start the block is in the session\'s instructions, and the model can use the notes tools', async () => {
    const h = host(new FakeClock(T0));
    await run(h, 'remember_note', { text: 'Favourite colour is teal' });
    // What the session core will do once wired: base instructions + the notes block.
    const instructions = `${defaultSettings().instructions}\n\n${h.instructionsSuffix()}`;
    const pair = await startPair({ settings: { instructions }, session: { tools: h.registry } });
    try {
      await pair.session.connect();
      const session = pair.sim.connections[0]!.session;
      assert.match(session.instructions, /Notes the user asked you to remember[^]*- Favourite colour is teal/);
      assert.ok(session.tools.some((t: { name: string }) => t.name === 'recall_notes'));
    } finally {
      await pair.close();
    }
  });

  test('the settings editor can replace the notes; the session can watch for edits', () => {
    const h = host(new FakeClock(T0));
    const seen: number[] = [];
    h.notes.onChange((n) => seen.push(n.length));
    const a = h.notes.add('one');
    h.notes.replaceAll([{ ...a, text: 'one, edited' }, { text: 'two' }, { text: '   ' }]);
    assert.deepEqual(h.notes.list().map((n) => n.text), ['one, edited', 'two']);
    assert.equal(h.notes.list()[0]!.id, a.id);
    assert.deepEqual(seen, [1, 2]);
  });

  test('a damaged file is kept as a backup, the user is told, and readable notes are kept', () => {
    const problems: string[] = [];
    writeFileSync(join(dir, 'notes.json'), JSON.stringify({ version: 1, items: [{ id: 'a', text: 'good', createdAt: 1, updatedAt: 1 }, { id: 'b' }] }));
    const store = new NotesStore({ dataDir: dir, onProblem: (m) => problems.push(m) });
    assert.deepEqual(store.list().map((n) => n.text), ['good']);
    assert.match(problems[0]!, /1 of 2 notes could not be read; it was saved as .*notes\.json\.corrupt-/);
    assert.match(problems[0]!, /The 1 readable entries were kept/);

    writeFileSync(join(dir, 'notes.json'), '{"version":1,"items":[{"id":"a","te');
    const notified: string[] = [];
    const h = host(new FakeClock(T0), { onProblem: undefined, notifier: { notify: (n) => notified.push(`${n.title}: ${n.body}`) } });
    assert.deepEqual(h.notes.list(), []);
    assert.match(notified[0]!, /^Hark could not read a file: The notes file could not be read/);
    const backups = readdirSync(dir).filter((f) => f.startsWith('notes.json.corrupt-'));
    assert.equal(backups.length, 2);
    assert.ok(backups.some((b) => readFileSync(join(dir, b), 'utf8').includes('"te')), 'the damaged bytes are kept');
    assert.equal(h.reminders.list().length, 0, 'reminders are untouched');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left behind');
  });
});

describe('clipboard, links, system facts', () => {
  test('read and write ask, and a refusal leaves the clipboard alone', async () => {
    const h = host(new FakeClock(T0));
    assert.deepEqual((await run(h, 'read_clipboard', {})).out, { text: 'copied earlier' });
    answer = 'deny';
    const denied = await run(h, 'write_clipboard', { text: 'new' });
    assert.equal(denied.ok, false);
    assert.match(denied.out.error, /declined/);
    assert.equal(clipboardText, 'copied earlier');
    answer = 'allow';
    assert.deepEqual((await run(h, 'write_clipboard', { text: 'new' })).out, { copied: 3 });
    assert.equal(clipboardText, 'new');
    assert.equal(notified[0]!.body, 'Read the text on your clipboard', 'reading asks first');
    assert.equal(notified.at(-1)!.body, 'Copy to the clipboard: "new"', 'the user sees what will be copied');
  });

  test('links: http and https open after approval; other schemes are refused before asking', async () => {
    const h = host(new FakeClock(T0));
    assert.deepEqual((await run(h, 'open_link', { url: 'https://example.com/a b' })).out, { opened: 'https://example.com/a%20b' });
    assert.deepEqual((await run(h, 'open_link', { url: 'http://localhost:8080/' })).out, { opened: 'http://localhost:8080/' });
    const asked = notified.length;
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://example.com', 'ms-settings:privacy', 'example.com', 'https://']) {
      const r = await run(h, 'open_link', { url });
      assert.equal(r.ok, false, url);
      assert.match(r.out.error, /only http:\/\/ and https:\/\/ links/, url);
    }
    assert.equal(notified.length, asked, 'no prompt for a refused link');
    answer = 'deny';
    assert.match((await run(h, 'open_link', { url: 'https://example.org' })).out.error, /declined/);
    assert.deepEqual(opened, ['https://example.com/a%20b', 'http://localhost:8080/']);
  });

  test('system facts: OS, battery, time zone; a broken battery reading does not hide the rest', async () => {
    const h = host(new FakeClock(T0));
    const { out } = await run(h, 'get_system_info', {});
    assert.equal(out.os.platform, process.platform);
    assert.equal(typeof out.os.release, 'string');
    assert.deepEqual(out.battery, { percent: 42, charging: false, onBattery: true } satisfies BatteryState);
    assert.equal(out.timeZone, 'Europe/Paris');

    const broken = new ToolRegistry([systemInfoTool(() => Promise.reject(new Error('no upower')), () => ({ platform: 'linux', name: 'Linux', release: '6.8', arch: 'x64' }), () => 'UTC')]);
    const r = JSON.parse((await broken.run('get_system_info', '{}', 1_000)).output);
    assert.deepEqual(r, { os: { platform: 'linux', name: 'Linux', release: '6.8', arch: 'x64' }, battery: 'no battery or not reported', timeZone: 'UTC' });
  });
});
