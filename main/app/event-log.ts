// The raw event log for the window's drawer: the last client and server events (audio already
// elided by the session), kept from the start so the log has something to show when the user opens
// it after a problem; streamed to the window only while it watches.
import type { WireEntry } from '../../preload/api';

export interface WireSource {
  on(event: 'wire', fn: (w: { dir: 'in' | 'out'; event: { type: string } }) => void): unknown;
  off(event: 'wire', fn: (w: { dir: 'in' | 'out'; event: { type: string } }) => void): unknown;
}

const MAX_ENTRY_CHARS = 16_000;

export class EventLog {
  private readonly ring: WireEntry[] = [];
  private seq = 0;
  private watcher: ((e: WireEntry) => void) | null = null;
  private readonly onWire = (w: { dir: 'in' | 'out'; event: { type: string } }) => this.add(w.dir, w.event);

  constructor(private readonly source: WireSource, private readonly capacity = 1000) {
    source.on('wire', this.onWire);
  }

  entries(): WireEntry[] {
    return [...this.ring];
  }

  /** Streams new entries to `fn` until called with null. */
  watch(fn: ((e: WireEntry) => void) | null): void {
    this.watcher = fn;
  }

  dispose(): void {
    this.source.off('wire', this.onWire);
    this.watcher = null;
  }

  private add(dir: 'in' | 'out', event: { type: string }): void {
    const entry: WireEntry = { seq: ++this.seq, at: Date.now(), dir, type: String(event.type), event: shorten(event) };
    this.ring.push(entry);
    if (this.ring.length > this.capacity) this.ring.shift();
    this.watcher?.(entry);
  }
}

/** A session.update carries the whole instructions and tool list; the log keeps the head of it. */
function shorten(event: unknown): unknown {
  // Most events (deltas, appends) are surely small: no JSON text made just to measure them.
  if (jsonBound(event, MAX_ENTRY_CHARS, 0) <= MAX_ENTRY_CHARS) return event;
  const json = JSON.stringify(event);
  if (json.length <= MAX_ENTRY_CHARS) return event;
  return { type: (event as { type: string }).type, note: `payload of ${json.length} characters, shortened`, head: json.slice(0, MAX_ENTRY_CHARS) };
}

/**
 * An upper bound on JSON.stringify(value).length (every character counted as a six-character
 * escape), given up (Infinity) once past `budget` or deeper than 6 levels.
 */
function jsonBound(value: unknown, budget: number, depth: number): number {
  if (typeof value === 'string') return value.length * 6 + 2;
  if (value === null || typeof value !== 'object') return 24;
  if (depth > 6) return Infinity;
  let n = 2;
  for (const key in value) {
    n += key.length * 6 + 4 + jsonBound((value as Record<string, unknown>)[key], budget - n, depth + 1);
    if (n > budget) return Infinity;
  }
  return n;
}
