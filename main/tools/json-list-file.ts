// Notes and reminders are small lists kept as JSON files in the user-data folder. Writes are atomic
// (temp file + rename), so a crash mid-write leaves the old file. A file that cannot be read is kept
// beside it as a backup, and every entry that still validates is kept, so one bad entry loses nothing else.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';

export interface LoadedList<T> {
  items: T[];
  /** Set when the file was damaged: what happened, in words for the user. */
  problem?: string;
  backupPath?: string;
}

export function loadJsonList<T>(path: string, item: z.ZodType<T>, what: string): LoadedList<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { items: [] };
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return damaged(path, [], `The ${what} file could not be read`);
  }
  const entries = Array.isArray((raw as { items?: unknown })?.items) ? ((raw as { items: unknown[] }).items) : null;
  if (!entries) return damaged(path, [], `The ${what} file has an unexpected shape`);
  const items: T[] = [];
  for (const e of entries) {
    const parsed = item.safeParse(e);
    if (parsed.success) items.push(parsed.data);
  }
  if (items.length === entries.length) return { items };
  return damaged(path, items, `${entries.length - items.length} of ${entries.length} ${what} could not be read`);
}

export function saveJsonList<T>(path: string, items: T[]): void {
  // The user's notes and reminders: readable by the user alone.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ version: 1, items }, null, 2)}\n`, { encoding: 'utf8', flush: true, mode: 0o600 });
  renameSync(temp, path);
}

function damaged<T>(path: string, items: T[], what: string): LoadedList<T> {
  const stamp = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  // Never overwrite an earlier backup: it may hold the only copy of something.
  let backupPath = stamp;
  for (let n = 2; existsSync(backupPath); n++) backupPath = `${stamp}-${n}`;
  renameSync(path, backupPath);
  // Rewrite at once, so the next start does not back up the same damage again.
  saveJsonList(path, items);
  const kept = items.length ? ` The ${items.length} readable entries were kept.` : '';
  return { items, backupPath, problem: `${what}; it was saved as ${backupPath}.${kept}` };
}
