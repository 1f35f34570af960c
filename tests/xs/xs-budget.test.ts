/**
 * The runtime scenario stays within issue 4's XS budget per hotspot, measured in covey-xs (the XS memory
 * host, tools/xs-host/) the way a device would see it: live objects above the baseline after every
 * event-loop turn, the stack during runtime work, no growth across cycles. 100 cycles here to stay fast;
 * `npm run bench -- xs` runs 1,000. The run must have done the work it claims, so its counters and its
 * last receipt are checked too, against the same scenario run in Node.
 */
import { decodeWitnessReceipt, fromHex, toHex, verifyWitnessReceipt } from '../../proofs/index.js';
import { HostVerifier } from '../../tools/crypto/node-ed25519.js';
import { runScenarioInNode, type NodeScenarioRun } from '../../tools/xs/run-scenario-in-node.js';
import { createWitnessScenario } from '../../tools/xs/scenarios/witness-scenario.js';
import { meterSpec, XS_BUDGET, XS_SCENARIO, type XsScenarioFigures } from '../../tools/xs/xs-meter.js';

const CYCLES = 100;

let figures: XsScenarioFigures;

beforeAll(async () => {
  figures = await meterSpec(XS_SCENARIO, { cycles: CYCLES });
});

test('the measured run did the work: beacons sent, frames heard, receipts made', () => {
  for (const name of XS_SCENARIO.workCounters) expect(figures.counters[name]).toBeGreaterThan(0);
  expect(figures.cycles).toBe(CYCLES);
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

test('live slots and chunks do not grow from cycle to cycle', () => {
  expect(figures.slotGrowthPer1000Cycles).not.toBeNull();
  expect(figures.slotGrowthPer1000Cycles).toBeLessThanOrEqual(XS_BUDGET.slotGrowthPer1000Cycles);
  expect(figures.chunkGrowthBytesPer1000Cycles).toBeLessThanOrEqual(0);
  expect(figures.runtimeKeys).toBe(0);
});

test('beacon and witness cycles are metered in computrons', () => {
  expect(figures.computePerEvent[XS_SCENARIO.beaconCounter]).toBeGreaterThan(0);
  expect(figures.computePerEvent[XS_SCENARIO.witnessCounter]).toBeGreaterThan(0);
});

describe('the same scenario in Node', () => {
  let node: NodeScenarioRun;

  beforeAll(async () => {
    node = await runScenarioInNode(createWitnessScenario(), { cycles: CYCLES });
  });

  test('counts the same work as in XS', () => {
    expect(figures.counters).toEqual(node.counters);
  });

  test('makes the same last receipt as XS, and it verifies under the witness key', () => {
    const report = figures.report as { lastReceipt: string; witnessKey: string };
    expect(report.lastReceipt).toBe(toHex(node.report?.lastReceipt as Uint8Array));
    const receipt = decodeWitnessReceipt(fromHex(report.lastReceipt));
    expect(verifyWitnessReceipt(receipt, fromHex(report.witnessKey), new HostVerifier())).toBe(true);
    expect(receipt.rssiDdbm).toBeLessThan(-900);
  });
});
