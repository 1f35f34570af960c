/**
 * The built-in layouts: where an `area` scenario's hotspots stand, drawn from the scenario's seed.
 * - city (city-layout.ts): 100 hotspots over 5 × 5 km along streets, rooftops and windows;
 * - rural: 40 hotspots over 30 × 30 km, mostly in villages, on masts;
 * - grid: a regular square grid, `spacingM` apart, every hotspot alike: for tests.
 * All randomness comes from one SeededRng, so the same seed gives the same layout on any machine.
 * Positions are local metres around the area's centre (projection.ts); resolve.ts turns them into
 * latitudes and longitudes.
 */
import { boardIds } from '../../hal/boards/index.js';
import { DEFAULT_ANTENNA_GAIN_DBI } from '../../hal/radio/region-plan.js';
import { SeededRng } from '../ports/seeded-rng.js';
import { placeCity } from './city-layout.js';
import type { Layout } from './schema.js';

/** A hotspot as a layout places it. */
export interface PlacedNode {
  readonly name: string;
  readonly xM: number;
  readonly yM: number;
  readonly heightM: number;
  readonly antennaGainDbi: number;
  readonly board: string;
}

export interface LayoutSize {
  readonly nodes: number;
  /** city and rural: the area; grid: derived from nodes and spacing. */
  readonly widthKm: number;
  readonly heightKm: number;
  /** grid only. */
  readonly spacingM?: number;
}

/** Each layout's size when a file leaves it out. */
export const LAYOUT_DEFAULTS = {
  city: { nodes: 100, widthKm: 5, heightKm: 5 },
  rural: { nodes: 40, widthKm: 30, heightKm: 30 },
  grid: { nodes: 25, spacingM: 500 },
} as const;

/** The board and antenna every grid hotspot has: a supported SX1262 board with a half-wave dipole. */
export const GRID_BOARD = 'heltec_v3';
export const GRID_HEIGHT_M = 10;

/**
 * The layouts draw from their own stream, not the scenario seed's own: a runner that seeds its
 * SeededRng with the same number then gets numbers unrelated to the positions.
 */
export const LAYOUT_STREAM = 0x4c41594f;

export function layoutRng(seed: number): SeededRng {
  return new SeededRng((seed ^ LAYOUT_STREAM) | 0);
}

/** Rows and columns of a grid of `nodes`: as square as it gets, filled row by row from the north-west. */
export function gridShape(nodes: number): { columns: number; rows: number } {
  const columns = Math.ceil(Math.sqrt(nodes));
  return { columns, rows: Math.ceil(nodes / columns) };
}

/** The size a layout of `nodes` hotspots covers: a grid's from its spacing, the others as given. */
export function gridSizeKm(nodes: number, spacingM: number): { widthKm: number; heightKm: number } {
  const { columns, rows } = gridShape(nodes);
  return { widthKm: (columns * spacingM) / 1000, heightKm: (rows * spacingM) / 1000 };
}

function placeGrid(nodes: number, spacingM: number): Omit<PlacedNode, 'name'>[] {
  const { columns, rows } = gridShape(nodes);
  return Array.from({ length: nodes }, (_, i) => ({
    xM: (i % columns - (columns - 1) / 2) * spacingM,
    yM: ((rows - 1) / 2 - Math.floor(i / columns)) * spacingM,
    heightM: GRID_HEIGHT_M,
    antennaGainDbi: DEFAULT_ANTENNA_GAIN_DBI,
    board: GRID_BOARD,
  }));
}

/** A standard normal draw (Box–Muller). */
function gaussian(rng: SeededRng): number {
  const u = 1 - rng.fraction();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.fraction());
}

const RURAL_IN_VILLAGE = 0.7;
const RURAL_VILLAGE_SIGMA_M = 600;
const RURAL_GAINS_DBI = [3, 5, 5, 8] as const;

/**
 * Villages, one per six hotspots, at least 1 km inside the area; seven hotspots in ten cluster around one
 * (σ = 600 m), the rest are farms anywhere. Masts 15–40 m; antennas 3, 5 (half) or 8 dBi.
 */
function placeRural(rng: SeededRng, nodes: number, widthM: number, heightM: number): Omit<PlacedNode, 'name'>[] {
  const inside = (extent: number, margin: number) => (rng.fraction() - 0.5) * Math.max(0, extent - 2 * margin);
  const villages = Array.from({ length: Math.max(1, Math.round(nodes / 6)) }, () => ({
    x: inside(widthM, 1000),
    y: inside(heightM, 1000),
  }));
  const clamp = (value: number, extent: number) => Math.max(-extent / 2, Math.min(extent / 2, value));
  return Array.from({ length: nodes }, () => {
    let xM: number;
    let yM: number;
    if (rng.fraction() < RURAL_IN_VILLAGE) {
      const village = villages[rng.below(villages.length)];
      xM = clamp(village.x + gaussian(rng) * RURAL_VILLAGE_SIGMA_M, widthM);
      yM = clamp(village.y + gaussian(rng) * RURAL_VILLAGE_SIGMA_M, heightM);
    } else {
      xM = inside(widthM, 0);
      yM = inside(heightM, 0);
    }
    return {
      xM,
      yM,
      heightM: Math.round(2 * (15 + 25 * rng.fraction())) / 2,
      antennaGainDbi: RURAL_GAINS_DBI[rng.below(RURAL_GAINS_DBI.length)],
      board: boardIds[rng.below(boardIds.length)],
    };
  });
}

/** `city-007`: the layout's name and the index, zero-padded to the width of the largest index (at least 3). */
export function layoutNodeName(layout: Layout, index: number, count: number): string {
  const width = Math.max(3, String(count - 1).length);
  return `${layout}-${String(index).padStart(width, '0')}`;
}

/** The hotspots of `layout` at `size`, drawn from `seed`. */
export function placeLayout(layout: Layout, size: LayoutSize, seed: number): PlacedNode[] {
  const rng = layoutRng(seed);
  const widthM = size.widthKm * 1000;
  const heightM = size.heightKm * 1000;
  const placed =
    layout === 'grid' ? placeGrid(size.nodes, size.spacingM ?? LAYOUT_DEFAULTS.grid.spacingM)
      : layout === 'city' ? placeCity(rng, size.nodes, widthM, heightM)
        : placeRural(rng, size.nodes, widthM, heightM);
  return placed.map((node, index) => ({ name: layoutNodeName(layout, index, size.nodes), ...node }));
}
