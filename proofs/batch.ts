/**
 * UploadBatch and UploadAck: how a hotspot hands its queued items to the oracle, and how the oracle
 * answers for each one. The uploader's key is written once per batch; every item is signed with it.
 *
 * UploadBatch CBOR: [5, 1, uploader: bstr .size 32,
 *                    items: [1*256 (WitnessReceipt / BeaconReport / MapperReport / MapperReceipt)]]
 * UploadAck CBOR:   [6, 1, results: [* [id: bstr .size 16, status: uint, reason: uint]]]
 *
 * A batch whose envelope is bad is refused whole. An item that is bad on its own is answered in the
 * ack as rejected with its reason, so one bad item never blocks the rest of a device's queue.
 */
import { decodeCbor, encodeCbor, type CborValue } from './cbor.js';
import { beaconReportFromValue, beaconReportToValue, verifyBeaconReport, reportedBeacon, type BeaconReport } from './beacon-report.js';
import { equalBytes } from './bytes.js';
import { receiptId, RECEIPT_ID_BYTES } from './digest.js';
import { DecodeError, DecodeFailure } from './errors.js';
import { readArray, readBytes, readInt } from './fields.js';
import { openEnvelope, KEY_BYTES } from './envelope.js';
import {
  mapperReceiptFromValue, mapperReceiptToValue, verifyMapperReceipt, type MapperReceipt,
} from './mapper-receipt.js';
import {
  mapperReportFromValue, mapperReportToValue, reportedUplink, verifyMapperReport, type MapperReport,
} from './mapper-report.js';
import { Reason, type ReasonCode } from './reasons.js';
import { CURRENT_VERSION, MessageType } from './registry.js';
import type { Verifier } from './signing.js';
import {
  verifyWitnessReceipt, witnessReceiptFromValue, witnessReceiptToValue, type WitnessReceipt,
} from './witness-receipt.js';

export const MAX_BATCH_ITEMS = 256;

export type BatchItem =
  | { readonly kind: 'witness'; readonly receipt: WitnessReceipt }
  | { readonly kind: 'beacon'; readonly report: BeaconReport }
  | { readonly kind: 'mapper'; readonly report: MapperReport }
  | { readonly kind: 'mapper-witness'; readonly receipt: MapperReceipt };

export interface UploadBatch {
  readonly uploader: Uint8Array;
  readonly items: readonly BatchItem[];
}

/** One item as decoded from a batch: its id, and the item or why it could not be read. */
export type DecodedItem =
  | { readonly id: Uint8Array; readonly item: BatchItem; readonly error?: undefined }
  | { readonly id: Uint8Array; readonly item?: undefined; readonly error: DecodeError };

export interface DecodedBatch {
  readonly uploader: Uint8Array;
  readonly items: readonly DecodedItem[];
}

function itemValue(item: BatchItem): CborValue {
  switch (item.kind) {
    case 'witness': return witnessReceiptToValue(item.receipt);
    case 'beacon': return beaconReportToValue(item.report);
    case 'mapper': return mapperReportToValue(item.report);
    case 'mapper-witness': return mapperReceiptToValue(item.receipt);
  }
}

/** The canonical encoding of one item, as it stands inside a batch. */
export function encodeBatchItem(item: BatchItem): Uint8Array {
  return encodeCbor(itemValue(item));
}

/** The id the oracle will store `item` under when `uploader` sends it. */
export function batchItemId(uploader: Uint8Array, item: BatchItem): Uint8Array {
  return receiptId(uploader, encodeBatchItem(item));
}

export function encodeUploadBatch(batch: UploadBatch): Uint8Array {
  if (batch.items.length < 1 || batch.items.length > MAX_BATCH_ITEMS) {
    throw new RangeError(`a batch holds 1..${MAX_BATCH_ITEMS} items, not ${batch.items.length}`);
  }
  return encodeCbor([
    MessageType.UploadBatch, CURRENT_VERSION[MessageType.UploadBatch], batch.uploader, batch.items.map(itemValue),
  ]);
}

/**
 * An UploadBatch built from items that are already encoded (as a device keeps them in its queue), without
 * decoding them again: the CBOR head of `[5, 1, uploader, items]` followed by the items' bytes. Each
 * item must be the canonical encoding of a batch item (a WitnessReceipt, BeaconReport, MapperReport or
 * MapperReceipt array).
 */
export function encodeUploadBatchFromItems(uploader: Uint8Array, items: readonly Uint8Array[]): Uint8Array {
  if (items.length < 1 || items.length > MAX_BATCH_ITEMS) {
    throw new RangeError(`a batch holds 1..${MAX_BATCH_ITEMS} items, not ${items.length}`);
  }
  const head = encodeCbor([MessageType.UploadBatch, CURRENT_VERSION[MessageType.UploadBatch], uploader]);
  // head is 0x83 (array of 3) …; the batch is an array of 4 whose last item is an array of items.
  const itemsHead = arrayHead(items.length);
  let total = head.length + itemsHead.length;
  for (const item of items) total += item.length;
  const out = new Uint8Array(total);
  out.set(head, 0);
  out[0] = 0x84;
  out.set(itemsHead, head.length);
  let offset = head.length + itemsHead.length;
  for (const item of items) {
    out.set(item, offset);
    offset += item.length;
  }
  return out;
}

/** The head of a definite-length array (RFC 8949 §3.1, major type 4) of up to 65,535 items. */
function arrayHead(length: number): Uint8Array {
  if (length < 24) return Uint8Array.of(0x80 | length);
  if (length < 256) return Uint8Array.of(0x98, length);
  return Uint8Array.of(0x99, length >> 8, length & 0xff);
}

/** A batch item from its decoded CBOR value, read strictly. */
export function batchItemFromValue(value: unknown): BatchItem {
  const type = Array.isArray(value) ? value[0] : undefined;
  if (type === MessageType.WitnessReceipt) return { kind: 'witness', receipt: witnessReceiptFromValue(value) };
  if (type === MessageType.BeaconReport) return { kind: 'beacon', report: beaconReportFromValue(value) };
  if (type === MessageType.MapperReport) return { kind: 'mapper', report: mapperReportFromValue(value) };
  if (type === MessageType.MapperReceipt) return { kind: 'mapper-witness', receipt: mapperReceiptFromValue(value) };
  throw new DecodeError(
    DecodeFailure.WrongType, 'a batch item is a WitnessReceipt, BeaconReport, MapperReport or MapperReceipt',
  );
}

/**
 * Decodes a batch. The envelope must be perfect (else DecodeError); each item is decoded on its own
 * and carries either its value or its error.
 */
export function decodeUploadBatch(bytes: Uint8Array): DecodedBatch {
  const [uploaderValue, itemsValue] = openEnvelope(decodeCbor(bytes), MessageType.UploadBatch, 2);
  const uploader = readBytes(uploaderValue, 'uploader', KEY_BYTES);
  const values = readArray(itemsValue, 'items');
  if (values.length < 1 || values.length > MAX_BATCH_ITEMS) {
    throw new DecodeError(DecodeFailure.OutOfRange, `a batch holds 1..${MAX_BATCH_ITEMS} items, not ${values.length}`);
  }
  const items = values.map((value): DecodedItem => {
    // The batch decoded canonically, so re-encoding an item reproduces its exact bytes.
    const id = receiptId(uploader, encodeCbor(value as CborValue));
    try {
      return { id, item: batchItemFromValue(value) };
    } catch (error) {
      if (error instanceof DecodeError) return { id, error };
      throw error;
    }
  });
  return { uploader, items };
}

/**
 * Checks an item's signature against the uploader. A beacon report must also be the uploader's own
 * beacon, and a mapper report the uploader's own uplink: `wrong_signer` otherwise.
 */
export function verifyBatchItem(uploader: Uint8Array, item: BatchItem, verifier: Verifier): ReasonCode {
  const signed = (ok: boolean): ReasonCode => (ok ? Reason.none : Reason.bad_signature);
  switch (item.kind) {
    case 'witness': return signed(verifyWitnessReceipt(item.receipt, uploader, verifier));
    case 'mapper-witness': return signed(verifyMapperReceipt(item.receipt, uploader, verifier));
    case 'beacon':
      if (!equalBytes(reportedBeacon(item.report).beaconer, uploader)) return Reason.wrong_signer;
      return signed(verifyBeaconReport(item.report, verifier));
    case 'mapper':
      if (!equalBytes(reportedUplink(item.report).mapper, uploader)) return Reason.wrong_signer;
      return signed(verifyMapperReport(item.report, verifier));
  }
}

/** What the oracle did with an item. */
export const AckStatus = { Stored: 0, Duplicate: 1, Rejected: 2 } as const;
export type AckStatus = (typeof AckStatus)[keyof typeof AckStatus];

export interface AckResult {
  readonly id: Uint8Array;
  readonly status: AckStatus;
  /** Reason.none unless rejected. */
  readonly reason: number;
}

export interface UploadAck {
  readonly results: readonly AckResult[];
}

export function encodeUploadAck(ack: UploadAck): Uint8Array {
  return encodeCbor([
    MessageType.UploadAck,
    CURRENT_VERSION[MessageType.UploadAck],
    ack.results.map((r) => [r.id, r.status, r.reason]),
  ]);
}

export function decodeUploadAck(bytes: Uint8Array): UploadAck {
  const [resultsValue] = openEnvelope(decodeCbor(bytes), MessageType.UploadAck, 1);
  const results = readArray(resultsValue, 'results').map((value, i): AckResult => {
    const [id, status, reason] = readArray(value, `results[${i}]`, 3);
    return {
      id: readBytes(id, `results[${i}].id`, RECEIPT_ID_BYTES),
      status: readInt(status, `results[${i}].status`, 0, 2) as AckStatus,
      reason: readInt(reason, `results[${i}].reason`, 0, 255),
    };
  });
  return { results };
}
