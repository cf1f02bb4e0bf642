// Nothing the user had is lost to one bad byte: an invalid settings field costs only that field,
// orphan temp files of killed writes are cleaned at start, and a history record missing only its
// final newline is kept, and so is the next one appended after it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SettingsStore } from '../../main/settings/settings-store';
import { HistoryStore } from '../../main/history/history-store';
import type { Notice } from '../../preload/api';

const fresh = () => mkdtempSync(join(tmpdir(), 'hark-safety-'));

describe('settings keep every valid field', () => {
  test('one invalid field is defaulted and named; every other setting survives; the original is backed up', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 2, instructions: 'Answer like a pirate.', voice: 'verse', turnDetection: { mode: 'telepathy' }, toolTimeoutMs: 'soon' }));
    const store = new SettingsStore({ dir });
    const notices: Notice[] = [];
    store.on('notice', (n) => notices.push(n));
    const s = await store.load();
    assert.equal(s.instructions, 'Answer like a pirate.');
    assert.equal(s.voice, 'verse');
    const defaults = (await import('../../common/settings/settings-schema')).defaultSettings();
    assert.equal(s.turnDetection.mode, defaults.turnDetection.mode);
    assert.equal(s.toolTimeoutMs, defaults.toolTimeoutMs);
    assert.equal(notices.length, 1);
    assert.match(notices[0]!.message, /turnDetection\.mode/);
    assert.match(notices[0]!.message, /toolTimeoutMs/);
    assert.match(notices[0]!.message, /kept/);
    assert.ok(readdirSync(dir).some((f) => f.startsWith('settings.corrupt-')), 'the original is kept');
    // And what is on disk now is the salvaged settings.
    assert.equal(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).instructions, 'Answer like a pirate.');
  });
});

describe('orphan temp files', () => {
  test('temp files of killed settings writes are removed at start; nothing else is', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 2, instructions: 'x' }));
    for (const n of ['settings.json.1a2b3c4d', 'settings.json.99', 'settings.json.deadbeef']) writeFileSync(join(dir, n), '{"partial":');
    writeFileSync(join(dir, 'settings.corrupt-2026.json'), '{}');
    writeFileSync(join(dir, 'notes.json'), '[]');
    await new SettingsStore({ dir }).load();
    assert.deepEqual(readdirSync(dir).sort(), ['notes.json', 'settings.corrupt-2026.json', 'settings.json']);
  });
});

describe('history record without its final newline', () => {
  test('is kept at open, and the next append is a record of its own', async () => {
    const dir = fresh();
    const store = new HistoryStore({ dir });
    await store.open(null);
    const id = store.newId();
    const rec = (n: number) => ({ kind: 'item', at: 1_000 + n, item: { id: `i${n}`, role: 'user', type: 'message', text: `turn ${n}`, status: 'completed', modality: 'text', createdAt: 1_000 + n } });
    await store.append(id, [rec(1) as never]);
    // Something (a copy tool, a crash after the write but before the newline) left the last record whole but unterminated.
    const file = join(dir, `${id}.jsonl`);
    writeFileSync(file, `${readFileSync(file, 'utf8')}${JSON.stringify(rec(2))}`);
    const reopened = new HistoryStore({ dir });
    await reopened.open(null);
    await reopened.append(id, [rec(3) as never]);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3, readFileSync(file, 'utf8'));
    for (const l of lines) assert.doesNotThrow(() => JSON.parse(l));
  });
});
