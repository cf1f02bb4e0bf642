// Once per kind per window: a hostile or broken server can send thousands of bad frames, and each
// must be counted but the user told about each kind only once a minute.
export class NoticeThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when this kind may be told now (and marks it told). */
  allow(kind: string): boolean {
    const t = this.now();
    const prev = this.last.get(kind);
    if (prev !== undefined && t - prev < this.windowMs) return false;
    this.last.set(kind, t);
    return true;
  }
}
