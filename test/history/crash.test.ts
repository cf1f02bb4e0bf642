// A process killed mid-conversation loses at most the turn in progress: the history written at
// the end of each earlier turn (fsync) is all there when the app starts again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HistoryStore } from '../../main/history/history-store';

test('history survives a process killed (SIGKILL) in the middle of a reply', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hark-crash-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`child never got mid-turn: ${out}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('mid-turn')) {
        clearTimeout(t);
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  await new Promise((r) => child.once('exit', r));
  assert.equal(child.signalCode, 'SIGKILL');
  const store = new HistoryStore({ dir: join(dir, 'history') });
  await store.open(null);
  const [conv] = await store.list();
  const { items, summary } = (await store.get(conv!.id))!;
  const messages = items.filter((i) => i.type === 'message').map((i) => `${i.role}: ${i.text}`);
  assert.deepEqual(messages.slice(0, 4), ['user: Question 0', 'assistant: Answer 0.', 'user: Question 1', 'assistant: Answer 1.']);
  assert.ok(messages.length <= 5, 'at most the turn in progress is partial');
  assert.equal(summary.usage.responses, 2, 'both finished responses\' usage was saved');
});
