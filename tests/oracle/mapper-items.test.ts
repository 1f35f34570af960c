/**
 * Mapper items in the oracle: mapper reports and receipts uploaded in ordinary batches are checked,
 * stored and acknowledged like any item, never reach the proof-of-coverage verifier or its rewards, and
 * come back from coverageUplinks() as uplinks with the hotspots that heard them.
 */
import {
  AckStatus, beaconDigest, decodeUploadAck, encodeUploadBatch, hotspotAddress, Reason, signMapperReceipt, toHex,
  type BatchItem, type Signer,
} from '../../proofs/index.js';
import { PreparePool } from '../../tools/oracle/prepare-pool.js';
import { signerFor } from '../support/keys.js';
import { onboardBody, startTestOracle, type TestOracle } from '../support/oracle-harness.js';
import { entropyRecord, signedBeaconReport, signedReceipt } from '../support/oracle-items.js';
import { mapperItem, mapperReceiptItem, signedMapperReceipt, signedMapperReport } from './mapper-fixtures.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** 2026-11-02 06:00 UTC: a beacon interval and a reward epoch both begin here. */
const START = Date.UTC(2026, 10, 2, 6);
const ENTROPY = entropyRecord(START / MINUTE);

const mapper = signerFor('mapper items walker');
/** Three hotspots about 2 km apart in Amsterdam, each in reach of the others. */
const HOTSPOTS: readonly (readonly [Signer, number, number])[] = [
  [signerFor('mapper items hotspot a'), 52.37, 4.89],
  [signerFor('mapper items hotspot b'), 52.37, 4.92],
  [signerFor('mapper items hotspot c'), 52.39, 4.905],
];
const [alice, bob] = HOTSPOTS.map(([signer]) => signer);

const batch = (uploader: Signer, items: readonly BatchItem[]) => encodeUploadBatch({ uploader: uploader.publicKey, items: [...items] });

async function upload(t: TestOracle, uploader: Signer, items: readonly BatchItem[]) {
  const response = await t.post('/v1/receipts', batch(uploader, items));
  if (response.status !== 200) return { status: response.status, results: [] };
  const ack = decodeUploadAck(new Uint8Array(await response.arrayBuffer()));
  return { status: 200, results: ack.results.map((r) => [r.status, r.reason]) };
}

async function onboardAll(t: TestOracle, withMapper: boolean): Promise<void> {
  for (const [signer, lat, lon] of HOTSPOTS) expect((await t.post('/v1/hotspots', onboardBody(signer, lat, lon, START))).status).toBe(201);
  // A mapper uploads as any node does, so it onboards too (where it was set up).
  if (withMapper) expect((await t.post('/v1/hotspots', onboardBody(mapper, 52.3, 4.8, START))).status).toBe(201);
}

const STORED = [AckStatus.Stored, Reason.none];
const DUPLICATE = [AckStatus.Duplicate, Reason.none];
const rejected = (reason: number) => [AckStatus.Rejected, reason];

describe('uploading mapper items over HTTP', () => {
  let t: TestOracle;
  beforeEach(async () => {
    t = await startTestOracle({ startMs: START + 21_000 });
    await onboardAll(t, true);
    await t.oracle.store.putEntropy(ENTROPY);
  });
  afterEach(async () => {
    await t.close();
  });

  test('a mixed batch is stored and acknowledged item by item; sent again, every item is a duplicate', async () => {
    const beacon = signedBeaconReport(alice, { entropy: ENTROPY });
    const ownUplink = signedMapperReport(alice, { timeMs: START + 15_000, counter: 7 });
    const walk = signedMapperReport(mapper, { timeMs: START + 16_000 });
    const items: BatchItem[] = [
      { kind: 'beacon', report: beacon },
      { kind: 'witness', receipt: signedReceipt(signedBeaconReport(bob, { entropy: ENTROPY }), alice, { rssiDdbm: -1000 }) },
      mapperItem(ownUplink),
      mapperReceiptItem(signedMapperReceipt(walk, alice, { rssiDdbm: -1085, snrDdb: -35 })),
    ];
    expect(await upload(t, alice, items)).toEqual({ status: 200, results: [STORED, STORED, STORED, STORED] });
    expect(await upload(t, alice, items)).toEqual({ status: 200, results: [DUPLICATE, DUPLICATE, DUPLICATE, DUPLICATE] });
    // Only the beacon report and the witness receipt wait for a verdict.
    expect((await t.oracle.store.counts()).pending).toBe(2);
    // The walk's receipt waits for its report; alice's own uplink is there, heard by nobody.
    expect((await t.oracle.store.coverageUplinks()).uplinks.map((u) => [u.mapper, u.counter, u.heardBy.length])).toEqual([
      [hotspotAddress(alice.publicKey), 7, 0],
    ]);
    t.clock.nowMs += 3_600_000; // the mapper uploads its log an hour later
    expect(await upload(t, mapper, [mapperItem(walk)])).toEqual({ status: 200, results: [STORED] });
    const { uplinks } = await t.oracle.store.coverageUplinks();
    expect(uplinks[1]).toMatchObject({
      digest: toHex(beaconDigest(walk.frame)), mapper: hotspotAddress(mapper.publicKey),
      heardBy: [{ hotspot: hotspotAddress(alice.publicKey), latE7: 523_700_000, lonE7: 48_900_000, rssiDdbm: -1085, snrDdb: -35 }],
    });
    const metrics = await (await t.get('/metrics')).text();
    expect(metrics).toMatch(/^covey_oracle_mapper_items_total\{kind="report"\} 2$/m);
    expect(metrics).toMatch(/^covey_oracle_mapper_items_total\{kind="receipt"\} 1$/m);
    expect(metrics).toMatch(/^covey_oracle_items_total\{outcome="stored",reason="none"\} 5$/m);
    expect(metrics).toMatch(/^covey_oracle_items_total\{outcome="duplicate",reason="none"\} 4$/m);
  });

  test('an item repeated inside one batch is stored once', async () => {
    const receipt = mapperReceiptItem(signedMapperReceipt(signedMapperReport(mapper, { timeMs: START }), bob, { rssiDdbm: -1100 }));
    expect(await upload(t, bob, [receipt, receipt])).toEqual({ status: 200, results: [STORED, DUPLICATE] });
  });

  test('a mapper report of someone else\'s uplink is wrong_signer; with nothing else in the batch, 422', async () => {
    const walk = mapperItem(signedMapperReport(mapper, { timeMs: START }));
    const own = mapperItem(signedMapperReport(bob, { timeMs: START }));
    expect(await upload(t, bob, [own, walk])).toEqual({ status: 200, results: [STORED, rejected(Reason.wrong_signer)] });
    expect(await upload(t, bob, [walk])).toEqual({ status: 422, results: [] });
    expect((await t.oracle.store.coverageUplinks()).uplinks.map((u) => u.mapper)).toEqual([hotspotAddress(bob.publicKey)]);
  });

  test('altered or foreign signatures are bad_signature, and a witness receipt\'s signature does not make a mapper receipt', async () => {
    const walk = signedMapperReport(mapper, { timeMs: START });
    const good = signedMapperReceipt(walk, bob, { rssiDdbm: -1100 });
    const report = signedMapperReport(bob, { timeMs: START });
    // The fields of a mapper receipt, signed as a WitnessReceipt (another signature tag).
    const asWitness = signedReceipt(signedBeaconReport(alice, { entropy: ENTROPY }), bob, { rssiDdbm: -1100 });
    const items: BatchItem[] = [
      mapperReceiptItem(good),
      mapperItem({ ...report, txPowerDdbm: report.txPowerDdbm + 10 }),
      mapperReceiptItem({ ...good, rssiDdbm: good.rssiDdbm + 100 }),
      mapperReceiptItem(signedMapperReceipt(walk, alice, { rssiDdbm: -1100 })),
      mapperReceiptItem(asWitness),
    ];
    expect(await upload(t, bob, items)).toEqual({
      status: 200, results: [STORED, ...Array.from({ length: 4 }, () => rejected(Reason.bad_signature))],
    });
    // The honest version of the relabelled receipt is accepted: only the tag was wrong.
    const { signature: _witnessTag, ...fields } = asWitness;
    const honest = signMapperReceipt(fields, bob);
    expect(await upload(t, bob, [mapperReceiptItem(honest)])).toEqual({ status: 200, results: [STORED] });
  });

  test('checked on worker threads, the same batch gets the same answer and the same records', async () => {
    const walk = signedMapperReport(mapper, { timeMs: START, counter: 3, hdopDeci: 7, satellites: 12, altitudeM: -20 });
    const items = [mapperItem(walk), mapperReceiptItem(signedMapperReceipt(walk, alice, { rssiDdbm: -990 }))];
    const pool = new PreparePool(1);
    const pooled = await startTestOracle({ startMs: START + 21_000, prepare: (body) => pool.prepare(body) });
    try {
      await onboardAll(pooled, true);
      for (const oracle of [t, pooled]) {
        expect(await upload(oracle, mapper, items.slice(0, 1))).toEqual({ status: 200, results: [STORED] });
        expect(await upload(oracle, alice, items.slice(1))).toEqual({ status: 200, results: [STORED] });
      }
      expect(await pooled.oracle.store.coverageUplinks()).toEqual(await t.oracle.store.coverageUplinks());
      expect((await t.oracle.store.coverageUplinks()).uplinks[0]).toMatchObject({ counter: 3, hdop: 0.7, satellites: 12, altitudeM: -20 });
    } finally {
      await pooled.close();
      await pool.close();
    }
  });
});

/**
 * One honest day of PoC among the three hotspots (each beacons once, the other two witness it), with or
 * without a mapper walking among them: the mapper's reports, and receipts of them uploaded in the same
 * batches as the PoC items, one quoting a beacon's digest to look like a witness.
 */
async function pocDay(withMapper: boolean) {
  const t = await startTestOracle({ startMs: START });
  try {
    await onboardAll(t, withMapper);
    await t.oracle.store.putEntropy(ENTROPY);
    await t.oracle.verifier.runOnce(); // the first run loads the empty backlog; from then on ingest hands items over
    t.clock.nowMs = ENTROPY.timeMs + 21_000;
    const reports = HOTSPOTS.map(([signer], i) => signedBeaconReport(signer, { entropy: ENTROPY, nonce: Uint8Array.of(i, 0, 0, 0) }));
    const walk = [0, 1].map((counter) => signedMapperReport(mapper, { timeMs: ENTROPY.timeMs + 10_000 * counter, counter }));
    for (const [i, [signer]] of HOTSPOTS.entries()) {
      const items: BatchItem[] = [{ kind: 'beacon', report: reports[i] }];
      for (const [j, report] of reports.entries()) {
        if (j !== i) items.push({ kind: 'witness', receipt: signedReceipt(report, signer, { rssiDdbm: -1000 - 10 * j }) });
      }
      if (withMapper) {
        items.splice(1, 0, mapperReceiptItem(signedMapperReceipt(walk[i % 2], signer, { rssiDdbm: -1100 })));
        const other = reports[(i + 1) % reports.length];
        items.push(mapperReceiptItem(signMapperReceipt({
          beaconDigest: beaconDigest(other.frame), rssiDdbm: -900, snrDdb: 50, frequencyHz: other.frequencyHz,
          dataRate: other.dataRate, timeMs: other.timeMs + 500,
        }, signer)));
      }
      expect((await upload(t, signer, items)).results.every(([status]) => status === AckStatus.Stored)).toBe(true);
    }
    if (withMapper) expect((await upload(t, mapper, walk.map(mapperItem))).results).toEqual([STORED, STORED]);
    const pending = t.oracle.verifier.pendingCount;
    t.clock.nowMs += t.oracle.config.maxWitnessLagMs;
    const judged = await t.oracle.verifier.runOnce();
    const epoch = Math.floor(START / DAY);
    t.clock.nowMs = (epoch + 1) * DAY + t.oracle.config.unknownBeaconAfterMs + t.oracle.config.maxWitnessLagMs;
    const closed = await t.oracle.verifier.runOnce();
    const groups = await Promise.all(reports.map((report) => t.oracle.store.group(beaconDigest(report.frame))));
    const read = async (path: string) => (await t.get(path)).json();
    return {
      pending, judged, closed, groups, counts: await t.oracle.store.counts(),
      rewards: await read(`/v1/epochs/${epoch}/rewards`),
      hotspots: await Promise.all(HOTSPOTS.map(([signer]) => read(`/v1/hotspots/${hotspotAddress(signer.publicKey)}`))),
      mapperUplinks: (await t.oracle.store.coverageUplinks()).uplinks.length,
    };
  } finally {
    await t.close();
  }
}

describe('mapper items are not proof of coverage', () => {
  test('the verifier, the rewards and the hotspots\' records come out the same with and without them', async () => {
    const without = await pocDay(false);
    const withMapper = await pocDay(true);
    expect(withMapper.mapperUplinks).toBe(2);
    const { mapperUplinks: _a, ...poc } = withMapper;
    const { mapperUplinks: _b, ...reference } = without;
    expect(poc).toEqual(reference);
    // And the reference day is what it should be: nine items judged valid, three hotspots rewarded alike.
    expect(reference.pending).toBe(9);
    expect(reference.judged).toMatchObject({ judged: 9, verdicts: { 'beacon valid none': 3, 'witness valid none': 6 } });
    expect(reference.closed.closedEpochs).toHaveLength(1);
    expect((reference.rewards as { rewards: { beacons: number; witnesses: number }[] }).rewards.map((r) => [r.beacons, r.witnesses]))
      .toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(reference.hotspots[0]).toMatchObject({ beacons: { valid: 1, pending: 0 }, witnesses: { valid: 2, pending: 0 } });
  });
});
