// Draws the tray icons (one per state) as 32×32 PNGs into main/shell/tray-icons/. Run once after changing
// a colour; the PNGs are committed. No image library: a disc, a ring or a bar, and zlib.
// macOS gets template images too (<state>Template.png at 16×16 and @2x at 32×32): black with alpha,
// which the menu bar tints for light and dark; there the shape alone (and a fainter ring when
// disconnected) tells the states apart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 32;
const ICONS = {
  disconnected: { color: [128, 128, 128], shape: 'ring' },
  idle: { color: [90, 160, 220], shape: 'ring' },
  listening: { color: [40, 170, 90], shape: 'disc' },
  'user-speaking': { color: [30, 200, 80], shape: 'bars' },
  thinking: { color: [230, 170, 30], shape: 'dots' },
  'assistant-speaking': { color: [70, 120, 230], shape: 'bars' },
  muted: { color: [200, 60, 60], shape: 'slash' },
  error: { color: [210, 40, 40], shape: 'cross' },
};

function inside(shape, x, y) {
  const cx = x - 15.5, cy = y - 15.5, r = Math.hypot(cx, cy);
  switch (shape) {
    case 'disc': return r <= 13;
    case 'ring': return r <= 13 && r >= 9;
    case 'bars': return r <= 14 && [7, 13, 19, 25].some((bx, i) => Math.abs(x - bx) <= 1.5 && Math.abs(cy) <= [5, 10, 8, 4][i]);
    case 'dots': return [-8, 0, 8].some((dx) => Math.hypot(cx - dx, cy) <= 3.2);
    case 'slash': return (r <= 13 && r >= 10) || (Math.abs(cx + cy) <= 2 && r <= 12);
    case 'cross': return r <= 14 && (Math.abs(cx - cy) <= 2.5 || Math.abs(cx + cy) <= 2.5);
    case 'ringbars': return (r <= 15 && r >= 13) || inside('bars', x, y);
  }
  return false;
}

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A size×size RGBA PNG of the shape (drawn on the 32-grid, each pixel the average of 4×4 samples). */
function png(shape, [r, g, b], size = SIZE, alpha = 1) {
  const rows = [];
  const step = SIZE / size / 4;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside(shape, (x * 4 + sx + 0.5) * step - 0.5, (y * 4 + sy + 0.5) * step - 0.5)) hits++;
      if (hits) row.set([r, g, b, Math.round((255 * alpha * hits) / 16)], 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

const dir = new URL('../main/shell/tray-icons/', import.meta.url);
mkdirSync(dir, { recursive: true });
const TEMPLATE_SHAPE = { 'assistant-speaking': 'ringbars' };
for (const [name, { color, shape }] of Object.entries(ICONS)) {
  writeFileSync(new URL(`${name}.png`, dir), png(shape, color));
  const t = TEMPLATE_SHAPE[name] ?? shape;
  const alpha = name === 'disconnected' ? 0.45 : 1;
  writeFileSync(new URL(`${name}Template.png`, dir), png(t, [0, 0, 0], 16, alpha));
  writeFileSync(new URL(`${name}Template@2x.png`, dir), png(t, [0, 0, 0], 32, alpha));
}
console.log(`wrote ${Object.keys(ICONS).length} icons (and their macOS templates) to main/shell/tray-icons/`);
