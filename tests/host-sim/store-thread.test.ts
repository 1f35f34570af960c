/**
 * The simulated oracle's database thread (host-sim/oracle/store-thread.ts): items cross to it unchanged,
 * the main thread's duplicate answers are the database's, its verifier judges as one on the main thread
 * does, and a write it cannot make fails the run instead of vanishing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { toHex, type Signer } from '../../proofs/index.js';
import { ORACLE_DEFAULTS, type OracleConfig } from '../../tools/oracle/config.js';
import type { UploadedItem } from '../../tools/oracle/model.js';
import { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import type { OracleStore } from '../../tools/oracle/store/store.js';
import { VerifierRunner, type OracleJudge } from '../../tools/oracle/verifier/runner.js';
import { chunkBuffers, InsertChunkWriter, readInsertChunk } from '../../host-sim/oracle/insert-chunk.js';
import { ItemKeySet, ItemTable } from '../../host-sim/oracle/item-keys.js';
import { MirrorStore } from '../../host-sim/oracle/mirror-store.js';
import { RemoteJudge } from '../../host-sim/oracle/remote-judge.js';
import { StoreThread } from '../../host-sim/oracle/store-thread.js';
import { signerFor } from '../support/keys.js';
import { ManualClock } from '../support/oracle-harness.js';
import {
  beaconReportFields, entropyRecord, hotspotAt, signedBeaconReport, signedReceipt, witnessReceiptFields,
} from '../support/oracle-items.js';
import { mapperItem, mapperReceiptItem, signedMapperReceipt, signedMapperReport, storedFields } from '../oracle/mapper-fixtures.js';

const T0 = Date.UTC(2026, 10, 2, 6);
const entropy = entropyRecord(Math.floor(T0 / 60_000));
const beaconer = signerFor('thread beaconer');
const witnesses = [signerFor('thread witness 1'), signerFor('thread witness 2')];
const config: OracleConfig = { ...ORACLE_DEFAULTS };

const dirs: string[] = [];
const threads: StoreThread[] = [];
afterAll(async () => {
  // Whatever a failed test left open.
  for (const thread of threads) await thread.close().catch(() => undefined);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function startThread(path: string, holdCommitsFor: number): StoreThread {
  const thread = StoreThread.start({ dbPath: path, holdCommitsFor });
  threads.push(thread);
  return thread;
}

function dbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'covey-store-thread-'));
  dirs.push(dir);
  return join(dir, 'oracle.sqlite');
}

function pocItems() {
  const report = signedBeaconReport(beaconer, { entropy, timeMs: T0 - 2000 });
  const beacon = beaconReportFields(report, beaconer.publicKey, T0);
  const receipt = (w: Signer, receivedMs: number, rssiDdbm = -1100) =>
    witnessReceiptFields(signedReceipt(report, w, { rssiDdbm }), w.publicKey, receivedMs);
  return { beacon, receipt };
}

function mapperItems(): UploadedItem[] {
  const mapper = signerFor('thread mapper');
  const report = signedMapperReport(mapper, { timeMs: T0 - 500, counter: 7, altitudeM: 12 });
  const hearing = signedMapperReceipt(report, witnesses[0], { rssiDdbm: -980, snrDdb: 45, timeMs: T0 - 499 });
  return [storedFields(mapper, mapperItem(report), T0), storedFields(witnesses[0], mapperReceiptItem(hearing), T0 + 10)];
}

/** Plain objects with their byte fields as hex, to compare items across threads. */
function plain(item: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([key, value]) => [key, value instanceof Uint8Array ? toHex(value) : value]));
}

test('items of every kind, from several uploaders, come out of a chunk as they went in, whatever is written after', () => {
  const { beacon, receipt } = pocItems();
  const items: UploadedItem[] = [beacon, receipt(witnesses[0], T0 + 1), receipt(witnesses[1], T0 + 2), ...mapperItems()];
  const writer = new InsertChunkWriter();
  // Enough items to make the writer grow its buffers more than once.
  const many = Array.from({ length: 700 }, (_, i) => items[i % items.length]);
  const fresh = many.map((_, i) => i % 3 !== 0);
  writer.add(many.slice(0, 300), fresh.slice(0, 300));
  writer.add(many.slice(300), fresh.slice(300));
  expect(writer.size).toBe(700);
  const chunk = writer.take();
  expect(writer.size).toBe(0);
  // The chunk keeps the writer's buffers; what the writer writes next must not reach it.
  writer.add(many.slice(0, 50).reverse(), fresh.slice(0, 50).map((f) => !f));
  const read = readInsertChunk(chunk);
  expect(read.fresh).toEqual(fresh);
  expect(read.items.map(plain)).toEqual(many.map(plain));
  const next = writer.take();
  expect(next.bytes.buffer).not.toBe(chunk.bytes.buffer);
  expect(readInsertChunk(next).items.map(plain)).toEqual(many.slice(0, 50).reverse().map(plain));
  expect(readInsertChunk(writer.take()).items).toEqual([]);

  // Handed back, the first chunk's buffers take the writer's next items, and the items read from it
  // before are copies that do not change.
  const buffers = chunkBuffers(chunk);
  writer.recycle(chunk);
  writer.add(many.slice(0, 10), fresh.slice(0, 10));
  const again = writer.take();
  expect(chunkBuffers(again)).toEqual(buffers);
  expect(readInsertChunk(again).items.map(plain)).toEqual(many.slice(0, 10).map(plain));
  expect(read.items.map(plain)).toEqual(many.map(plain));
  const mismatched = { ...chunk, extra: new Float64Array(3) };
  expect(() => writer.recycle(mismatched)).toThrow(/room for 1024 items' numbers but 1 items' extras/);
});

test('the key set answers as a set of (table, time, id) does, through its growth', () => {
  const key = fc.record({
    table: fc.constantFrom(ItemTable.Poc, ItemTable.MapperUplink, ItemTable.MapperReceipt),
    timeMs: fc.integer({ min: 0, max: 5 }).map((t) => T0 + t),
    // Few distinct ids, so that repeats and ids equal but for table or time are common.
    id: fc.integer({ min: 0, max: 40 }).map((n) => Uint8Array.from({ length: 16 }, (_, i) => (i < 2 ? n : 7))),
  });
  fc.assert(fc.property(fc.array(key, { maxLength: 400 }), (keys) => {
    const set = new ItemKeySet(16);
    const reference = new Set<string>();
    for (const { table, timeMs, id } of keys) {
      const text = `${table} ${timeMs} ${toHex(id)}`;
      expect(set.add(table, timeMs, id)).toBe(!reference.has(text));
      reference.add(text);
    }
    expect(set.size).toBe(reference.size);
  }));
  expect(() => new ItemKeySet().add(ItemTable.Poc, T0, new Uint8Array(15))).toThrow(/16 bytes/);
});

/** Two oracles' stores and verifiers: one on this thread, one on the database thread. */
async function bothWays() {
  const direct = SqliteStore.open(':memory:');
  const path = dbPath();
  const thread = startThread(path, 50_000);
  await thread.ready();
  const mirror = new MirrorStore(thread);
  const clock = new ManualClock(T0);
  const remote = new RemoteJudge(thread, { store: mirror, config, clock });
  const judges: [OracleStore, OracleJudge][] = [
    [direct, new VerifierRunner({ store: direct, config, clock })],
    [mirror, remote],
  ];
  /** Brings the threaded side's database and verifier to this thread. */
  const takeOver = async () => remote.takeOver(await mirror.takeOver(() => SqliteStore.open(path)));
  for (const [store] of judges) {
    await store.putHotspot(hotspotAt(beaconer, 52.37, 4.89));
    for (const [i, w] of witnesses.entries()) await store.putHotspot(hotspotAt(w, 52.37, 4.92 + 0.03 * i));
    await store.putEntropy(entropy);
  }
  /** Stores the items in both, as ingest does; the answers must agree. */
  const ingest = async (...items: UploadedItem[]) => {
    const answers = [];
    for (const [store, judge] of judges) {
      const fresh = await store.insertItems(items);
      judge.admit(items.filter((_, i) => fresh[i]));
      answers.push(fresh);
    }
    expect(answers[1]).toEqual(answers[0]);
    return answers[0];
  };
  const run = async () => {
    const results = [];
    for (const [, judge] of judges) results.push(await judge.runOnce());
    expect(results[1]).toEqual(results[0]);
    return results[0];
  };
  return { direct, mirror, clock, ingest, run, takeOver };
}

test('through the thread, ingest and the verifier give the answers and verdicts they give on one thread', async () => {
  const { direct, mirror, clock, ingest, run } = await bothWays();
  const { beacon, receipt } = pocItems();
  await run();
  const onTime = receipt(witnesses[0], T0 + 1500);
  expect(await ingest(beacon, onTime, onTime)).toEqual([true, true, false]);
  expect(await ingest(onTime, ...mapperItems())).toEqual([false, true, true]);
  clock.nowMs = T0 + config.maxWitnessLagMs;
  expect((await run()).judged).toBe(2);
  const late = receipt(witnesses[1], T0 + 60_000, -1250);
  clock.nowMs = late.receivedMs;
  await ingest(late);
  clock.nowMs = late.receivedMs + config.maxWitnessLagMs;
  expect((await run()).judged).toBe(1);
  // Past the epoch's end and the settling time: the epoch closes, the same way on both.
  clock.nowMs = T0 + 2 * config.rewardEpochMs + config.unknownBeaconAfterMs + config.maxWitnessLagMs;
  expect((await run()).closedEpochs.length).toBeGreaterThan(0);

  await mirror.flush();
  const group = async (store: OracleStore) => (await store.group(beacon.digest)).map(plain);
  expect(await group(mirror)).toEqual(await group(direct));
  expect((await group(mirror)).map((item) => item.status)).not.toContain('pending');
  expect(await mirror.counts()).toEqual(await direct.counts());
  expect(await mirror.rewards(Math.floor(T0 / config.rewardEpochMs))).toEqual(await direct.rewards(Math.floor(T0 / config.rewardEpochMs)));
  expect(await mirror.hotspotCount()).toBe(3);
  await mirror.close();
  await direct.close();
}, 30_000);

test('once this thread takes the database and the verifier back, they go on as the ones that never left', async () => {
  const { direct, mirror, clock, ingest, run, takeOver } = await bothWays();
  const { beacon, receipt } = pocItems();
  await run();
  await ingest(beacon, receipt(witnesses[0], T0 + 1500));
  clock.nowMs = T0 + config.maxWitnessLagMs;
  expect((await run()).judged).toBe(2);
  // A witness arrives, then the worker ends with it still pending.
  const late = receipt(witnesses[1], T0 + 60_000, -1250);
  clock.nowMs = late.receivedMs;
  await ingest(late);
  await takeOver();
  expect(await ingest(late)).toEqual([false]);
  clock.nowMs = late.receivedMs + config.maxWitnessLagMs;
  expect((await run()).judged).toBe(1);
  clock.nowMs = T0 + 2 * config.rewardEpochMs + config.unknownBeaconAfterMs + config.maxWitnessLagMs;
  expect((await run()).closedEpochs.length).toBeGreaterThan(0);
  const group = async (store: OracleStore) => (await store.group(beacon.digest)).map(plain);
  expect(await group(mirror)).toEqual(await group(direct));
  expect(await mirror.counts()).toEqual(await direct.counts());
  await mirror.close();
  await direct.close();
}, 30_000);

test('an item the database already holds but ingest thought new stops the writes, and flush and close say why', async () => {
  const thread = startThread(dbPath(), 0);
  const mirror = new MirrorStore(thread);
  const { beacon } = pocItems();
  // Stored behind the mirror's back, so that the mirror counts it new.
  thread.post({ op: 'call', method: 'insertItems', args: [[beacon]] });
  expect(await mirror.insertItems([beacon])).toEqual([true]);
  await expect(mirror.flush()).rejects.toThrow(/was a duplicate to the database but new to the simulator's ingest/);
  expect(thread.failure?.message).toMatch(/duplicate/);
  await expect(mirror.close()).rejects.toThrow(/duplicate/);
}, 30_000);

test('a database the thread cannot open makes ready() reject, and close() ends the thread', async () => {
  const thread = startThread(join(dbPath(), 'no such directory', 'oracle.sqlite'), 0);
  await expect(thread.ready()).rejects.toThrow();
  expect(thread.failure).toBeDefined();
  await expect(thread.close()).rejects.toThrow();
}, 30_000);

test('timed verifier runs wait with the items and are judged in order with them; settled() sends what waits', async () => {
  const thread = startThread(dbPath(), 0);
  await thread.ready();
  const mirror = new MirrorStore(thread);
  const timers: (() => void)[] = [];
  const clock = { nowMs: T0, wallMs: () => clock.nowMs, setTimer: (fire: () => void) => timers.push(fire), clearTimer: () => undefined };
  const runs: number[] = [];
  const judge = new RemoteJudge(thread, { store: mirror, config, clock, onRun: (result) => runs.push(result.judged) });
  await mirror.putHotspot(hotspotAt(beaconer, 52.37, 4.89));
  for (const [i, w] of witnesses.entries()) await mirror.putHotspot(hotspotAt(w, 52.37, 4.92 + 0.03 * i));
  await mirror.putEntropy(entropy);
  judge.start();
  const { beacon, receipt } = pocItems();
  await mirror.insertItems([beacon, receipt(witnesses[0], T0 + 1500)]);
  clock.nowMs = T0 + config.maxWitnessLagMs;
  timers.shift()!();
  await mirror.insertItems([receipt(witnesses[1], clock.nowMs + 1, -1250)]);
  clock.nowMs += config.maxWitnessLagMs + 2;
  timers.shift()!();
  // Nothing has asked for an answer: both runs are still held, with the last item.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(runs).toEqual([]);
  await judge.settled();
  // The first run judged the beacon and its witness and not the item sent after it; the second, that item.
  expect(runs).toEqual([2, 1]);
  judge.stop();
  await mirror.close();
}, 30_000);
