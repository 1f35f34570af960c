/**
 * Oracle records built from real signed messages: the entropy the oracle would publish, hotspots at real
 * coordinates, beacon reports and witness receipts signed with test keys, and the ItemFields the oracle
 * stores for them (id = receiptId(uploader, item encoding), digest of the frame or as quoted).
 */
import { latLngToCell } from 'h3-js';
import {
  asciiBytes, beaconDigest, encodeBatchItem, encodeEntropy, receiptId, reportedBeacon, signBeacon, signBeaconReport, signEntropy,
  sha256, signWitnessReceipt, type BatchItem, type BeaconReport, type Signer, type WitnessReceipt,
} from '../../proofs/index.js';
import {
  ASSERT_RESOLUTION, type EntropyRecord, type HotspotRecord, type ItemFields, type StoredItem, type VerdictUpdate,
} from '../../tools/oracle/model.js';
import { signerFor } from './keys.js';

/** Entropy for `epoch`, valid from epoch × periodMs, signed by a test oracle key. */
export function entropyRecord(epoch: number, periodMs = 60_000): EntropyRecord {
  const data = sha256(asciiBytes(`covey test entropy ${epoch}`));
  const fields = { epoch, data, timeMs: epoch * periodMs };
  return { ...fields, encoded: encodeEntropy(signEntropy(fields, signerFor('oracle'))) };
}

export interface HotspotOptions {
  readonly region?: string;
  /** 0.1 dBi; default 20 (2 dBi). */
  readonly gainDdbi?: number;
  /** false: registered without a location. */
  readonly asserted?: boolean;
}

/** A registered hotspot asserted at (lat, lon) degrees. */
export function hotspotAt(signer: Signer, lat: number, lon: number, options: HotspotOptions = {}): HotspotRecord {
  const location = {
    latE7: Math.round(lat * 1e7), lonE7: Math.round(lon * 1e7), cell: latLngToCell(lat, lon, ASSERT_RESOLUTION),
  };
  return {
    key: signer.publicKey,
    ...(options.asserted === false ? {} : { location }),
    gainDdbi: options.gainDdbi ?? 20,
    region: options.region ?? 'EU868',
    assertedAtMs: 0,
    registeredMs: 0,
  };
}

export interface BeaconOptions {
  readonly entropy: EntropyRecord;
  /** Default: the entropy's first 4 bytes, as an honest beaconer quotes them. */
  readonly entropyTag?: Uint8Array;
  readonly nonce?: Uint8Array;
  readonly frequencyHz?: number;
  /** Default 0: SF12BW125. */
  readonly dataRate?: number;
  /** 0.1 dBm; default 140 (14 dBm). */
  readonly txPowerDdbm?: number;
  /** Default: 20 s after the entropy began. */
  readonly timeMs?: number;
}

/** A beacon frame and its report, both signed by the beaconer. */
export function signedBeaconReport(beaconer: Signer, options: BeaconOptions): BeaconReport {
  const beacon = signBeacon({
    beaconer: beaconer.publicKey,
    entropyEpoch: options.entropy.epoch,
    entropyTag: options.entropyTag ?? options.entropy.data.slice(0, 4),
    nonce: options.nonce ?? Uint8Array.of(1, 2, 3, 4),
  }, beaconer);
  return signBeaconReport({
    frame: beacon.frame,
    frequencyHz: options.frequencyHz ?? 868_100_000,
    dataRate: options.dataRate ?? 0,
    txPowerDdbm: options.txPowerDdbm ?? 140,
    timeMs: options.timeMs ?? options.entropy.timeMs + 20_000,
  }, beaconer);
}

export interface ReceiptOptions {
  readonly rssiDdbm: number;
  readonly snrDdb?: number;
  /** Default: the report's frequency. */
  readonly frequencyHz?: number;
  /** Default: the report's data rate. */
  readonly dataRate?: number;
  /** Default: 1 s after the report's TxDone. */
  readonly timeMs?: number;
}

/** A witness receipt for the beacon in `report`, signed by the witness. */
export function signedReceipt(report: BeaconReport, witness: Signer, options: ReceiptOptions): WitnessReceipt {
  return signWitnessReceipt({
    beaconDigest: beaconDigest(report.frame),
    rssiDdbm: options.rssiDdbm,
    snrDdb: options.snrDdb ?? -50,
    frequencyHz: options.frequencyHz ?? report.frequencyHz,
    dataRate: options.dataRate ?? report.dataRate,
    timeMs: options.timeMs ?? report.timeMs + 1_000,
  }, witness);
}

function storedId(uploader: Uint8Array, item: BatchItem): { id: Uint8Array; body: Uint8Array } {
  const body = encodeBatchItem(item);
  return { id: receiptId(uploader, body), body };
}

/** The fields the oracle stores for a beacon report uploaded by `uploader` (its beaconer, for a valid upload). */
export function beaconReportFields(report: BeaconReport, uploader: Uint8Array, receivedMs: number): ItemFields {
  const { id, body } = storedId(uploader, { kind: 'beacon', report });
  const beacon = reportedBeacon(report);
  return {
    id, uploader, kind: 'beacon', body, receivedMs, digest: beaconDigest(report.frame),
    frequencyHz: report.frequencyHz, dataRate: report.dataRate, timeMs: report.timeMs,
    txPowerDdbm: report.txPowerDdbm, entropyEpoch: beacon.entropyEpoch, entropyTag: beacon.entropyTag,
  };
}

/** The fields the oracle stores for a witness receipt uploaded by `uploader`. */
export function witnessReceiptFields(receipt: WitnessReceipt, uploader: Uint8Array, receivedMs: number): ItemFields {
  const { id, body } = storedId(uploader, { kind: 'witness', receipt });
  return {
    id, uploader, kind: 'witness', body, receivedMs, digest: receipt.beaconDigest,
    frequencyHz: receipt.frequencyHz, dataRate: receipt.dataRate, timeMs: receipt.timeMs,
    rssiDdbm: receipt.rssiDdbm, snrDdb: receipt.snrDdb,
  };
}

/** An item as the store holds it before it is judged. */
export function pendingItem(fields: ItemFields): StoredItem {
  return { ...fields, status: 'pending', reason: 0, passed: false, selected: false };
}

/** `items` with `updates` applied, as the store would return them after saveVerdicts. */
export function applyVerdicts(items: readonly StoredItem[], updates: readonly VerdictUpdate[]): StoredItem[] {
  return items.map((item) => {
    const update = updates.find((u) => sameBytes(u.id, item.id));
    if (update === undefined) return item;
    const { id: _id, ...verdict } = update;
    return { ...item, ...verdict };
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
