// The one audio format Hark speaks with the Realtime API, on every side of the wire: 24 kHz mono
// PCM16 little-endian, carried in 20 ms frames of 480 samples. It lives in this top-level folder
// because main, the renderer (its worklets included) and the simulator all need the same numbers,
// and the renderer and preload must never import main/; this file imports nothing, so any layer
// may import it without a circle or a layering breach.

/** Samples a second, in and out (the API's `audio/pcm` rate). */
export const SAMPLE_RATE = 24_000;
export const CHANNELS = 1;
/** PCM16: two bytes a sample. */
export const BYTES_PER_SAMPLE = 2;
/** One mic frame, and the grain of playback and pacing. */
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000; // 480
export const FRAME_BYTES = FRAME_SAMPLES * BYTES_PER_SAMPLE; // 960
/** Bytes of PCM16 a millisecond (48). */
export const BYTES_PER_MS = (SAMPLE_RATE * BYTES_PER_SAMPLE) / 1000;

/** How long this many bytes of PCM16 play. */
export function pcmMs(bytes: number): number {
  return bytes / BYTES_PER_MS;
}

/** How long this many samples play. */
export function samplesMs(samples: number): number {
  return (samples * 1000) / SAMPLE_RATE;
}
