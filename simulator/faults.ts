export interface Faults {
  /** Abruptly destroy the TCP socket (client sees 1006) instead of sending the nth (default 1st) server event of that type. */
  dropAtEvent: { type: string; nth?: number } | null;
  /** Send a close frame with `code` instead of the nth server event of that type. */
  closeAtEvent: { type: string; nth?: number; code: number; reason?: string } | null;
  /** Half-open connection: stop answering pings and stop sending anything. */
  noPong: boolean;
  /** Before each response.created, this many non-JSON text frames. */
  malformedJson: number;
  /** Before each response.created, this many well-formed events of unknown types. */
  unknownEvents: number;
  /** If > 0, one text frame of this many bytes (valid JSON, unknown type) before each response. */
  hugeFrameBytes: number;
  /** What fills the huge frame: one long string, or empty objects (`[{},{},…]`), the shape that costs most to parse. */
  hugeFrameShape: 'string' | 'objects';
  /** Corrupt output_audio.delta payloads; see `corruptBase64` for the mix. */
  badBase64: boolean;
  /** How function-call argument deltas are split; 'none' sends only arguments.done. */
  argSplit: 'random' | 'every' | 'none';
  /** The next session.update is rejected with this error (then the fault clears itself). */
  rejectNextUpdate: { code: string; message: string; param?: string } | null;
  /** Overrides `remaining` in rate_limits.updated. */
  rateLimitRemaining: number | null;
  /**
   * The next `count` client response.create events are refused with this error (carrying the
   * client's event_id, as the real server does); a rate_limit_exceeded is preceded by a
   * rate_limits.updated with nothing remaining and `resetSeconds`.
   */
  rejectCreates: { code: string; message: string; count: number; resetSeconds?: number } | null;
}

export const defaultFaults: Faults = {
  dropAtEvent: null,
  closeAtEvent: null,
  noPong: false,
  malformedJson: 0,
  unknownEvents: 0,
  hugeFrameBytes: 0,
  hugeFrameShape: 'string',
  badBase64: false,
  argSplit: 'random',
  rejectNextUpdate: null,
  rateLimitRemaining: null,
  rejectCreates: null,
};

/** Splits function-call arguments into delta strings; joined, they always equal `args`. */
export function splitArguments(args: string, mode: Faults['argSplit'], rand: () => number): string[] {
  if (mode === 'none' || args.length === 0) return [];
  if (mode === 'every') return [...args];
  const parts: string[] = [];
  let i = 0;
  while (i < args.length) {
    const len = 1 + Math.floor(rand() * 6);
    parts.push(args.slice(i, i + len));
    i += len;
  }
  return parts;
}

/**
 * Corrupts audio deltas in a fixed rotation so a client meets every kind within three deltas:
 * 0 → characters outside the base64 alphabet, 1 → valid base64 of an odd number of bytes
 * (half a sample), 2 → truncated base64 (length not a multiple of 4, padding lost).
 */
export function corruptBase64(valid: string, index: number): string {
  switch (index % 3) {
    case 0:
      return `${valid.slice(0, 8)}*$%!${valid.slice(8)}`;
    case 1:
      return Buffer.concat([Buffer.from(valid, 'base64'), Buffer.from([0x7f])]).toString('base64');
    default:
      return valid.replace(/=+$/, '').slice(0, -1 - (valid.length % 4 === 0 ? 0 : 1)) || 'A';
  }
}

/** Counts events per type so "the nth event of type X" faults can be matched. */
export class EventCounter {
  private counts = new Map<string, number>();
  next(type: string): number {
    const n = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, n);
    return n;
  }
}
