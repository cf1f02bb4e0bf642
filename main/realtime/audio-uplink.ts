// Mic audio towards `input_audio_buffer.append`. Frames of any size go in; chunks of 20–40 ms come out
// as base64. The app's 20 ms frames leave at once (no added wait); larger pieces, such as a WAV file
// in the talk command, are split so the server's VAD sees audio at an even grain.
import { BYTES_PER_MS } from '../../common/audio-format';

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
