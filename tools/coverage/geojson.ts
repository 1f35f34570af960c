/**
 * Coverage cells as GeoJSON (RFC 7946): one Polygon feature per cell, its hexagon from h3-js
 * `cellToBoundary(h, true)`, and optionally one Point feature per hotspot. The oracle serves
 * `GET /v1/coverage?bbox=` as `coverageGeoJson(filterBbox(cells, parseBbox(query)))`.
 *
 * Limitation: a cell that straddles the antimeridian keeps h3-js's coordinates (longitudes jumping
 * from +180 to −180) instead of being cut in two as RFC 7946 §3.1.9 asks.
 */
import type { BBox, Point, Polygon, Position } from 'geojson';
import { cellToBoundary } from 'h3-js';
import { hotspotsOf } from './aggregate.js';
import type { CellHotspot, CellState, CoverageCell } from './model.js';

/** A hotspot of one cell, as in CellHotspot but with an ISO 8601 time. */
export interface HexHotspotProperties extends Omit<CellHotspot, 'lastHeardMs'> {
  readonly lastHeard: string;
}

export interface HexProperties {
  readonly kind: 'hex';
  readonly h3: string;
  readonly state: CellState;
  /** The cell's centre, degrees. */
  readonly lat: number;
  readonly lon: number;
  readonly bestRssiDbm: number | null;
  readonly snrDb: number | null;
  /** Distinct hotspots that heard the cell ("redundancy"); `hotspots` lists them strongest first. */
  readonly hotspotCount: number;
  readonly hotspots: readonly HexHotspotProperties[];
  readonly uplinksSent: number;
  readonly uplinksHeard: number;
  /** ISO 8601 times (UTC). */
  readonly firstWalked: string;
  readonly lastWalked: string;
  readonly lastHeard: string | null;
}

export interface HotspotProperties {
  readonly kind: 'hotspot';
  readonly address: string;
  readonly cellsHeard: number;
  readonly bestRssiDbm: number;
  readonly lastHeard: string;
}

export interface HexFeature {
  readonly type: 'Feature';
  readonly id: string;
  readonly geometry: Polygon;
  readonly properties: HexProperties;
}

export interface HotspotFeature {
  readonly type: 'Feature';
  readonly id: string;
  readonly geometry: Point;
  readonly properties: HotspotProperties;
}

export interface CoverageFeatureCollection {
  readonly type: 'FeatureCollection';
  /** [west, south, east, north] of the hexes, absent when there are none (RFC 7946 §5). */
  readonly bbox?: BBox;
  /** Hexes first, in the cells' order, then hotspots by address. */
  readonly features: readonly (HexFeature | HotspotFeature)[];
}

export interface GeoJsonOptions {
  /** Add a Point feature for each hotspot that heard one of the cells (default true). */
  readonly hotspots?: boolean;
}

/** `[west, south, east, north]` in degrees; west > east for a box across the antimeridian (RFC 7946 §5.2). */
export type Bbox = readonly [west: number, south: number, east: number, north: number];

export function coverageGeoJson(cells: readonly CoverageCell[], options: GeoJsonOptions = {}): CoverageFeatureCollection {
  const hexes = cells.map(hexFeature);
  const points: HotspotFeature[] = options.hotspots === false ? [] : hotspotsOf(cells).map((hotspot) => ({
    type: 'Feature',
    id: hotspot.address,
    geometry: { type: 'Point', coordinates: [degrees(hotspot.lon), degrees(hotspot.lat)] },
    properties: { kind: 'hotspot', address: hotspot.address, cellsHeard: hotspot.cellsHeard, bestRssiDbm: hotspot.bestRssiDbm, lastHeard: iso(hotspot.lastHeardMs) },
  }));
  const rings = hexes.map((hex) => hex.geometry.coordinates[0]);
  return { type: 'FeatureCollection', ...(rings.length > 0 ? { bbox: boundsOf(rings.flat()) } : {}), features: [...hexes, ...points] };
}

export function hexFeature(cell: CoverageCell): HexFeature {
  return {
    type: 'Feature',
    id: cell.h3,
    geometry: hexPolygon(cell.h3),
    properties: {
      kind: 'hex',
      h3: cell.h3,
      state: cell.state,
      lat: degrees(cell.lat),
      lon: degrees(cell.lon),
      bestRssiDbm: cell.bestRssiDbm,
      snrDb: cell.snrDb,
      hotspotCount: cell.hotspots.length,
      hotspots: cell.hotspots.map(({ lastHeardMs, ...hotspot }) => ({ ...hotspot, lastHeard: iso(lastHeardMs) })),
      uplinksSent: cell.uplinksSent,
      uplinksHeard: cell.uplinksHeard,
      firstWalked: iso(cell.firstWalkedMs),
      lastWalked: iso(cell.lastWalkedMs),
      lastHeard: cell.lastHeardMs === null ? null : iso(cell.lastHeardMs),
    },
  };
}

/**
 * A cell's hexagon (or pentagon) as a closed ring, counter-clockwise as RFC 7946 §3.1.6 asks of
 * exterior rings. h3-js already gives that; the checks make it a property of this function.
 */
export function hexPolygon(h3: string): Polygon {
  const ring: Position[] = cellToBoundary(h3, true).map(([lon, lat]) => [degrees(lon), degrees(lat)]);
  const [first, last] = [ring[0], ring[ring.length - 1]];
  if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0], first[1]]);
  if (signedArea(ring) < 0) ring.reverse();
  return { type: 'Polygon', coordinates: [ring] };
}

/** Twice the ring's signed area in the lon/lat plane (shoelace): positive when counter-clockwise. */
export function signedArea(ring: readonly Position[]): number {
  let area = 0;
  for (let i = 0; i + 1 < ring.length; i++) area += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return area;
}

/** `bbox` checked: a TypeError when it is not four numbers, a RangeError when they are not a box. */
export function checkBbox(bbox: unknown): Bbox {
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((n) => typeof n === 'number')) {
    throw new TypeError('bbox must be four numbers: west, south, east, north');
  }
  const [west, south, east, north] = bbox as number[];
  if (![west, south, east, north].every(Number.isFinite)) throw new RangeError('bbox numbers must be finite');
  if (Math.abs(west) > 180 || Math.abs(east) > 180) throw new RangeError(`bbox west and east must be from -180 to 180, got ${west} and ${east}`);
  if (Math.abs(south) > 90 || Math.abs(north) > 90) throw new RangeError(`bbox south and north must be from -90 to 90, got ${south} and ${north}`);
  if (south > north) throw new RangeError(`bbox south (${south}) is north of north (${north})`);
  return [west, south, east, north];
}

/** A query parameter `west,south,east,north` (`?bbox=13.3,52.4,13.5,52.6`) as a checked Bbox. */
export function parseBbox(text: string): Bbox {
  const parts = text.split(',');
  if (parts.length !== 4 || parts.some((part) => !/^\s*-?(?:\d+\.?\d*|\.\d+)\s*$/.test(part))) {
    throw new TypeError(`bbox must be west,south,east,north in degrees, got "${text.slice(0, 80)}"`);
  }
  return checkBbox(parts.map(Number));
}

/** The cells whose hexagon's bounding box meets `bbox`: a cell at the box's edge is kept, so it is drawn whole. */
export function filterBbox(cells: readonly CoverageCell[], bbox: Bbox): CoverageCell[] {
  const [west, south, east, north] = checkBbox(bbox);
  const box = { west, east: east < west ? east + 360 : east };
  return cells.filter((cell) => {
    const ring = cellToBoundary(cell.h3, true);
    const lats = ring.map(([, lat]) => lat);
    if (Math.max(...lats) < south || Math.min(...lats) > north) return false;
    let lons = ring.map(([lon]) => lon);
    if (Math.max(...lons) - Math.min(...lons) > 180) lons = lons.map((lon) => (lon < 0 ? lon + 360 : lon));
    const hex = { west: Math.min(...lons), east: Math.max(...lons) };
    return [-360, 0, 360].some((shift) => hex.west + shift <= box.east && hex.east + shift >= box.west);
  });
}

/** A loop, not Math.min(...all): spreading tens of thousands of arguments overflows the stack. */
function boundsOf(points: readonly Position[]): BBox {
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of points) {
    bounds[0] = Math.min(bounds[0], lon);
    bounds[1] = Math.min(bounds[1], lat);
    bounds[2] = Math.max(bounds[2], lon);
    bounds[3] = Math.max(bounds[3], lat);
  }
  return bounds;
}

/** Degrees to 7 decimals (about 1 cm), as precise as the firmware's E7 positions. */
function degrees(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
