// Frames off the wire into events the session handles: parsed defensively, repeats (the same
// event_id) counted and skipped, and every bad frame counted while the user is told about each kind
// only once a minute, so a hostile or broken server can neither crash the session nor flood it.
import { parseServerEvent, type ServerEvent } from './event-fields';
import { tooComplex, tooComplexMessage } from './frame-budget';
import { NoticeThrottle } from './notice-throttle';
import { RecentIds } from './recent-ids';
import type { SessionPort } from './session-port';
import type { SessionStats } from './session-types';

export class ServerInbox {
  /** Events are idempotent by event_id: a repeat is counted and skipped. */
  private readonly seen = new RecentIds();
  /** Bad frames are all counted (stats) but told once per kind per minute. */
  private readonly told = new NoticeThrottle();

  constructor(
    private readonly port: SessionPort,
    private readonly stats: SessionStats,
  ) {}

  /** The frame as an event to handle, or null: unreadable (counted, told) or a repeat (counted). */
  read(raw: string): ServerEvent | null {
    // Before the parse, not after: the parse itself is what a frame of many small values makes costly.
    if (tooComplex(raw)) {
      this.bad('complex_message', tooComplexMessage(raw.length));
      return null;
    }
    const event = parseServerEvent(raw);
    if (!event) {
      this.bad('unreadable_message', 'The server sent a message Hark could not read; it was ignored.');
      return null;
    }
    if (typeof event.event_id === 'string' && !this.seen.first(event.event_id)) {
      this.stats.duplicateEvents++;
      return null;
    }
    return event;
  }

  /** A bad frame of this kind: counted, and told (with the kind as its code) at most once a minute. */
  bad(kind: string, message: string, counter: 'unreadableMessages' | 'badAudioDeltas' = 'unreadableMessages'): void {
    this.stats[counter]++;
    if (this.told.allow(kind)) this.port.notice('warning', message, kind);
  }

  /** Whether this kind may be told now (for messages that repeat, such as one server error). */
  mayTell(kind: string): boolean {
    return this.told.allow(kind);
  }
}
