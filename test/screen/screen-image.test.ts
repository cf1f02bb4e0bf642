// The image sent for "look at my screen" has a bounded size, whatever is on the screen: a busy
// screen (here, noise, the worst case for JPEG) at the largest side the settings allow still gives a
// JPEG of at most MAX_IMAGE_BYTES, so the item that carries it (and the server's echo of it) stays
// well under the frame cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { MAX_IMAGE_BYTES, prepareScreenImage } from '../../main/screen/screen-image';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../main/realtime/transport';

function noisePng(width: number, height: number, seed = 7): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  let x = seed;
  for (let i = 0; i < data.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = i % 4 === 3 ? 255 : x >>> 24;
  }
  return encodePng({ width, height, data, channels: 4 });
}

test('a noisy 2560 × 1600 screen at the largest side (2048 px) is sent as a JPEG within the byte budget', () => {
  const img = prepareScreenImage(noisePng(2560, 1600), { maxSide: 2048, detail: 'high' });
  const b64 = img.dataUri.slice(img.dataUri.indexOf(',') + 1);
  const jpg = Buffer.from(b64, 'base64');
  console.log(`noisy screen: ${img.width} × ${img.height}, ${jpg.length} bytes of JPEG (budget ${MAX_IMAGE_BYTES})`);
  assert.ok(jpg.length <= MAX_IMAGE_BYTES, `${jpg.length} bytes`);
  assert.equal(img.bytes, jpg.length);
  const decoded = jpeg.decode(jpg);
  assert.equal(Math.max(decoded.width, decoded.height), Math.max(img.width, img.height));
  assert.ok(Math.max(img.width, img.height) >= 640, 'a readable size is kept');
  // The server's echo of the item (conversation.item.added) fits under the frame cap with room.
  const echo = JSON.stringify({ type: 'conversation.item.added', event_id: 'event_x', item: { id: 'item_x', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x'.repeat(2000) }, { type: 'input_image', image_url: img.dataUri, detail: 'high' }] } });
  assert.ok(echo.length * 1.4 <= DEFAULT_MAX_PAYLOAD_BYTES, `echo ${echo.length} bytes`);
});

test('an ordinary screen keeps the quality asked for and its full side', () => {
  const width = 1920;
  const height = 1080;
  const data = new Uint8Array(width * height * 4).fill(240);
  const img = prepareScreenImage(encodePng({ width, height, data, channels: 4 }), { maxSide: 1280, detail: 'auto', quality: 80 });
  assert.equal(img.width, 1280);
  assert.ok(img.bytes < 100_000);
});
