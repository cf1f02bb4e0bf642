// The event ids seen lately, so an event the server (or a proxy) delivers twice is applied once.
// Bounded: ids only need remembering for as long as a repeat can plausibly arrive.
export class RecentIds {
  private readonly set = new Set<string>();
  private readonly order: string[] = [];

  constructor(private readonly capacity = 1024) {}

  /** True the first time `id` is seen (and remembers it). */
  first(id: string): boolean {
    if (this.set.has(id)) return false;
    this.set.add(id);
    this.order.push(id);
    if (this.order.length > this.capacity) this.set.delete(this.order.shift()!);
    return true;
  }
}
