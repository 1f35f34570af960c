/**
 * The SQLite store's mapper tables (migration 3, migrations.ts): the statements that write and read
 * them, their parameters, and the coverage query's rows made into uplinks with their hearings. Mapper
 * items live in tables of their own, so no proof-of-coverage query (items) can ever see them.
 */
import { fromHex, hotspotAddress } from '../../../proofs/index.js';
import type { CoverageHearing, CoverageUplinks } from '../coverage-query.js';
import type { MapperReceiptItem, MapperReportItem } from '../model.js';
import { plainBytes } from './sqlite-rows.js';

/** Earlier to reach the oracle: receive time, then id (the order items are judged in, for PoC). */
const EARLIER = (a: string, b: string) => `(${a}.received_ms < ${b}.received_ms OR (${a}.received_ms = ${b}.received_ms AND ${a}.id < ${b}.id))`;

/** The uplinks in a coverage query's window and box (CoverageBounds as named parameters), alias u. */
const IN_RANGE = `u.time_ms >= @sinceMs AND u.time_ms < @untilMs
  AND u.lat_e7 BETWEEN @southE7 AND @northE7
  AND CASE WHEN @westE7 <= @eastE7 THEN u.lon_e7 BETWEEN @westE7 AND @eastE7 ELSE u.lon_e7 >= @westE7 OR u.lon_e7 <= @eastE7 END`;

export const MAPPER_SQL = {
  // ON CONFLICT (time_ms, id) DO NOTHING, as insertItem (sqlite-store.ts): only a known item is skipped.
  insertMapperUplink: `INSERT INTO mapper_uplinks (id, mapper, digest, lat_e7, lon_e7, altitude_m, hdop_deci, satellites,
      counter, frequency_hz, data_rate, tx_power_ddbm, time_ms, received_ms, body)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (time_ms, id) DO NOTHING`,
  insertMapperReceipt: `INSERT INTO mapper_receipts (id, witness, digest, rssi_ddbm, snr_ddb, frequency_hz, data_rate, time_ms,
      received_ms, body)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (time_ms, id) DO NOTHING`,
  // The uplinks of a query, in the answer's order. Two reports of one frame (a mapper that re-signed its
  // log) are one uplink: the first to reach the oracle stands for it.
  coverageUplinks: `SELECT u.rowid, lower(hex(u.digest)), lower(hex(u.mapper)), u.counter, u.lat_e7, u.lon_e7, u.altitude_m, u.hdop_deci,
      u.satellites, u.time_ms
    FROM mapper_uplinks AS u
    WHERE ${IN_RANGE} AND NOT EXISTS (SELECT 1 FROM mapper_uplinks AS e WHERE e.digest = u.digest AND ${EARLIER('e', 'u')})
    ORDER BY u.time_ms, u.digest`,
  // The hearings of the uplinks in range, by the uplink's rowid; those of a later report of a frame come
  // too, and are dropped by coverageFromRows, which knows the uplinks. A hotspot's second receipt of one
  // uplink adds nothing it could have heard, so only its first counts; a mapper's receipt of its own
  // uplink is not a hearing. Only numbers come back, the hotspot by its registry rowid: a BLOB costs a
  // Buffer a row, which at 10^5 uplinks cost more than the join. h.lat_e7 is NULL for a hotspot with no
  // registered location.
  coverageHearings: `SELECT u.rowid, h.rowid, h.lat_e7, h.lon_e7, r.rssi_ddbm, r.snr_ddb, r.time_ms
    FROM mapper_uplinks AS u
    JOIN mapper_receipts AS r ON r.digest = u.digest AND r.witness <> u.mapper
      AND NOT EXISTS (SELECT 1 FROM mapper_receipts AS e WHERE e.digest = r.digest AND e.witness = r.witness AND ${EARLIER('e', 'r')})
    LEFT JOIN hotspots AS h ON h.key = r.witness
    WHERE ${IN_RANGE}
    ORDER BY r.time_ms, r.witness`,
  hotspotKeyByRowid: 'SELECT key FROM hotspots WHERE rowid = ?',
} as const;

/** In the column order of MAPPER_SQL.insertMapperUplink. */
export function mapperUplinkParams(item: MapperReportItem): unknown[] {
  return [
    item.id, item.uploader, item.digest, item.latE7, item.lonE7, item.altitudeM, item.hdopDeci, item.satellites, item.counter,
    item.frequencyHz, item.dataRate, item.txPowerDdbm, item.timeMs, item.receivedMs, item.body,
  ];
}

/** In the column order of MAPPER_SQL.insertMapperReceipt. */
export function mapperReceiptParams(item: MapperReceiptItem): unknown[] {
  return [
    item.id, item.uploader, item.digest, item.rssiDdbm, item.snrDdb, item.frequencyHz, item.dataRate, item.timeMs,
    item.receivedMs, item.body,
  ];
}

type UplinkRow = [
  rowid: number, digest: string, mapper: string, counter: number, latE7: number, lonE7: number, altitudeM: number,
  hdopDeci: number, satellites: number, timeMs: number,
];
type HearingRow = [
  uplink: number, hotspot: number | null, latE7: number | null, lonE7: number | null, rssiDdbm: number, snrDdb: number, timeMs: number,
];

/**
 * Joins the rows of the two coverage statements (read in one transaction) into uplinks with their
 * hearings. `hotspotKey` reads a registry key by rowid; each hotspot's address is worked out once.
 */
export function coverageFromRows(
  uplinkRows: readonly unknown[][], hearingRows: readonly unknown[][], hotspotKey: (rowid: number) => Uint8Array,
): CoverageUplinks {
  const byRowid = new Map<number, CoverageHearing[]>();
  const mappers = new Map<string, string>();
  const uplinks = (uplinkRows as UplinkRow[]).map((row) => {
    const [rowid, digest, mapper, counter, latE7, lonE7, altitudeM, hdopDeci, satellites, timeMs] = row;
    const heardBy: CoverageHearing[] = [];
    byRowid.set(rowid, heardBy);
    return {
      digest, mapper: cachedAddress(mappers, mapper, () => fromHex(mapper)), counter, latE7, lonE7, altitudeM,
      hdop: hdopDeci / 10, satellites, timeMs, heardBy,
    };
  });
  const hotspots = new Map<number, string>();
  let unlocatedHearings = 0;
  for (const [uplink, hotspot, latE7, lonE7, rssiDdbm, snrDdb, timeMs] of hearingRows as HearingRow[]) {
    const heardBy = byRowid.get(uplink);
    if (heardBy === undefined) continue; // of a report that does not stand for its frame
    if (hotspot === null || latE7 === null || lonE7 === null) unlocatedHearings++;
    else heardBy.push({ hotspot: cachedAddress(hotspots, hotspot, () => hotspotKey(hotspot)), latE7, lonE7, rssiDdbm, snrDdb, timeMs });
  }
  return { uplinks, unlocatedHearings };
}

function cachedAddress<K>(cache: Map<K, string>, id: K, key: () => Uint8Array): string {
  let address = cache.get(id);
  if (address === undefined) {
    address = hotspotAddress(plainBytes(key()));
    cache.set(id, address);
  }
  return address;
}
