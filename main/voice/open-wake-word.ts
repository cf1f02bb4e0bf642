// openWakeWord on onnxruntime-node: the score (0..1) of one wake phrase for each 80 ms frame.
// Three models in a chain, as openWakeWord's own Python reference streams them:
// - melspectrogram.onnx: the last 1,280 samples plus 480 of context give 8 log-mel frames (10 ms hop);
// - embedding_model.onnx: the last 76 mel frames give one 96-dimension embedding per frame;
// - the phrase model (hey_jarvis_v0.1.onnx, or any model trained with openWakeWord's recipe): its
//   input's length (16 for the shipped ones) of the newest embeddings give the phrase score.
// The models were trained on int16-scaled samples, so the [-1, 1] audio is scaled up first, and the
// mel output is mapped as the reference does (x / 10 + 2). The browser package's own engine runs the
// mel model on bare 1,280-sample chunks (5 frames each), which stretches time; this follows the reference.
import type { InferenceSession, Tensor } from 'onnxruntime-node';

type Ort = typeof import('onnxruntime-node');

export const WAKE_FRAME = 1280;
const CONTEXT = 480;
const MEL_BINS = 32;
const MEL_WINDOW = 76;
const EMBEDDING = 96;

export interface WakeWordModels {
  melspectrogram: Uint8Array;
  embedding: Uint8Array;
  phrase: Uint8Array;
}

export class OpenWakeWord {
  private readonly raw = new Float32Array(WAKE_FRAME + CONTEXT);
  /** The newest MEL_WINDOW mel frames, oldest first, as one flat array. */
  private readonly mel = new Float32Array(MEL_WINDOW * MEL_BINS);
  private melFrames = 0;
  /** The newest `history` embeddings, oldest first. */
  private readonly embeddings: Float32Array;
  private embeddingCount = 0;

  private constructor(
    private readonly ort: Ort,
    private readonly melModel: InferenceSession,
    private readonly embeddingModel: InferenceSession,
    private readonly phraseModel: InferenceSession,
    /** How many embeddings the phrase model reads. */
    readonly history: number,
  ) {
    this.embeddings = new Float32Array(history * EMBEDDING);
  }

  static async load(ort: Ort, models: WakeWordModels): Promise<OpenWakeWord> {
    // One thread each: the three run in ~2 ms per 80 ms frame, beside the app on few cores.
    const opts = { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'] };
    const mel = await ort.InferenceSession.create(models.melspectrogram, opts);
    const embedding = await ort.InferenceSession.create(models.embedding, opts);
    const phrase = await ort.InferenceSession.create(models.phrase, opts);
    const meta = phrase.inputMetadata[0];
    const shape = meta && meta.isTensor ? meta.shape : [];
    // A phrase model takes [1, N, 96] embeddings; anything else is not an openWakeWord phrase model.
    if (shape.length !== 3 || shape[2] !== EMBEDDING || typeof shape[1] !== 'number') {
      await Promise.all([mel.release(), embedding.release(), phrase.release()]);
      throw new Error(`the phrase model takes input ${JSON.stringify(shape)}, not [1, N, ${EMBEDDING}] embeddings: it is not an openWakeWord phrase model`);
    }
    return new OpenWakeWord(ort, mel, embedding, phrase, shape[1]);
  }

  /** The phrase score after one frame of WAKE_FRAME samples in [-1, 1]; 0 until enough audio has passed. */
  async process(frame: Float32Array): Promise<number> {
    this.raw.copyWithin(0, WAKE_FRAME);
    for (let i = 0; i < WAKE_FRAME; i++) this.raw[CONTEXT + i] = frame[i]! * 32767;
    const melOut = await this.melModel.run({ [this.melModel.inputNames[0]!]: new this.ort.Tensor('float32', this.raw, [1, this.raw.length]) });
    const frames = (melOut[this.melModel.outputNames[0]!] as Tensor).data as Float32Array;
    const n = frames.length / MEL_BINS;
    this.mel.copyWithin(0, n * MEL_BINS);
    const at = (MEL_WINDOW - n) * MEL_BINS;
    for (let i = 0; i < frames.length; i++) this.mel[at + i] = frames[i]! / 10 + 2;
    this.melFrames += n;
    if (this.melFrames < MEL_WINDOW) return 0;

    const embOut = await this.embeddingModel.run({ [this.embeddingModel.inputNames[0]!]: new this.ort.Tensor('float32', this.mel, [1, MEL_WINDOW, MEL_BINS, 1]) });
    const embedding = (embOut[this.embeddingModel.outputNames[0]!] as Tensor).data as Float32Array;
    this.embeddings.copyWithin(0, EMBEDDING);
    this.embeddings.set(embedding.subarray(0, EMBEDDING), (this.history - 1) * EMBEDDING);
    this.embeddingCount++;
    if (this.embeddingCount < this.history) return 0;

    const out = await this.phraseModel.run({ [this.phraseModel.inputNames[0]!]: new this.ort.Tensor('float32', this.embeddings, [1, this.history, EMBEDDING]) });
    return ((out[this.phraseModel.outputNames[0]!] as Tensor).data as Float32Array)[0]!;
  }

  reset(): void {
    this.raw.fill(0);
    this.mel.fill(0);
    this.embeddings.fill(0);
    this.melFrames = 0;
    this.embeddingCount = 0;
  }

  async release(): Promise<void> {
    await Promise.all([this.melModel.release(), this.embeddingModel.release(), this.phraseModel.release()]);
  }
}
