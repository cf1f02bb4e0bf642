// How much structure a server frame may have before Hark parses it. JSON.parse costs about 1.3× a
// frame that is mostly one string, but about 40× one made of many small objects (`[{},{},…]`: a
// 1 MB frame cost 42 MiB), so the byte cap alone does not bound what a hostile server can make
// main allocate. Counting the bytes that open a container or separate values bounds it: every
// value JSON.parse builds is behind one of them.
//
// The largest legitimate event, the session.updated echo of Hark's settings at their maxima (128
// tools of 20 parameters, test/reliability/frame-cap.test.ts), has about 8,600 of them; 16,384 leaves
// room above that, while a frame of the worst shape just under it adds under 0.3 MiB to its parse
// (a frame over it is refused without one).
export const MAX_FRAME_TOKENS = 16_384;

/** Whether `raw` has more containers and separators than any legitimate event. */
export function tooComplex(raw: string): boolean {
  // Shorter frames cannot hold more tokens than characters: the common case costs nothing.
  if (raw.length <= MAX_FRAME_TOKENS) return false;
  let tokens = 0;
  // indexOf is a native scan: a megabyte of base64 audio, with no such byte, costs microseconds.
  for (const c of ['{', '[', ',']) {
    for (let at = raw.indexOf(c); at !== -1; at = raw.indexOf(c, at + 1)) if (++tokens > MAX_FRAME_TOKENS) return true;
  }
  return false;
}

/** What the user is told, once a minute at most. */
export function tooComplexMessage(bytes: number): string {
  return `The server sent a message too complex to read (${Math.round(bytes / 1024)} KB of nested values); it was ignored.`;
}
