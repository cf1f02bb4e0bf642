// The echo guard: is speech on the mic the user, or the assistant's own voice leaking from the
// speakers? Per mic frame it compares the mic level with what the current output level predicts
// through the speaker-to-mic coupling. The coupling is learned while the assistant speaks and the
// user does not (a high percentile of recent mic/output ratios, from frames no speech judged the
// user's was near, so an interjection does not drag it up);
// before it is learned a pessimistic prior (−10 dB, the loudest coupling we design for) is used.
// Levels are linear RMS of full scale.
export interface EchoGuardOptions {
  /** How far above the predicted echo the mic must be, as a factor (2 = +6 dB). */
  margin: number;
  /** Coupling assumed until enough frames have been seen (linear; 0.316 = −10 dB). */
  priorCoupling: number;
  /** Output below this is silence: nothing to explain. */
  outputFloor: number;
  /** Frames kept for the coupling estimate (50 = 1 s). */
  learnFrames: number;
  /** Frames seen before the learned coupling replaces the prior (15 = 300 ms of output). */
  warmupFrames: number;
  /**
   * Which ratio of mic to output level is the coupling: a high one, since the output reference
   * is the loudest of a span and most frames' echo is below it; the loud frames are the test.
   */
  percentile: number;
}

export const DEFAULT_ECHO_GUARD: EchoGuardOptions = { margin: 2, priorCoupling: 0.316, outputFloor: 0.003, learnFrames: 100, warmupFrames: 15, percentile: 0.8 };

/** A mic frame quieter than this (−46 dBFS) is too quiet for any VAD to call speech. */
const HEARD = 0.005;
const HISTORY = 200; // frames of per-frame verdicts kept (4 s), looked up by mic sample position

export class EchoGuard {
  private readonly opts: EchoGuardOptions;
  private readonly ratios: number[] = [];
  private readonly frames: Array<{ start: number; end: number; unexplained: boolean; output: boolean; heard: boolean }> = [];
  readonly stats = { suppressed: 0 };

  constructor(opts: Partial<EchoGuardOptions> = {}) {
    this.opts = { ...DEFAULT_ECHO_GUARD, ...opts };
  }

  /** Learned coupling (linear), or the prior while too little has been seen. */
  get coupling(): number {
    if (this.ratios.length < this.opts.warmupFrames) return this.opts.priorCoupling;
    const sorted = [...this.ratios].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length * this.opts.percentile)]!;
  }

  /**
   * One mic frame at [start, end) (24 kHz samples), its level, and the output level that could be
   * echoing into it. `learn` is false while the user may be speaking.
   */
  observe(start: number, end: number, micLevel: number, outputLevel: number, learn: boolean): void {
    const output = outputLevel >= this.opts.outputFloor;
    const unexplained = !output || micLevel > this.coupling * outputLevel * this.opts.margin;
    this.frames.push({ start, end, unexplained, output, heard: micLevel >= HEARD });
    if (this.frames.length > HISTORY) this.frames.shift();
    if (output && learn) {
      this.ratios.push(micLevel / outputLevel);
      if (this.ratios.length > this.opts.learnFrames) this.ratios.shift();
    }
  }

  /** Whether speech in [start, end) is the user's: enough of its frames exceed the predicted echo. */
  isUser(start: number, end: number): boolean {
    const span = this.frames.filter((f) => f.end > start && f.start < end);
    if (span.length === 0) return true;
    if (!span.some((f) => f.output)) return true;
    return span.filter((f) => f.unexplained).length / span.length >= 0.5;
  }

  /**
   * Whether what the mic heard since `from` is all explained by the output: the echo and nothing
   * else. The server's speech_started is judged by this, since its VAD heard the same audio.
   */
  onlyEcho(from: number): boolean {
    // Only what was heard while the output played: the user's own question just before the reply
    // started is not what the server's VAD is reacting to now.
    const heard = this.frames.filter((f) => f.end > from && f.heard && f.output);
    if (heard.length === 0) return false; // nothing loud enough on the mic to be anyone's echo
    return heard.filter((f) => f.unexplained).length / heard.length < 0.3;
  }

  /** Forget the learned coupling (e.g. the output device changed). */
  reset(): void {
    this.ratios.length = 0;
  }
}

/** RMS of a PCM16 LE frame, as a fraction of full scale. */
export function pcmLevel(pcm: Uint8Array): number {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const n = pcm.byteLength >> 1;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = view.getInt16(i * 2, true) / 32768;
    sum += v * v;
  }
  return n ? Math.sqrt(sum / n) : 0;
}
