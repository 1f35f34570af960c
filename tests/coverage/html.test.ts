/**
 * The coverage page's text (tools/coverage/html.ts), without a browser: Leaflet inlined, the GeoJSON
 * embedded and parsed back, escaping of names and titles, and the tile option. The same page in
 * Chromium is tests/coverage/coverage-browser.test.ts.
 */
import { aggregateCoverage } from '../../tools/coverage/aggregate.js';
import { coverageGeoJson } from '../../tools/coverage/geojson.js';
import { checkTiles, rawTextSafe, renderCoverageHtml } from '../../tools/coverage/html.js';
import { hearing, uplink, walk } from './fixture.js';

const HOSTILE = '<img src=x onerror=alert(1)>"\'&</script><!--';

function embedded(html: string): { geojson: unknown; tiles: unknown } {
  const match = /<script type="application\/json" id="coverage-data">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('no embedded data');
  return JSON.parse(match[1]);
}

function count(text: string, pattern: RegExp): number {
  return (text.match(pattern) ?? []).length;
}

const aggregate = aggregateCoverage(walk(50));
const page = renderCoverageHtml(aggregate, { title: 'Berlin walk' });

test('the GeoJSON is embedded and parses back to what coverageGeoJson gives', () => {
  expect(embedded(page).geojson).toEqual(coverageGeoJson(aggregate.cells));
  expect(embedded(page).tiles).toBeNull();
});

test("Leaflet's script and stylesheet are inlined, and nothing is loaded from elsewhere", () => {
  expect(page).toMatch(/^<!DOCTYPE html>/);
  expect(page).toContain('Leaflet 1.9.4');
  expect(page).toContain('.leaflet-container');
  expect(page).not.toMatch(/<script[^>]+src=/);
  expect(page).not.toMatch(/<link[^>]+rel="stylesheet"/);
  expect(page).not.toMatch(/url\(images\//);
  expect(page).toMatch(/img-src data:;/);
});

test('hostile names and titles reach neither the markup nor the scripts unescaped', () => {
  const hostile = aggregateCoverage([uplink({ heardBy: [hearing({ hotspot: `h${HOSTILE}` })] })]);
  const html = renderCoverageHtml(hostile, { title: `t${HOSTILE}`, tiles: { url: 'https://tiles.example.test/{z}/{x}/{y}.png', attribution: `a${HOSTILE}` } });
  expect(count(html, /<script/g)).toBe(3);
  expect(count(html, /<\/script>/g)).toBe(3);
  expect(count(html, /<!--/g)).toBe(0);
  expect(html).toContain('<title>t&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;&lt;/script&gt;&lt;!--</title>');
  const data = embedded(html) as { geojson: { features: { properties: { address?: string; hotspots?: { address: string }[] } }[] }; tiles: { attribution: string } };
  expect(data.geojson.features[0].properties.hotspots?.[0].address).toBe(`h${HOSTILE}`);
  // Leaflet writes the attribution as HTML, so it is stored already escaped.
  expect(data.tiles.attribution).toBe('a&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;&lt;/script&gt;&lt;!--');
});

test('rawTextSafe breaks every way out of a script or style element, case-insensitively', () => {
  expect(rawTextSafe('a</script>b</SCRIPT>c</style>d<!--e')).toBe('a<\\/script>b<\\/SCRIPT>c<\\/style>d<\\!--e');
});

test('a tile layer: its URL in the data and its origin allowed for images, subdomains as a wildcard', () => {
  const html = renderCoverageHtml(aggregate, { tiles: { url: 'https://{s}.tile.example.test/{z}/{x}/{y}.png', attribution: '© example' } });
  expect(embedded(html).tiles).toEqual({ url: 'https://{s}.tile.example.test/{z}/{x}/{y}.png', attribution: '© example' });
  expect(html).toMatch(/img-src data: https:\/\/\*\.tile\.example\.test;/);
});

test.each(['tile.example.test/{z}/{x}/{y}.png', 'https://tile.example.test/{z}/{x}.png', 'javascript:alert(1)//{z}{x}{y}', 'https://x.test/{z}/{x}/{y}"><script>'])(
  'tile URL %p is refused',
  (url) => {
    expect(() => checkTiles({ url, attribution: 'x' })).toThrow(RangeError);
    expect(() => renderCoverageHtml(aggregate, { tiles: { url, attribution: 'x' } })).toThrow(/tiles must be an http\(s\) URL template/);
  },
);

test('no cells: the page says there is no data', () => {
  expect(renderCoverageHtml(aggregateCoverage([]))).toContain('<p id="no-data" class="muted">No coverage data.</p>');
  expect(page).not.toContain('id="no-data"');
});

test('the header sums up the cells and uplinks', () => {
  const heard = aggregate.cells.filter((cell) => cell.state === 'heard').length;
  expect(page).toContain(`${aggregate.cells.length} hexes at res 9: ${heard} heard, ${aggregate.cells.length - heard} walked but not heard · 50 of 50 uplinks used · 3 hotspots`);
});
