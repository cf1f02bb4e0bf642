// A captured screen (PNG, as the capturer gives it) made ready to send: scaled down so its long
// side is at most `maxSide` (about 1,280 px: more costs tokens the model barely uses), encoded as
// JPEG, and a small thumbnail for the approval prompt and the transcript. Pure JavaScript
// (fast-png, jpeg-js), so the same code runs in Electron's main and in the node tests; Electron's
// nativeImage could encode too, but only inside the app.
import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { imageTokens } from './image-tokens';

export interface ScreenImageOptions {
  /** Long side of the image sent, px. */
  maxSide: number;
  /** 'low' costs 85 tokens whatever the size; 'high' reads small text. */
  detail: 'low' | 'high' | 'auto';
  /** JPEG quality 1–100. */
  quality?: number;
}

export interface ScreenImage {
  /** data:image/jpeg;base64,… */
  dataUri: string;
  width: number;
  height: number;
  /** Bytes of the JPEG. */
  bytes: number;
  /** Estimated input tokens (the server's usage is the real count). */
  tokens: number;
  detail: 'low' | 'high' | 'auto';
  /** A JPEG data URI with a long side of THUMB_SIDE px. */
  thumbnail: string;
}

export const THUMB_SIDE = 240;
/**
 * The JPEG sent is at most this many bytes (about 700 KB as base64), so the item carrying it, and
 * the server's echo of that item, stay well under the 1 MiB frame cap; a busy screen gives up
 * quality first, then size.
 */
export const MAX_IMAGE_BYTES = 512 * 1024;
/** Refused before decoding: no screen is this large, and decoding it would take the memory of a few. */
const MAX_PIXELS = 64 * 1024 * 1024;

export function prepareScreenImage(png: Uint8Array, o: ScreenImageOptions): ScreenImage {
  const rgba = toRgba(png);
  const { sent, jpg } = encodeWithin(rgba, o.maxSide, o.quality ?? 80);
  const thumb = scaleDown(sent, THUMB_SIDE);
  const thumbJpg = jpeg.encode({ width: thumb.width, height: thumb.height, data: thumb.data }, 70).data;
  return {
    dataUri: `data:image/jpeg;base64,${Buffer.from(jpg).toString('base64')}`,
    width: sent.width,
    height: sent.height,
    bytes: jpg.length,
    tokens: imageTokens(sent.width, sent.height, o.detail),
    detail: o.detail,
    thumbnail: `data:image/jpeg;base64,${Buffer.from(thumbJpg).toString('base64')}`,
  };
}

/** The asked-for side and quality if they fit MAX_IMAGE_BYTES; else quality 50, then smaller. */
function encodeWithin(rgba: Rgba, maxSide: number, quality: number): { sent: Rgba; jpg: Uint8Array } {
  let side = maxSide;
  let q = quality;
  for (let tries = 0; ; tries++) {
    const sent = scaleDown(rgba, side);
    const jpg = jpeg.encode({ width: sent.width, height: sent.height, data: sent.data }, q).data;
    if (jpg.length <= MAX_IMAGE_BYTES || tries === 4 || side <= 320) return { sent, jpg };
    if (q > 50) q = 50;
    // JPEG bytes grow about with the pixels: aim a tenth under the budget in one step.
    else side = Math.max(320, Math.floor(Math.max(sent.width, sent.height) * Math.sqrt(MAX_IMAGE_BYTES / jpg.length) * 0.9));
  }
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

function toRgba(png: Uint8Array): Rgba {
  let img: ReturnType<typeof decodePng>;
  try {
    img = decodePng(png);
  } catch (err) {
    throw new Error(`the capture is not a readable PNG image (${(err as Error).message})`);
  }
  const { width, height } = img;
  if (!width || !height || width * height > MAX_PIXELS) throw new Error(`the capture is ${width} × ${height} px, which cannot be sent`);
  const src = img.palette ? convertIndexedToRgb(img) : img.data;
  const channels = img.palette ? (img.transparency ? 4 : 3) : img.channels;
  // 16-bit samples keep their high byte.
  const shift = !img.palette && img.depth === 16 ? 8 : 0;
  const out = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    const g = channels < 3;
    const r = src[j]! >> shift;
    out[i * 4] = r;
    out[i * 4 + 1] = g ? r : src[j + 1]! >> shift;
    out[i * 4 + 2] = g ? r : src[j + 2]! >> shift;
    // JPEG has no alpha: the screen is opaque; a transparent PNG is shown over black.
    out[i * 4 + 3] = 255;
  }
  return { width, height, data: out };
}

/** Box-filter (area-average) downscale: every source pixel counts, so small text stays legible. */
function scaleDown(img: Rgba, maxSide: number): Rgba {
  const scale = Math.min(1, maxSide / Math.max(img.width, img.height));
  if (scale === 1) return img;
  const width = Math.max(1, Math.round(img.width * scale));
  const height = Math.max(1, Math.round(img.height * scale));
  const out = new Uint8Array(width * height * 4);
  const xs = (img.width / width);
  const ys = (img.height / height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * ys);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * ys));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * xs);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * xs));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = y0; sy < y1; sy++) {
        let p = (sy * img.width + x0) * 4;
        for (let sx = x0; sx < x1; sx++, p += 4) {
          r += img.data[p]!;
          g += img.data[p + 1]!;
          b += img.data[p + 2]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * width + x) * 4;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}
