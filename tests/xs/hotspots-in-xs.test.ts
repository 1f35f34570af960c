/**
 * The whole firmware runtime inside the XS engine: three hotspots (src/'s Hotspot on a Heltec V2 with an
 * SX1276, a Heltec V3 and a T3-S3 with SX1262s, all emulated) on one small test air, in one covey-xs
 * machine, with the device's own signer and verifier, for four beacon epochs. Entropy, onboarding and
 * receipt ingest are answered from the Node side by the fake oracle (tools/xs/oracle-answerer.ts), which
 * verifies what it stores.
 */
import { fileURLToPath } from 'node:url';
import { beaconDigest, entropyEpochAt, fromHex, toHex, type BeaconReport } from '../../proofs/index.js';
import type { FakeOracle } from '../../host-sim/oracle/fake-oracle.js';
import { oracleAnswerer, XS_ORACLE_KEY } from '../../tools/xs/oracle-answerer.js';
import { WALL_AT_START_MS } from '../../tools/xs/scenarios/hotspot-scenario.js';
import { runEntryInXsHost, type XsHostRun } from '../../tools/xs/xs-host.js';
import { citesIssuedEntropy, recordsOf, storedOnce, type UploaderRecords } from '../support/oracle-records.js';

const ENTRY = fileURLToPath(new URL('../../tools/xs/scenarios/hotspot-network-entry.ts', import.meta.url));
const EPOCHS = 4;
const INTERVAL_MS = 300_000;
const LOSS_DB = 100;
const FIRST_EPOCH = WALL_AT_START_MS / INTERVAL_MS;

let run: XsHostRun;
let oracle: FakeOracle;
let nodes: { key: Uint8Array; records: UploaderRecords }[];
let counters: Readonly<Record<string, number>>;

beforeAll(async () => {
  const answerer = oracleAnswerer();
  oracle = answerer.oracle;
  run = await runEntryInXsHost(ENTRY, {
    args: { epochs: EPOCHS, beaconIntervalMs: INTERVAL_MS, lossDb: LOSS_DB, oracleKey: toHex(XS_ORACLE_KEY) },
    answer: answerer.answer,
  });
  const report = run.report as { hotspots: { key: string }[] };
  nodes = report.hotspots.map(({ key }) => ({ key: fromHex(key), records: recordsOf(oracle, fromHex(key)) }));
  counters = run.turns[run.turns.length - 1].counters ?? {};
});

test('three hotspots ran, each onboarded itself with the oracle', () => {
  expect(nodes).toHaveLength(3);
  for (const { key } of nodes) expect(oracle.hotspots.get(toHex(key))).toMatchObject({ region: 'EU868' });
  expect(counters).toMatchObject({ onboardRequests: 3, logErrors: 0, radioErrors: 0, missedEpochs: 0 });
});

test('each hotspot beaconed once in every epoch', () => {
  for (const { records } of nodes) {
    expect(records.reports.map((r) => Math.floor(r.timeMs / INTERVAL_MS) - FIRST_EPOCH)).toEqual([0, 1, 2, 3]);
  }
});

test('each beacon cites entropy the oracle issued for it', () => {
  for (const { records } of nodes) {
    for (const report of records.reports) expect(citesIssuedEntropy(oracle, report, entropyEpochAt(report.timeMs))).toBe(true);
  }
});

test('each hotspot witnessed every beacon of the other two, once, and nothing else', () => {
  const beacons = new Map<string, { report: BeaconReport; by: Uint8Array }>();
  for (const { key, records } of nodes) for (const report of records.reports) beacons.set(toHex(beaconDigest(report.frame)), { report, by: key });
  expect(beacons.size).toBe(3 * EPOCHS);
  for (const { key, records } of nodes) {
    const heard = records.receipts.map((r) => beacons.get(toHex(r.beaconDigest)));
    expect(heard.every((beacon) => beacon !== undefined && toHex(beacon.by) !== toHex(key))).toBe(true);
    expect(new Set(records.receipts.map((r) => toHex(r.beaconDigest))).size).toBe(2 * EPOCHS);
    expect(records.receipts).toHaveLength(2 * EPOCHS);
  }
});

test('receipts state the signal as heard: data rate, frequency, RSSI for the path loss, time just after the beacon', () => {
  const reports = new Map(nodes.flatMap(({ records }) => records.reports.map((r) => [toHex(beaconDigest(r.frame)), r] as const)));
  for (const { records } of nodes) {
    for (const receipt of records.receipts) {
      const report = reports.get(toHex(receipt.beaconDigest)) as BeaconReport;
      expect(receipt.dataRate).toBe(report.dataRate);
      expect(Math.abs(receipt.frequencyHz - report.frequencyHz)).toBeLessThan(1000);
      expect(Math.abs(receipt.rssiDdbm - (report.txPowerDdbm - LOSS_DB * 10))).toBeLessThanOrEqual(10);
      expect(receipt.timeMs - report.timeMs).toBeGreaterThanOrEqual(0);
      expect(receipt.timeMs - report.timeMs).toBeLessThan(1000);
    }
  }
});

test('the oracle stored every report and receipt exactly once, each signature verifying', () => {
  expect(storedOnce(oracle)).toBe(true);
  for (const { records } of nodes) expect(records).toMatchObject({ other: 0, badSignatures: 0 });
  expect(oracle.stored).toHaveLength(3 * EPOCHS * 3);
  expect(counters).toMatchObject({ receiptsQueued: 3 * EPOCHS * 3, receiptsUploaded: 3 * EPOCHS * 3, queueSize: 0 });
});
