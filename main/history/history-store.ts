// Every conversation on disk: one append-only JSON-lines file each, in <userData>/history. Opening
// the store repairs torn tails and applies retention; damage is reported per conversation and never
// costs the records before it. Reads go to disk each time: a few hundred small files are cheap, and
// there is no index to get out of step.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryConversation, HistoryHit, Notice } from '../../preload/api';
import { appendDurably, readLog, repairLog } from './jsonl-log';
import { rebuild, type HistoryRecord, type Rebuilt } from './history-records';

const ID = /^[A-Za-z0-9_-]{1,80}$/;
const DAY_MS = 86_400_000;

export interface HistoryStoreOptions {
  dir: string;
  now?: () => number;
  onNotice?: (n: Notice) => void;
}

export class HistoryStore {
  readonly dir: string;
  private readonly now: () => number;
  private readonly onNotice: (n: Notice) => void;
  /** What repair found per conversation at open; shown with the conversation. */
  private readonly recovered = new Map<string, string>();

  constructor(o: HistoryStoreOptions) {
    this.dir = o.dir;
    this.now = o.now ?? Date.now;
    this.onNotice = o.onNotice ?? (() => {});
  }

  /** Creates the folder, repairs damaged files, deletes what retention no longer keeps. */
  async open(retentionDays: number | null): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const id of await this.ids()) {
      const path = this.file(id);
      try {
        const read = await readLog(path);
        // A whole last record without its newline is no problem to report, but the next append
        // would join its line and lose both: repair it too.
        if (read.needsRepair) await repairLog(path, read);
        if (read.problem) {
          this.recovered.set(id, read.problem);
          this.onNotice({ level: 'warning', code: 'history_recovered', message: `A saved conversation was damaged and has been repaired: ${read.problem}` });
        }
      } catch (e) {
        this.onNotice({ level: 'warning', code: 'history_unreadable', message: `A saved conversation (${id}) could not be read: ${(e as Error).message}. It was left as it is.` });
      }
    }
    if (retentionDays !== null) await this.prune(retentionDays);
  }

  newId(): string {
    const d = new Date(this.now());
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${randomBytes(3).toString('hex')}`;
  }

  /** Durable once it resolves (fsync). */
  append(id: string, records: HistoryRecord[]): Promise<void> {
    if (!ID.test(id)) return Promise.reject(new Error(`not a conversation id: ${id}`));
    return appendDurably(this.file(id), records.map((r) => JSON.stringify(r)));
  }

  async saveAudio(id: string, itemId: string, wav: Buffer): Promise<string> {
    const dir = join(this.dir, `${id}.audio`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const name = `${itemId.replace(/[^A-Za-z0-9_-]/g, '_')}.wav`;
    await writeFile(join(dir, name), wav, { mode: 0o600 });
    return `${id}.audio/${name}`;
  }

  /** Newest first; with a query, only conversations whose text matches, each with a snippet. */
  async list(query?: string): Promise<HistoryHit[]> {
    const q = query?.trim().toLowerCase() ?? '';
    const hits: HistoryHit[] = [];
    for (const id of await this.ids()) {
      const c = await this.load(id);
      if (!c) continue;
      if (!q) {
        hits.push({ ...c.summary, snippet: '' });
        continue;
      }
      const snippet = findSnippet(c, q);
      if (snippet !== null) hits.push({ ...c.summary, snippet });
    }
    return hits.sort((a, b) => b.startedAt - a.startedAt);
  }

  async get(id: string): Promise<HistoryConversation | null> {
    const c = await this.load(id);
    return c ? { summary: c.summary, items: c.items, recovered: c.problem } : null;
  }

  async delete(id: string): Promise<boolean> {
    if (!ID.test(id)) return false;
    const existed = await stat(this.file(id)).then(() => true, () => false);
    await rm(this.file(id), { force: true });
    await rm(join(this.dir, `${id}.audio`), { recursive: true, force: true });
    this.recovered.delete(id);
    return existed;
  }

  async deleteAll(): Promise<number> {
    const ids = await this.ids();
    for (const id of ids) await this.delete(id);
    return ids.length;
  }

  async prune(retentionDays: number): Promise<number> {
    const cutoff = this.now() - retentionDays * DAY_MS;
    let n = 0;
    for (const id of await this.ids()) {
      const c = await this.load(id);
      if (c && c.summary.updatedAt < cutoff && (await this.delete(id))) n++;
    }
    return n;
  }

  private async load(id: string): Promise<(Rebuilt & { problem: string | null }) | null> {
    if (!ID.test(id)) return null;
    try {
      const path = this.file(id);
      const [read, st] = await Promise.all([readLog<unknown>(path), stat(path)]);
      return { ...rebuild(id, read.records, st.mtimeMs), problem: this.recovered.get(id) ?? read.problem };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  private async ids(): Promise<string[]> {
    const names = await readdir(this.dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
    return names.filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -6)).filter((id) => ID.test(id));
  }

  private file(id: string): string {
    return join(this.dir, `${id}.jsonl`);
  }
}

function findSnippet(c: Rebuilt, q: string): string | null {
  if (c.summary.title.toLowerCase().includes(q)) return c.summary.title;
  for (const item of c.items) {
    for (const text of [item.text, item.name ?? '', item.arguments ?? '', item.output ?? '']) {
      const at = text.toLowerCase().indexOf(q);
      if (at === -1) continue;
      const from = Math.max(0, at - 40);
      const to = Math.min(text.length, at + q.length + 40);
      return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
    }
  }
  return null;
}
