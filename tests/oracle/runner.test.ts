/**
 * The verifier runner over a real store: when groups become ready, what it does with late arrivals, that
 * a restarted runner finds what was waiting, that a failed write is retried from the store, and when an
 * epoch closes.
 */
import { Reason, toHex, type Signer } from '../../proofs/index.js';
import { ORACLE_DEFAULTS, type OracleConfig } from '../../tools/oracle/config.js';
import type { ItemFields, StoredItem } from '../../tools/oracle/model.js';
import { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import { VerifierRunner } from '../../tools/oracle/verifier/runner.js';
import { signerFor } from '../support/keys.js';
import { ManualClock } from '../support/oracle-harness.js';
import {
  beaconReportFields, entropyRecord, hotspotAt, signedBeaconReport, signedReceipt, witnessReceiptFields,
} from '../support/oracle-items.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2, 6);
const entropy = entropyRecord(Math.floor(T0 / 60_000));
const beaconer = signerFor('runner beaconer');
const witnesses = [signerFor('runner witness 1'), signerFor('runner witness 2')];
const config: OracleConfig = { ...ORACLE_DEFAULTS };

async function setUp() {
  const store = SqliteStore.open(':memory:');
  // About 2 and 4 km east of the beaconer.
  await store.putHotspot(hotspotAt(beaconer, 52.37, 4.89));
  for (const [i, w] of witnesses.entries()) await store.putHotspot(hotspotAt(w, 52.37, 4.92 + 0.03 * i));
  await store.putEntropy(entropy);
  const clock = new ManualClock(T0);
  const runner = new VerifierRunner({ store, config, clock });
  const report = signedBeaconReport(beaconer, { entropy, timeMs: T0 - 2000 });
  const beacon = beaconReportFields(report, beaconer.publicKey, T0);
  const receipt = (w: Signer, receivedMs: number) =>
    witnessReceiptFields(signedReceipt(report, w, { rssiDdbm: -1100 }), w.publicKey, receivedMs);
  /** Stores items as ingest does: into the store, then into the runner's hands. */
  const ingest = async (...items: ItemFields[]) => {
    const fresh = await store.insertItems(items);
    runner.admit(items.filter((_, i) => fresh[i]));
  };
  const verdictOf = async (item: ItemFields): Promise<StoredItem | undefined> =>
    (await store.group(item.digest)).find((s) => toHex(s.id) === toHex(item.id));
  return { store, clock, runner, beacon, receipt, ingest, verdictOf };
}

test('a group waits for its witness window, then is judged; a witness arriving later is too_late once its own lag passes', async () => {
  const { clock, runner, beacon, receipt, ingest, verdictOf } = await setUp();
  await runner.runOnce(); // the first run loads the (empty) backlog
  const onTime = receipt(witnesses[0], T0 + 1500);
  await ingest(beacon, onTime);
  clock.nowMs = T0 + config.maxWitnessLagMs - 1;
  expect((await runner.runOnce()).judged).toBe(0);
  clock.nowMs = T0 + config.maxWitnessLagMs;
  expect((await runner.runOnce()).judged).toBe(2);
  expect(await verdictOf(onTime)).toMatchObject({ status: 'valid', selected: true });
  const late = receipt(witnesses[1], T0 + 60_000);
  clock.nowMs = late.receivedMs;
  await ingest(late);
  clock.nowMs = late.receivedMs + config.maxWitnessLagMs;
  expect((await runner.runOnce()).judged).toBe(1);
  expect(await verdictOf(late)).toMatchObject({ status: 'invalid', reason: Reason.too_late, side: 'witness' });
});

test('witnesses whose beacon report never comes are unknown_beacon after unknownBeaconAfterMs', async () => {
  const { clock, runner, receipt, ingest, verdictOf } = await setUp();
  await runner.runOnce();
  const orphan = receipt(witnesses[0], T0);
  await ingest(orphan);
  clock.nowMs = T0 + config.unknownBeaconAfterMs - 1;
  expect((await runner.runOnce()).judged).toBe(0);
  clock.nowMs = T0 + config.unknownBeaconAfterMs;
  expect((await runner.runOnce()).judged).toBe(1);
  expect(await verdictOf(orphan)).toMatchObject({ status: 'invalid', reason: Reason.unknown_beacon, side: 'beaconer' });
});

test('a new runner (an oracle restarted) finds the items left pending in the store', async () => {
  const { store, clock, runner, beacon, receipt, ingest, verdictOf } = await setUp();
  await runner.runOnce();
  const witness = receipt(witnesses[0], T0 + 100);
  await ingest(beacon, witness);
  const restarted = new VerifierRunner({ store, config, clock });
  clock.nowMs = T0 + config.maxWitnessLagMs;
  expect((await restarted.runOnce()).judged).toBe(2);
  expect(await verdictOf(witness)).toMatchObject({ status: 'valid' });
});

test('a second beacon in the same interval is irregular_interval, found in memory or, across a restart, in the store', async () => {
  const { store, clock, runner, beacon, ingest, verdictOf } = await setUp();
  // This runner has run since long before, so its memory covers the whole interval around each beacon.
  clock.nowMs = T0 - config.beaconIntervalMs - 60_000;
  await runner.runOnce();
  let askedStore = 0;
  const beaconsOf = store.beaconsOf.bind(store);
  store.beaconsOf = (...args) => {
    askedStore++;
    return beaconsOf(...args);
  };
  clock.nowMs = T0;
  await ingest(beacon);
  clock.nowMs = T0 + config.unknownBeaconAfterMs;
  await runner.runOnce();
  expect(await verdictOf(beacon)).toMatchObject({ status: 'valid' });
  // Another beacon by the same hotspot in the same 6 h bucket, judged by the same runner...
  const again = async (minutes: number) => {
    const fresh = entropyRecord(Math.floor(T0 / 60_000) + minutes);
    await store.putEntropy(fresh);
    return beaconReportFields(signedBeaconReport(beaconer, { entropy: fresh, timeMs: T0 + minutes * 60_000 }), beaconer.publicKey, T0 + minutes * 60_000);
  };
  const second = await again(50);
  clock.nowMs = second.receivedMs;
  await ingest(second);
  clock.nowMs += config.unknownBeaconAfterMs;
  await runner.runOnce();
  expect(await verdictOf(second)).toMatchObject({ status: 'invalid', reason: Reason.irregular_interval });
  expect(askedStore).toBe(0);
  // ...and a third by a runner started since, whose memory does not reach back to the first.
  const restarted = new VerifierRunner({ store, config, clock });
  await restarted.runOnce();
  const third = await again(100);
  clock.nowMs = third.receivedMs;
  await store.insertItems([third]);
  restarted.admit([third]);
  clock.nowMs += config.unknownBeaconAfterMs;
  await restarted.runOnce();
  expect(await verdictOf(third)).toMatchObject({ status: 'invalid', reason: Reason.irregular_interval });
  expect(askedStore).toBe(1);
});

test('when writing verdicts fails, the next run judges the same items again from the store', async () => {
  const { store, clock, runner, beacon, receipt, ingest, verdictOf } = await setUp();
  await runner.runOnce();
  const witness = receipt(witnesses[0], T0 + 100);
  await ingest(beacon, witness);
  clock.nowMs = T0 + config.maxWitnessLagMs;
  const save = store.saveVerdicts.bind(store);
  store.saveVerdicts = () => Promise.reject(new Error('disk full'));
  await expect(runner.runOnce()).rejects.toThrow('disk full');
  store.saveVerdicts = save;
  expect((await runner.runOnce()).judged).toBe(2);
  expect(await verdictOf(witness)).toMatchObject({ status: 'valid' });
});

test('an epoch closes only once it is over by the settling time; judging everything early closes nothing', async () => {
  const { store, clock, runner, beacon, receipt, ingest } = await setUp();
  await runner.runOnce();
  await ingest(beacon, receipt(witnesses[0], T0 + 100));
  const epoch = Math.floor(T0 / DAY);
  // Judge everything now, but close only what is over now (as `covey verify --now end` does).
  expect(await runner.runOnce(Number.MAX_SAFE_INTEGER, clock.nowMs)).toMatchObject({ judged: 2, closedEpochs: [] });
  const settle = config.unknownBeaconAfterMs + config.maxWitnessLagMs;
  clock.nowMs = (epoch + 1) * DAY + settle - 1;
  expect((await runner.runOnce()).closedEpochs).toEqual([]);
  clock.nowMs += 1;
  expect((await runner.runOnce()).closedEpochs).toEqual([epoch]);
  // Neither hotspot has the other half of reciprocity (no witness by the beaconer, no beacon by the witness).
  expect((await store.rewards(epoch))?.length).toBe(0);
});

test('a verdict that lands in an epoch earlier than the first open one is still closed, on the next run that can', async () => {
  const { store, clock, runner, beacon, receipt, ingest } = await setUp();
  const epoch = Math.floor(T0 / DAY);
  const settle = config.unknownBeaconAfterMs + config.maxWitnessLagMs;
  await runner.runOnce();
  // A group from the next day, judged first: the runner then knows epoch + 1 to be the first open one.
  const tomorrow = { ...beacon, id: new Uint8Array(16).fill(7), receivedMs: (epoch + 1) * DAY, digest: new Uint8Array(32).fill(9) };
  clock.nowMs = tomorrow.receivedMs;
  await ingest(tomorrow);
  clock.nowMs = (epoch + 1) * DAY + settle;
  expect(await runner.runOnce()).toMatchObject({ judged: 1, closedEpochs: [] });
  // Then items of the day before reach it (a restored backup, say), and are judged: that epoch closes.
  await ingest(beacon, receipt(witnesses[0], T0 + 100));
  clock.nowMs = (epoch + 1) * DAY + settle + 1;
  expect(await runner.runOnce()).toMatchObject({ judged: 2, closedEpochs: [epoch] });
  expect(await store.rewards(epoch)).toBeDefined();
});

