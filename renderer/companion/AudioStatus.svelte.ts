// The audio engine as the window's parts see it: whether the microphone is open (and why not),
// and the engine itself for the first-run guide's speaker check and "try again".
import type { AudioEngine } from '../audio/audio-engine';
import type { MicProblem } from '../audio/mic-permission';

export class AudioStatus {
  micProblem = $state<MicProblem | null>(null);
  ready = $state(false);
  engine: AudioEngine | null = null;

  attach(engine: AudioEngine): void {
    this.engine = engine;
    this.micProblem = engine.micProblem;
    this.ready = true;
  }

  /** Opens the microphone again (after the user allowed it); true when it opened. */
  async retryMic(): Promise<boolean> {
    if (!this.engine) return false;
    const ok = await this.engine.openMic();
    this.micProblem = this.engine.micProblem;
    return ok;
  }
}
