/**
 * The SQLite store's mapper tables (migration 3): mixed inserts keep insertItems' contract, no
 * proof-of-coverage query sees a mapper item, and coverageUplinks() joins uplinks to the hotspots that
 * heard them, in its order, within its window and box.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beaconDigest, hotspotAddress, signMapperReport, toHex, type MapperReport, type Signer } from '../../proofs/index.js';
import type { UploadedItem, VerdictUpdate } from '../../tools/oracle/model.js';
import { coverageBounds } from '../../tools/oracle/coverage-query.js';
import { migrate, MIGRATIONS } from '../../tools/oracle/store/migrations.js';
import { MAPPER_SQL } from '../../tools/oracle/store/sqlite-mapper.js';
import { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import { signerFor } from '../support/keys.js';
import {
  beaconReportFields, entropyRecord, hotspotAt, signedBeaconReport, signedReceipt, witnessReceiptFields,
} from '../support/oracle-items.js';
import { mapperItem, mapperReceiptItem, signedMapperReceipt, signedMapperReport, storedFields } from './mapper-fixtures.js';

const T0 = Date.UTC(2026, 10, 3, 9);
const mapper = signerFor('coverage mapper');
const otherMapper = signerFor('coverage second mapper');
const north = signerFor('coverage hotspot north');
const south = signerFor('coverage hotspot south');
const unasserted = signerFor('coverage hotspot without location');
const stranger = signerFor('coverage hotspot never registered');

let store: SqliteStore;
beforeEach(async () => {
  store = SqliteStore.open(':memory:');
  await store.putHotspot(hotspotAt(north, 52.4, 4.9));
  await store.putHotspot(hotspotAt(south, 52.3, 4.88));
  await store.putHotspot(hotspotAt(mapper, 52.35, 4.85));
  await store.putHotspot(hotspotAt(unasserted, 52.33, 4.86, { asserted: false }));
});
afterEach(async () => {
  await store.close();
});

const report = (timeMs: number, extra: Partial<Parameters<typeof signedMapperReport>[1]> = {}, by: Signer = mapper) =>
  signedMapperReport(by, { timeMs, ...extra });
/** The stored form of a mapper report, as if uploaded by its mapper and received at `receivedMs`. */
const reportFields = (r: MapperReport, receivedMs = r.timeMs + 60_000, by: Signer = mapper) => storedFields(by, mapperItem(r), receivedMs);
/** The stored form of `witness`'s receipt of `r`. */
const receiptFields = (r: MapperReport, witness: Signer, rssiDdbm: number, receivedMs = r.timeMs + 2_000, heardMs = r.timeMs + 700) =>
  storedFields(witness, mapperReceiptItem(signedMapperReceipt(r, witness, { rssiDdbm, timeMs: heardMs })), receivedMs);
const digestOf = (r: MapperReport) => toHex(beaconDigest(r.frame));

describe('coverageUplinks', () => {
  test('gives each uplink with its hearings, each at its hotspot\'s registered location, in the agreed shape', async () => {
    const heard = report(T0, { counter: 41, altitudeM: -3, hdopDeci: 13, satellites: 7, latE7: 523_512_345, lonE7: 48_765_432 });
    const unheard = report(T0 + 10_000, { counter: 42 });
    await store.insertItems([
      receiptFields(heard, south, -1120, T0 + 2_000, T0 + 900), reportFields(heard), reportFields(unheard),
      receiptFields(heard, north, -980, T0 + 2_500, T0 + 800),
    ]);
    expect(await store.coverageUplinks({})).toEqual({
      unlocatedHearings: 0,
      uplinks: [
        {
          digest: digestOf(heard), mapper: hotspotAddress(mapper.publicKey), counter: 41, latE7: 523_512_345, lonE7: 48_765_432,
          altitudeM: -3, hdop: 1.3, satellites: 7, timeMs: T0,
          // In the order they were heard; snrDdb is the fixtures' default.
          heardBy: [
            { hotspot: hotspotAddress(north.publicKey), latE7: 524_000_000, lonE7: 49_000_000, rssiDdbm: -980, snrDdb: 40, timeMs: T0 + 800 },
            { hotspot: hotspotAddress(south.publicKey), latE7: 523_000_000, lonE7: 48_800_000, rssiDdbm: -1120, snrDdb: 40, timeMs: T0 + 900 },
          ],
        },
        {
          digest: digestOf(unheard), mapper: hotspotAddress(mapper.publicKey), counter: 42, latE7: 523_791_000, lonE7: 49_003_000,
          altitudeM: 4, hdop: 1.3, satellites: 9, timeMs: T0 + 10_000, heardBy: [],
        },
      ],
    });
  });

  test('orders uplinks by send time, then by digest, whatever order they arrived in', async () => {
    const sameTime = [report(T0, { counter: 1 }), report(T0, { counter: 2 }), report(T0, {}, otherMapper)];
    const earlier = report(T0 - 1, { counter: 0 });
    await store.insertItems([...sameTime.map((r) => reportFields(r)), reportFields(earlier)]);
    const expected = [digestOf(earlier), ...sameTime.map(digestOf).sort()];
    expect((await store.coverageUplinks()).uplinks.map((u) => u.digest)).toEqual(expected);
  });

  test('keeps uplinks sent in [sinceMs, untilMs)', async () => {
    const sent = [0, 1_000, 2_000].map((dt, counter) => report(T0 + dt, { counter }));
    await store.insertItems(sent.map((r) => reportFields(r)));
    const times = async (query: { sinceMs?: number; untilMs?: number }) => (await store.coverageUplinks(query)).uplinks.map((u) => u.timeMs - T0);
    expect(await times({ sinceMs: T0 + 1_000 })).toEqual([1_000, 2_000]);
    expect(await times({ untilMs: T0 + 2_000 })).toEqual([0, 1_000]);
    expect(await times({ sinceMs: T0 + 500, untilMs: T0 + 1_001 })).toEqual([1_000]);
    expect(await times({ sinceMs: T0 + 1_000, untilMs: T0 + 1_000 })).toEqual([]);
  });

  test('keeps uplinks inside the box, edges included, and across the antimeridian when west > east', async () => {
    const at = (lat: number, lon: number, counter: number) => report(T0 + counter, { latE7: lat * 1e7, lonE7: lon * 1e7, counter });
    const [inside, onEdge, outside, eastOfDateLine, westOfDateLine] = [
      at(52.2, 4.5, 0), at(52.5, 5, 1), at(53, 6, 2), at(-17, 179.5, 3), at(-17.5, -179.5, 4),
    ];
    await store.insertItems([inside, onEdge, outside, eastOfDateLine, westOfDateLine].map((r) => reportFields(r)));
    const counters = async (bbox: [number, number, number, number]) => (await store.coverageUplinks({ bbox })).uplinks.map((u) => u.counter);
    expect(await counters([4, 52, 5, 52.5])).toEqual([0, 1]);
    expect(await counters([179, -20, -179, -10])).toEqual([3, 4]);
    expect(await counters([-180, -90, 180, 90])).toEqual([0, 1, 2, 3, 4]);
    expect(await counters([179.9, -20, 179.95, -10])).toEqual([]);
  });

  test('leaves out and counts hearings by hotspots with no registered location', async () => {
    const r = report(T0);
    await store.insertItems([reportFields(r), receiptFields(r, unasserted, -1000), receiptFields(r, stranger, -1010), receiptFields(r, north, -1020)]);
    const { uplinks, unlocatedHearings } = await store.coverageUplinks();
    expect(uplinks[0].heardBy.map((h) => h.hotspot)).toEqual([hotspotAddress(north.publicKey)]);
    expect(unlocatedHearings).toBe(2);
    // The window applies to the count too: these hearings belong to an uplink outside it.
    expect(await store.coverageUplinks({ sinceMs: T0 + 1 })).toEqual({ uplinks: [], unlocatedHearings: 0 });
  });

  test('keeps receipts that arrive before their report, and joins them once it comes', async () => {
    const r = report(T0);
    await store.insertItems([receiptFields(r, north, -1000), receiptFields(r, south, -1050)]);
    expect(await store.coverageUplinks()).toEqual({ uplinks: [], unlocatedHearings: 0 });
    await store.insertItems([reportFields(r, T0 + 86_400_000)]);
    expect((await store.coverageUplinks()).uplinks[0].heardBy.map((h) => h.rssiDdbm)).toEqual([-1000, -1050]);
  });

  test('ignores the mapper\'s receipt of its own uplink, a hotspot\'s later receipts of one uplink, and a later report of one frame', async () => {
    const r = report(T0);
    // The same frame reported again with other radio settings and time: another item, the same uplink.
    const resigned = signMapperReport({ frame: r.frame, frequencyHz: r.frequencyHz, dataRate: r.dataRate, txPowerDdbm: 200, timeMs: T0 + 5 }, mapper);
    expect(toHex(beaconDigest(resigned.frame))).toBe(digestOf(r));
    await store.insertItems([
      reportFields(r, T0 + 10_000), reportFields(resigned, T0 + 20_000),
      receiptFields(r, mapper, -500), receiptFields(r, north, -1000, T0 + 2_000), receiptFields(r, north, -900, T0 + 3_000),
    ]);
    const { uplinks, unlocatedHearings } = await store.coverageUplinks();
    expect(uplinks).toHaveLength(1);
    expect(uplinks[0].timeMs).toBe(T0);
    expect(uplinks[0].heardBy.map((h) => [h.hotspot, h.rssiDdbm])).toEqual([[hotspotAddress(north.publicKey), -1000]]);
    expect(unlocatedHearings).toBe(0);
  });

  test('refuses a bad query with a RangeError', async () => {
    await expect(store.coverageUplinks({ sinceMs: 10, untilMs: 5 })).rejects.toThrow(RangeError);
    await expect(store.coverageUplinks({ sinceMs: Number.NaN })).rejects.toThrow(/sinceMs/);
    await expect(store.coverageUplinks({ bbox: [0, 10, 1, 5] })).rejects.toThrow(/south/);
    await expect(store.coverageUplinks({ bbox: [0, 0, 181, 5] })).rejects.toThrow(/east/);
    await expect(store.coverageUplinks({ bbox: [0, 0, 1] as unknown as [number, number, number, number] })).rejects.toThrow(/bbox/);
  });

  test('reads uplinks by their time index and hearings by the digest index: two statements, not one per uplink', () => {
    const db = new Database(':memory:');
    migrate(db, 'plan', () => T0);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(coverageBounds({ sinceMs: T0 })) as { detail: string }[])
      .map((row) => row.detail);
    const uplinks = plan(MAPPER_SQL.coverageUplinks);
    const hearings = plan(MAPPER_SQL.coverageHearings);
    db.close();
    expect(uplinks[0]).toMatch(/^SEARCH u USING INDEX mapper_uplinks_by_time_and_id/);
    expect(hearings[0]).toMatch(/^SEARCH u USING INDEX mapper_uplinks_by_time_and_id/);
    expect(hearings).toContain('SEARCH r USING INDEX mapper_receipts_by_digest (digest=?)');
    expect([...uplinks, ...hearings].filter((step) => /^SCAN/.test(step))).toEqual([]);
  });
});

describe('mapper items in the store', () => {
  const entropy = entropyRecord(Math.floor(T0 / 60_000));
  const beacon = signedBeaconReport(north, { entropy });
  const pocItems = () => [
    beaconReportFields(beacon, north.publicKey, T0 + 1_000), witnessReceiptFields(signedReceipt(beacon, south, { rssiDdbm: -1000 }), south.publicKey, T0 + 2_000),
  ];
  /** Mapper items made to collide with the PoC ones: the beaconer's uplink, a receipt quoting the beacon's digest. */
  const mapperItems = (): UploadedItem[] => {
    const r = report(T0, {}, north);
    const quotingBeacon = { ...receiptFields(r, south, -800, T0 + 1_500), digest: beaconDigest(beacon.frame) };
    return [reportFields(r, T0 + 1_200, north), quotingBeacon, receiptFields(r, south, -1000, T0 + 50_000)];
  };

  test('insertItems answers per item in a mixed call, duplicates included, across calls committed together', async () => {
    const [b, w] = pocItems();
    const [m, q, h] = mapperItems();
    const answers = await Promise.all([store.insertItems([m, b, m]), store.insertItems([q, w, m]), store.insertItems([h])]);
    expect(answers).toEqual([[true, true, false], [true, true, false], [true]]);
    expect(await store.insertItems([b, h, w, q])).toEqual([false, false, false, false]);
  });

  test('a call with one bad item stores none of its items, of any kind; calls committed with it are kept', async () => {
    const [b, w] = pocItems();
    const [m, q, h] = mapperItems();
    const badPoc = { ...w, kind: 'receipt' } as unknown as UploadedItem;
    const badMapper = { ...m, id: new Uint8Array(16), hdopDeci: 300 } as UploadedItem;
    const results = await Promise.allSettled([store.insertItems([m, badPoc]), store.insertItems([b, badMapper]), store.insertItems([h])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((await store.counts()).pending).toBe(0);
    expect((await store.coverageUplinks()).uplinks).toEqual([]);
    expect(await store.insertItems([q, m])).toEqual([true, true]);
    expect((await store.coverageUplinks()).uplinks[0].heardBy).toHaveLength(1);
  });

  test('no proof-of-coverage query sees them: every answer is the same with and without them', async () => {
    const other = SqliteStore.open(':memory:');
    try {
      const answers = async (s: SqliteStore) => {
        const [b, w] = pocItems();
        const verdicts: VerdictUpdate[] = [b, w].map((item) => ({
          id: item.id, timeMs: item.timeMs, status: 'valid', reason: 0, passed: true, selected: item.kind === 'witness', epoch: 7,
          verifiedMs: T0 + 20_000,
        }));
        const before = { pending: await s.pendingItems(), hasJudged: await s.hasJudged(b.digest), countsBefore: await s.counts() };
        await s.saveVerdicts(verdicts);
        return {
          ...before, group: await s.group(b.digest), beaconsOf: await s.beaconsOf(north.publicKey, 0, T0 * 2),
          epochItems: await s.epochItems(7), firstOpen: await s.firstOpenEpoch(), counts: await s.counts(),
          reciprocity: await s.reciprocity([north.publicKey, south.publicKey], 0, T0 * 2),
          summaries: await Promise.all([north, south].map((k) => s.summary(k.publicKey))),
        };
      };
      for (const s of [store, other]) {
        await s.putHotspot(hotspotAt(north, 52.4, 4.9));
        await s.putHotspot(hotspotAt(south, 52.3, 4.88));
        await s.insertItems(pocItems());
      }
      await store.insertItems(mapperItems());
      expect(await answers(store)).toEqual(await answers(other));
    } finally {
      await other.close();
    }
  });
});

describe('migration 3', () => {
  test('adds the mapper tables to a version-2 database and keeps its items', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'covey-mapper-migration-'));
    try {
      const path = join(dir, 'v2.db');
      const db = new Database(path);
      migrate(db, 'v2', () => T0, MIGRATIONS.slice(0, 2));
      const [b] = [beaconReportFields(signedBeaconReport(north, { entropy: entropyRecord(1) }), north.publicKey, T0)];
      db.prepare(`INSERT INTO items (id, uploader, kind, body, received_ms, digest, frequency_hz, data_rate, time_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(b.id, b.uploader, b.kind, b.body, b.receivedMs, b.digest, b.frequencyHz, b.dataRate, b.timeMs);
      db.close();
      const migrated = SqliteStore.open(path);
      try {
        expect((await migrated.group(b.digest)).map((item) => toHex(item.id))).toEqual([toHex(b.id)]);
        const r = report(T0);
        expect(await migrated.insertItems([reportFields(r), b])).toEqual([true, false]);
        expect((await migrated.coverageUplinks()).uplinks.map((u) => u.digest)).toEqual([digestOf(r)]);
      } finally {
        await migrated.close();
      }
      const check = new Database(path, { readonly: true });
      const versions = check.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      const indexes = check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'mapper%' ORDER BY name").pluck().all();
      check.close();
      expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
      expect(indexes).toEqual([
        'mapper_receipts_by_digest', 'mapper_receipts_by_time_and_id', 'mapper_uplinks_by_digest', 'mapper_uplinks_by_time_and_id',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
