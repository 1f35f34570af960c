/**
 * The mapper role and mapper receipts inside the XS engine: src/'s Hotspot as a mapper on a T-Beam
 * (emulated SX1276) walking past two hotspots (Heltec V3 and T3-S3, emulated SX1262s) in one covey-xs
 * machine, with the device's own signer and verifier (tests/xs/entries/mapper-walk.ts). The oracle on the
 * Node side verifies and stores what they upload. The same walk in Node must upload the same bytes; a
 * mapper walking alone must stay within the XS budget the hotspot is held to (tools/xs/xs-meter.ts).
 */
import { fileURLToPath } from 'node:url';
import {
  beaconDigest, decodeMapperReceipt, decodeMapperReport, decodeMapperUplink, fromHex, MessageType, toHex,
  verifyMapperReceipt, verifyMapperReport, type MapperReport,
} from '../../proofs/index.js';
import type { FakeOracle } from '../../host-sim/oracle/fake-oracle.js';
import { oracleAnswerer, oracleOn, XS_ORACLE_KEY } from '../../tools/xs/oracle-answerer.js';
import { runScenarioInNode, type NodeScenarioRun } from '../../tools/xs/run-scenario-in-node.js';
import { meterScenario, XS_BUDGET, type XsScenarioFigures } from '../../tools/xs/xs-meter.js';
import { runEntryInXsHost, type XsHostRun } from '../../tools/xs/xs-host.js';
import { hostVerifier } from '../support/keys.js';
import { createMapperWalk, WALK_START_LAT_E7 } from './entries/mapper-walk.js';

const ENTRY = fileURLToPath(new URL('./entries/mapper-walk-entry.ts', import.meta.url));
const UPLINKS = 12;
const ARGS = { uplinks: UPLINKS, oracleKey: toHex(XS_ORACLE_KEY) };
const LOSS_DB = 100;

const storedBy = (oracle: FakeOracle, key: Uint8Array, type: number) =>
  oracle.stored.filter((s) => s.uploaderHex === toHex(key) && s.bytes[1] === type).map((s) => s.bytes);

describe('a mapper walking past two hotspots, in XS', () => {
  let run: XsHostRun;
  let oracle: FakeOracle;
  let counters: Readonly<Record<string, number>>;
  let mapperKey: Uint8Array;
  let hotspotKeys: Uint8Array[];
  let reports: MapperReport[];

  beforeAll(async () => {
    const answerer = oracleAnswerer();
    oracle = answerer.oracle;
    // The oracle is unreachable for the first 3 minutes of the walk: the reports wait in the queue.
    oracle.addOutage(0, 180_000);
    run = await runEntryInXsHost(ENTRY, { args: { ...ARGS, walkLogAtMs: 170_000 }, answer: answerer.answer });
    const report = run.report as { mapperKey: string; hotspotKeys: string[] };
    mapperKey = fromHex(report.mapperKey);
    hotspotKeys = report.hotspotKeys.map(fromHex);
    counters = run.turns[run.turns.length - 1].counters ?? {};
    reports = storedBy(oracle, mapperKey, MessageType.MapperReport).map((b) => decodeMapperReport(b));
  });

  test('the mapper sent every uplink, with counters 0, 1, 2, …, and the oracle stored each report once', () => {
    expect(counters).toMatchObject({
      uplinksSent: UPLINKS, uplinksSkippedNoFix: 0, uplinksRefused: 0, reportsQueued: UPLINKS, reportsUploaded: UPLINKS,
      mapperQueueSize: 0, logErrors: 0, radioErrors: 0, entropyRequests: 0,
    });
    expect(reports.map((r) => decodeMapperUplink(r.frame).counter)).toEqual(Array.from({ length: UPLINKS }, (_, i) => i));
    expect(reports.every((r) => verifyMapperReport(r, hostVerifier))).toBe(true);
    expect(new Set(oracle.stored.map((s) => s.idHex)).size).toBe(oracle.stored.length);
  });

  test('the uplinks carry the walk: due east at 1.5 m/s, an uplink every 47 s, 70.5 m apart', () => {
    const uplinks = reports.map((r) => decodeMapperUplink(r.frame));
    expect(uplinks.every((u) => u.latE7 === WALK_START_LAT_E7 && u.hdopDeci === 9 && u.satellites === 9 && u.altitudeM === 34)).toBe(true);
    // 70.5 m east at 52.5163° N is 10,418.8 × 10^-7 degrees of longitude (on the mean Earth radius).
    const steps = uplinks.slice(1).map((u, i) => u.lonE7 - uplinks[i].lonE7);
    expect(steps.every((step) => step === 10_418 || step === 10_419)).toBe(true);
    // TxDone times, 47 s apart give or take the emulated chip's millisecond.
    const gaps = reports.slice(1).map((r, i) => r.timeMs - reports[i].timeMs);
    expect(gaps.every((gap) => Math.abs(gap - 47_000) <= 1)).toBe(true);
  });

  test('each hotspot made one MapperReceipt for every uplink, signed by it, with the signal as heard', () => {
    expect(counters.mapperReceiptsMade).toBe(2 * UPLINKS);
    expect(counters.forgedUplinks).toBe(0);
    const byDigest = new Map(reports.map((r) => [toHex(beaconDigest(r.frame)), r]));
    for (const key of hotspotKeys) {
      const receipts = storedBy(oracle, key, MessageType.MapperReceipt).map((b) => decodeMapperReceipt(b));
      expect(receipts).toHaveLength(UPLINKS);
      expect(new Set(receipts.map((r) => toHex(r.beaconDigest)))).toEqual(new Set(byDigest.keys()));
      for (const receipt of receipts) {
        const report = byDigest.get(toHex(receipt.beaconDigest)) as MapperReport;
        expect(verifyMapperReceipt(receipt, key, hostVerifier)).toBe(true);
        expect(Math.abs(receipt.rssiDdbm - (report.txPowerDdbm - LOSS_DB * 10))).toBeLessThanOrEqual(10);
        expect(receipt.timeMs - report.timeMs).toBeGreaterThanOrEqual(0);
        expect(receipt.timeMs - report.timeMs).toBeLessThan(1000);
      }
    }
  });

  test('the walk log answered in XS with the reports waiting out the outage, as uploaded later', () => {
    const { walkLog } = run.report as { walkLog: string[] };
    // Uplinks at 0, 47, 94 and 141 s were queued by 170 s; the oracle came back at 180 s.
    expect(walkLog).toHaveLength(5);
    expect(walkLog[4]).toBe('covey-walk-end 4');
    const uploaded = storedBy(oracle, mapperKey, MessageType.MapperReport).slice(0, 4).map(toHex);
    expect(walkLog.slice(0, 4)).toEqual(uploaded.map((hex) => `covey-walk ${hex}`));
  });

  describe('the same walk in Node', () => {
    let node: NodeScenarioRun;
    let nodeOracle: FakeOracle;

    beforeAll(async () => {
      node = await runScenarioInNode(createMapperWalk((clock) => {
        nodeOracle = oracleOn(clock);
        nodeOracle.addOutage(0, 180_000);
        return nodeOracle;
      }), { ...ARGS, walkLogAtMs: 170_000 });
    });

    test('counts the same work as in XS', () => {
      expect(node.counters).toEqual(counters);
    });

    test('uploads byte-identical items to its oracle as XS did', () => {
      const items = (o: FakeOracle) => o.stored.map((s) => `${s.uploaderHex}:${toHex(s.bytes)}`);
      expect(items(nodeOracle)).toEqual(items(oracle));
      expect(nodeOracle.stored).toHaveLength(3 * UPLINKS);
    });
  });
});

describe('a mapper walking alone, metered in XS', () => {
  const CYCLES = 60;
  let figures: XsScenarioFigures;
  let oracle: FakeOracle;

  beforeAll(async () => {
    const answerer = oracleAnswerer();
    oracle = answerer.oracle;
    // On a Heltec V3 (SX1262), the board the hotspot budget is measured on. On a T-Beam the SX127x
    // driver's first open makes one property key, and its channel check with the emulated SX1276 runs
    // about 18 slots deeper (docs/firmware.md, "The mapper role").
    figures = await meterScenario(ENTRY, {
      args: { ...ARGS, uplinks: CYCLES, hotspots: [], board: 'heltec_v3' },
      answer: answerer.answer,
      cycleCounter: 'uplinksSent',
      computeCounters: ['uplinksSent'],
      computeUnits: { uplink: { work: ['uplinksSent'], per: 'uplinksSent' }, upload: { work: ['uploadRequests'], per: 'uploadRequests' } },
    });
  });

  test('did the work: every uplink sent, reported and uploaded', () => {
    expect(figures.cycles).toBe(CYCLES);
    expect(figures.counters).toMatchObject({ uplinksSent: CYCLES, reportsUploaded: CYCLES, onboardRequests: 1, logErrors: 0, radioErrors: 0 });
    const key = fromHex((figures.report as { mapperKey: string }).mapperKey);
    expect(storedBy(oracle, key, MessageType.MapperReport)).toHaveLength(CYCLES);
    expect(oracle.hotspots.get(toHex(key))?.latE7).toBe(WALK_START_LAT_E7);
  });

  test(`live objects stay within ${XS_BUDGET.maxLiveSlots} slots and ${XS_BUDGET.maxLiveChunkBytes} chunk bytes above the baseline`, () => {
    expect(figures.maxLiveSlots).toBeGreaterThan(0);
    expect(figures.maxLiveSlots).toBeLessThanOrEqual(XS_BUDGET.maxLiveSlots);
    expect(figures.maxLiveChunkBytes).toBeGreaterThan(0);
    expect(figures.maxLiveChunkBytes).toBeLessThanOrEqual(XS_BUDGET.maxLiveChunkBytes);
  });

  test(`the stack stays within ${XS_BUDGET.stackPeakSlots} slots`, () => {
    expect(figures.stackPeakSlots).toBeGreaterThan(0);
    expect(figures.stackPeakSlots).toBeLessThanOrEqual(XS_BUDGET.stackPeakSlots);
  });

  test('live slots and chunks do not grow from uplink to uplink, and no keys are made at run time', () => {
    expect(figures.slotGrowthPer1000Cycles).not.toBeNull();
    expect(figures.slotGrowthPer1000Cycles).toBeLessThanOrEqual(XS_BUDGET.slotGrowthPer1000Cycles);
    expect(figures.chunkGrowthBytesPer1000Cycles).toBeLessThanOrEqual(0);
    expect(figures.runtimeKeys).toBe(0);
  });

  test('an uplink cycle is metered in computrons', () => {
    expect(figures.computePerUnit.uplink).toBeGreaterThan(0);
    expect(figures.computePerUnit.upload).toBeGreaterThan(0);
  });
});
