// The pipeline of the local audio worker: mic frames (24 kHz PCM16) are resampled once to 16 kHz
// and each on-device model gets its own windows of that stream. Today the only model is Silero VAD;
// a wake-word model joins by implementing AudioModel, with no change here.
import { Resampler24to16 } from './resample-16k';

export interface AudioModel {
  readonly name: string;
  /** Samples at 16 kHz per inference. */
  readonly window: number;
  process(window: Float32Array): Promise<number>;
  reset(): void;
  release(): Promise<void>;
}

export interface ModelResult {
  model: string;
  value: number;
  /** Where the window ends, in 24 kHz samples of the mic stream since the runner started. */
  endSample: number;
  /** Wall time the inference took, for the CPU figure. */
  busyMs: number;
}

interface Lane {
  model: AudioModel;
  buf: Float32Array;
  filled: number;
}

export class ModelRunner {
  private readonly resampler = new Resampler24to16();
  private readonly scratch = new Float32Array(2048);
  private readonly lanes: Lane[];
  /** 16 kHz samples produced so far; 24 kHz positions are this × 1.5. */
  private produced = 0;
  /** One frame at a time: the models are recurrent, so windows must run in order. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(models: AudioModel[]) {
    this.lanes = models.map((model) => ({ model, buf: new Float32Array(model.window), filled: 0 }));
  }

  /** Feeds one mic frame; resolves with the results of the windows it completed. */
  push(pcm: Int16Array): Promise<ModelResult[]> {
    const run = this.chain.then(() => this.run(pcm));
    this.chain = run.catch(() => {});
    return run;
  }

  /** Resolves once every frame pushed so far has been processed. */
  idle(): Promise<void> {
    return this.chain.then(() => {});
  }

  reset(): void {
    for (const lane of this.lanes) {
      lane.filled = 0;
      lane.model.reset();
    }
  }

  async release(): Promise<void> {
    await this.idle();
    for (const lane of this.lanes) await lane.model.release();
  }

  private async run(pcm: Int16Array): Promise<ModelResult[]> {
    const results: ModelResult[] = [];
    for (let at = 0; at < pcm.length; at += 1024) {
      const n = this.resampler.process(pcm.subarray(at, at + 1024), this.scratch);
      for (const lane of this.lanes) {
        for (let i = 0; i < n; ) {
          const take = Math.min(n - i, lane.buf.length - lane.filled);
          lane.buf.set(this.scratch.subarray(i, i + take), lane.filled);
          lane.filled += take;
          i += take;
          if (lane.filled === lane.buf.length) {
            lane.filled = 0;
            const t0 = performance.now();
            const value = await lane.model.process(lane.buf);
            results.push({ model: lane.model.name, value, endSample: Math.round((this.produced + i) * 1.5), busyMs: performance.now() - t0 });
          }
        }
      }
      this.produced += n;
    }
    return results;
  }
}
