/**
 * Mapper messages signed with test keys (proofs/mapper-uplink.ts, mapper-report.ts, mapper-receipt.ts),
 * and the records the oracle stores for them, made the way ingest makes them (fieldsOf).
 */
import {
  beaconDigest, encodeBatchItem, receiptId, signMapperReceipt, signMapperReport, signMapperUplink,
  type BatchItem, type MapperReceipt, type MapperReport, type Signer,
} from '../../proofs/index.js';
import { fieldsOf } from '../../tools/oracle/ingest-prepare.js';
import type { UploadedItem } from '../../tools/oracle/model.js';

export interface UplinkOptions {
  /** Default: Amsterdam Centraal, 52.3791° N 4.9003° E. */
  readonly latE7?: number;
  readonly lonE7?: number;
  readonly altitudeM?: number;
  /** HDOP × 10; default 13 (1.3). */
  readonly hdopDeci?: number;
  readonly satellites?: number;
  readonly counter?: number;
  readonly frequencyHz?: number;
  readonly dataRate?: number;
  readonly txPowerDdbm?: number;
  /** The mapper's TxDone. */
  readonly timeMs: number;
}

/** An uplink frame and the mapper's report of it, both signed by the mapper. */
export function signedMapperReport(mapper: Signer, options: UplinkOptions): MapperReport {
  const uplink = signMapperUplink({
    mapper: mapper.publicKey,
    latE7: options.latE7 ?? 523_791_000,
    lonE7: options.lonE7 ?? 49_003_000,
    altitudeM: options.altitudeM ?? 4,
    hdopDeci: options.hdopDeci ?? 13,
    satellites: options.satellites ?? 9,
    counter: options.counter ?? 0,
  }, mapper);
  return signMapperReport({
    frame: uplink.frame,
    frequencyHz: options.frequencyHz ?? 868_100_000,
    dataRate: options.dataRate ?? 5,
    txPowerDdbm: options.txPowerDdbm ?? 140,
    timeMs: options.timeMs,
  }, mapper);
}

export interface HearingOptions {
  readonly rssiDdbm: number;
  readonly snrDdb?: number;
  /** The hotspot's RxDone; default 1 s after the mapper's TxDone. */
  readonly timeMs?: number;
}

/** A hotspot's receipt of the uplink in `report`, signed by the hotspot. */
export function signedMapperReceipt(report: MapperReport, witness: Signer, options: HearingOptions): MapperReceipt {
  return signMapperReceipt({
    beaconDigest: beaconDigest(report.frame),
    rssiDdbm: options.rssiDdbm,
    snrDdb: options.snrDdb ?? 40,
    frequencyHz: report.frequencyHz,
    dataRate: report.dataRate,
    timeMs: options.timeMs ?? report.timeMs + 1_000,
  }, witness);
}

/** What the oracle stores for `item` uploaded by `uploader` and received at `receivedMs`. */
export function storedFields(uploader: Signer, item: BatchItem, receivedMs: number): UploadedItem {
  const body = encodeBatchItem(item);
  return { ...fieldsOf(uploader.publicKey, receiptId(uploader.publicKey, body), item, body), receivedMs } as UploadedItem;
}

export const mapperItem = (report: MapperReport): BatchItem => ({ kind: 'mapper', report });
export const mapperReceiptItem = (receipt: MapperReceipt): BatchItem => ({ kind: 'mapper-witness', receipt });
