// Mic audio towards `input_audio_buffer.append`. Frames of any size go in; chunks of 20–40 ms come out
// as base64. The app's 20 ms frames leave at once (no added wait); larger pieces, such as a WAV file
// in the talk command, are split so the server's VAD sees audio at an even grain.
const BYTES_PER_MS = 48; // PCM16 at 24 kHz
export const MIN_CHUNK_BYTES = 20 * BYTES_PER_MS;
export const MAX_CHUNK_BYTES = 40 * BYTES_PER_MS;

export class AudioUplink {
  private readonly pending = Buffer.alloc(MAX_CHUNK_BYTES);
  private filled = 0;
  /** Bytes handed to `send` since the last reset; the manual-turn length check reads it. */
  sentBytes = 0;

  constructor(private readonly send: (base64: string, bytes: number) => void) {}

  push(pcm: Uint8Array): void {
    let offset = 0;
    // PCM16 is 2 bytes a sample; an odd tail would shift every later sample by one byte.
    const usable = pcm.byteLength - (pcm.byteLength % 2);
    while (offset < usable) {
      const n = Math.min(usable - offset, MAX_CHUNK_BYTES - this.filled);
      this.pending.set(pcm.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled >= MIN_CHUNK_BYTES) this.flush();
    }
  }

  /** Sends whatever is pending, e.g. at the end of a push-to-talk turn. */
  flush(): void {
    if (this.filled === 0) return;
    this.send(this.pending.toString('base64', 0, this.filled), this.filled);
    this.sentBytes += this.filled;
    this.filled = 0;
  }

  /** Forgets pending audio, e.g. when a turn is cancelled or the connection is replaced. */
  reset(): void {
    this.filled = 0;
    this.sentBytes = 0;
  }

  get sentMs(): number {
    return this.sentBytes / BYTES_PER_MS;
  }
}

export function pcmMs(bytes: number): number {
  return bytes / BYTES_PER_MS;
}

/**
 * Decodes an output audio delta once. Node's decoder silently skips bad characters, which would
 * misalign every later sample, so malformed input is refused whole rather than played as noise.
 * A skipped character (or padding before the end) makes the output shorter than the length says,
 * so checking the decoded length finds it without a second pass over the string (base64url's - and _
 * decode as + and /, to the same samples).
 */
export function decodeAudioDelta(delta: unknown): Buffer | null {
  if (typeof delta !== 'string' || delta.length % 4 !== 0) return null;
  const buf = Buffer.from(delta, 'base64');
  const padding = delta.endsWith('==') ? 2 : delta.endsWith('=') ? 1 : 0;
  if (buf.length !== (delta.length / 4) * 3 - padding) return null;
  return buf.length % 2 === 0 ? buf : buf.subarray(0, buf.length - 1);
}
