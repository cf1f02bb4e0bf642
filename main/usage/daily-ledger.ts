// Per-day usage totals, persisted so the daily spend cap holds across restarts. One small JSON file,
// replaced atomically; a damaged file is set aside (never deleted) and counting starts again.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Notice, UsageTotals } from '../../preload/api';
import { addUsage, readUsage, zeroUsage } from './usage-math';

export interface DayTotals {
  usage: UsageTotals;
  costUsd: number;
}

const KEEP_DAYS = 400;

/** The local calendar day, as the user thinks of "today". */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export class DailyLedger {
  private days = new Map<string, DayTotals>();
  private readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(dir: string, private readonly onNotice: (n: Notice) => void = () => {}) {
    this.file = join(dir, 'usage-days.json');
  }

  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    try {
      const parsed = JSON.parse(text) as { days?: Record<string, { usage?: unknown; costUsd?: unknown }> };
      for (const [day, t] of Object.entries(parsed.days ?? {})) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) continue;
        this.days.set(day, { usage: readUsage(t.usage), costUsd: typeof t.costUsd === 'number' && t.costUsd >= 0 ? t.costUsd : 0 });
      }
    } catch (e) {
      const aside = `${this.file}.damaged-${Date.now()}`;
      await rename(this.file, aside).catch(() => {});
      this.onNotice({ level: 'warning', code: 'usage_file_damaged', message: `The daily usage file could not be read (${(e as Error).message}); it was kept as ${aside} and today's count starts at zero.` });
    }
  }

  get(day: string): DayTotals {
    return this.days.get(day) ?? { usage: zeroUsage(), costUsd: 0 };
  }

  add(day: string, usage: UsageTotals, costUsd: number | null): DayTotals {
    const t = this.get(day);
    const next = { usage: addUsage(t.usage, usage), costUsd: t.costUsd + (costUsd ?? 0) };
    this.days.set(day, next);
    void this.save();
    return next;
  }

  /** Resolves when everything added so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }

  private save(): Promise<void> {
    const keep = [...this.days.keys()].sort().slice(-KEEP_DAYS);
    const body = JSON.stringify({ version: 1, days: Object.fromEntries(keep.map((d) => [d, this.days.get(d)])) });
    // Writes are chained so an older snapshot can never land after a newer one.
    this.writing = this.writing.then(() => writeFileAtomic(this.file, body, { mode: 0o600 })).catch((e: unknown) => {
      this.onNotice({ level: 'warning', code: 'usage_file_write', message: `Could not save the daily usage: ${(e as Error).message}` });
    });
    return this.writing;
  }
}
