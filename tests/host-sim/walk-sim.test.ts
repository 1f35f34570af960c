/**
 * Coverage walks in the simulator: a mapper carried along a track through the real firmware, GPS driver
 * and air. The analytic case: one hotspot, no shadowing, no clutter, a straight drive east: every uplink
 * is heard up to the distance where the link budget ends and none beyond it, and the map's cells say the
 * same. Also: the sample walk through the city is reproducible byte for byte, and GPS fix loss shows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { greatCircleDistance, latLngToCell } from 'h3-js';
import { linkBudgetDb, loadScenario, medianRangeM, pocSensitivityDbm, resolveScenario, type Scenario } from '../../host-sim/scenario/index.js';
import { txPowerFor } from '../../host-sim/scenario/radio-limits.js';
import { runSimulation } from '../../host-sim/sim/run.js';
import { parseGpx, type Track } from '../../host-sim/walk/gpx.js';
import { WALK_DEFAULTS } from '../../host-sim/walk/walker.js';
import { aggregateCoverage } from '../../tools/coverage/aggregate.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-walk-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOTSPOT = { lat: 52.0, lon: 5.0 };
const LAW = { d0M: 1000, pl0Db: 151.5, exponent: 3.5 };
const HOTSPOT_GAIN_DBI = 3;
const START = '2026-03-02T00:00:00Z';

/** One hotspot, a log-distance law without shadowing or clutter, an hour. */
function lonely(): Scenario {
  return resolveScenario({
    name: 'lonely', region: 'EU868', seed: 5, durationHours: 1, startTime: START,
    air: { model: 'log-distance', params: LAW, shadowingSigmaDb: 0, clutterLossDb: 0 },
    nodes: [{ name: 'mast', lat: HOTSPOT.lat, lon: HOTSPOT.lon, board: 'heltec_v3', antennaGainDbi: HOTSPOT_GAIN_DBI, heightM: 10 }],
    ingest: 'in-process',
  }, 'test');
}

/** Due east from `fromM` to `toM` metres from the hotspot at `speed` m/s, a point every 5 s. */
function driveEast(fromM: number, toM: number, speed: number): Track {
  const metresPerDegree = (Math.PI / 180) * 6_371_007.180918475 * Math.cos((HOTSPOT.lat * Math.PI) / 180);
  const points = [];
  const t0 = Date.parse('2026-03-01T08:00:00Z');
  for (let s = 0; fromM + speed * s <= toM; s += 5) {
    points.push({ timeMs: t0 + s * 1000, lat: HOTSPOT.lat, lon: HOTSPOT.lon + (fromM + speed * s) / metresPerDegree, elevationM: 1, segment: 0 });
  }
  return { name: 'east', points };
}

test('heard up to the distance where the link budget ends, unheard beyond, and the map agrees', async () => {
  const scenario = lonely();
  const walkerPower = txPowerFor('EU868', WALK_DEFAULTS.board, WALK_DEFAULTS.antennaGainDbi).txPowerDbm!;
  const budget = linkBudgetDb(walkerPower, WALK_DEFAULTS.antennaGainDbi, HOTSPOT_GAIN_DBI, pocSensitivityDbm('EU868'));
  const rangeM = medianRangeM(LAW, budget);
  expect(rangeM).toBeGreaterThan(1500);
  expect(rangeM).toBeLessThan(3000);
  const { result } = await runSimulation(scenario, {
    outDir: dir, walk: { track: driveEast(200, rangeM + 1500, 3), source: 'east.gpx', startAfterMs: 5 * 60_000 },
  });
  const walk = result.walk!;
  expect(walk.uplinks.sent).toBe(walk.uplinks.atOracle);
  const distanceOf = (u: { latE7: number; lonE7: number }) => greatCircleDistance([u.latE7 / 1e7, u.lonE7 / 1e7], [HOTSPOT.lat, HOTSPOT.lon], 'm');
  const near = walk.coverage.filter((u) => distanceOf(u) < rangeM * 0.95);
  const far = walk.coverage.filter((u) => distanceOf(u) > rangeM * 1.05);
  expect(near.length).toBeGreaterThan(10);
  expect(far.length).toBeGreaterThan(5);
  for (const uplink of near) expect(uplink.heardBy.map((h) => h.rssiDdbm >= -1370)).toEqual([true]);
  for (const uplink of far) expect(uplink.heardBy).toEqual([]);
  // Near the edge the RSSI is close to the sensitivity; close in, it is what the law says (±1 dB).
  const first = walk.coverage[0];
  const expectedRssi = walkerPower + WALK_DEFAULTS.antennaGainDbi + HOTSPOT_GAIN_DBI - (LAW.pl0Db + 10 * LAW.exponent * Math.log10(distanceOf(first) / LAW.d0M));
  expect(Math.abs(first.heardBy[0].rssiDdbm / 10 - expectedRssi)).toBeLessThan(1);

  const { cells } = aggregateCoverage(walk.coverage, { res: 9 });
  const cellOf = (u: { latE7: number; lonE7: number }) => latLngToCell(u.latE7 / 1e7, u.lonE7 / 1e7, 9);
  const farthest = (h3: string) => Math.max(...walk.coverage.filter((u) => cellOf(u) === h3).map(distanceOf));
  const nearest = (h3: string) => Math.min(...walk.coverage.filter((u) => cellOf(u) === h3).map(distanceOf));
  const heard = cells.filter((c) => c.state === 'heard');
  const unheard = cells.filter((c) => c.state === 'unheard');
  expect(heard.length).toBeGreaterThan(3);
  expect(unheard.length).toBeGreaterThan(2);
  for (const cell of cells) {
    if (farthest(cell.h3) < rangeM * 0.95) expect([cell.h3, cell.state]).toEqual([cell.h3, 'heard']);
    if (nearest(cell.h3) > rangeM * 1.05) expect([cell.h3, cell.state]).toEqual([cell.h3, 'unheard']);
  }
}, 120_000);

test('the sample walk through the city gives the same result twice, and its uplinks at the oracle', async () => {
  const track = parseGpx(readFileSync(fileURLToPath(new URL('../fixtures/walk.gpx', import.meta.url)), 'utf8'));
  const scenario = { ...loadScenario('city', { hours: 1 }), ingest: 'in-process' as const };
  const run = async () => (await runSimulation(scenario, { outDir: dir, walk: { track, source: 'walk.gpx' } })).result;
  const first = await run();
  const second = await run();
  expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  const walk = first.walk!;
  expect(walk.track).toBe('city-east');
  expect(walk.distanceM).toBeGreaterThan(10_000);
  expect(walk.uplinks.sent).toBeGreaterThan(30);
  expect(walk.uplinks.atOracle).toBe(walk.uplinks.sent);
  expect(walk.uplinks.heard).toBeGreaterThan(walk.uplinks.sent / 2);
  expect(walk.uplinks.hearings).toBe(walk.coverage.reduce((n, u) => n + u.heardBy.length, 0));
  // Counters run from 0 without a gap; every uplink is where the track was, within GPS rounding.
  expect(walk.coverage.map((u) => u.counter)).toEqual(walk.coverage.map((_, i) => i));
  for (const uplink of walk.coverage) {
    const onTrack = track.points.some((p) => greatCircleDistance([p.lat, p.lon], [uplink.latE7 / 1e7, uplink.lonE7 / 1e7], 'm') < 60);
    expect(onTrack).toBe(true);
  }
  // The walk's own receptions do not count as beacon witnesses.
  expect(first.links.every((link) => link.from < first.nodes && link.to < first.nodes)).toBe(true);
}, 180_000);

test('a GPS that never gets a fix sends nothing and says so; one that often loses it still maps', async () => {
  const track = driveEast(200, 3000, 3);
  const run = async (fixLossPerSecond: number) =>
    (await runSimulation(lonely(), { outDir: dir, walk: { track, source: 'east.gpx', startAfterMs: 5 * 60_000, fixLossPerSecond } })).result.walk!;
  const blind = await run(1);
  expect(blind.uplinks.sent).toBe(0);
  expect(blind.coverage).toEqual([]);
  // Due at switch-on (5 min into the run) and every 5 minutes after, to the end of the hour: 12 times.
  expect(blind.uplinks.skippedNoFix).toBe(12);
  const lossy = await run(0.5);
  expect(lossy.uplinks.sent).toBeGreaterThan(5);
  expect(lossy.uplinks.heard).toBeGreaterThan(0);
}, 120_000);
