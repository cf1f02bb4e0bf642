// Latency stamps carried inside the PCM itself, for the benchmark (bench/): the simulator writes the
// monotonic clock into each reply delta it sends, and reads the stamp the client wrote into each
// appended chunk. The clock is CLOCK_MONOTONIC (process.hrtime), which every process on the machine
// shares, so a client in another process can subtract without any clock sync. Each sample carries
// 4 bits at most (|value| < 16 of 32768, about −66 dBFS), so neither the VAD nor a listener hears it.

/** Samples one stamp occupies: 16 for the 64-bit time, 4 for a 16-bit tag (which reply it was). */
export const STAMP_SAMPLES = 20;

export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Writes `tag` and the current time over the first samples of `pcm` (in place; returns it). */
export function writeStamp(pcm: Int16Array, tag: number, at: bigint = nowNs()): Int16Array {
  if (pcm.length < STAMP_SAMPLES) return pcm;
  for (let i = 0; i < 16; i++) pcm[i] = Number((at >> BigInt(i * 4)) & 0xfn);
  for (let i = 0; i < 4; i++) pcm[16 + i] = (tag >> (i * 4)) & 0xf;
  return pcm;
}

/** Reads a stamp from PCM16 LE bytes (a client's sink sees bytes) or samples; null when too short. */
export function readStamp(pcm: Int16Array | Uint8Array): { at: bigint; tag: number } | null {
  const samples = pcm instanceof Int16Array ? pcm : new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength >> 1);
  if (samples.length < STAMP_SAMPLES) return null;
  let at = 0n;
  for (let i = 0; i < 16; i++) at |= BigInt(samples[i]! & 0xf) << BigInt(i * 4);
  let tag = 0;
  for (let i = 0; i < 4; i++) tag |= (samples[16 + i]! & 0xf) << (i * 4);
  return { at, tag };
}

/**
 * The simulator's side, passed as SimulatorOptions.stamps: numbers each response's deltas and keeps
 * every uplink latency (client stamp → received here) in nanoseconds.
 */
export class PcmStamps {
  readonly uplinkNs: number[] = [];
  private readonly tags = new Map<string, number>();

  /** A copy of the chunk with the send time and the response's tag (1, 2, … in order of first audio). */
  stampReply(samples: Int16Array, responseId: string): Int16Array {
    let tag = this.tags.get(responseId);
    if (tag === undefined) this.tags.set(responseId, (tag = (this.tags.size + 1) & 0xffff));
    return writeStamp(samples.slice(), tag);
  }

  tagOf(responseId: string): number | undefined {
    return this.tags.get(responseId);
  }

  onAppend(samples: Int16Array): void {
    const s = readStamp(samples);
    if (s && s.at > 0n) this.uplinkNs.push(Number(nowNs() - s.at));
  }
}
