/**
 * The coverage picture (tools/coverage/png.ts): a real PNG (signature and IHDR, PNG spec §5.2 and
 * §11.2.2) of the size asked for, with the hexes drawn in their colours and the text rendered.
 * Pixels are read back by rendering the same SVG with resvg, which gives raw RGBA.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { aggregateCoverage } from '../../tools/coverage/aggregate.js';
import { coverageSvg, renderCoveragePng } from '../../tools/coverage/png.js';
import { uplink, walk } from './fixture.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which must come first. */
function ihdr(png: Uint8Array): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual(SIGNATURE);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Pixels of `svg` matching `test`, counted. */
function countPixels(svg: string, test: (r: number, g: number, b: number) => boolean, fonts = true): number {
  const image = new Resvg(svg, { font: { loadSystemFonts: fonts, defaultFontFamily: 'DejaVu Sans' } }).render();
  const pixels = image.pixels;
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) if (test(pixels[i], pixels[i + 1], pixels[i + 2])) n++;
  return n;
}

const teal = (r: number, g: number, b: number) => r < 150 && g > r + 40 && b > r + 30;
const red = (r: number, g: number, b: number) => r > g + 60 && r > b + 60;
const dark = (r: number, g: number, b: number) => r < 100 && g < 100 && b < 100;

const cells = aggregateCoverage(walk(50)).cells;

test('a PNG of 1200 × 900 by default', () => {
  expect(ihdr(renderCoveragePng(cells))).toEqual({ width: 1200, height: 900 });
});

test('the width asked for, and three quarters of it as height', () => {
  expect(ihdr(renderCoveragePng(cells, { width: 600 }))).toEqual({ width: 600, height: 450 });
});

test('one path per cell, heard ones teal and unheard ones hatched red', () => {
  const svg = coverageSvg(cells);
  expect((svg.match(/<path /g) ?? []).length).toBe(cells.length);
  expect((svg.match(/fill="url\(#unheard-hatch\)"/g) ?? []).length).toBe(cells.filter((c) => c.state === 'unheard').length + 1);
  expect(countPixels(svg, teal)).toBeGreaterThan(10_000);
  expect(countPixels(svg, red)).toBeGreaterThan(1_000);
});

test('no cells: a valid PNG that says there is no data, with nothing drawn', () => {
  const png = renderCoveragePng([]);
  expect(ihdr(png)).toEqual({ width: 1200, height: 900 });
  const svg = coverageSvg([]);
  expect(svg).toContain('No coverage data');
  expect(svg).not.toContain('<path');
  expect(countPixels(svg, teal)).toBe(0);
});

test('a map with data differs from one without', () => {
  expect(Buffer.from(renderCoveragePng(cells)).equals(Buffer.from(renderCoveragePng([])))).toBe(false);
});

test('a single unheard cell is drawn and fills a fair part of the picture', () => {
  const one = aggregateCoverage([uplink()]).cells;
  expect(ihdr(renderCoveragePng(one, { width: 400 }))).toEqual({ width: 400, height: 300 });
  expect(countPixels(coverageSvg(one, { width: 400 }), red)).toBeGreaterThan(1_000);
});

const fontsHere = ['/usr/share/fonts', '/usr/local/share/fonts', '/System/Library/Fonts'].some(existsSync);
if (!fontsHere) console.warn('SKIPPED: the coverage picture\'s text test: no system fonts (apt-get install fonts-dejavu-core).');
(fontsHere ? test : test.skip)('text is rendered with the system fonts', () => {
  const svg = coverageSvg([]);
  expect(countPixels(svg, dark, true)).toBeGreaterThan(200);
});

test('without fonts the text is left out, and nothing fails', () => {
  const svg = coverageSvg([], { title: 'no fonts' });
  expect(countPixels(svg, dark, false)).toBe(0);
});

test('a title with markup in it is escaped, so the SVG still renders', () => {
  const svg = coverageSvg(cells, { title: '</text><script>x</script> & "quotes"' });
  expect(svg).toContain('&lt;/text&gt;&lt;script&gt;x&lt;/script&gt; &amp; &quot;quotes&quot;');
  expect(ihdr(renderCoveragePng(cells, { title: '</text> & <' })).width).toBe(1200);
});

test.each([0, 199, 8001, 1200.5, Number.NaN])('width %p is refused', (width) => {
  expect(() => renderCoveragePng(cells, { width })).toThrow(RangeError);
});
