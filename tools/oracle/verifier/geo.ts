/**
 * The geometry and radio physics the witness checks need: how far apart two asserted hotspots are, how
 * many H3 cells lie between them, and the free-space path loss a beacon suffers over that distance.
 * Helium's verifier measures the same way (poc.md §3): distances between the centres of the asserted
 * cells, the minimum distance as an H3 grid distance of coarser parents, and FSPL with C = 2.998e8.
 */
import { cellToLatLng, cellToParent, getHexagonEdgeLengthAvg, getResolution, greatCircleDistance, gridDistance, UNITS } from 'h3-js';

/** The speed of light as Helium's verifier writes it (poc.md §3, `C=2.998e8`), m/s. */
export const SPEED_OF_LIGHT_M_S = 2.998e8;

/** FSPL is taken over at least this distance, m: two hotspots in one cell would otherwise be 0 m apart (log of 0). */
export const MIN_FSPL_DISTANCE_M = 1;

/** Cell centres already looked up: asserted cells repeat in every group their hotspot is in. */
const centres = new Map<string, [number, number]>();
const CENTRE_CACHE_SIZE = 100_000;

function centreOf(cell: string): [number, number] {
  let centre = centres.get(cell);
  if (centre === undefined) {
    if (centres.size >= CENTRE_CACHE_SIZE) centres.clear();
    centre = cellToLatLng(cell);
    centres.set(cell, centre);
  }
  return centre;
}

/**
 * Distances already computed, by the pair of cells: a hotspot is witnessed by the same neighbours beacon
 * after beacon, and each witness check may ask up to three times. Each call into h3 (WebAssembly) costs
 * more than a lookup, and the answer is h3's either way.
 */
const distances = new Map<string, number>();
const DISTANCE_CACHE_SIZE = 200_000;

/** Great-circle distance between the centres of two H3 cells (asserted locations, resolution 12), km. */
export function cellDistanceKm(cellA: string, cellB: string): number {
  // In the pair's order, so that the key and the answer do not depend on which cell came first.
  const [first, second] = cellA < cellB ? [cellA, cellB] : [cellB, cellA];
  const pair = `${first} ${second}`;
  let km = distances.get(pair);
  if (km === undefined) {
    if (distances.size >= DISTANCE_CACHE_SIZE) distances.clear();
    km = greatCircleDistance(centreOf(first), centreOf(second), 'km');
    distances.set(pair, km);
  }
  return km;
}

/**
 * A distance beyond which two cells' parents at `resolution` are certainly `steps` or more grid steps
 * apart, km: adjacent centres are √3 edge lengths apart, and H3 edges vary by less than a factor of 2
 * around the average (H3 docs, "Tables of cell statistics across resolutions"), so 4 average edges per
 * step, plus a parent's own size at each end, is generous.
 */
export function gridSpanKm(resolution: number, steps: number): number {
  return (steps + 2) * 4 * averageEdgeKm(resolution);
}

/** h3's average edge length at each resolution, km, looked up once. */
const averageEdges = new Map<number, number>();

function averageEdgeKm(resolution: number): number {
  let km = averageEdges.get(resolution);
  if (km === undefined) averageEdges.set(resolution, (km = getHexagonEdgeLengthAvg(resolution, UNITS.km)));
  return km;
}

/**
 * H3 grid distance between the parents of two cells at `resolution` (Helium: res 11, POC_CELL_PARENT_RES).
 * h3 cannot count steps between cells that are far apart or on opposite sides of a pentagon and throws;
 * such cells are certainly not too close, so they count as infinitely far.
 */
export function parentGridDistance(cellA: string, cellB: string, resolution: number): number {
  try {
    return gridDistance(parentAt(cellA, resolution), parentAt(cellB, resolution));
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The cell itself when it is already at `resolution` or coarser, else its parent there. */
function parentAt(cell: string, resolution: number): string {
  return getResolution(cell) <= resolution ? cell : cellToParent(cell, resolution);
}

/**
 * Free-space path loss in dB over `distanceM` metres at `frequencyHz`: 20·log10(4π·d·f/c) (Friis; poc.md §3).
 * The distance is floored at MIN_FSPL_DISTANCE_M.
 */
export function fsplDb(distanceM: number, frequencyHz: number): number {
  const d = Math.max(distanceM, MIN_FSPL_DISTANCE_M);
  return 20 * Math.log10((4 * Math.PI * d * frequencyHz) / SPEED_OF_LIGHT_M_S);
}

/**
 * The strongest signal, dBm, a witness can plausibly receive: transmit power plus both antenna gains minus
 * the free-space loss. Free space is the best case, so a stronger RSSI means a lie about power, gain or
 * place (Helium's `bad_rssi`). All inputs in covey's 0.1 units (proofs/units.ts).
 */
export function freeSpaceRssiDbm(
  txPowerDdbm: number,
  beaconerGainDdbi: number,
  witnessGainDdbi: number,
  distanceM: number,
  frequencyHz: number,
): number {
  return txPowerDdbm / 10 + beaconerGainDdbi / 10 + witnessGainDdbi / 10 - fsplDb(distanceM, frequencyHz);
}
