// What Hark keeps about the user is the user's alone: every user-data file 0600, its folder 0700
// (notes, reminders, usage, window bounds, settings), and the clipboard is read only after asking.
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { saveJsonList } from '../../main/tools/json-list-file';
import { DailyLedger } from '../../main/usage/daily-ledger';
import { WindowBoundsStore } from '../../main/shell/window-bounds';
import { clipboardTools } from '../../main/tools/builtin/clipboard';
import { zeroUsage } from '../../main/usage/usage-math';

const mode = (p: string) => statSync(p).mode & 0o777;

describe('user-data files are private', () => {
  test('notes/reminders lists, the usage ledger and window bounds are 0600 in a 0700 folder', async () => {
    const base = mkdtempSync(join(tmpdir(), 'hark-modes-'));
    const dir = join(base, 'userData');
    saveJsonList(join(dir, 'notes.json'), [{ id: 'n1', text: 'private' }]);
    assert.equal(mode(join(dir, 'notes.json')).toString(8), '600');
    assert.equal(mode(dir).toString(8), '700');
    const ledger = new DailyLedger(dir);
    ledger.add('2026-01-01', zeroUsage(), 0.01);
    await ledger.flush();
    assert.equal(mode(join(dir, 'usage-days.json')).toString(8), '600');
    const bounds = new WindowBoundsStore(dir);
    bounds.save({ x: 1, y: 2, width: 300, height: 400 });
    await bounds.flush();
    assert.equal(mode(join(dir, 'window-companion.json')).toString(8), '600');
  });

  test('read_clipboard asks by default', () => {
    const read = clipboardTools({ readText: async () => '', writeText: async () => {} }).find((t) => t.name === 'read_clipboard')!;
    assert.equal(read.approval, 'ask');
  });
});
