/**
 * Reward arithmetic, as Helium's IoT verifier does it (poc.md §4): HIP-15 reward units per PoC, the
 * HIP-17 hex-density scale (with HIP-104's parameters), and the split of an epoch's pool between
 * beaconers and witnesses. Pure numbers: epoch.ts decides who gets what.
 */
import { cellToParent, getResolution, gridDisk } from 'h3-js';
import type { OracleConfig } from '../config.js';

/** HIP-15 constants (poc.md §4: WITNESS_REDUNDANCY, POC_REWARD_DECAY_RATE, HIP15_TX_REWARD_UNIT_CAP). */
export const WITNESS_REDUNDANCY = 4;
export const POC_REWARD_DECAY_RATE = 0.8;
export const HIP15_TX_REWARD_UNIT_CAP = 2;

/** Decimal places Helium keeps in reward units and scales (SCALING_PRECISION). */
export const REWARD_PRECISION = 4;

/**
 * Rounds to REWARD_PRECISION places the way rust_decimal's `round_dp` does: half to even ("banker's
 * rounding"). A tie is recognised within 1e-9 of a unit, because a float product rarely lands on .5 exactly.
 */
export function roundReward(value: number): number {
  const scale = 10 ** REWARD_PRECISION;
  const scaled = value * scale;
  const floor = Math.floor(scaled);
  if (Math.abs(scaled - floor - 0.5) < 1e-9) return (floor % 2 === 0 ? floor : floor + 1) / scale;
  return Math.round(scaled) / scale;
}

/**
 * The beaconer's units for a beacon with n selected valid witnesses: 0 with none, n/4 up to the
 * redundancy of 4, then approaching the cap of 2 (n = 5 → 1.2, n = 14 → 1.8926).
 */
export function beaconerUnits(n: number): number {
  if (n <= 0) return 0;
  if (n <= WITNESS_REDUNDANCY) return roundReward(n / WITNESS_REDUNDANCY);
  const units = HIP15_TX_REWARD_UNIT_CAP - POC_REWARD_DECAY_RATE ** (n - WITNESS_REDUNDANCY);
  return roundReward(Math.min(HIP15_TX_REWARD_UNIT_CAP, units));
}

/**
 * Each witness's units when n witnesses were selected: 1 up to the redundancy of 4, then a share of a
 * total that grows ever more slowly (n = 5 → 0.76, n = 14 → 0.2220).
 */
export function witnessUnits(n: number): number {
  if (n <= WITNESS_REDUNDANCY) return 1;
  const total = WITNESS_REDUNDANCY - (1 - POC_REWARD_DECAY_RATE ** (n - WITNESS_REDUNDANCY));
  return roundReward(Math.min(HIP15_TX_REWARD_UNIT_CAP, total / n));
}

// ---------------------------------------------------------------------------------------------------
// HIP-17 hex density

/** One resolution's density rule: N neighbours, target and max hotspots per hex. */
export interface HexResConfig {
  readonly neighbors: number;
  readonly target: number;
  readonly max: number;
}

/** HIP-104's parameters, resolutions 4–10 (poc.md §4; Helium's HIP104_RES_CONFIG). */
export const HIP104_RES_CONFIG: Readonly<Record<number, HexResConfig>> = {
  4: { neighbors: 2, target: 500, max: 1000 },
  5: { neighbors: 4, target: 100, max: 200 },
  6: { neighbors: 4, target: 25, max: 50 },
  7: { neighbors: 4, target: 5, max: 10 },
  8: { neighbors: 2, target: 1, max: 1 },
  9: { neighbors: 2, target: 1, max: 1 },
  10: { neighbors: 2, target: 1, max: 1 },
};

/** Hotspots are first counted in resolution-11 hexes, then rolled up to resolution 4 (MAX_RES, DENSITY_TGT_RES). */
const COUNT_RES = 11;
const DENSITY_TARGET_RES = 4;
/** The scale multiplies the ratios of every resolution 13 down to 4 where both counts exist (SCALING_RES). */
const SCALING_RES_HIGH = 13;

/** Helium's scale for a hotspot whose hex is missing from the density map (DEFAULT_TX_SCALE, poc.md §4). */
export const DEFAULT_TX_SCALE = 0.2;

/**
 * The HIP-17 scale of every cell in `activeCells` (resolution-12 cells of the active hotspots, one entry
 * per hotspot, so a cell may repeat), as Helium's iot_verifier/src/hex_density.rs computes it:
 *
 * 1. Count the hotspots in each resolution-11 parent; that count is both "unclipped" and "clipped".
 * 2. For each resolution r from 10 down to 4, each hex at r gets as unclipped count the sum of its
 *    children's CLIPPED counts. Its limit is min(max, target × (max(occupied − N, 0) + 1)), where
 *    occupied counts the hexes of its 1-ring (itself included) holding at least `target` hotspots; its
 *    clipped count is min(limit, unclipped).
 * 3. A cell's scale is the product over resolutions 13…4 of clipped/unclipped of its parent there,
 *    skipping resolutions where the parent has no counts (12 and 13 for a resolution-12 cell; 11 is
 *    never clipped, so its ratio is 1), rounded to 4 places.
 *
 * Helium reads the neighbours' counts part clipped, part not, in hash-map order. Because every limit is
 * at least `target` (max ≥ target in every row), a hex reaches `target` before clipping exactly when it
 * does after, so reading the unclipped counts here gives the same answer in a fixed order.
 */
export function hexDensityScales(
  activeCells: readonly string[],
  table: Readonly<Record<number, HexResConfig>> = HIP104_RES_CONFIG,
): Map<string, number> {
  const unclipped = new Map<string, number>();
  const clipped = new Map<string, number>();
  for (const cell of activeCells) {
    const parent = parentAt(cell, COUNT_RES);
    unclipped.set(parent, (unclipped.get(parent) ?? 0) + 1);
    clipped.set(parent, (clipped.get(parent) ?? 0) + 1);
  }
  let level = [...unclipped.keys()];
  for (let res = COUNT_RES - 1; res >= DENSITY_TARGET_RES; res--) {
    level = clipLevel(level, res, table[res], unclipped, clipped);
  }
  const scales = new Map<string, number>();
  for (const cell of activeCells) scales.set(cell, cellScale(cell, unclipped, clipped));
  return scales;
}

/** Rolls `children` up to their parents at `res` and clips the parents; returns the parents. */
function clipLevel(
  children: readonly string[], res: number, rule: HexResConfig,
  unclipped: Map<string, number>, clipped: Map<string, number>,
): string[] {
  const parents = new Set<string>();
  for (const child of children) {
    const parent = cellToParent(child, res);
    unclipped.set(parent, (unclipped.get(parent) ?? 0) + (clipped.get(child) ?? 0));
    parents.add(parent);
  }
  for (const parent of parents) {
    const occupied = gridDisk(parent, 1).filter((hex) => (unclipped.get(hex) ?? 0) >= rule.target).length;
    const limit = Math.min(rule.max, rule.target * (Math.max(occupied - rule.neighbors, 0) + 1));
    clipped.set(parent, Math.min(limit, unclipped.get(parent) ?? 0));
  }
  return [...parents];
}

function cellScale(cell: string, unclipped: Map<string, number>, clipped: Map<string, number>): number {
  let scale = 1;
  const finest = Math.min(SCALING_RES_HIGH, getResolution(cell));
  for (let res = finest; res >= DENSITY_TARGET_RES; res--) {
    const parent = parentAt(cell, res);
    const all = unclipped.get(parent);
    const kept = clipped.get(parent);
    if (all !== undefined && kept !== undefined && all > 0) scale *= kept / all;
  }
  return roundReward(scale);
}

function parentAt(cell: string, res: number): string {
  return getResolution(cell) === res ? cell : cellToParent(cell, res);
}

// ---------------------------------------------------------------------------------------------------
// Pools

/** Helium's daily PoC pools are 6 % for beacons and 24 % for witnesses (poc.md §4): covey splits its pool 6:24. */
export const BEACON_POOL_PARTS = 6;
export const WITNESS_POOL_PARTS = 24;

export interface EpochPools {
  readonly beacon: number;
  readonly witness: number;
}

export function epochPools(config: Pick<OracleConfig, 'rewardPoolPerEpoch'>): EpochPools {
  const parts = BEACON_POOL_PARTS + WITNESS_POOL_PARTS;
  return {
    beacon: (config.rewardPoolPerEpoch * BEACON_POOL_PARTS) / parts,
    witness: (config.rewardPoolPerEpoch * WITNESS_POOL_PARTS) / parts,
  };
}

/** A hotspot's part of `pool`: pool × its scaled units / everyone's scaled units (0 when nobody earned any). */
export function poolShare(pool: number, scaledUnits: number, totalScaledUnits: number): number {
  return totalScaledUnits > 0 ? (pool * scaledUnits) / totalScaledUnits : 0;
}
