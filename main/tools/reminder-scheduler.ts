// Timers and reminders: kept in a JSON file so they survive a restart, fired as desktop
// notifications. One timer watches the earliest reminder and wakes at least once a minute, so a
// reminder is not missed when the machine slept or the wall clock moved.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { Notifier } from './host-ports';
import { loadJsonList, saveJsonList } from './json-list-file';
import { systemClock, type Clock } from '../clock';

export const reminderSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  dueAt: z.number(),
  createdAt: z.number(),
});
export type Reminder = z.infer<typeof reminderSchema>;


export interface FiredReminder extends Reminder {
  /** It came due while Hark was not running. */
  late: boolean;
}

export interface ReminderSchedulerOptions {
  dataDir: string;
  notifier: Notifier;
  clock?: Clock;
  /** For formatting times in notifications; the user's zone by default. */
  timeZone?: string;
  onProblem?: (message: string) => void;
  /** Also told of each reminder as it fires (e.g. to say it aloud). */
  onFire?: (reminder: FiredReminder) => void;
}

const MAX_SLEEP_MS = 60_000;

export class ReminderScheduler {
  readonly path: string;
  private reminders: Reminder[];
  private readonly clock: Clock;
  private timer: unknown = null;
  private running = false;

  constructor(private readonly opts: ReminderSchedulerOptions) {
    this.path = join(opts.dataDir, 'reminders.json');
    this.clock = opts.clock ?? systemClock;
    const loaded = loadJsonList(this.path, reminderSchema, 'reminders');
    this.reminders = loaded.items;
    if (loaded.problem) opts.onProblem?.(loaded.problem);
  }

  /** Fires what came due while Hark was closed (marked late), then schedules the rest. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.fireDue(true);
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  list(): Reminder[] {
    return [...this.reminders].sort((a, b) => a.dueAt - b.dueAt).map((r) => ({ ...r }));
  }

  add(text: string, dueAt: number): Reminder {
    const reminder = { id: randomUUID().slice(0, 8), text: text.trim(), dueAt, createdAt: this.clock.now() };
    this.save([...this.reminders, reminder]);
    this.arm();
    return { ...reminder };
  }

  cancel(id: string): Reminder | null {
    const found = this.reminders.find((r) => r.id === id);
    if (!found) return null;
    this.save(this.reminders.filter((r) => r.id !== id));
    this.arm();
    return { ...found };
  }

  formatTime(at: number): string {
    return new Intl.DateTimeFormat('en-GB', { timeZone: this.opts.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);
  }

  private arm(): void {
    if (!this.running) return;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    const next = this.reminders.reduce((m, r) => Math.min(m, r.dueAt), Infinity);
    if (next === Infinity) return;
    const wait = Math.max(0, Math.min(next - this.clock.now(), MAX_SLEEP_MS));
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.fireDue(false);
      this.arm();
    }, wait);
  }

  private fireDue(late: boolean): void {
    const now = this.clock.now();
    const due = this.reminders.filter((r) => r.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    if (!due.length) return;
    // Saved before notifying, so a crash in between cannot fire the same reminder twice.
    this.save(this.reminders.filter((r) => r.dueAt > now));
    for (const r of due) {
      this.opts.notifier.notify({
        title: late ? 'Reminder (missed while Hark was closed)' : 'Reminder',
        body: late ? `${r.text} (was due ${this.formatTime(r.dueAt)})` : r.text,
      });
      this.opts.onFire?.({ ...r, late });
    }
  }

  private save(reminders: Reminder[]): void {
    saveJsonList(this.path, reminders);
    this.reminders = reminders;
  }
}
