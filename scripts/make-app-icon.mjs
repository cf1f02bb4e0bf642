// Renders the app icon from its SVG source (scripts/packaging/icon.svg) into every file the
// installers and windows need: PNG sizes for Linux (.desktop, AppImage, deb) and the windows,
// icon.ico for Windows (NSIS, the exe) and icon.icns for macOS. The outputs are committed, so a
// build needs none of this; run `node scripts/make-app-icon.mjs` after changing the SVG.
// resvg (WASM) draws the SVG; png2icons packs the .ico and .icns.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import png2icons from 'png2icons';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const svg = readFileSync(`${root}scripts/packaging/icon.svg`, 'utf8');
/** Linux icon theme sizes (electron-builder takes the folder) and the windows' own. */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
const render = (size) => Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng());

const out = `${root}scripts/packaging/icons/`;
mkdirSync(out, { recursive: true });
for (const size of PNG_SIZES) writeFileSync(`${out}${size}x${size}.png`, render(size));
const big = render(1024);
writeFileSync(`${root}scripts/packaging/icon.png`, big);
// From the 1024 px master: png2icons scales down for each entry (ICO: 16–256, PNG-compressed; ICNS: 16–1024).
writeFileSync(`${root}scripts/packaging/icon.ico`, png2icons.createICO(big, png2icons.BICUBIC2, 0, true, true));
writeFileSync(`${root}scripts/packaging/icon.icns`, png2icons.createICNS(big, png2icons.BICUBIC2, 0));
console.log(`wrote ${PNG_SIZES.length} PNG sizes, icon.png, icon.ico and icon.icns to scripts/packaging/`);
