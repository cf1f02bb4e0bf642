// The downlink's decode: a `response.output_audio.delta` from base64 to PCM16, once per delta. It
// sits apart from the uplink (mic audio out) because it serves the other direction.

/**
 * Decodes an output audio delta once. Node's decoder silently skips bad characters, which would
 * misalign every later sample, so malformed input is refused whole rather than played as noise.
 * A skipped character (or padding before the end) makes the output shorter than the length says,
 * so checking the decoded length finds it without a second pass over the string (base64url's - and _
 * decode as + and /, to the same samples).
 */
export function decodeAudioDelta(delta: unknown): Buffer | null {
  if (typeof delta !== 'string' || delta.length % 4 !== 0) return null;
  const buf = Buffer.from(delta, 'base64');
  const padding = delta.endsWith('==') ? 2 : delta.endsWith('=') ? 1 : 0;
  if (buf.length !== (delta.length / 4) * 3 - padding) return null;
  return buf.length % 2 === 0 ? buf : buf.subarray(0, buf.length - 1);
}
