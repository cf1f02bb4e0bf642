// A 20 ms tick that keeps to wall-clock time on average: each tick works out how many frames are
// due from the elapsed time, so timer jitter never accumulates into drift.
import { FRAME_MS } from '../../common/audio-format';

export { FRAME_MS };

export class RealtimeClock {
  private timer: NodeJS.Timeout | null = null;
  private start = 0;
  private done = 0;

  constructor(private readonly onFrame: () => void) {}

  startTicking(): void {
    if (this.timer) return;
    this.start = performance.now();
    this.done = 0;
    this.timer = setInterval(() => {
      const due = Math.floor((performance.now() - this.start) / FRAME_MS);
      while (this.done < due) {
        this.done++;
        this.onFrame();
      }
    }, FRAME_MS / 2);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
