// The messages between the main thread and the two worklets. Types only; both sides import them.
import type { Level } from './levels';

export const CAPTURE_PROCESSOR = 'hark-capture';
export const PLAYER_PROCESSOR = 'hark-player';

export interface CaptureOptions {
  /** Quanta per level report (see levels.ts). */
  levelQuanta: number;
}

export type CaptureOut =
  /** `pcm` is 960 bytes of PCM16 LE; `endFrame` is the context frame just after its last sample. */
  | { type: 'frame'; pcm: ArrayBuffer; endFrame: number }
  | ({ type: 'level' } & Level);

export type CaptureIn = { type: 'stop' };

export interface PlayerOptions {
  /** Ring capacity in 24 kHz samples: the cap on audio queued ahead of the speaker. */
  capacity: number;
  /** Samples buffered before playback starts, and again after an underrun. */
  prebuffer: number;
  levelQuanta: number;
}

export interface PlayerCounters {
  /** Samples accepted into the ring (24 kHz). */
  pushedSamples: number;
  /** Samples rendered (24 kHz). */
  playedSamples: number;
  bufferedSamples: number;
  underruns: number;
  /** Output frames (context rate) left silent while an unfinished item was starving. */
  starvedFrames: number;
  /** Samples refused because the ring was full, or flushed by an interrupt. */
  droppedSamples: number;
  flushedSamples: number;
  overflows: number;
  capacity: number;
}

export type PlayerIn =
  | { type: 'push'; itemId: string; pcm: ArrayBuffer }
  | { type: 'done'; itemId: string }
  | { type: 'interrupt'; requestId: number }
  | { type: 'stats'; requestId: number };

export type PlayerOut =
  | ({ type: 'level'; bufferedSamples: number } & Level)
  /** The first sample of an item went out in the quantum starting at `frame`, at offset `offset`. */
  | { type: 'started'; itemId: string; frame: number; offset: number }
  | { type: 'underrun'; itemId: string | null; frame: number }
  | { type: 'overflow'; itemId: string; droppedSamples: number }
  /** `frame`: the first quantum rendered after the cut (silent). */
  | { type: 'interrupted'; requestId: number; itemId: string | null; playedSamples: number; frame: number }
  | ({ type: 'stats'; requestId: number } & PlayerCounters);
