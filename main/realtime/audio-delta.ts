// The downlink's decode: a `response.output_audio.delta` from base64 to PCM16, once per delta. It
// sits apart from the uplink (mic audio out) because it serves the other direction.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes an output audio delta once. Node's decoder silently skips bad characters, which would
 * misalign every later sample, so malformed input is refused whole rather than played as noise.
 */
export function decodeAudioDelta(delta: unknown): Buffer | null {
  if (typeof delta !== 'string' || delta.length % 4 !== 0 || !BASE64.test(delta)) return null;
  const buf = Buffer.from(delta, 'base64');
  return buf.length % 2 === 0 ? buf : buf.subarray(0, buf.length - 1);
}
