// A deadline raced against some work: the tool run, the approval prompt, the key test and the talk
// command's connect each wait "this, or give up after N ms", and the timer must be cleared whichever
// ends first so it never fires late or holds the process open. One small class instead of four
// hand-rolled setTimeout/clearTimeout pairs.
export class Deadline<T> {
  private readonly timer: NodeJS.Timeout;
  /** Settles when the time is up: with what `onExpire` returns, or rejected with what it throws. */
  readonly expired: Promise<T>;

  constructor(ms: number, onExpire: () => T) {
    let fire!: () => void;
    this.expired = new Promise<T>((resolve, reject) => {
      fire = () => {
        try {
          resolve(onExpire());
        } catch (err) {
          reject(err);
        }
      };
    });
    this.timer = setTimeout(fire, ms);
  }

  cancel(): void {
    clearTimeout(this.timer);
  }

  /** `work`, or what `onExpire` gives after `ms`; the timer is cleared whichever comes first. */
  static async race<W, T>(work: Promise<W>, ms: number, onExpire: () => T): Promise<W | T> {
    const deadline = new Deadline(ms, onExpire);
    try {
      return await Promise.race([work, deadline.expired]);
    } finally {
      deadline.cancel();
    }
  }
}
