/**
 * `coverage.html`: the coverage map as one page that works offline. Leaflet's script and stylesheet
 * (node_modules/leaflet/dist) are inlined and the GeoJSON is embedded as
 * `<script type="application/json" id="coverage-data">`, so the file opens from disk with no network.
 * By default there is no tile layer, only a plain background and a scale bar; `tiles` adds one
 * (`L.tileLayer`), and then the page fetches tiles from that server and nothing else.
 *
 * What the page shows and how its script is driven: html-script.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { escapeHtml, jsonForScript } from '../../host-sim/report/html-escape.js';
import { coverageGeoJson } from './geojson.js';
import { PAGE_SCRIPT } from './html-script.js';
import type { CoverageAggregate } from './model.js';
import { HOTSPOT_STYLE, RSSI_RAMP, UNHEARD_STYLE } from './ramp.js';

/** A slippy-map tile server: Leaflet's URL template (`https://tile.example.org/{z}/{x}/{y}.png`). */
export interface TileSource {
  readonly url: string;
  /** Plain text shown in the corner, as the server's terms of use ask (it is escaped, not HTML). */
  readonly attribution: string;
}

export interface CoverageHtmlOptions {
  /** The page's title and heading (default "Coverage"). */
  readonly title?: string;
  readonly tiles?: TileSource;
}

const PAGE_STYLE = `
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font: 14px/1.4 system-ui, sans-serif; color: #212121; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap; gap: 4px 24px; align-items: baseline; }
header h1 { font-size: 18px; margin: 0; }
.muted { color: #666; }
#date-filter { display: flex; gap: 8px; align-items: center; }
main { flex: 1; display: flex; min-height: 0; position: relative; }
#map { flex: 1; }
.leaflet-container { background: #f5f5f0; }
#no-data { position: absolute; top: 40%; left: 0; right: 320px; text-align: center; font-size: 18px; z-index: 1000; pointer-events: none; }
#details { width: 320px; overflow: auto; padding: 8px 16px; border-left: 1px solid #ddd; }
#details h2 { font-size: 16px; margin: 4px 0 8px; }
#details dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0 0 12px; }
#details dt { color: #666; }
#details dd { margin: 0; overflow-wrap: anywhere; }
.details-hotspots { border-collapse: collapse; width: 100%; font-size: 12px; }
.details-hotspots th, .details-hotspots td { text-align: left; padding: 2px 4px; border-bottom: 1px solid #eee; }
.details-hotspots td.number { text-align: right; white-space: nowrap; }
.details-hotspots td.address { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.legend { background: rgba(255,255,255,0.9); padding: 6px 8px; border-radius: 4px; font-size: 12px; width: 180px; }
.legend-ramp { height: 10px; margin: 4px 0 2px; border: 1px solid ${RSSI_RAMP.colour}; }
.legend-labels { display: flex; justify-content: space-between; margin-bottom: 4px; }
.legend-row { display: flex; gap: 6px; align-items: center; }
.legend-swatch { display: inline-block; width: 14px; height: 14px; }
.legend-unheard { border: 1px solid ${UNHEARD_STYLE.outline}; background: repeating-linear-gradient(45deg, ${UNHEARD_STYLE.hatch} 0 2px, ${UNHEARD_STYLE.fill} 2px 6px); }
.legend-hotspot { border-radius: 50%; width: 10px; height: 10px; margin: 2px; background: ${HOTSPOT_STYLE.fill}; border: 1px solid #999; }
`;

/** The hatching of unheard hexes: Leaflet's paths fill with `url(#unheard-hatch)` from this element. */
const HATCH_DEFS = `<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
<pattern id="unheard-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="6" height="6" fill="${UNHEARD_STYLE.fill}"/><line x1="1" y1="0" x2="1" y2="6" stroke="${UNHEARD_STYLE.hatch}" stroke-width="2"/>
</pattern></defs></svg>`;

let leafletAssets: { script: string; style: string } | undefined;

/** Leaflet's own files, read once. Its stylesheet's images (marker icons, the layers button) are unused and dropped, so nothing is fetched. */
function leaflet(): { script: string; style: string } {
  if (leafletAssets === undefined) {
    const resolve = createRequire(import.meta.url).resolve;
    const script = readFileSync(resolve('leaflet/dist/leaflet.js'), 'utf8');
    const style = readFileSync(resolve('leaflet/dist/leaflet.css'), 'utf8').replace(/url\(images\/[^)]*\)/g, 'none');
    leafletAssets = { script, style };
  }
  return leafletAssets;
}

/**
 * Text safe inside a `<script>` or `<style>` element: such an element ends at the first `</script` or
 * `</style` and `<!--` changes how it is tokenized (HTML §13.2.5.4). Inside JavaScript strings, regular
 * expressions and comments `<\/` reads as `</`, so the code means the same.
 */
export function rawTextSafe(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Throws a RangeError unless `tiles.url` is an http(s) template with {z}, {x} and {y}. */
export function checkTiles(tiles: TileSource): TileSource {
  if (!/^https?:\/\/[^\s"'<>]+$/i.test(tiles.url) || !['{z}', '{x}', '{y}'].every((part) => tiles.url.includes(part))) {
    throw new RangeError(`tiles must be an http(s) URL template with {z}, {x} and {y}, like https://tile.example.org/{z}/{x}/{y}.png; got ${tiles.url}`);
  }
  return tiles;
}

/** The tile server's origin for the Content-Security-Policy: `{s}` subdomains become `*`. */
function tileOrigin(url: string): string {
  const origin = /^(https?:\/\/[^/]+)/i.exec(url)?.[1] ?? '';
  const wildcard = origin.replace('{s}', '*');
  return /[{}]/.test(wildcard) ? `${origin.split(':')[0]}:` : wildcard;
}

export function renderCoverageHtml(aggregate: CoverageAggregate, options: CoverageHtmlOptions = {}): string {
  const title = options.title ?? 'Coverage';
  const tiles = options.tiles === undefined ? null : checkTiles(options.tiles);
  const geojson = coverageGeoJson(aggregate.cells);
  const images = tiles === null ? 'data:' : `data: ${tileOrigin(tiles.url)}`;
  const policy = `default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src ${images}; base-uri 'none'; form-action 'none'`;
  const data = {
    geojson,
    ramp: RSSI_RAMP,
    unheard: UNHEARD_STYLE,
    hotspot: HOTSPOT_STYLE,
    // Leaflet writes the attribution as HTML, so the plain text is escaped first.
    tiles: tiles === null ? null : { url: tiles.url, attribution: escapeHtml(tiles.attribution) },
  };
  const { script, style } = leaflet();
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${rawTextSafe(style)}</style>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(title)}</h1><span class="muted">${escapeHtml(summaryLine(aggregate))}</span>`,
    '<form id="date-filter"><label>Walked from <input type="date" id="from"></label>',
    '<label>to <input type="date" id="to"></label> <span class="muted">(UTC)</span>',
    '<button type="reset">All dates</button> <span id="shown-count" class="muted"></span></form></header>',
    '<main><div id="map"></div>',
    aggregate.cells.length === 0 ? '<p id="no-data" class="muted">No coverage data.</p>' : '',
    '<aside id="details"></aside></main>',
    HATCH_DEFS,
    `<script type="application/json" id="coverage-data">${jsonForScript(data)}</script>`,
    `<script>${rawTextSafe(script)}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function summaryLine(aggregate: CoverageAggregate): string {
  const heard = aggregate.cells.filter((cell) => cell.state === 'heard').length;
  const { uplinks } = aggregate;
  return `${aggregate.cells.length} hexes at res ${aggregate.res}: ${heard} heard, ${aggregate.cells.length - heard} walked but not heard · `
    + `${uplinks.used} of ${uplinks.total} uplinks used · ${aggregate.hotspots.length} hotspots`;
}
