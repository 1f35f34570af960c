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
