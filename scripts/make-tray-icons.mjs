// Draws the tray icons (one per state) as 32×32 PNGs into main/shell/tray-icons/. Run once after changing
// a colour; the PNGs are committed. No image library: a disc, a ring or a bar, and zlib.
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

function png(shape, [r, g, b]) {
  const rows = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4);
    for (let x = 0; x < SIZE; x++) if (inside(shape, x, y)) row.set([r, g, b, 255], 1 + x * 4);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

const dir = new URL('../main/shell/tray-icons/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, { color, shape }] of Object.entries(ICONS)) writeFileSync(new URL(`${name}.png`, dir), png(shape, color));
console.log(`wrote ${Object.keys(ICONS).length} icons to main/shell/tray-icons/`);
