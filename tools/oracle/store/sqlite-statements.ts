/**
 * Every statement SqliteStore runs, by name, prepared once when the store opens (sqlite-store.ts); the
 * mapper tables' statements are in sqlite-mapper.ts. Schema: migrations.ts.
 */
import type Database from 'better-sqlite3';
import { MAPPER_SQL } from './sqlite-mapper.js';

const HOTSPOT_COLUMNS = 'key, lat_e7, lon_e7, cell, gain_ddbi, region, asserted_at_ms, registered_ms, request';
/** Every column the verifier reads: all but the body, which it never needs (StoredItem). */
const ITEM_COLUMNS = `id, uploader, kind, received_ms, digest, frequency_hz, data_rate, time_ms, rssi_ddbm, snr_ddb,
  tx_power_ddbm, entropy_epoch, entropy_tag, status, reason, side, passed, selected, verified_ms, epoch`;
const REWARD_COLUMNS = 'epoch, hotspot, beacon_units, witness_units, scale, amount, beacons, witnesses';

/** Every statement the store runs, prepared once when it opens. */
export const SQL = {
  putHotspot: `INSERT INTO hotspots (${HOTSPOT_COLUMNS})
    VALUES (@key, @latE7, @lonE7, @cell, @gainDdbi, @region, @assertedAtMs, @registeredMs, @request)
    ON CONFLICT (key) DO UPDATE SET lat_e7 = excluded.lat_e7, lon_e7 = excluded.lon_e7, cell = excluded.cell,
      gain_ddbi = excluded.gain_ddbi, region = excluded.region, asserted_at_ms = excluded.asserted_at_ms,
      registered_ms = excluded.registered_ms, request = excluded.request`,
  hotspot: `SELECT ${HOTSPOT_COLUMNS} FROM hotspots WHERE key = ?`,
  allHotspots: `SELECT ${HOTSPOT_COLUMNS} FROM hotspots ORDER BY key`,
  hotspotCount: 'SELECT count(*) AS n FROM hotspots',
  putAttestation: `INSERT INTO attestations (hotspot, vendor_key, model, serial, issued_ms, certificate, attested_ms)
    VALUES (@hotspot, @vendorKey, @model, @serial, @issuedMs, @certificate, @attestedMs)
    ON CONFLICT (hotspot) DO UPDATE SET vendor_key = excluded.vendor_key, model = excluded.model,
      serial = excluded.serial, issued_ms = excluded.issued_ms, certificate = excluded.certificate,
      attested_ms = excluded.attested_ms`,
  deleteAttestation: 'DELETE FROM attestations WHERE hotspot = ?',
  attestation: 'SELECT vendor_key, model, serial, issued_ms, certificate, attested_ms FROM attestations WHERE hotspot = ?',
  attestationCounts: 'SELECT hex(vendor_key) AS vendor, count(*) AS n FROM attestations GROUP BY vendor_key',
  putEntropy: 'INSERT INTO entropy (epoch, data, time_ms, encoded) VALUES (?, ?, ?, ?) ON CONFLICT (epoch) DO NOTHING',
  entropy: 'SELECT epoch, data, time_ms, encoded FROM entropy WHERE epoch = ?',
  latestEntropy: 'SELECT epoch, data, time_ms, encoded FROM entropy ORDER BY epoch DESC LIMIT 1',
  // ON CONFLICT (time_ms, id) DO NOTHING, not INSERT OR IGNORE: OR IGNORE would also skip a row that breaks
  // a NOT NULL or CHECK constraint and report it as a duplicate; this skips only a known item. Positional
  // parameters (itemParams, same order), the hot path: binding by name cost about 10% more CPU per row.
  insertItem: `INSERT INTO items (id, uploader, kind, body, received_ms, digest, frequency_hz, data_rate, time_ms,
      rssi_ddbm, snr_ddb, tx_power_ddbm, entropy_epoch, entropy_tag)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (time_ms, id) DO NOTHING`,
  // Read once when the verifier starts: a scan, rather than an index every insert and verdict would pay for.
  pendingItems: `SELECT ${ITEM_COLUMNS} FROM items WHERE status = 'pending' ORDER BY received_ms, id`,
  item: `SELECT ${ITEM_COLUMNS}, body FROM items WHERE time_ms = ? AND id = ?`,
  group: `SELECT ${ITEM_COLUMNS} FROM items WHERE digest = ? ORDER BY received_ms, id`,
  hasJudged: `SELECT EXISTS (SELECT 1 FROM items WHERE digest = ? AND status <> 'pending') AS judged`,
  // Positional parameters (verdictParams, same order): the verifier's hot path, like insertItem.
  updateVerdict: `UPDATE items SET status = ?, reason = ?, side = ?, passed = ?, selected = ?, verified_ms = ?,
      epoch = ?
    WHERE time_ms = ? AND id = ?`,
  beaconsOf: `SELECT ${ITEM_COLUMNS} FROM items
    WHERE uploader = ? AND kind = 'beacon' AND received_ms >= ? AND received_ms < ? ORDER BY received_ms, id`,
  // Only what closing an epoch reads (EpochItem), in raw rows: every judged item of the epoch passes here.
  epochItems: `SELECT id, time_ms, hex(uploader), kind, hex(digest), received_ms, status, reason, side, passed, selected, verified_ms, epoch
    FROM items WHERE epoch = ? AND status <> 'pending' ORDER BY received_ms, id`,
  // HIP-106 (poc.md §3): a witness that passed; a beacon that passed and has a witness that passed.
  reciprocity: `SELECT
      EXISTS (SELECT 1 FROM items WHERE uploader = @key AND kind = 'witness'
        AND received_ms >= @fromMs AND received_ms < @toMs AND passed = 1) AS witness,
      EXISTS (SELECT 1 FROM items AS b WHERE b.uploader = @key AND b.kind = 'beacon'
        AND b.received_ms >= @fromMs AND b.received_ms < @toMs AND b.passed = 1
        AND EXISTS (SELECT 1 FROM items AS w WHERE w.digest = b.digest AND w.kind = 'witness' AND w.passed = 1)) AS beacon`,
  counts: 'SELECT kind, status, reason, count(*) AS n FROM items GROUP BY kind, status, reason',
  countsOf: 'SELECT kind, status, reason, count(*) AS n FROM items WHERE uploader = ? GROUP BY kind, status, reason',
  lastReceived: `SELECT (SELECT max(received_ms) FROM items WHERE uploader = @key AND kind = 'beacon') AS beacon,
      (SELECT max(received_ms) FROM items WHERE uploader = @key AND kind = 'witness') AS witness`,
  insertEpoch: 'INSERT INTO epochs (epoch, closed_ms) VALUES (?, ?)',
  epochClosed: 'SELECT 1 AS closed FROM epochs WHERE epoch = ?',
  insertReward: `INSERT INTO rewards (${REWARD_COLUMNS})
    VALUES (@epoch, @hotspot, @beaconUnits, @witnessUnits, @scale, @amount, @beacons, @witnesses)`,
  rewards: `SELECT ${REWARD_COLUMNS} FROM rewards WHERE epoch = ? ORDER BY hotspot`,
  lastClosedEpoch: 'SELECT max(epoch) AS epoch FROM epochs',
  // Steps from one distinct epoch to the next through items_by_epoch (one index seek each, a handful of
  // epochs a week) instead of reading every item of the closed epochs.
  firstOpenEpoch: `WITH RECURSIVE seen (epoch) AS (
      SELECT min(epoch) FROM items WHERE epoch IS NOT NULL
      UNION ALL
      SELECT (SELECT min(i.epoch) FROM items AS i WHERE i.epoch > seen.epoch) FROM seen WHERE seen.epoch IS NOT NULL)
    SELECT epoch FROM seen
    WHERE epoch IS NOT NULL AND epoch NOT IN (SELECT epoch FROM epochs)
      AND EXISTS (SELECT 1 FROM items AS i WHERE i.epoch = seen.epoch AND i.status <> 'pending')
    ORDER BY epoch LIMIT 1`,
  ...MAPPER_SQL,
} as const;

export type Statements = { readonly [K in keyof typeof SQL]: Database.Statement };
