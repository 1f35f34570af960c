/**
 * The SQLite store's rows: how records become statement parameters and how rows (objects, or raw arrays
 * in column order where the verifier reads many) become records. BLOBs come back as plain Uint8Array
 * (never Buffer), 0/1 as booleans, and NULL as an absent field.
 */
import { reasonName } from '../../../proofs/reasons.js';
import type {
  AttestationRecord, EntropyRecord, EpochItem, HotspotRecord, ItemFields, ItemStatus, PocKind, RewardRow, Side, StoredItem, VerdictUpdate,
} from '../model.js';
import type { ItemCounts } from './store.js';

export function countsFrom(rows: readonly CountRow[]): ItemCounts {
  const byVerdict: Record<string, number> = {};
  let pending = 0;
  for (const row of rows) {
    byVerdict[`${row.kind} ${row.status} ${reasonName(row.reason)}`] = row.n;
    if (row.status === 'pending') pending += row.n;
  }
  return { byVerdict, pending };
}

// Rows and records.

export interface HotspotRow {
  key: Uint8Array; lat_e7: number | null; lon_e7: number | null; cell: string | null; gain_ddbi: number;
  region: string; asserted_at_ms: number; registered_ms: number; request: Uint8Array | null;
}
export interface EntropyRow { epoch: number; data: Uint8Array; time_ms: number; encoded: Uint8Array }
export interface ItemRow {
  id: Uint8Array; uploader: Uint8Array; kind: PocKind; body?: Uint8Array; received_ms: number; digest: Uint8Array;
  frequency_hz: number; data_rate: number; time_ms: number; rssi_ddbm: number | null; snr_ddb: number | null;
  tx_power_ddbm: number | null; entropy_epoch: number | null; entropy_tag: Uint8Array | null; status: ItemStatus;
  reason: number; side: Side | null; passed: number; selected: number; verified_ms: number | null;
  epoch: number | null;
}
export interface CountRow { kind: PocKind; status: ItemStatus; reason: number; n: number }
export interface RewardRecordRow {
  epoch: number; hotspot: Uint8Array; beacon_units: number; witness_units: number; scale: number; amount: number;
  beacons: number; witnesses: number;
}

/**
 * better-sqlite3 returns each BLOB as a Buffer of its own; callers get a plain Uint8Array over the same
 * memory (no copy), so no Buffer reaches code that must also run without Node.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `{ [key]: value }`, or `{}` for NULL, so an absent optional field stays absent in the record. */
export function present<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

export function hotspotParams(record: HotspotRecord): Record<string, unknown> {
  const { key, location, gainDdbi, region, assertedAtMs, registeredMs } = record;
  return {
    key, latE7: location?.latE7 ?? null, lonE7: location?.lonE7 ?? null, cell: location?.cell ?? null,
    gainDdbi, region, assertedAtMs, registeredMs, request: record.request ?? null,
  };
}

export function hotspotFromRow(row: HotspotRow): HotspotRecord {
  const location = row.cell === null ? null : { latE7: row.lat_e7 as number, lonE7: row.lon_e7 as number, cell: row.cell };
  return {
    key: plainBytes(row.key), ...present('location', location), gainDdbi: row.gain_ddbi, region: row.region,
    assertedAtMs: row.asserted_at_ms, registeredMs: row.registered_ms,
    ...present('request', row.request && plainBytes(row.request)),
  };
}

export interface AttestationRow {
  vendor_key: Uint8Array; model: string; serial: string; issued_ms: number; certificate: Uint8Array; attested_ms: number;
}

export function attestationParams(key: Uint8Array, record: AttestationRecord): Record<string, unknown> {
  return {
    hotspot: key, vendorKey: record.vendorKey, model: record.model, serial: record.serial, issuedMs: record.issuedMs,
    certificate: record.certificate, attestedMs: record.attestedMs,
  };
}

export function attestationFromRow(row: AttestationRow): AttestationRecord {
  return {
    vendorKey: plainBytes(row.vendor_key), model: row.model, serial: row.serial, issuedMs: row.issued_ms,
    certificate: plainBytes(row.certificate), attestedMs: row.attested_ms,
  };
}

export function entropyFromRow(row: EntropyRow): EntropyRecord {
  return { epoch: row.epoch, data: plainBytes(row.data), timeMs: row.time_ms, encoded: plainBytes(row.encoded) };
}

/** In the column order of SQL.insertItem. */
export function itemParams(item: ItemFields): unknown[] {
  return [
    item.id, item.uploader, item.kind, item.body, item.receivedMs, item.digest, item.frequencyHz, item.dataRate,
    item.timeMs, item.rssiDdbm ?? null, item.snrDdb ?? null, item.txPowerDdbm ?? null, item.entropyEpoch ?? null,
    item.entropyTag ?? null,
  ];
}

/** A row of the epochItems statement, columns in its order. */
/** A raw epochItems row: uploader and digest come as hex text (interned by the reader), the rest as stored. */
export type EpochRow = [Uint8Array, number, string, PocKind, string, number, ItemStatus, number, Side | null, number, number, number | null, number | null];

/**
 * Reads epochItems rows. A reward epoch of a large network holds hundreds of thousands of items but only
 * thousands of uploaders and tens of thousands of digests, so each distinct uploader and digest becomes
 * one Uint8Array shared by every item that names it, instead of a fresh buffer per row (at 700,000 items
 * that is over a gigabyte of buffers the closing of the epoch does not need).
 */
export function epochItemReader(): (row: EpochRow) => EpochItem {
  const shared = new Map<string, Uint8Array>();
  const bytesOf = (hex: string): Uint8Array => {
    let bytes = shared.get(hex);
    if (bytes === undefined) shared.set(hex, (bytes = plainBytes(Buffer.from(hex, 'hex'))));
    return bytes;
  };
  return (row) => {
    const [id, timeMs, uploader, kind, digest, receivedMs, status, reason, side, passed, selected, verifiedMs, epoch] = row;
    const item: Record<string, unknown> = {
      id: plainBytes(id), timeMs, uploader: bytesOf(uploader), kind, digest: bytesOf(digest), receivedMs, status, reason,
      passed: passed === 1, selected: selected === 1,
    };
    if (side !== null) item.side = side;
    if (verifiedMs !== null) item.verifiedMs = verifiedMs;
    if (epoch !== null) item.epoch = epoch;
    return item as unknown as EpochItem;
  };
}

/** A raw row of a statement selecting ITEM_COLUMNS, in that order. */
export function itemFromRawRow(raw: unknown[]): StoredItem {
  const row = raw as [Uint8Array, Uint8Array, PocKind, number, Uint8Array, number, number, number, number | null, number | null,
    number | null, number | null, Uint8Array | null, ItemStatus, number, Side | null, number, number, number | null, number | null];
  const item: Record<string, unknown> = {
    id: plainBytes(row[0]), uploader: plainBytes(row[1]), kind: row[2], receivedMs: row[3], digest: plainBytes(row[4]), frequencyHz: row[5],
    dataRate: row[6], timeMs: row[7], status: row[13], reason: row[14], passed: row[16] === 1, selected: row[17] === 1,
  };
  if (row[8] !== null) item.rssiDdbm = row[8];
  if (row[9] !== null) item.snrDdb = row[9];
  if (row[10] !== null) item.txPowerDdbm = row[10];
  if (row[11] !== null) item.entropyEpoch = row[11];
  if (row[12] !== null) item.entropyTag = plainBytes(row[12]);
  if (row[15] !== null) item.side = row[15];
  if (row[18] !== null) item.verifiedMs = row[18];
  if (row[19] !== null) item.epoch = row[19];
  return item as unknown as StoredItem;
}

export function itemFromRow(row: ItemRow): StoredItem {
  // Assigned field by field rather than spread: the verifier reads every item of every group this way.
  const item: Record<string, unknown> = {
    id: plainBytes(row.id), uploader: plainBytes(row.uploader), kind: row.kind, receivedMs: row.received_ms,
    digest: plainBytes(row.digest), frequencyHz: row.frequency_hz, dataRate: row.data_rate, timeMs: row.time_ms,
    status: row.status, reason: row.reason, passed: row.passed === 1, selected: row.selected === 1,
  };
  if (row.body !== undefined) item.body = plainBytes(row.body);
  if (row.rssi_ddbm !== null) item.rssiDdbm = row.rssi_ddbm;
  if (row.snr_ddb !== null) item.snrDdb = row.snr_ddb;
  if (row.tx_power_ddbm !== null) item.txPowerDdbm = row.tx_power_ddbm;
  if (row.entropy_epoch !== null) item.entropyEpoch = row.entropy_epoch;
  if (row.entropy_tag !== null) item.entropyTag = plainBytes(row.entropy_tag);
  if (row.side !== null) item.side = row.side;
  if (row.verified_ms !== null) item.verifiedMs = row.verified_ms;
  if (row.epoch !== null) item.epoch = row.epoch;
  return item as unknown as StoredItem;
}

export function verdictParams(update: VerdictUpdate): unknown[] {
  return [
    update.status, update.reason, update.side ?? null, update.passed ? 1 : 0, update.selected ? 1 : 0,
    update.verifiedMs ?? null, update.epoch ?? null, update.timeMs, update.id,
  ];
}

export function rewardFromRow(row: RewardRecordRow): RewardRow {
  return {
    epoch: row.epoch, hotspot: plainBytes(row.hotspot), beaconUnits: row.beacon_units, witnessUnits: row.witness_units,
    scale: row.scale, amount: row.amount, beacons: row.beacons, witnesses: row.witnesses,
  };
}
