// Timers and reminders by voice: set, list, cancel. The scheduler does the keeping and the firing.
import { z } from 'zod';
import { defineTool } from '../tool-registry';
import type { Reminder, ReminderScheduler } from '../reminder-scheduler';

const MAX_AHEAD_MS = 366 * 24 * 3600_000;

export function reminderTools(scheduler: ReminderScheduler, now: () => number = Date.now) {
  const describe = (r: Reminder) => ({ id: r.id, text: r.text, due: scheduler.formatTime(r.dueAt), dueIso: new Date(r.dueAt).toISOString() });
  return [
    defineTool({
      name: 'set_reminder',
      description: 'Set a timer or a reminder: a desktop notification at the given time. Give either in_seconds (timers, "in 10 minutes") or at (a clock time).',
      parameters: z
        .object({
          text: z.string().trim().min(1).max(500).describe('What to remind the user of, e.g. "Tea is ready"'),
          in_seconds: z.number().positive().optional().describe('Fire this many seconds from now'),
          at: z.string().optional().describe('Fire at this ISO 8601 date-time, with the user\'s UTC offset, e.g. 2026-05-01T15:30:00+02:00'),
        })
        .refine((a) => (a.in_seconds === undefined) !== (a.at === undefined), { message: 'give exactly one of in_seconds or at' })
        .refine((a) => a.at === undefined || !Number.isNaN(Date.parse(a.at)), { message: 'at is not a date-time', path: ['at'] }),
      run: ({ text, in_seconds, at }) => {
        const dueAt = in_seconds !== undefined ? now() + Math.round(in_seconds * 1000) : Date.parse(at!);
        if (dueAt <= now()) throw new Error(`that time (${scheduler.formatTime(dueAt)}) has already passed`);
        if (dueAt - now() > MAX_AHEAD_MS) throw new Error('reminders can be set at most a year ahead');
        return { set: describe(scheduler.add(text, dueAt)) };
      },
    }),
    defineTool({
      name: 'list_reminders',
      description: 'List the pending timers and reminders, soonest first.',
      parameters: z.object({}),
      run: () => ({ reminders: scheduler.list().map(describe) }),
    }),
    defineTool({
      name: 'cancel_reminder',
      description: 'Cancel a pending timer or reminder by its id (from list_reminders).',
      parameters: z.object({ id: z.string().min(1) }),
      run: ({ id }) => {
        const removed = scheduler.cancel(id);
        if (!removed) throw new Error(`there is no pending reminder with id "${id}"`);
        return { cancelled: describe(removed) };
      },
    }),
  ];
}
