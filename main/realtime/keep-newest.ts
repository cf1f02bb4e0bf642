// Per-response bookkeeping (status, received audio, interrupted ids) matters only while a response
// can still send events, yet a long conversation creates thousands of responses. Maps and Sets
// iterate in insertion order, so dropping the oldest keys keeps them bounded without a timer.

/** Deletes the oldest entries of each collection until it holds at most `max`. */
export function keepNewest(max: number, ...collections: Array<Map<unknown, unknown> | Set<unknown>>): void {
  for (const c of collections) {
    if (c.size <= max) continue;
    let excess = c.size - max;
    for (const key of c.keys()) {
      if (excess-- <= 0) break;
      c.delete(key);
    }
  }
}
