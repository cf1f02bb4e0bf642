/// <reference path="../../renderer/audio/worklet-env.d.ts" />
// Test-only tap: records exactly what the player rendered, quantum by quantum, with the context
// frame of the first recorded sample. This is the ground truth the tests compare the player with.
const CAPACITY_S = 30;

class TapProcessor extends AudioWorkletProcessor {
  private buf = new Float32Array(CAPACITY_S * sampleRate);
  private fill = 0;
  private startFrame = -1;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    this.port.onmessage = (e: MessageEvent<{ type: 'reset' | 'dump' }>) => {
      if (e.data.type === 'reset') {
        this.fill = 0;
        this.startFrame = -1;
      } else {
        const samples = this.buf.slice(0, this.fill);
        this.port.postMessage({ startFrame: this.startFrame, samples }, [samples.buffer]);
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const ch = inputs[0]?.[0];
    if (this.startFrame < 0) this.startFrame = currentFrame;
    const n = 128;
    if (this.fill + n <= this.buf.length) {
      if (ch) this.buf.set(ch, this.fill);
      else this.buf.fill(0, this.fill, this.fill + n);
      this.fill += n;
    }
    return true;
  }
}

registerProcessor('hark-test-tap', TapProcessor);
