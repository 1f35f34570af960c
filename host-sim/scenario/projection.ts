/**
 * Local metres around a scenario's centre: the equirectangular projection,
 *   x = R · Δλ · cos φ0,  y = R · Δφ   (λ longitude, φ latitude, radians; φ0 the centre's latitude),
 * x east and y north of the centre. Over a city it is as good as exact: around a centre at 52° N, two
 * points of a 5 × 5 km square are within 0.1 % of their great-circle distance, of a 50 × 50 km square
 * (10,000 hotspots at the city's density) within 0.6 % (the error grows with the distance north or south
 * of the centre times tan φ0). Not for scenarios that cross a pole or the antimeridian.
 */
import type { LatLon } from './schema.js';

/** The mean Earth radius h3-js uses for its great-circle distances, which the oracle measures with, m. */
export const EARTH_RADIUS_M = 6_371_007.180918475;

const RADIANS = Math.PI / 180;

export interface LocalPoint {
  /** Metres east of the centre. */
  readonly xM: number;
  /** Metres north of the centre. */
  readonly yM: number;
}

export function toLocal(centre: LatLon, point: LatLon): LocalPoint {
  return {
    xM: EARTH_RADIUS_M * (point.lon - centre.lon) * RADIANS * Math.cos(centre.lat * RADIANS),
    yM: EARTH_RADIUS_M * (point.lat - centre.lat) * RADIANS,
  };
}

export function fromLocal(centre: LatLon, point: LocalPoint): LatLon {
  return {
    lat: centre.lat + point.yM / EARTH_RADIUS_M / RADIANS,
    lon: centre.lon + point.xM / (EARTH_RADIUS_M * Math.cos(centre.lat * RADIANS)) / RADIANS,
  };
}

/**
 * Degrees to the 10⁻⁷ of a degree a hotspot's onboarding records (latE7/lonE7, docs/protocol.md), so a
 * scenario's positions are exactly the ones the oracle will hold (about 1 cm).
 */
export function roundE7(degrees: number): number {
  return Math.round(degrees * 1e7) / 1e7;
}

/** Metres to centimetres, to keep resolved scenarios short to print. */
export function roundCm(metres: number): number {
  return Math.round(metres * 100) / 100;
}

/** The point `distanceM` from `from` towards `bearingDeg` (0 north, 90 east), on the local plane. */
export function offset(from: LatLon, distanceM: number, bearingDeg: number): LatLon {
  const b = bearingDeg * RADIANS;
  return fromLocal(from, { xM: distanceM * Math.sin(b), yM: distanceM * Math.cos(b) });
}
