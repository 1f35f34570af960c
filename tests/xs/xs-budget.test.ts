/**
 * The firmware runtime (src/'s Hotspot, in the hotspot scenario) stays within issue 4's XS budget per
 * hotspot, measured in covey-xs (the XS memory host, tools/xs-host/) the way a device would see it: live
 * objects above the baseline after every event-loop turn, the stack during runtime work, no growth across
 * cycles. 100 cycles here to stay fast; `npm run bench -- xs` runs 1,000. The run must have done the work
 * it claims: its counters, what the oracle on the Node side stored, and the same scenario run in Node
 * are checked too.
 */
import { entropyEpochAt, fromHex, toHex } from '../../proofs/index.js';
import type { FakeOracle } from '../../host-sim/oracle/fake-oracle.js';
import { oracleAnswerer, oracleOn, XS_ORACLE_KEY } from '../../tools/xs/oracle-answerer.js';
import { runScenarioInNode, type NodeScenarioRun } from '../../tools/xs/run-scenario-in-node.js';
import { createHotspotScenario } from '../../tools/xs/scenarios/hotspot-scenario.js';
import { meterSpec, XS_BUDGET, XS_SCENARIO, type XsScenarioFigures } from '../../tools/xs/xs-meter.js';
import { citesIssuedEntropy, recordsOf, storedOnce } from '../support/oracle-records.js';

const CYCLES = 100;
const ARGS = { cycles: CYCLES, oracleKey: toHex(XS_ORACLE_KEY) };

let figures: XsScenarioFigures;
let oracle: FakeOracle;

beforeAll(async () => {
  const answerer = oracleAnswerer();
  oracle = answerer.oracle;
  figures = await meterSpec(XS_SCENARIO, ARGS, answerer.answer);
});

test('the measured run did the work: beacons sent, frames heard, receipts made and uploaded', () => {
  for (const name of XS_SCENARIO.workCounters) expect(figures.counters[name]).toBeGreaterThan(0);
  expect(figures.cycles).toBe(CYCLES);
  // Two neighbours beacon after each of the hotspot's beacons; the air may lose one now and then.
  expect(figures.counters.receiptsMade).toBeGreaterThanOrEqual(1.9 * CYCLES);
  expect(figures.counters.receiptsUploaded).toBeGreaterThanOrEqual(figures.counters.receiptsQueued - 2);
  expect(figures.counters).toMatchObject({ logErrors: 0, radioErrors: 0, receiptsRejected: 0, receiptsDropped: 0 });
});

test(`live runtime objects stay within ${XS_BUDGET.maxLiveSlots} slots above the baseline`, () => {
  expect(figures.maxLiveSlots).toBeGreaterThan(0);
  expect(figures.maxLiveSlots).toBeLessThanOrEqual(XS_BUDGET.maxLiveSlots);
});

test(`live runtime chunks stay within ${XS_BUDGET.maxLiveChunkBytes} bytes above the baseline`, () => {
  expect(figures.maxLiveChunkBytes).toBeGreaterThan(0);
  expect(figures.maxLiveChunkBytes).toBeLessThanOrEqual(XS_BUDGET.maxLiveChunkBytes);
});

test(`the stack during runtime work stays within ${XS_BUDGET.stackPeakSlots} slots`, () => {
  expect(figures.stackPeakSlots).toBeGreaterThan(0);
  expect(figures.stackPeakSlots).toBeLessThanOrEqual(XS_BUDGET.stackPeakSlots);
});

test('live slots, chunks and keys do not grow from cycle to cycle', () => {
  expect(figures.slotGrowthPer1000Cycles).not.toBeNull();
  expect(figures.slotGrowthPer1000Cycles).toBeLessThanOrEqual(XS_BUDGET.slotGrowthPer1000Cycles);
  expect(figures.chunkGrowthBytesPer1000Cycles).toBeLessThanOrEqual(0);
  expect(figures.runtimeKeys).toBe(0);
});

test('beacon, witness and upload work is metered in computrons', () => {
  expect(figures.computePerUnit.beaconCycle).toBeGreaterThan(0);
  expect(figures.computePerUnit.witnessCycle).toBeGreaterThan(0);
  expect(figures.computePerUnit.upload).toBeGreaterThan(0);
});

test('the oracle on the Node side onboarded the hotspot and stored each item once, every signature verifying', () => {
  const key = fromHex((figures.report as { hotspotKey: string }).hotspotKey);
  expect(oracle.hotspots.get(toHex(key))?.region).toBe('EU868');
  const records = recordsOf(oracle, key);
  expect(records.reports.length + records.receipts.length).toBe(figures.counters.receiptsUploaded);
  expect(records).toMatchObject({ other: 0, badSignatures: 0 });
  expect(storedOnce(oracle)).toBe(true);
  // One beacon per one-minute epoch (the last report may still wait for its upload when the run ends),
  // each citing entropy the oracle issued for it.
  expect(records.reports.length).toBeGreaterThanOrEqual(CYCLES - 1);
  const epochs = records.reports.map((r) => Math.floor(r.timeMs / 60_000));
  expect(new Set(epochs).size).toBe(records.reports.length);
  expect(records.reports.every((r) => citesIssuedEntropy(oracle, r, entropyEpochAt(r.timeMs)))).toBe(true);
});

describe('the same scenario in Node', () => {
  let node: NodeScenarioRun;
  let nodeOracle: FakeOracle;

  beforeAll(async () => {
    node = await runScenarioInNode(createHotspotScenario((clock) => (nodeOracle = oracleOn(clock))), ARGS);
  });

  test('counts the same work as in XS', () => {
    expect(figures.counters).toEqual(node.counters);
  });

  test('uploads byte-identical items to its oracle as XS did', () => {
    const items = (o: FakeOracle) => o.stored.map((s) => `${s.uploaderHex}:${toHex(s.bytes)}`);
    expect(items(nodeOracle)).toEqual(items(oracle));
    expect(nodeOracle.stored.length).toBeGreaterThan(2 * CYCLES);
  });
});
