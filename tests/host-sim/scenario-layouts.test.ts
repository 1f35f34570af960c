/**
 * The built-in layouts: where hotspots stand, how dense the city is against the oracle's distance checks
 * and the Oulu model's reach, and that a larger city keeps the density.
 *
 * The numbers (EU868, covey's PoC channel SF12 / 125 kHz):
 * - sensitivity −137.0 dBm (radio.md §2: −174 + 10·log10(125 000) + 6 dB noise figure − 20 dB SNR floor);
 * - the weakest city link, an SX1276 at 20 dBm with 2 dBi at both ends, has 161.0 dB to lose; the Oulu
 *   model (128.95 dB at 1 km, n = 2.32) loses that at 24.1 km, the typical link (22 dBm, 3 + 3 dBi,
 *   165.0 dB) at 35.9 km: every hotspot of the 5 × 5 km city (7.1 km across) is in median range of every
 *   other: without more loss every hotspot would witness nearly every other (median 98 beyond the
 *   minimum distance). The city adds 40 dB of clutter and building loss to every link (ITU-R P.2108's
 *   median is about 23 dB per end in urban clutter at 868 MHz), which brings the median beacon, counted
 *   through the air's own link budget with the scenario's shadowing, to 5–15 witnesses;
 * - the minimum distance: 8 steps of res-11 H3 cells (average edge 28.66 m, neighbouring centres 49.6 m
 *   apart) is 344–397 m; with cells' real shapes and positions inside them, city pairs under 280 m
 *   always fail it and pairs over 400 m always pass;
 * - density: 100 hotspots on 25 km², 4 per km²; within 1 km the median hotspot has about 11 others that
 *   pass the minimum distance.
 */
import { getHexagonEdgeLengthAvg, greatCircleDistance, latLngToCell, UNITS } from 'h3-js';
import { boardIds } from '../../hal/boards/index.js';
import { ASSERT_RESOLUTION } from '../../tools/oracle/model.js';
import { parentGridDistance } from '../../tools/oracle/verifier/geo.js';
import { fromLocal, loadScenario, toLocal, type ScenarioNode } from '../../host-sim/scenario/index.js';
import { linkBudgetDb, medianRangeM, pocSensitivityDbm } from '../../host-sim/scenario/reach.js';
import { AIR_MODEL_DEFAULTS } from '../../host-sim/scenario/schema.js';
import { pathLossModel } from '../../host-sim/air/path-loss.js';
import { linkShadowingDb } from '../../host-sim/air/shadowing.js';
import { regionPlan } from '../../hal/radio/regions.js';

const OULU = AIR_MODEL_DEFAULTS.oulu.params;
const MIN_CELLS = 8;
const RESOLUTION = 11;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const distanceM = (a: ScenarioNode, b: ScenarioNode) => Math.hypot(a.xM - b.xM, a.yM - b.yM);

/** For each hotspot, how many others are within `reachM(a, b)` and pass the oracle's minimum distance. */
function candidates(nodes: readonly ScenarioNode[], reachM: (a: ScenarioNode, b: ScenarioNode) => number): number[] {
  const cells = nodes.map((n) => latLngToCell(n.lat, n.lon, ASSERT_RESOLUTION));
  return nodes.map((a, i) =>
    nodes.filter((b, j) => j !== i && distanceM(a, b) <= reachM(a, b) && parentGridDistance(cells[i], cells[j], RESOLUTION) >= MIN_CELLS).length,
  );
}

const ouluReachM = (a: ScenarioNode, b: ScenarioNode) =>
  medianRangeM(OULU, linkBudgetDb(a.txPowerDbm, a.antennaGainDbi, b.antennaGainDbi, pocSensitivityDbm('EU868')));

/** For each hotspot, how many others hear its beacon above sensitivity (the air's link budget) and pass the minimum distance. */
function witnessesThroughTheAir(scenario: ReturnType<typeof loadScenario>): number[] {
  const law = pathLossModel({ name: 'oulu' });
  const { frequencyHz } = regionPlan(scenario.region).poc;
  const { shadowingSigmaDb, clutterLossDb } = scenario.air;
  const hears = (a: ScenarioNode, b: ScenarioNode) => {
    const lossDb = law.lossDb(Math.hypot(a.xM - b.xM, a.yM - b.yM, a.heightM - b.heightM), frequencyHz, a.heightM, b.heightM);
    const rssiDbm = a.txPowerDbm + a.antennaGainDbi + b.antennaGainDbi - lossDb - clutterLossDb - linkShadowingDb(scenario.seed, a.name, b.name, shadowingSigmaDb);
    return rssiDbm >= pocSensitivityDbm(scenario.region);
  };
  const cells = scenario.nodes.map((n) => latLngToCell(n.lat, n.lon, ASSERT_RESOLUTION));
  return scenario.nodes.map((a, i) =>
    scenario.nodes.filter((b, j) => j !== i && parentGridDistance(cells[i], cells[j], RESOLUTION) >= MIN_CELLS && hears(a, b)).length,
  );
}

describe('the default city', () => {
  const city = loadScenario('city');

  test('holds 100 hotspots inside its 5 × 5 km, at window and roof heights, with common antennas and every board', () => {
    expect(city.nodes).toHaveLength(100);
    for (const n of city.nodes) {
      expect(Math.abs(n.xM)).toBeLessThanOrEqual(2500);
      expect(Math.abs(n.yM)).toBeLessThanOrEqual(2500);
      expect(n.heightM).toBeGreaterThanOrEqual(10);
      expect(n.heightM).toBeLessThanOrEqual(30);
      expect([2, 3, 5]).toContain(n.antennaGainDbi);
    }
    expect(new Set(city.nodes.map((n) => n.board))).toEqual(new Set(boardIds));
  });

  test('is clumped, not uniform: hotspot counts in 500 m squares vary more than random points would', () => {
    const counts = new Array(100).fill(0);
    for (const n of city.nodes) counts[Math.min(9, Math.floor((n.yM + 2500) / 500)) * 10 + Math.min(9, Math.floor((n.xM + 2500) / 500))]++;
    const mean = 1;
    const variance = counts.reduce((sum, c) => sum + (c - mean) ** 2, 0) / counts.length;
    // Uniform random points give a variance-to-mean ratio near 1 (Poisson).
    expect(variance / mean).toBeGreaterThan(1.5);
  });

  test('the Oulu median range on EU868 reaches across the whole city for its weakest link', () => {
    expect(pocSensitivityDbm('EU868')).toBeCloseTo(-137.03, 2);
    const weakest = linkBudgetDb(20, 2, 2, pocSensitivityDbm('EU868'));
    expect(weakest).toBeCloseTo(161.03, 2);
    expect(medianRangeM(OULU, weakest) / 1000).toBeCloseTo(24.1, 1);
    expect(medianRangeM(OULU, linkBudgetDb(22, 3, 3, pocSensitivityDbm('EU868'))) / 1000).toBeCloseTo(35.9, 1);
    expect(Math.min(...city.nodes.map((n) => n.txPowerDbm))).toBe(20);
    expect(medianRangeM(OULU, weakest)).toBeGreaterThan(Math.hypot(5000, 5000));
  });

  test('so without clutter loss the median beacon would have every hotspot but its closest neighbours as a witness', () => {
    expect(median(candidates(city.nodes, ouluReachM))).toBe(98);
  });

  test('with the city\'s clutter loss, the median beacon has 5–15 witnesses beyond the minimum distance', () => {
    expect(city.air.clutterLossDb).toBe(40);
    const count = median(witnessesThroughTheAir(city));
    expect(count).toBeGreaterThanOrEqual(5);
    expect(count).toBeLessThanOrEqual(15);
    expect(median(witnessesThroughTheAir({ ...city, air: { ...city.air, clutterLossDb: 0 } }))).toBeGreaterThan(90);
  });

  test('the minimum distance of 8 res-11 cells falls between 280 and 400 m for city hotspots', () => {
    const edge = getHexagonEdgeLengthAvg(RESOLUTION, UNITS.m);
    expect(edge * Math.sqrt(3) * MIN_CELLS * (Math.sqrt(3) / 2)).toBeCloseTo(344, 0);
    expect(edge * Math.sqrt(3) * MIN_CELLS).toBeCloseTo(397, 0);
    const cells = city.nodes.map((n) => latLngToCell(n.lat, n.lon, ASSERT_RESOLUTION));
    city.nodes.forEach((a, i) => city.nodes.forEach((b, j) => {
      if (j <= i) return;
      const passes = parentGridDistance(cells[i], cells[j], RESOLUTION) >= MIN_CELLS;
      if (distanceM(a, b) < 280) expect(passes).toBe(false);
      if (distanceM(a, b) > 400) expect(passes).toBe(true);
    }));
  });

  test('within 1 km the median hotspot has 5–15 neighbours beyond the minimum distance', () => {
    const count = median(candidates(city.nodes, () => 1000));
    expect(count).toBeGreaterThanOrEqual(5);
    expect(count).toBeLessThanOrEqual(15);
  });
});

test('a city of 1,000 keeps the density: 4 per km², 5–15 neighbours within 1 km and 5–15 witnesses through the air', () => {
  const big = loadScenario('city', { nodes: 1000 });
  expect(big.nodes.length / (big.area!.widthKm * big.area!.heightKm)).toBeCloseTo(4, 9);
  const count = median(candidates(big.nodes, () => 1000));
  expect(count).toBeGreaterThanOrEqual(5);
  expect(count).toBeLessThanOrEqual(15);
  const witnesses = median(witnessesThroughTheAir(big));
  expect(witnesses).toBeGreaterThanOrEqual(5);
  expect(witnesses).toBeLessThanOrEqual(15);
});

test('rural hotspots are sparse, on masts, over 30 × 30 km', () => {
  const rural = loadScenario('rural');
  for (const n of rural.nodes) {
    expect(Math.max(Math.abs(n.xM), Math.abs(n.yM))).toBeLessThanOrEqual(15_000);
    expect(n.heightM).toBeGreaterThanOrEqual(15);
    expect(n.heightM).toBeLessThanOrEqual(40);
  }
  // 40 on 900 km², against the city's 4 per km².
  expect(rural.nodes.length / (rural.area!.widthKm * rural.area!.heightKm)).toBeLessThan(0.05);
});

test('a grid is regular: rows and columns spacingM apart, centred, every hotspot alike', () => {
  const grid = loadScenario('grid');
  expect(grid.nodes).toHaveLength(25);
  expect(grid.nodes.map((n) => [Math.round(n.xM), Math.round(n.yM)]).slice(0, 6)).toEqual([
    [-1000, 1000], [-500, 1000], [0, 1000], [500, 1000], [1000, 1000], [-1000, 500],
  ]);
  expect(new Set(grid.nodes.map((n) => `${n.board} ${n.antennaGainDbi} ${n.heightM} ${n.txPowerDbm}`)).size).toBe(1);
  expect(loadScenario('grid', { nodes: 7 }).nodes.map((n) => Math.round(n.yM))).toEqual([500, 500, 500, 0, 0, 0, -500]);
});

describe('the local plane', () => {
  const centre = { lat: 52.3676, lon: 4.9041 };

  test('metres and degrees convert back and forth', () => {
    const point = fromLocal(centre, { xM: 1234.5, yM: -678.9 });
    const back = toLocal(centre, point);
    expect(back.xM).toBeCloseTo(1234.5, 6);
    expect(back.yM).toBeCloseTo(-678.9, 6);
  });

  test('distances on it are within 0.1 % of the great circle across 5 × 5 km and 0.6 % across 50 × 50 km', () => {
    // Corner to corner, edge to edge and across the middle, both ways.
    const pairs = [[-1, -1, 1, 1], [-1, 1, 1, -1], [-1, 0, 1, 0], [0, -1, 0, 1], [-1, -1, 1, -1], [-1, 1, 1, 1]];
    for (const [half, tolerance] of [[2500, 0.001], [25_000, 0.006]] as const) {
      for (const [ax, ay, bx, by] of pairs) {
        const a = fromLocal(centre, { xM: ax * half, yM: ay * half });
        const b = fromLocal(centre, { xM: bx * half, yM: by * half });
        const sphere = greatCircleDistance([a.lat, a.lon], [b.lat, b.lon], UNITS.m);
        expect(Math.abs(Math.hypot((bx - ax) * half, (by - ay) * half) / sphere - 1)).toBeLessThan(tolerance);
      }
    }
  });
});
