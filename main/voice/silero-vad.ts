// Silero VAD (v5/v6 ONNX, shipped by @ricky0123/vad-web) on onnxruntime-node: the speech
// probability of each 32 ms window (512 samples at 16 kHz). The model is recurrent: its state and
// the last 64 samples (the context silero-vad's own wrapper prepends) carry over between windows.
import type { InferenceSession, Tensor } from 'onnxruntime-node';

export const VAD_RATE = 16_000;
export const VAD_WINDOW = 512;
const CONTEXT = 64;

type Ort = typeof import('onnxruntime-node');

export class SileroVad {
  private state: Tensor;
  private readonly input = new Float32Array(CONTEXT + VAD_WINDOW);
  private readonly sr: Tensor;

  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
  ) {
    this.sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_RATE)]), []);
    this.state = this.zeroState();
  }

  static async load(ort: Ort, model: Uint8Array): Promise<SileroVad> {
    // One thread: the worker runs beside the app on few cores, and a 32 ms window needs ~0.3 ms.
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'] });
    for (const name of ['input', 'state', 'sr']) {
      if (!session.inputNames.includes(name)) throw new Error(`the model has no "${name}" input; it is not Silero VAD v5/v6`);
    }
    return new SileroVad(ort, session);
  }

  /** Speech probability (0..1) of one window of VAD_WINDOW samples in [-1, 1]. */
  async process(window: Float32Array): Promise<number> {
    this.input.copyWithin(0, VAD_WINDOW, VAD_WINDOW + CONTEXT);
    this.input.set(window.subarray(0, VAD_WINDOW), CONTEXT);
    const out = await this.session.run({
      input: new this.ort.Tensor('float32', this.input, [1, this.input.length]),
      state: this.state,
      sr: this.sr,
    });
    this.state = out.stateN as Tensor;
    return (out.output as Tensor).data[0] as number;
  }

  release(): Promise<void> {
    return this.session.release();
  }

  reset(): void {
    this.state = this.zeroState();
    this.input.fill(0);
  }

  private zeroState(): Tensor {
    return new this.ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  }
}
