/** The SimReport fixture the report suites use (tests/support/sim-report-fixture.ts) is what it claims. */
import { lorasimReportFixture, simReportFixture } from '../support/sim-report-fixture.js';

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

test('the same options give the same report, byte for byte; another seed another', () => {
  const json = JSON.stringify(simReportFixture({ nodes: 30, seed: 7 }));
  expect(JSON.stringify(simReportFixture({ nodes: 30, seed: 7 }))).toBe(json);
  expect(JSON.stringify(simReportFixture({ nodes: 30, seed: 8 }))).not.toBe(json);
});

test('as many hotspots and distinct links as asked, each link between two different hotspots', () => {
  const { result } = simReportFixture({ nodes: 50, links: 321 });
  expect(result.perNode).toHaveLength(50);
  expect(result.nodes).toBe(50);
  expect(result.links).toHaveLength(321);
  expect(new Set(result.links.map((l) => `${l.from}>${l.to}`)).size).toBe(321);
  for (const link of result.links) expect(link.from).not.toBe(link.to);
});

test('totals agree with the per-hotspot and per-link figures', () => {
  const { result } = simReportFixture({ nodes: 40 });
  expect(sum(result.perNode.map((n) => n.beaconsSent))).toBe(result.beacons.sent);
  expect(sum(result.links.map((l) => l.receptions))).toBe(result.beacons.receptions);
  expect(sum(result.perNode.map((n) => n.witnessed))).toBe(result.beacons.receptions);
  expect(sum(result.perNode.map((n) => n.receiptsCreated))).toBe(result.receipts.created);
  expect(result.receipts.created - result.receipts.uploaded).toBe(result.receipts.queued);
  expect(sum(result.hourly.beacons)).toBe(result.beacons.sent);
  expect(sum(result.hourly.receipts)).toBe(result.receipts.created);
  expect(sum(result.rssiHistogram.counts)).toBe(result.beacons.receptions);
  expect(sum(result.links.map((l) => l.valid))).toBe(result.verdicts.witnesses.valid);
});

test('the LoRaSim report has no hotspots and a DER of received / sent', () => {
  const { result } = lorasimReportFixture();
  expect(result.nodes).toBe(0);
  expect(result.perNode).toHaveLength(0);
  expect(result.der?.der).toBeCloseTo((result.der?.received ?? 0) / (result.der?.sent ?? 1), 4);
});
