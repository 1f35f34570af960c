/**
 * Where the map draws things: an equirectangular projection fitted to the hotspots' bounding box, north
 * up, the same scale east–west and north–south, and a scale bar of a round length. The projection is the
 * scenario's own (x = R·Δλ·cos φ0, y = R·Δφ, docs/simulator.md "The resolved scenario"), with φ0 the
 * middle of the box: within 0.5 % of true distances for an area 50 km across.
 */

/** h3's Earth radius, as the scenario's projection uses, km. */
const EARTH_RADIUS_KM = 6371.007180918475;
const RADIANS = Math.PI / 180;
/** A box narrower than this (one hotspot, or all in one place) is drawn this wide, km. */
const MIN_SPAN_KM = 1;

export interface MapFrame {
  /** The drawing's size, px (the SVG's viewBox). */
  readonly width: number;
  readonly height: number;
  /** px per km, both ways. */
  readonly pxPerKm: number;
  /** px from the left and from the top; north is up. */
  project(lat: number, lon: number): readonly [number, number];
}

export interface FrameOptions {
  readonly width: number;
  /** The drawing is as tall as the box needs at `width`, but no taller than this. */
  readonly maxHeight: number;
  readonly padding: number;
}

const DEFAULTS: FrameOptions = { width: 960, maxHeight: 720, padding: 28 };

/** Fits the projection to `points` (at least one). */
export function fitFrame(points: readonly { readonly lat: number; readonly lon: number }[], options = DEFAULTS): MapFrame {
  if (points.length === 0) throw new RangeError('a map needs at least one point');
  let [south, north, west, east] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const { lat, lon } of points) {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw new RangeError(`not a position: ${lat}, ${lon}`);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
    west = Math.min(west, lon);
    east = Math.max(east, lon);
  }
  const cosLat0 = Math.cos(((south + north) / 2) * RADIANS);
  const kmEast = (lon: number): number => EARTH_RADIUS_KM * (lon - west) * RADIANS * cosLat0;
  const kmSouth = (lat: number): number => EARTH_RADIUS_KM * (north - lat) * RADIANS;
  const spanX = Math.max(kmEast(east), MIN_SPAN_KM);
  const spanY = Math.max(kmSouth(south), MIN_SPAN_KM);
  const { width, maxHeight, padding } = options;
  const pxPerKm = Math.min((width - 2 * padding) / spanX, (maxHeight - 2 * padding) / spanY);
  const height = Math.ceil(spanY * pxPerKm + 2 * padding);
  // Centre the box in the drawing, also when it is narrower than MIN_SPAN_KM.
  const left = (width - kmEast(east) * pxPerKm) / 2;
  const top = (height - kmSouth(south) * pxPerKm) / 2;
  return {
    width,
    height,
    pxPerKm,
    project: (lat, lon) => [left + kmEast(lon) * pxPerKm, top + kmSouth(lat) * pxPerKm],
  };
}

/** The longest 1, 2 or 5 × 10ⁿ km that is at most a quarter of the drawing's width, and its label. */
export function scaleBar(frame: MapFrame): { readonly km: number; readonly px: number; readonly label: string } {
  const target = frame.width / 4 / frame.pxPerKm;
  const decade = 10 ** Math.floor(Math.log10(target));
  const km = [5, 2, 1].map((step) => step * decade).find((length) => length <= target) ?? decade;
  const label = km >= 1 ? `${+km.toPrecision(6)} km` : `${Math.round(km * 1000)} m`;
  return { km, px: km * frame.pxPerKm, label };
}
