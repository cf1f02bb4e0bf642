// input_image content as the real server takes it: a base64 data URI of a PNG or a JPEG, with an
// optional detail. A malformed one is refused with the API's own invalid_value error; no Realtime
// recording of it exists, so the words follow the REST API's (the same validator): "Expected a
// base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,…'), but got …".
// A valid one is counted in image tokens by OpenAI's published tile rule (main/screen/image-tokens).
import { imageTokens } from '../main/screen/image-tokens';

export interface ImageInfo {
  media: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  bytes: number;
  detail: 'auto' | 'low' | 'high';
  tokens: number;
}

const EXPECTED = "Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU=')";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The image of one input_image part, or the error's message and param. */
export function checkImage(part: Record<string, unknown>, param: string): { ok: true; image: ImageInfo } | { ok: false; message: string; param: string } {
  const at = `${param}.image_url`;
  const fail = (what: string) => ({ ok: false as const, message: `Invalid '${at}'. ${EXPECTED}, but got ${what}.`, param: at });
  const url = part.image_url;
  if (typeof url !== 'string') return { ok: false, message: `Missing required parameter: '${at}'.`, param: at };
  const detail = part.detail ?? 'auto';
  if (detail !== 'auto' && detail !== 'low' && detail !== 'high') {
    return { ok: false, message: `Invalid value: '${String(detail)}'. Supported values are: 'auto', 'low', and 'high'.`, param: `${param}.detail` };
  }
  if (!url.startsWith('data:')) return fail("a value without the 'data:' prefix");
  const m = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(url);
  if (!m || !m[2]) return fail('a value that is not base64-encoded');
  const media = m[1]!.toLowerCase();
  if (media !== 'image/png' && media !== 'image/jpeg') return fail(`unsupported MIME type '${media}'`);
  const b64 = m[3]!;
  if (b64 === '') return fail('empty base64-encoded bytes');
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) return fail('an invalid base64-encoded value');
  const bytes = Buffer.from(b64, 'base64');
  const size = media === 'image/png' ? pngSize(bytes) : jpegSize(bytes);
  if (!size) return { ok: false, message: `Invalid '${at}'. The image data is not a valid ${media === 'image/png' ? 'PNG' : 'JPEG'} image.`, param: at };
  return { ok: true, image: { media, ...size, bytes: bytes.length, detail, tokens: imageTokens(size.width, size.height, detail) } };
}

function pngSize(b: Buffer): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 24 || sig.some((v, i) => b[i] !== v) || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  return width > 0 && height > 0 ? { width, height } : null;
}

function jpegSize(b: Buffer): { width: number; height: number } | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    const len = b.readUInt16BE(i + 2);
    // SOF0..SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = b.readUInt16BE(i + 5);
      const width = b.readUInt16BE(i + 7);
      return width > 0 && height > 0 ? { width, height } : null;
    }
    i += 2 + len;
  }
  return null;
}
