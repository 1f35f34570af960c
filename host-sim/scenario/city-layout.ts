/**
 * The city layout: hotspots where people put them in a town, along streets, thick downtown and in some
 * blocks, thin elsewhere, and none in parks or on the river. Uniform random points would be neither
 * realistic nor as hard on the air: real networks come in clumps, with gaps in between.
 *
 * How it is drawn, in local metres around the centre (projection.ts):
 * 1. Streets: north–south and east–west lines, 120–260 m apart (jittered), cut the area into blocks.
 * 2. Each block gets a weight: a downtown bump (Gaussian, σ = 30 % of the shorter side, its peak up to a
 *    sixth of the area off centre) times a block character (quiet 0.2, thin 0.6, ordinary 1, dense 3).
 * 3. Parks, one per 5 km², each 2–6 × 2–6 blocks, get weight 0.
 * 4. A river, one per 6 km of height, meanders west to east (a sine of 150–400 m amplitude over
 *    2.5–5 km) 150–300 m wide; no hotspot stands in it.
 * 5. Each hotspot picks a block by weight, a side of it, a point along that side, and sits 8–25 m back
 *    from the street's centre line (a building's front).
 * Heights: two in three at a window (10–18 m), the rest on a roof (18–30 m). Antennas: the boards' stock
 * whips and common upgrades, 2 dBi (half), 3 dBi, 5 dBi. Boards: any of covey's boards, equally.
 *
 * What the default city (100 hotspots on 5 × 5 km, 4 per km²) means for proof of coverage, checked by
 * tests/host-sim/scenario-layouts.test.ts:
 * - the oracle refuses a witness fewer than 8 res-11 H3 cells from the beaconer (poc.md §3): 344–397 m
 *   with h3's average res-11 edge of 28.66 m, so a hotspot's one or two nearest neighbours never count;
 * - within 1 km the median hotspot has about 11 neighbours beyond that distance;
 * - on EU868's PoC channel (SF12 at 125 kHz: sensitivity −137.0 dBm, radio.md §2) the Oulu model's
 *   median range is 24 km for the weakest city link (20 dBm, 2 + 2 dBi: 161 dB) and 36 km for a typical
 *   one (22 dBm, 3 + 3 dBi): more than the city is wide. At median loss every beacon reaches all but those
 *   nearest neighbours (98 candidate witnesses); shadowing, collisions and the oracle's cap of 14
 *   rewarded witnesses, not distance, decide how many count.
 */
import { boardIds } from '../../hal/boards/index.js';
import type { SeededRng } from '../ports/seeded-rng.js';
import type { PlacedNode } from './layouts.js';

const STREET_GAP_M = [120, 260] as const;
const FRONTAGE_M = [8, 25] as const;
const BLOCK_CHARACTER = [0.2, 0.6, 1, 1, 3] as const;
const PARK_AREA_M2 = 5e6;
const RIVER_EVERY_M = 6000;
const CITY_GAINS_DBI = [2, 2, 2, 3, 3, 5] as const;

const between = (rng: SeededRng, [low, high]: readonly [number, number]) => low + (high - low) * rng.fraction();
const pick = <T>(rng: SeededRng, items: readonly T[]): T => items[rng.below(items.length)];

/** Street lines across [−half, half], jittered gaps, including both edges. */
function streets(rng: SeededRng, half: number): number[] {
  const lines = [-half];
  for (let at = -half + between(rng, STREET_GAP_M); at < half; at += between(rng, STREET_GAP_M)) lines.push(at);
  lines.push(half);
  return lines;
}

interface Block {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

interface River {
  readonly y0: number;
  readonly amplitude: number;
  readonly wavelength: number;
  readonly phase: number;
  readonly halfWidth: number;
}

function rivers(rng: SeededRng, widthM: number, heightM: number): River[] {
  const count = Math.max(1, Math.round(heightM / RIVER_EVERY_M));
  return Array.from({ length: count }, (_, i) => ({
    // Each river in its own horizontal band, kept off the band's edges.
    y0: -heightM / 2 + (heightM * (i + 0.25 + 0.5 * rng.fraction())) / count,
    amplitude: between(rng, [150, 400]),
    wavelength: Math.min(widthM, between(rng, [2500, 5000])),
    phase: 2 * Math.PI * rng.fraction(),
    halfWidth: between(rng, [75, 150]),
  }));
}

function inRiver(river: River, xM: number, yM: number): boolean {
  const centre = river.y0 + river.amplitude * Math.sin((2 * Math.PI * xM) / river.wavelength + river.phase);
  return Math.abs(yM - centre) < river.halfWidth;
}

/** Every block with its weight: downtown bump × character, parks zeroed. */
function weighBlocks(rng: SeededRng, xs: number[], ys: number[], widthM: number, heightM: number): { blocks: Block[]; cumulative: number[] } {
  const downtown = { x: (rng.fraction() - 0.5) * (widthM / 3), y: (rng.fraction() - 0.5) * (heightM / 3) };
  const sigma = 0.3 * Math.min(widthM, heightM);
  const columns = xs.length - 1;
  const rows = ys.length - 1;
  const weights: number[] = [];
  const blocks: Block[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const block = { x0: xs[c], x1: xs[c + 1], y0: ys[r], y1: ys[r + 1] };
      const dx = (block.x0 + block.x1) / 2 - downtown.x;
      const dy = (block.y0 + block.y1) / 2 - downtown.y;
      weights.push((0.25 + Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma))) * pick(rng, BLOCK_CHARACTER));
      blocks.push(block);
    }
  }
  const parks = Math.max(1, Math.round((widthM * heightM) / PARK_AREA_M2));
  for (let p = 0; p < parks; p++) {
    const c0 = rng.below(columns);
    const r0 = rng.below(rows);
    const spanC = rng.intBetween(2, 6);
    const spanR = rng.intBetween(2, 6);
    for (let r = r0; r < Math.min(rows, r0 + spanR); r++) {
      for (let c = c0; c < Math.min(columns, c0 + spanC); c++) weights[r * columns + c] = 0;
    }
  }
  let sum = 0;
  return { blocks, cumulative: weights.map((w) => (sum += w)) };
}

/** The first index whose cumulative weight exceeds `target` (binary search). */
function blockAt(cumulative: number[], target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid] > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** A point on a building's front along one side of the block, or null if the block is too small for it. */
function frontage(rng: SeededRng, block: Block): { xM: number; yM: number } | null {
  const back = between(rng, FRONTAGE_M);
  const side = rng.below(4);
  const along = rng.fraction();
  const inner = { x0: block.x0 + back, x1: block.x1 - back, y0: block.y0 + back, y1: block.y1 - back };
  if (inner.x0 >= inner.x1 || inner.y0 >= inner.y1) return null;
  const x = inner.x0 + along * (inner.x1 - inner.x0);
  const y = inner.y0 + along * (inner.y1 - inner.y0);
  if (side === 0) return { xM: x, yM: inner.y1 };
  if (side === 1) return { xM: x, yM: inner.y0 };
  if (side === 2) return { xM: inner.x0, yM: y };
  return { xM: inner.x1, yM: y };
}

export function placeCity(rng: SeededRng, count: number, widthM: number, heightM: number): Omit<PlacedNode, 'name'>[] {
  const { blocks, cumulative } = weighBlocks(rng, streets(rng, widthM / 2), streets(rng, heightM / 2), widthM, heightM);
  const water = rivers(rng, widthM, heightM);
  const total = cumulative[cumulative.length - 1];
  const placed: Omit<PlacedNode, 'name'>[] = [];
  for (let attempt = 0; placed.length < count; attempt++) {
    if (attempt > 1000 * count) throw new RangeError(`cannot place ${count} hotspots in a ${widthM} × ${heightM} m city`);
    const point = frontage(rng, blocks[blockAt(cumulative, rng.fraction() * total)]);
    if (point === null || water.some((river) => inRiver(river, point.xM, point.yM))) continue;
    const window = rng.below(3) < 2;
    placed.push({
      ...point,
      heightM: Math.round(2 * (window ? between(rng, [10, 18]) : between(rng, [18, 30]))) / 2,
      antennaGainDbi: pick(rng, CITY_GAINS_DBI),
      board: pick(rng, boardIds),
    });
  }
  return placed;
}
