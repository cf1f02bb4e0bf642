// Polls a condition until it holds or the time runs out, for state no event announces (a child
// process, a file, a fake's record). Generous limits: a slow machine waits longer, never fails sooner.
export async function until<T>(get: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
