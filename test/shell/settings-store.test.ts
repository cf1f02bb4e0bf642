// The settings file: defaults, migration, corruption recovery, atomic writes, validated updates.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Notice } from '../../preload/api';
import { defaultSettings, SETTINGS_VERSION } from '../../common/settings/settings-schema';
import { SettingsStore } from '../../main/settings/settings-store';

const dir = () => mkdtempSync(join(tmpdir(), 'hark-settings-'));
const onDisk = (d: string) => JSON.parse(readFileSync(join(d, 'settings.json'), 'utf8')) as Record<string, unknown>;

describe('settings store', () => {
  it('no file: defaults, and nothing written until something changes', async () => {
    const d = dir();
    const s = new SettingsStore({ dir: d });
    assert.deepEqual(await s.load(), defaultSettings());
    assert.deepEqual(readdirSync(d), []);
  });

  it('migrates a version-1 file forward, keeps its values, and writes the new version', async () => {
    const d = dir();
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ version: 1, voice: 'cedar', pttHotkey: 'Alt+F9', turnDetection: { mode: 'none' } }));
    const s = new SettingsStore({ dir: d });
    const loaded = await s.load();
    assert.equal(loaded.version, SETTINGS_VERSION);
    assert.equal(loaded.voice, 'cedar');
    assert.equal(loaded.turnDetection.mode, 'none');
    assert.equal(loaded.hotkey.talk, 'Alt+F9');
    assert.equal(loaded.hotkey.style, 'hold', 'new fields get their defaults');
    assert.equal(onDisk(d).version, SETTINGS_VERSION);
    assert.equal('pttHotkey' in onDisk(d), false);
  });

  it('runs each migration step in order', async () => {
    const d = dir();
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ version: 1, model: 'a' }));
    const seen: number[] = [];
    const s = new SettingsStore({
      dir: d,
      version: 3,
      migrations: {
        1: (r) => (seen.push(1), { ...r, model: `${String(r.model)}-b` }),
        2: (r) => (seen.push(2), { ...r, model: `${String(r.model)}-c` }),
      },
    });
    // The schema knows version 2 only, so a version-3 store rejects the result; the order is what we check.
    await s.load();
    assert.deepEqual(seen, [1, 2]);
  });

  for (const [name, content, reason] of [
    ['not JSON', '{"voice": "ced', /not valid JSON/],
    ['invalid values', JSON.stringify({ version: 2, voice: '', turnDetection: { threshold: 7 } }), /voice|threshold/],
    ['from a newer Hark', JSON.stringify({ version: 99 }), /newer Hark/],
    ['not an object', '[1,2]', /does not hold settings/],
  ] as const) {
    it(`a corrupted file (${name}) is kept as a backup, replaced by defaults, with a notice`, async () => {
      const d = dir();
      writeFileSync(join(d, 'settings.json'), content);
      const notices: Notice[] = [];
      const s = new SettingsStore({ dir: d, now: () => new Date('2026-11-25T10:00:00.000Z') });
      s.on('notice', (n) => notices.push(n));
      assert.deepEqual(await s.load(), defaultSettings());
      const backup = 'settings.corrupt-2026-11-25T10-00-00-000Z.json';
      assert.deepEqual(readdirSync(d).sort(), [backup, 'settings.json']);
      assert.equal(readFileSync(join(d, backup), 'utf8'), content, 'the backup is the file as it was');
      assert.deepEqual(onDisk(d), JSON.parse(JSON.stringify(defaultSettings())));
      assert.equal(notices.length, 1);
      assert.match(notices[0]!.message, reason);
      assert.match(notices[0]!.message, new RegExp(backup.replace(/\./g, '\\.')));
      assert.deepEqual(s.startupNotices, notices);
    });
  }

  it('update merges deeply, validates, stores and announces; an invalid update changes nothing', async () => {
    const d = dir();
    const s = new SettingsStore({ dir: d });
    await s.load();
    const changes: Array<[string, string]> = [];
    s.on('change', (next, prev) => changes.push([prev.turnDetection.mode, next.turnDetection.mode]));
    const ok = await s.update({ turnDetection: { mode: 'semantic_vad' } });
    assert.equal(ok.ok, true);
    assert.equal(s.get().turnDetection.silenceDurationMs, 500, 'siblings of a patched field survive');
    assert.equal((onDisk(d).turnDetection as { mode: string }).mode, 'semantic_vad');
    assert.deepEqual(changes, [['server_vad', 'semantic_vad']]);

    const bad = await s.update({ turnDetection: { threshold: 3 }, hotkey: { talk: 'Space' } });
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && bad.errors.some((e) => e.startsWith('turnDetection.threshold')));
    assert.ok(!bad.ok && bad.errors.some((e) => e.startsWith('hotkey.talk') && /alone would fire/.test(e)));
    assert.equal(s.get().turnDetection.threshold, 0.5);
    assert.equal((onDisk(d).turnDetection as { threshold: number }).threshold, 0.5);
    assert.equal(changes.length, 1);
  });

  it('a patch cannot reach the prototype', async () => {
    const s = new SettingsStore({ dir: dir() });
    await s.load();
    await s.update(JSON.parse('{"__proto__": {"polluted": true}, "voice": "ash"}'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(s.get().voice, 'ash');
  });

  it('writes are atomic and ordered: concurrent updates leave the last one, whole, and no temp files', async () => {
    const d = dir();
    const s = new SettingsStore({ dir: d });
    await s.load();
    const voices = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'cedar', 'marin'];
    await Promise.all(voices.map((voice) => s.update({ voice })));
    assert.equal(onDisk(d).voice, 'marin');
    assert.deepEqual(readdirSync(d), ['settings.json']);
    assert.equal(readFileSync(join(d, 'settings.json'), 'utf8').endsWith('}\n'), true);
  });
});
