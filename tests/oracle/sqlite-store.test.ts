/** SqliteStore (tools/oracle/store/sqlite-store.ts): the OracleStore contract on a SQLite file. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { toHex } from '../../proofs/bytes.js';
import { Reason } from '../../proofs/reasons.js';
import type { HotspotRecord, ItemFields, RewardRow, VerdictUpdate } from '../../tools/oracle/model.js';
import { migrate, MIGRATIONS, SchemaVersionError, type Migration } from '../../tools/oracle/store/migrations.js';
import {
  EpochCloseError, SqliteStore, StoreOpenError, UnknownItemError, type SqliteStoreOptions,
} from '../../tools/oracle/store/sqlite-store.js';

/** `n` bytes named by a label, so tests name their ids and keys instead of inventing bytes. */
function bytes(label: string, n = 32): Uint8Array {
  return new Uint8Array(createHash('sha256').update(label).digest()).subarray(0, n);
}

const T0 = 1_700_000_000_000;
const alice = bytes('alice');
const bob = bytes('bob');
const carol = bytes('carol');
const dave = bytes('dave');

function beacon(label: string, uploader: Uint8Array, receivedMs: number, digest = bytes(`digest ${label}`)): ItemFields {
  return {
    id: bytes(`id ${label}`, 16), uploader, kind: 'beacon', body: bytes(`body ${label}`), receivedMs, digest,
    frequencyHz: 868_100_000, dataRate: 5, timeMs: receivedMs - 300, txPowerDdbm: 140, entropyEpoch: 28_333_333,
    entropyTag: bytes(`tag ${label}`, 4),
  };
}

function witness(label: string, uploader: Uint8Array, receivedMs: number, digest: Uint8Array): ItemFields {
  return {
    id: bytes(`id ${label}`, 16), uploader, kind: 'witness', body: bytes(`body ${label}`), receivedMs, digest,
    frequencyHz: 868_100_000, dataRate: 5, timeMs: receivedMs - 200, rssiDdbm: -1050, snrDdb: 55,
  };
}

function verdict(item: ItemFields, passed: boolean, extra: Partial<VerdictUpdate> = {}): VerdictUpdate {
  return {
    id: item.id, timeMs: item.timeMs, status: passed ? 'valid' : 'invalid', reason: passed ? Reason.none : Reason.bad_rssi,
    passed, selected: false, ...extra,
  };
}

const hotspotOf = (key: Uint8Array, extra: Partial<HotspotRecord> = {}): HotspotRecord => ({
  key, location: { latE7: 525_200_000, lonE7: 134_050_000, cell: '8c1f1d4a6b0c1ff' }, gainDdbi: 30,
  region: 'EU868', assertedAtMs: T0, registeredMs: T0 + 5, ...extra,
});

const reward = (epoch: number, hotspot: Uint8Array, extra: Partial<RewardRow> = {}): RewardRow => ({
  epoch, hotspot, beaconUnits: 1, witnessUnits: 2.5, scale: 1, amount: 10, beacons: 1, witnesses: 3, ...extra,
});

let dir: string;
const opened: SqliteStore[] = [];
function openAt(name = 'oracle.db', options?: SqliteStoreOptions): SqliteStore {
  const store = SqliteStore.open(join(dir, name), options);
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-store-'));
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opening and migrations', () => {
  test('a fresh file gets every migration, each recorded', async () => {
    await openAt().close();
    const db = new Database(join(dir, 'oracle.db'), { readonly: true });
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    db.close();
    expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  test('an older database is migrated forward and keeps its data', () => {
    const db = new Database(join(dir, 'old.db'));
    const next: Migration = { version: MIGRATIONS.length + 1, name: 'add notes', sql: 'CREATE TABLE notes (text TEXT)' };
    expect(migrate(db, 'old', () => T0, MIGRATIONS)).toEqual(MIGRATIONS.map((m) => m.version));
    db.prepare('INSERT INTO epochs (epoch, closed_ms) VALUES (7, 1)').run();
    expect(migrate(db, 'old', () => T0, [...MIGRATIONS, next])).toEqual([next.version]);
    expect(migrate(db, 'old', () => T0, [...MIGRATIONS, next])).toEqual([]);
    expect(db.prepare('SELECT epoch FROM epochs').pluck().all()).toEqual([7]);
    db.close();
  });

  test('migration 2 keeps every item of a version 1 database, verdicts included, and still refuses a repeat', async () => {
    const path = join(dir, 'v1.db');
    const db = new Database(path);
    migrate(db, 'v1', () => T0, MIGRATIONS.slice(0, 1));
    const b = beacon('b1', alice, T0);
    const w = witness('w1', bob, T0 + 10, b.digest);
    const columns = 'id, uploader, kind, body, received_ms, digest, frequency_hz, data_rate, time_ms, entropy_epoch, entropy_tag';
    const insert = db.prepare(`INSERT INTO items (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const item of [b, w]) {
      insert.run(item.id, item.uploader, item.kind, item.body, item.receivedMs, item.digest, item.frequencyHz, item.dataRate,
        item.timeMs, item.entropyEpoch ?? null, item.entropyTag ?? null);
    }
    db.prepare("UPDATE items SET status = 'valid', passed = 1, epoch = 5, verified_ms = ? WHERE id = ?").run(T0 + 99, b.id);
    db.close();
    const store = SqliteStore.open(path);
    try {
      const [migratedBeacon, migratedWitness] = await store.group(b.digest);
      expect(migratedBeacon).toMatchObject({ id: b.id, status: 'valid', passed: true, epoch: 5, verifiedMs: T0 + 99 });
      expect(migratedWitness).toMatchObject({ id: w.id, status: 'pending', timeMs: w.timeMs });
      expect((await store.item(w.id, w.timeMs))?.body).toEqual(w.body);
      expect(await store.insertItems([w, witness('w2', carol, T0 + 20, b.digest)])).toEqual([false, true]);
    } finally {
      await store.close();
    }
  });

  test('a database from a newer schema is refused, naming the path and the versions', async () => {
    await openAt().close();
    const db = new Database(join(dir, 'oracle.db'));
    db.prepare("INSERT INTO schema_migrations (version, name, applied_ms) VALUES (99, 'future', 0)").run();
    db.close();
    const open = () => openAt();
    expect(open).toThrow(SchemaVersionError);
    expect(open).toThrow(new RegExp(`${join(dir, 'oracle.db')}.*version 99 is newer than this oracle knows \\(${MIGRATIONS.length}\\)`));
  });

  test('a database whose migration of the same number differs is refused', () => {
    const db = new Database(join(dir, 'fork.db'));
    migrate(db, 'fork', () => T0, [{ version: 1, name: 'someone else\'s schema', sql: 'CREATE TABLE t (x)' }]);
    expect(() => migrate(db, 'fork', () => T0)).toThrow(/migration 1 is "someone else's schema" but this oracle's is "initial schema"/);
    db.close();
  });

  test('reopening a file keeps its data', async () => {
    const first = openAt();
    await first.putHotspot(hotspotOf(alice));
    await first.insertItems([beacon('b1', alice, T0)]);
    await first.close();
    const second = openAt();
    expect(await second.hotspot(alice)).toEqual(hotspotOf(alice));
    expect(await second.group(bytes('digest b1'))).toHaveLength(1);
  });

  test('a missing directory is reported with the path', () => {
    const path = join(dir, 'no-such-dir', 'oracle.db');
    expect(() => SqliteStore.open(path)).toThrow(StoreOpenError);
    expect(() => SqliteStore.open(path)).toThrow(`cannot open oracle store ${path}: its directory does not exist`);
  });

  test('a file that is not a database is reported with the path', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'these are not the pages you are looking for\n'.repeat(200));
    expect(() => SqliteStore.open(path)).toThrow(`cannot open oracle store ${path}: the file is not a SQLite database`);
  });

  test('read-only: reads an existing store, refuses writes and a missing file', async () => {
    const writer = openAt();
    await writer.putHotspot(hotspotOf(alice));
    await writer.close();
    const reader = openAt('oracle.db', { readonly: true });
    expect(await reader.hotspotCount()).toBe(1);
    await expect(reader.putHotspot(hotspotOf(bob))).rejects.toMatchObject({ message: expect.stringMatching(/readonly/) });
    expect(() => openAt('missing.db', { readonly: true })).toThrow(StoreOpenError);
  });

  test('close() twice is harmless', async () => {
    const store = openAt();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe('registry and entropy', () => {
  test('hotspots round-trip, update in place, and are found by hex key', async () => {
    const store = openAt();
    const { location: _none, ...unasserted } = hotspotOf(bob, { request: bytes('onboard') });
    await store.putHotspot(hotspotOf(alice));
    await store.putHotspot(unasserted);
    await store.putHotspot(hotspotOf(alice, { gainDdbi: 50, assertedAtMs: T0 + 9 }));
    expect(await store.hotspotCount()).toBe(2);
    expect(await store.hotspot(alice)).toEqual(hotspotOf(alice, { gainDdbi: 50, assertedAtMs: T0 + 9 }));
    const bobRecord = await store.hotspot(bob);
    expect(bobRecord).toEqual(unasserted);
    expect(bobRecord && 'location' in bobRecord).toBe(false);
    expect([...(await store.hotspots([alice, carol, bob])).keys()].sort()).toEqual([toHex(alice), toHex(bob)].sort());
    expect(await store.hotspot(carol)).toBeUndefined();
    expect((await store.allHotspots()).map((h) => toHex(h.key)).sort()).toEqual([toHex(alice), toHex(bob)].sort());
    // Read once (and remembered), then changed: the next read has the change, registered or not before.
    await store.putHotspot(hotspotOf(carol));
    await store.putHotspot(hotspotOf(alice, { gainDdbi: 20 }));
    expect(await store.hotspot(carol)).toEqual(hotspotOf(carol));
    expect((await store.hotspots([alice])).get(toHex(alice))?.gainDdbi).toBe(20);
  });

  test('putEntropy keeps the first record for an epoch', async () => {
    const store = openAt();
    const first = { epoch: 5, data: bytes('e5'), timeMs: 300_000, encoded: bytes('enc5', 80) };
    expect(await store.putEntropy(first)).toEqual(first);
    expect(await store.putEntropy({ ...first, data: bytes('other') })).toEqual(first);
    await store.putEntropy({ epoch: 4, data: bytes('e4'), timeMs: 240_000, encoded: bytes('enc4', 80) });
    expect(await store.entropy(5)).toEqual(first);
    expect(await store.entropy(6)).toBeUndefined();
    expect((await store.latestEntropy())?.epoch).toBe(5);
  });
});

describe('items', () => {
  test('insertItems is idempotent: the same id again is not stored twice', async () => {
    const store = openAt();
    const item = beacon('b1', alice, T0);
    expect(await store.insertItems([item])).toEqual([true]);
    expect(await store.insertItems([item])).toEqual([false]);
    expect(await store.group(item.digest)).toHaveLength(1);
  });

  test('insertItems reports a duplicate inside one call', async () => {
    const store = openAt();
    const item = beacon('b1', alice, T0);
    expect(await store.insertItems([item, witness('w1', bob, T0 + 1, item.digest), item])).toEqual([true, true, false]);
  });

  test('an item that breaks a constraint fails the whole call and stores nothing', async () => {
    const store = openAt();
    const bad = { ...witness('w1', bob, T0, bytes('d')), kind: 'receipt' } as unknown as ItemFields;
    await expect(store.insertItems([beacon('b1', alice, T0), bad])).rejects.toMatchObject({ message: expect.stringMatching(/CHECK constraint/) });
    expect((await store.counts()).pending).toBe(0);
  });

  test('uploads arriving together share one commit, and each call gets its own answer', async () => {
    const store = openAt();
    const b = beacon('b1', alice, T0);
    const w = witness('w1', bob, T0 + 1, b.digest);
    // Three calls in one turn of the event loop: the second repeats the first's beacon.
    const answers = await Promise.all([store.insertItems([b]), store.insertItems([w, b]), store.insertItems([witness('w2', carol, T0 + 2, b.digest)])]);
    expect(answers).toEqual([[true], [true, false], [true]]);
    expect(await store.group(b.digest)).toHaveLength(3);
  });

  test('a call that breaks a constraint fails alone: the calls that shared its commit are stored', async () => {
    const store = openAt();
    const good = beacon('b1', alice, T0);
    const bad = { ...witness('w1', bob, T0, bytes('d')), kind: 'receipt' } as unknown as ItemFields;
    const [first, second, third] = await Promise.allSettled([
      store.insertItems([good]), store.insertItems([bad]), store.insertItems([witness('w2', carol, T0 + 2, good.digest)]),
    ]);
    expect(first).toEqual({ status: 'fulfilled', value: [true] });
    expect(second).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/CHECK constraint/) } });
    expect(third).toEqual({ status: 'fulfilled', value: [true] });
    expect((await store.counts()).pending).toBe(2);
  });

  test('close() commits the inserts still waiting for their commit', async () => {
    const path = join(dir, 'waiting.db');
    const store = SqliteStore.open(path);
    const b = beacon('b1', alice, T0);
    const stored = store.insertItems([b]);
    await store.close();
    await expect(stored).resolves.toEqual([true]);
    const reopened = SqliteStore.open(path, { readonly: true });
    expect(await reopened.group(b.digest)).toHaveLength(1);
    await reopened.close();
  });

  test('items and verdicts round-trip every field; absent optionals stay absent', async () => {
    const store = openAt();
    const b = beacon('b1', alice, T0);
    const w = witness('w1', bob, T0 + 10, b.digest);
    await store.insertItems([b, w]);
    const [pendingBeacon, pendingWitness] = await store.group(b.digest);
    const { body: _beaconBody, ...beaconFields } = b;
    const { body: _witnessBody, ...witnessFields } = w;
    // group() leaves the body out; item() brings it.
    expect(pendingBeacon).toEqual({ ...beaconFields, status: 'pending', reason: Reason.none, passed: false, selected: false });
    expect(await store.item(b.id, b.timeMs)).toEqual({ ...b, status: 'pending', reason: Reason.none, passed: false, selected: false });
    expect(await store.item(bytes('no such item'), b.timeMs)).toBeUndefined();
    expect(await store.item(b.id, b.timeMs + 1)).toBeUndefined();
    for (const absent of ['txPowerDdbm', 'entropyTag', 'side', 'verifiedMs', 'epoch']) {
      expect(absent in pendingWitness).toBe(false);
    }
    const full = verdict(w, true, { selected: true, verifiedMs: T0 + 99, epoch: 19_675 });
    const invalid = verdict(b, false, { reason: Reason.gateway_no_valid_witnesses, side: 'beaconer', verifiedMs: T0 + 99 });
    await store.saveVerdicts([full, invalid]);
    const [judgedBeacon, judgedWitness] = await store.group(b.digest);
    expect(judgedWitness).toEqual({ ...witnessFields, ...full });
    expect(judgedBeacon).toEqual({ ...beaconFields, ...invalid });
    expect('epoch' in judgedBeacon).toBe(false);
  });

  test('byte fields come back as plain Uint8Array copies, never Buffer', async () => {
    const store = openAt();
    await store.insertItems([beacon('b1', alice, T0)]);
    await store.putHotspot(hotspotOf(alice, { request: bytes('req') }));
    const [listed] = await store.group(bytes('digest b1'));
    const item = { ...listed, body: (await store.item(listed.id, listed.timeMs))?.body };
    const hotspot = await store.hotspot(alice);
    for (const field of [item.id, item.uploader, item.body, item.digest, item.entropyTag, hotspot?.key, hotspot?.request]) {
      expect(Object.getPrototypeOf(field)).toBe(Uint8Array.prototype);
      expect(Buffer.isBuffer(field)).toBe(false);
    }
  });

  test('saveVerdicts for an unknown id stores none of the verdicts', async () => {
    const store = openAt();
    const b = beacon('b1', alice, T0);
    await store.insertItems([b]);
    const ghost = verdict(witness('ghost', bob, T0, b.digest), true);
    await expect(store.saveVerdicts([verdict(b, true), ghost])).rejects.toThrow(UnknownItemError);
    expect((await store.group(b.digest))[0].status).toBe('pending');
  });

  test('pendingItems: every item without a verdict, in receive order', async () => {
    const store = openAt();
    const early = beacon('early', alice, T0);
    const orphan = witness('orphan', bob, T0 + 50, bytes('digest never beaconed'));
    const late = beacon('late', carol, T0 + 100);
    await store.insertItems([late, witness('late-w', dave, T0 + 120, late.digest), orphan, early]);
    await store.insertItems([witness('early-w', bob, T0 + 200, early.digest)]);
    await store.saveVerdicts([verdict(early, true)]);
    const pending = await store.pendingItems();
    expect(pending.map((item) => [item.receivedMs, item.kind, item.status])).toEqual([
      [T0 + 50, 'witness', 'pending'], [T0 + 100, 'beacon', 'pending'], [T0 + 120, 'witness', 'pending'], [T0 + 200, 'witness', 'pending'],
    ]);
    expect(pending.every((item) => !('body' in item))).toBe(true);
    await store.saveVerdicts([verdict(orphan, false)]);
    expect((await store.pendingItems()).map((item) => toHex(item.id))).not.toContain(toHex(orphan.id));
  });

  test('group() lists items by receive time, then id', async () => {
    const store = openAt();
    const b = beacon('b', alice, T0 + 5);
    const sameTime = ['x', 'y', 'z'].map((label) => witness(label, bob, T0 + 9, b.digest));
    await store.insertItems([...sameTime, witness('first', carol, T0, b.digest), b]);
    const ids = (await store.group(b.digest)).map((item) => toHex(item.id));
    const tied = sameTime.map((item) => toHex(item.id)).sort();
    expect(ids).toEqual([toHex(bytes('id first', 16)), toHex(b.id), ...tied]);
  });

  test('beaconsOf: only the beaconer\'s beacon reports in [from, to)', async () => {
    const store = openAt();
    const inside = beacon('in', alice, T0 + 100);
    await store.insertItems([
      beacon('before', alice, T0 - 1), inside, beacon('at-end', alice, T0 + 1000), beacon('start', alice, T0),
      beacon('bob', bob, T0 + 100), witness('alice-w', alice, T0 + 100, bytes('d')),
    ]);
    const found = await store.beaconsOf(alice, T0, T0 + 1000);
    expect(found.map((item) => item.receivedMs)).toEqual([T0, T0 + 100]);
  });
});

describe('reciprocity and read side', () => {
  /**
   * alice: a passed witness only. bob: a passed beacon with a passed witness only. carol: both.
   * dave: a passed beacon whose only witness failed, and a failed witness: neither.
   */
  async function reciprocityFixture(store: SqliteStore): Promise<void> {
    const bobBeacon = beacon('bob-b', bob, T0);
    const carolBeacon = beacon('carol-b', carol, T0 + 10);
    const daveBeacon = beacon('dave-b', dave, T0 + 20);
    const items = [
      bobBeacon, witness('alice-w', alice, T0 + 1, bobBeacon.digest),
      carolBeacon, witness('bob-w-fail', bob, T0 + 11, carolBeacon.digest),
      witness('carol-w', carol, T0 + 2, bobBeacon.digest), witness('alice-w2', alice, T0 + 12, carolBeacon.digest),
      daveBeacon, witness('bob-w-dave', bob, T0 + 21, daveBeacon.digest), witness('dave-w', dave, T0 + 3, bobBeacon.digest),
    ];
    await store.insertItems(items);
    const failing = new Set(['bob-w-fail', 'bob-w-dave', 'dave-w'].map((label) => toHex(bytes(`id ${label}`, 16))));
    await store.saveVerdicts(items.map((item) => verdict(item, !failing.has(toHex(item.id)))));
  }

  test('reciprocity facts for each of the four combinations', async () => {
    const store = openAt();
    await reciprocityFixture(store);
    const facts = await store.reciprocity([alice, bob, carol, dave], T0, T0 + 1000);
    expect(Object.fromEntries(facts)).toEqual({
      [toHex(alice)]: { passedWitness: true, passedBeaconWithWitness: false },
      [toHex(bob)]: { passedWitness: false, passedBeaconWithWitness: true },
      [toHex(carol)]: { passedWitness: true, passedBeaconWithWitness: true },
      [toHex(dave)]: { passedWitness: false, passedBeaconWithWitness: false },
    });
  });

  test('reciprocity looks only at items received inside the window', async () => {
    const store = openAt();
    await reciprocityFixture(store);
    const facts = await store.reciprocity([carol], T0 + 5, T0 + 1000);
    expect(facts.get(toHex(carol))).toEqual({ passedWitness: false, passedBeaconWithWitness: true });
  });

  test('counts() keys items by kind, status and reason name, and totals the pending ones', async () => {
    const store = openAt();
    const b = beacon('b', alice, T0);
    const [w1, w2, w3] = ['w1', 'w2', 'w3'].map((label) => witness(label, bob, T0 + 1, b.digest));
    await store.insertItems([b, w1, w2, w3]);
    await store.saveVerdicts([verdict(b, true), verdict(w1, false), { ...verdict(w2, false), reason: Reason.too_late }]);
    expect(await store.counts()).toEqual({
      byVerdict: { 'beacon valid none': 1, 'witness invalid bad_rssi': 1, 'witness invalid too_late': 1, 'witness pending none': 1 },
      pending: 1,
    });
  });

  test('summary(): the hotspot, its last receive times and counts of its own items only', async () => {
    const store = openAt();
    await store.putHotspot(hotspotOf(alice));
    await store.putHotspot(hotspotOf(carol));
    const b = beacon('b', alice, T0);
    await store.insertItems([b, beacon('b2', alice, T0 + 500), witness('w', alice, T0 + 30, bytes('d')), witness('bw', bob, T0 + 1, b.digest)]);
    await store.saveVerdicts([verdict(b, true)]);
    expect(await store.summary(alice)).toEqual({
      hotspot: hotspotOf(alice), lastBeaconMs: T0 + 500, lastWitnessMs: T0 + 30,
      counts: { byVerdict: { 'beacon valid none': 1, 'beacon pending none': 1, 'witness pending none': 1 }, pending: 2 },
    });
    expect(await store.summary(carol)).toEqual({ hotspot: hotspotOf(carol), counts: { byVerdict: {}, pending: 0 } });
    expect(await store.summary(bob)).toBeUndefined();
  });
});

describe('epochs and rewards', () => {
  async function judgedBeacons(store: SqliteStore): Promise<ItemFields[]> {
    const items = [beacon('e10', alice, T0), beacon('e11', bob, T0 + 1), beacon('e12', carol, T0 + 2)];
    await store.insertItems([...items, beacon('pending', dave, T0 + 3)]);
    await store.saveVerdicts(items.map((item, i) => verdict(item, true, { epoch: 10 + i })));
    return items;
  }

  test('closeEpoch records verdicts, rewards and the closing together', async () => {
    const store = openAt();
    const [first] = await judgedBeacons(store);
    const update = verdict(first, true, { epoch: 10, selected: true });
    await store.closeEpoch(10, T0 + 9, [update], [reward(10, alice), reward(10, bob, { amount: 0 })]);
    expect((await store.group(first.digest))[0].selected).toBe(true);
    expect(await store.rewards(10)).toEqual([reward(10, alice), reward(10, bob, { amount: 0 })].sort((a, b) => Buffer.compare(a.hotspot, b.hotspot)));
    expect(await store.rewards(11)).toBeUndefined();
    expect(await store.lastClosedEpoch()).toBe(10);
  });

  test('closeEpoch is all or none: an invalid reward row leaves no trace of the close', async () => {
    const store = openAt();
    const [first] = await judgedBeacons(store);
    const update = verdict(first, true, { epoch: 10, selected: true });
    // NaN binds as NULL in SQLite, so this row breaks amount's NOT NULL.
    await expect(store.closeEpoch(10, T0, [update], [reward(10, alice), reward(10, bob, { amount: NaN })]))
      .rejects.toMatchObject({ message: expect.stringMatching(/NOT NULL constraint failed: rewards.amount/) });
    expect((await store.group(first.digest))[0].selected).toBe(false);
    expect(await store.rewards(10)).toBeUndefined();
    expect(await store.lastClosedEpoch()).toBeUndefined();
    expect(await store.firstOpenEpoch()).toBe(10);
  });

  test('closeEpoch refuses an epoch already closed, or a reward row of another epoch', async () => {
    const store = openAt();
    await judgedBeacons(store);
    await store.closeEpoch(10, T0, [], [reward(10, alice)]);
    await expect(store.closeEpoch(10, T0, [], [])).rejects.toThrow(EpochCloseError);
    await expect(store.closeEpoch(11, T0, [], [reward(12, alice)])).rejects.toThrow(EpochCloseError);
    expect(await store.lastClosedEpoch()).toBe(10);
    expect(await store.rewards(10)).toEqual([reward(10, alice)]);
  });

  test('firstOpenEpoch and lastClosedEpoch follow the closings', async () => {
    const store = openAt();
    expect(await store.firstOpenEpoch()).toBeUndefined();
    expect(await store.lastClosedEpoch()).toBeUndefined();
    await judgedBeacons(store);
    expect(await store.firstOpenEpoch()).toBe(10);
    await store.closeEpoch(11, T0, [], []);
    expect(await store.firstOpenEpoch()).toBe(10);
    await store.closeEpoch(10, T0, [], []);
    expect(await store.firstOpenEpoch()).toBe(12);
    expect(await store.lastClosedEpoch()).toBe(11);
    await store.closeEpoch(12, T0, [], []);
    expect(await store.firstOpenEpoch()).toBeUndefined();
  });

  test('epochItems lists the judged items of that epoch only', async () => {
    const store = openAt();
    const [, second] = await judgedBeacons(store);
    expect((await store.epochItems(11)).map((item) => toHex(item.id))).toEqual([toHex(second.id)]);
    expect(await store.epochItems(9)).toEqual([]);
  });
});

test('with background checkpoints, committed pages reach the database file without waiting for the WAL to fill', async () => {
  const path = join(dir, 'checkpointed.db');
  const store = SqliteStore.open(path, { backgroundCheckpoints: true });
  const sizeBefore = statSync(path).size;
  // About 2 MB of WAL: far below the automatic checkpoint threshold (10,000 pages, about 40 MB).
  for (let batch = 0; batch < 20; batch++) {
    await store.insertItems(Array.from({ length: 100 }, (_, i) => beacon(`c${batch}-${i}`, alice, T0 + batch * 100 + i)));
  }
  const deadline = Date.now() + 10_000;
  while (statSync(path).size === sizeBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(statSync(path).size).toBeGreaterThan(sizeBefore);
  await store.close();
  // The checkpoint thread stopped with the store, and this connection, the last, removed the WAL.
  expect(existsSync(`${path}-wal`)).toBe(false);
});

test('without background checkpoints the same writes stay in the WAL until the store closes', async () => {
  const path = join(dir, 'unchecked.db');
  const store = SqliteStore.open(path);
  const sizeBefore = statSync(path).size;
  for (let batch = 0; batch < 20; batch++) {
    await store.insertItems(Array.from({ length: 100 }, (_, i) => beacon(`u${batch}-${i}`, alice, T0 + batch * 100 + i)));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(statSync(path).size).toBe(sizeBefore);
  await store.close();
  expect(statSync(path).size).toBeGreaterThan(sizeBefore);
});

test('committed writes are visible to a second connection before the first closes (WAL)', async () => {
  const writer = openAt();
  await writer.putHotspot(hotspotOf(alice));
  const b = beacon('b1', alice, T0);
  await writer.insertItems([b]);
  // No close(): as after a crash of the writer, another connection must already see the commit.
  const reader = openAt('oracle.db', { readonly: true });
  expect(await reader.hotspot(alice)).toEqual(hotspotOf(alice));
  expect((await reader.group(b.digest)).map((item) => toHex(item.id))).toEqual([toHex(b.id)]);
  const db = new Database(join(dir, 'oracle.db'), { readonly: true });
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  db.close();
});

describe('held commits (holdCommitsFor, for simulations)', () => {
  /** Items a connection sees: all pending here, as nothing has been judged. */
  const countOn = (reader: SqliteStore) => reader.counts().then((counts) => counts.pending);

  test('other connections see held writes only after flush, after the threshold, or at close; the writer sees them at once', async () => {
    const writer = openAt('oracle.db', { holdCommitsFor: 5 });
    await writer.putHotspot(hotspotOf(alice));
    await writer.insertItems([beacon('h1', alice, T0), beacon('h2', alice, T0 + 1)]);
    const reader = openAt('oracle.db', { readonly: true });
    expect(await countOn(reader)).toBe(0);
    expect((await writer.counts()).pending).toBe(2);
    await writer.flush();
    expect(await countOn(reader)).toBe(2);
    expect(await reader.hotspot(alice)).toEqual(hotspotOf(alice));
    // Five more items reach the threshold: committed without a flush.
    await writer.insertItems(Array.from({ length: 5 }, (_, i) => beacon(`h${3 + i}`, alice, T0 + 2 + i)));
    expect(await countOn(reader)).toBe(7);
    await writer.insertItems([beacon('h8', alice, T0 + 10)]);
    expect(await countOn(reader)).toBe(7);
    await writer.close();
    expect(await countOn(reader)).toBe(8);
    await reader.close();
  });

  test('a failed write inside the held transaction loses nothing held before it, and a duplicate stays a duplicate', async () => {
    const writer = openAt('oracle.db', { holdCommitsFor: 1_000 });
    const kept = beacon('kept', alice, T0);
    expect(await writer.insertItems([kept])).toEqual([true]);
    // A value SQLite cannot bind: the write fails inside the held transaction.
    const broken = { ...beacon('broken', alice, T0 + 1), frequencyHz: { hz: 868_100_000 } } as unknown as ItemFields;
    await expect(writer.insertItems([broken])).rejects.toThrow(/parameter/);
    expect(await writer.insertItems([kept])).toEqual([false]);
    await writer.close();
    const reader = openAt('oracle.db', { readonly: true });
    expect(await countOn(reader)).toBe(1);
    await reader.close();
  });

  test('refuses a threshold that is not a whole number', () => {
    expect(() => openAt('oracle.db', { holdCommitsFor: 2.5 })).toThrow(/holdCommitsFor must be a whole number/);
  });
});
