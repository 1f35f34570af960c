/**
 * `coverage.png`: the coverage map as a picture, made without a browser. d3-geo projects the hexes
 * (Mercator, fitted to the picture) to SVG path strings, and @resvg/resvg-js renders the SVG to PNG.
 * Same colours as the page (ramp.ts), a title, a legend and the counts.
 *
 * d3-geo wants exterior rings clockwise, the opposite of RFC 7946; a counter-clockwise ring means "the
 * whole globe except this hex" to it (d3-geo README, "Spherical shapes"). The GeoJSON is therefore
 * rewound with @mapbox/geojson-rewind before projecting.
 *
 * Text needs fonts: resvg loads the system's (DejaVu Sans or Liberation Sans where installed). Where
 * there are none, resvg leaves the text out and the picture is still made.
 */
import rewind from '@mapbox/geojson-rewind';
import { Resvg } from '@resvg/resvg-js';
import { geoMercator, geoPath } from 'd3-geo';
import type { FeatureCollection, Polygon } from 'geojson';
import { hotspotsOf } from './aggregate.js';
import { escapeHtml as escapeXml } from '../../host-sim/report/html-escape.js';
import { hexPolygon } from './geojson.js';
import type { CoverageCell } from './model.js';
import { HOTSPOT_STYLE, RSSI_RAMP, rssiAlpha, UNHEARD_STYLE } from './ramp.js';

export interface CoveragePngOptions {
  /** Picture width in pixels, 200–8000 (default 1200); the height is three quarters of it. */
  readonly width?: number;
  /** The title drawn at the top (default "Coverage"). */
  readonly title?: string;
}

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/** The picture's layout in pixels, scaled from a 1200-pixel-wide design. */
function layout(width: number): { width: number; height: number; scale: number; margin: number; top: number; bottom: number } {
  const scale = width / 1200;
  return { width, height: Math.round(width * 0.75), scale, margin: 24 * scale, top: 56 * scale, bottom: 88 * scale };
}

/** The cells as PNG bytes. Throws a RangeError for a width out of range. */
export function renderCoveragePng(cells: readonly CoverageCell[], options: CoveragePngOptions = {}): Uint8Array {
  const svg = coverageSvg(cells, options);
  const rendered = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, logLevel: 'off' }).render();
  return new Uint8Array(rendered.asPng());
}

/** The SVG that renderCoveragePng renders, for anyone who wants it as a vector picture. */
export function coverageSvg(cells: readonly CoverageCell[], options: CoveragePngOptions = {}): string {
  const width = options.width ?? 1200;
  if (!Number.isInteger(width) || width < 200 || width > 8000) throw new RangeError(`width must be a whole number of pixels from 200 to 8000, not ${width}`);
  const box = layout(width);
  const s = box.scale;
  // Stripes and outlines no thinner than a pixel, or a small picture blurs them to pink.
  const hatch = Math.max(1, s);
  const title = `<text x="${box.margin}" y="${36 * s}" font-size="${22 * s}" font-weight="bold">${escapeXml(options.title ?? 'Coverage')}</text>`;
  const body = cells.length === 0
    ? `<text x="${box.width / 2}" y="${box.height / 2}" font-size="${28 * s}" text-anchor="middle" fill="#666">No coverage data</text>`
    : [hexesAndHotspots(cells, box), legend(cells, box)].join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${box.width}" height="${box.height}" viewBox="0 0 ${box.width} ${box.height}" font-family="${FONT}" fill="#212121">`,
    '<defs>',
    `<pattern id="unheard-hatch" width="${6 * hatch}" height="${6 * hatch}" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`,
    `<rect width="${6 * hatch}" height="${6 * hatch}" fill="${UNHEARD_STYLE.fill}"/><rect width="${2 * hatch}" height="${6 * hatch}" fill="${UNHEARD_STYLE.hatch}"/></pattern>`,
    `<linearGradient id="rssi-ramp"><stop offset="0" stop-color="${RSSI_RAMP.colour}" stop-opacity="${RSSI_RAMP.weakAlpha}"/>`,
    `<stop offset="1" stop-color="${RSSI_RAMP.colour}" stop-opacity="${RSSI_RAMP.strongAlpha}"/></linearGradient>`,
    '</defs>',
    `<rect width="100%" height="100%" fill="#f5f5f0"/>`,
    title,
    body,
    '</svg>',
    '',
  ].join('\n');
}

function hexesAndHotspots(cells: readonly CoverageCell[], box: ReturnType<typeof layout>): string {
  const collection: FeatureCollection<Polygon> = {
    type: 'FeatureCollection',
    features: cells.map((cell) => ({ type: 'Feature', properties: {}, geometry: hexPolygon(cell.h3) })),
  };
  const clockwise = rewind(collection, true);
  const area: [[number, number], [number, number]] = [[box.margin, box.top], [box.width - box.margin, box.height - box.bottom]];
  const projection = geoMercator().fitExtent(area, clockwise);
  const path = geoPath(projection);
  const hexes = cells.map((cell, i) => {
    const d = path(clockwise.features[i]) ?? '';
    return cell.state === 'unheard'
      ? `<path d="${d}" fill="url(#unheard-hatch)" fill-opacity="${UNHEARD_STYLE.fillAlpha}" stroke="${UNHEARD_STYLE.outline}" stroke-width="${Math.max(1, box.scale)}"/>`
      : `<path d="${d}" fill="${RSSI_RAMP.colour}" fill-opacity="${rssiAlpha(cell.bestRssiDbm ?? RSSI_RAMP.weakDbm)}" stroke="${RSSI_RAMP.colour}" stroke-opacity="${RSSI_RAMP.outlineAlpha}" stroke-width="${Math.max(1, box.scale)}"/>`;
  });
  // Hotspots beyond the fitted area (up to 200 km away) are left out rather than shrinking the hexes.
  const hotspots = hotspotsOf(cells).flatMap((hotspot) => {
    const point = projection([hotspot.lon, hotspot.lat]);
    if (point === null) return [];
    const [x, y] = point;
    if (x < area[0][0] || x > area[1][0] || y < area[0][1] || y > area[1][1]) return [];
    return [`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${Math.max(3, HOTSPOT_STYLE.radiusPx * box.scale)}" fill="${HOTSPOT_STYLE.fill}" stroke="${HOTSPOT_STYLE.stroke}" stroke-width="${1.5 * box.scale}"/>`];
  });
  return [...hexes, ...hotspots].join('\n');
}

function legend(cells: readonly CoverageCell[], box: ReturnType<typeof layout>): string {
  const s = box.scale;
  const x = box.margin;
  const y = box.height - box.bottom + 24 * s;
  const font = 14 * s;
  const heard = cells.filter((cell) => cell.state === 'heard').length;
  const rampWidth = 220 * s;
  const at = (dx: number) => (x + dx).toFixed(1);
  return [
    `<text x="${at(0)}" y="${y.toFixed(1)}" font-size="${font}">Best RSSI</text>`,
    `<rect x="${at(0)}" y="${(y + 8 * s).toFixed(1)}" width="${rampWidth}" height="${12 * s}" fill="url(#rssi-ramp)" stroke="${RSSI_RAMP.colour}" stroke-width="${s}"/>`,
    `<text x="${at(0)}" y="${(y + 38 * s).toFixed(1)}" font-size="${12 * s}">${RSSI_RAMP.weakDbm} dBm</text>`,
    `<text x="${at(rampWidth)}" y="${(y + 38 * s).toFixed(1)}" font-size="${12 * s}" text-anchor="end">${RSSI_RAMP.strongDbm} dBm</text>`,
    `<rect x="${at(260 * s)}" y="${(y + 6 * s).toFixed(1)}" width="${16 * s}" height="${16 * s}" fill="url(#unheard-hatch)" stroke="${UNHEARD_STYLE.outline}" stroke-width="${s}"/>`,
    `<text x="${at(284 * s)}" y="${(y + 19 * s).toFixed(1)}" font-size="${font}">walked, not heard</text>`,
    `<circle cx="${at(268 * s)}" cy="${(y + 38 * s).toFixed(1)}" r="${HOTSPOT_STYLE.radiusPx * s}" fill="${HOTSPOT_STYLE.fill}"/>`,
    `<text x="${at(284 * s)}" y="${(y + 43 * s).toFixed(1)}" font-size="${font}">hotspot</text>`,
    `<text x="${(box.width - box.margin).toFixed(1)}" y="${(y + 19 * s).toFixed(1)}" font-size="${font}" text-anchor="end">${cells.length} hexes: ${heard} heard, ${cells.length - heard} walked but not heard</text>`,
  ].join('\n');
}
