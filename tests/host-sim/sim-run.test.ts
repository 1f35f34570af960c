/**
 * The simulator end to end (host-sim/sim/): firmware hotspots over the simulated air uploading to a real
 * oracle on the virtual clock. The same scenario and seed give a byte-identical result, over HTTP and
 * in-process; a different seed gives another; the lorasim scenario reports a DER.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, resolveScenario, type Scenario } from '../../host-sim/scenario/index.js';
import { runSimulation } from '../../host-sim/sim/run.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-sim-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Nine hotspots 600 m apart for four hours: small enough to run in a second or two. */
function small(overrides: Record<string, unknown> = {}): Scenario {
  return resolveScenario({
    name: 'small', region: 'EU868', seed: 3, durationHours: 4, startTime: '2026-02-02T00:00:00Z',
    air: { model: 'oulu', shadowingSigmaDb: 7.8, clutterLossDb: 30 },
    area: { layout: 'grid', centre: { lat: 52.1, lon: 5.1 }, nodes: 9, spacingM: 600 },
    ingest: 'in-process',
    ...overrides,
  }, 'test');
}

const resultJson = async (scenario: Scenario) => JSON.stringify((await runSimulation(scenario, { outDir: dir })).result);

test('the same scenario and seed give a byte-identical result; another seed gives another', async () => {
  const first = await resultJson(small());
  expect(await resultJson(small())).toBe(first);
  expect(await resultJson(small({ seed: 4 }))).not.toBe(first);
  const result = JSON.parse(first);
  expect(result.nodes).toBe(9);
  expect(result.beacons.sent).toBeGreaterThan(0);
  // Every receipt a hotspot made reached the oracle, and the oracle judged every one.
  expect(result.receipts.uploaded).toBe(result.receipts.created);
  expect(result.verdicts.witnesses.pending + result.verdicts.beacons.pending).toBe(0);
  expect(result.verdicts.witnesses.valid).toBeGreaterThan(0);
}, 60_000);

test('over real HTTP on 127.0.0.1 the result is the same byte for byte as in-process', async () => {
  const inProcess = await resultJson(small());
  const overHttp = await resultJson(small({ ingest: 'http' }));
  expect(overHttp).toBe(inProcess);
}, 60_000);

test('what the report says agrees with itself: links, receptions, witnesses, hours', async () => {
  const { result, run } = await runSimulation(small(), { outDir: dir });
  const receptions = result.links.reduce((n, link) => n + link.receptions, 0);
  expect(receptions).toBe(result.beacons.receptions);
  expect(result.perNode.reduce((n, node) => n + node.witnessed, 0)).toBe(receptions);
  expect(result.perNode.reduce((n, node) => n + node.beaconsSent, 0)).toBe(result.beacons.sent);
  expect(result.hourly.beacons.reduce((a, b) => a + b, 0)).toBe(result.beacons.sent);
  expect(result.rssiHistogram.counts.reduce((a, b) => a + b, 0)).toBe(receptions);
  for (const link of result.links) {
    expect(link.valid).toBeLessThanOrEqual(link.receptions);
    expect(link.bestRssiDbm).toBeGreaterThanOrEqual(link.meanRssiDbm);
  }
  expect(result.airtime.perNodeMs).toEqual(result.perNode.map((node) => node.airtimeMs));
  expect(result.airtime.perNodeMs.reduce((a, b) => a + b, 0)).toBeCloseTo(result.airtime.totalMs, 1);
  expect(result.airtime.dutyCycle[0].maxPercent).toBeLessThanOrEqual(result.airtime.dutyCycle[0].limitPercent);
  expect(run.events).toBeGreaterThan(0);
  // The run's processor time: some, and no more than every core busy for all of its wall time.
  expect(run.cpuSeconds).toBeGreaterThan(0);
  expect(run.cpuSeconds).toBeLessThanOrEqual(run.wallSeconds * availableParallelism() + 0.5);
  expect(run.ingest).toBe('in-process');
}, 60_000);

test('the lorasim scenario reports LoRaSim\'s data extraction rate', async () => {
  const scenario = loadScenario('lorasim', { nodes: 50 });
  const { result, run } = await runSimulation({ ...scenario, lorasim: { ...scenario.lorasim!, simtimeMs: 3_600_000 } }, { outDir: dir });
  expect(result.nodes).toBe(0);
  expect(result.der?.nodes).toBe(50);
  expect(result.der?.sent).toBeGreaterThan(0);
  expect(run.events).toBe(2 * (result.der?.sent ?? 0)); // each packet's start and end
  expect(result.der?.der).toBeGreaterThan(0);
  expect(result.der?.der).toBeLessThanOrEqual(1);
});
