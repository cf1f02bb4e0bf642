/// <reference path="./worklet-env.d.ts" />
// Capture processor: mic at the context rate → 24 kHz PCM16 frames of 480 samples, transferred.
// Per quantum it only converts into a preallocated frame; a fresh 960-byte frame is allocated only
// when the current one is full and transferred away (50 times a second), never per quantum.
import { LevelMeter, type Level } from './levels';
import { floatToInt16 } from './pcm16';
import { Decimator2 } from './resample';
import { CAPTURE_PROCESSOR, type CaptureIn, type CaptureOptions } from './messages';
import { FRAME_SAMPLES as FRAME, SAMPLE_RATE as API_RATE } from '../../common/audio-format';

class CaptureProcessor extends AudioWorkletProcessor {
  private frame = new Int16Array(FRAME);
  private fill = 0;
  private readonly ratio = sampleRate / API_RATE;
  private readonly decimator: Decimator2 | null;
  private readonly scratch = new Float32Array(128);
  private readonly meter: LevelMeter;
  private readonly level: Level & { type: 'level' } = { type: 'level', rms: 0, peak: 0 };
  private readonly frameMsg = { type: 'frame' as const, pcm: null as ArrayBuffer | null, endFrame: 0 };
  private running = true;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    if (sampleRate !== API_RATE && sampleRate !== 2 * API_RATE) {
      throw new Error(`capture runs at 24000 or 48000 Hz, not ${sampleRate}`);
    }
    this.decimator = sampleRate === API_RATE ? null : new Decimator2();
    const opts = options.processorOptions as CaptureOptions;
    this.meter = new LevelMeter(opts.levelQuanta);
    this.port.onmessage = (e: MessageEvent<CaptureIn>) => {
      if (e.data.type === 'stop') this.running = false;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const ch = inputs[0]?.[0];
    if (!ch) return this.running; // no source connected (between devices): nothing to frame
    if (this.meter.addQuantum(ch)) this.port.postMessage(this.meter.take(this.level));

    let src: Float32Array = ch;
    let n = ch.length;
    if (this.decimator) {
      n = this.decimator.process(ch, ch.length, this.scratch);
      src = this.scratch;
    }
    let frame = this.frame;
    let fill = this.fill;
    for (let i = 0; i < n; i++) {
      frame[fill++] = floatToInt16(src[i]!);
      if (fill === FRAME) {
        const msg = this.frameMsg;
        msg.pcm = frame.buffer;
        msg.endFrame = currentFrame + (i + 1) * this.ratio;
        this.port.postMessage(msg, [frame.buffer]);
        msg.pcm = null;
        frame = this.frame = new Int16Array(FRAME); // the one allocation: on the frame boundary
        fill = 0;
      }
    }
    this.fill = fill;
    return this.running;
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
