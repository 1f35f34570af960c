/**
 * The CPU-bound half of ingest, free of the database and the clock so that worker threads can run it:
 * decode an UploadBatch strictly, check each item's signature once, and turn the good ones into the
 * records the store keeps. tools/oracle/ingest.ts does the rest (registry, limits, storage, the ack).
 */
import { hash } from 'node:crypto';
import {
  batchItemFromValue, beaconDigest, decodeCbor, DecodeError, DecodeFailure, encodeBatchItem, equalBytes, isDecodeError,
  MAX_BATCH_ITEMS, MessageType, Reason, RECEIPT_ID_BYTES, reportedBeacon, reportedUplink, SignatureDomain, verifyBatchItem,
  type BatchItem, type ReasonCode, type Verifier,
} from '../../proofs/index.js';
import { KEY_BYTES, openEnvelope } from '../../proofs/envelope.js';
import { readArray, readBytes } from '../../proofs/fields.js';
import { verifyAll, type SignatureJob } from '../crypto/batch-verify.js';
import { itemSpans, signatureOf, signedMessageOf } from './item-spans.js';
import type { ItemFields, MapperReceiptItem, MapperReportItem } from './model.js';

/** An item's stored fields before the oracle has stamped its receive time. */
export type PreparedFields =
  | Omit<ItemFields, 'receivedMs'> | Omit<MapperReportItem, 'receivedMs'> | Omit<MapperReceiptItem, 'receivedMs'>;

/** One item of a batch: its id, and the fields to store or the reason it is refused. */
export interface PreparedItem {
  readonly id: Uint8Array;
  readonly reason: ReasonCode;
  /** Present when the item decoded and its signature verified (reason none). */
  readonly fields?: PreparedFields;
}

export type PreparedBatch =
  | { readonly ok: true; readonly uploader: Uint8Array; readonly items: readonly PreparedItem[] }
  | { readonly ok: false; readonly error: 'malformed' | 'unknown_version'; readonly detail: string };

/** The stored form of a verified item; `body` is its canonical encoding (encodeBatchItem(item)). */
export function fieldsOf(uploader: Uint8Array, id: Uint8Array, item: BatchItem, body = encodeBatchItem(item)): PreparedFields {
  switch (item.kind) {
    case 'witness':
    case 'mapper-witness': {
      // A mapper receipt has a witness receipt's fields, beaconDigest holding the uplink digest.
      const r = item.receipt;
      return {
        id, uploader, kind: item.kind, body, digest: r.beaconDigest, frequencyHz: r.frequencyHz, dataRate: r.dataRate,
        timeMs: r.timeMs, rssiDdbm: r.rssiDdbm, snrDdb: r.snrDdb,
      };
    }
    case 'beacon': {
      const r = item.report;
      const beacon = reportedBeacon(r);
      return {
        id, uploader, kind: 'beacon', body, digest: beaconDigest(r.frame), frequencyHz: r.frequencyHz, dataRate: r.dataRate,
        timeMs: r.timeMs, txPowerDdbm: r.txPowerDdbm, entropyEpoch: beacon.entropyEpoch, entropyTag: beacon.entropyTag,
      };
    }
    case 'mapper': {
      const r = item.report;
      const uplink = reportedUplink(r);
      return {
        id, uploader, kind: 'mapper', body, digest: beaconDigest(r.frame), frequencyHz: r.frequencyHz, dataRate: r.dataRate,
        txPowerDdbm: r.txPowerDdbm, timeMs: r.timeMs, latE7: uplink.latE7, lonE7: uplink.lonE7, altitudeM: uplink.altitudeM,
        hdopDeci: uplink.hdopDeci, satellites: uplink.satellites, counter: uplink.counter,
      };
    }
  }
}

/** The tag each kind of item is signed under (docs/protocol.md §3). */
const SIGNATURE_DOMAINS: Readonly<Record<BatchItem['kind'], SignatureDomain>> = {
  'witness': SignatureDomain.WitnessReceipt,
  'beacon': SignatureDomain.BeaconReport,
  'mapper': SignatureDomain.MapperReport,
  'mapper-witness': SignatureDomain.MapperReceipt,
};

/** The key that must have signed a transmitter's report: the one in its frame. Receipts have none of their own. */
function reportSigner(item: BatchItem): Uint8Array | undefined {
  if (item.kind === 'beacon') return reportedBeacon(item.report).beaconer;
  if (item.kind === 'mapper') return reportedUplink(item.report).mapper;
  return undefined;
}

/**
 * What checking one decoded item's signature against the uploader takes, from its bytes in the batch
 * (item-spans.ts): a signature to verify, or the verdict already. The verdicts are proofs'
 * verifyBatchItem's, which it falls back to if the bytes are not as expected. A report must be of the
 * uploader's own frame, so its signer is the uploader too.
 */
function signatureCheck(uploader: Uint8Array, item: BatchItem, bytes: Uint8Array, verifier: Verifier): SignatureJob | ReasonCode {
  const signer = reportSigner(item);
  if (signer !== undefined && !equalBytes(signer, uploader)) return Reason.wrong_signer;
  const message = signedMessageOf(bytes, SIGNATURE_DOMAINS[item.kind]);
  if (message === undefined) return verifyBatchItem(uploader, item, verifier);
  return { signature: signatureOf(bytes), message, publicKey: uploader };
}

/**
 * decodeUploadBatch's result, reached with fewer steps: the same strict decoding of the envelope and of
 * each item, but each item's id hashed from its bytes in the batch (node:crypto) instead of from a fresh
 * encoding of it. tests/oracle/prepare.test.ts holds the two to the same answers.
 */
function decodeBatch(body: Uint8Array): { uploader: Uint8Array; items: { id: Uint8Array; item?: BatchItem; error?: DecodeError }[]; spans: [number, number][] } {
  const { uploader, values } = decodeEnvelope(body);
  const spans = itemSpans(body);
  const items = values.map((value, i) => {
    const id = itemId(uploader, body.subarray(spans[i][0], spans[i][1]));
    try {
      return { id, item: batchItemFromValue(value) };
    } catch (error) {
      if (error instanceof DecodeError) return { id, error };
      throw error;
    }
  });
  return { uploader, items, spans };
}

/** A batch's uploader and its items' values, or the DecodeError that makes the whole batch malformed. */
function decodeEnvelope(body: Uint8Array): { uploader: Uint8Array; values: readonly unknown[] } {
  const [uploaderValue, itemsValue] = openEnvelope(decodeCbor(body), MessageType.UploadBatch, 2);
  const uploader = readBytes(uploaderValue, 'uploader', KEY_BYTES);
  const values = readArray(itemsValue, 'items');
  if (values.length < 1 || values.length > MAX_BATCH_ITEMS) {
    throw new DecodeError(DecodeFailure.OutOfRange, `a batch holds 1..${MAX_BATCH_ITEMS} items, not ${values.length}`);
  }
  return { uploader, values };
}

/** A batch opened but its items not read: the refusals that concern the whole batch. */
export type OpenedBatch =
  | { readonly ok: true; readonly uploader: Uint8Array; readonly itemCount: number }
  | { readonly ok: false; readonly error: 'malformed' | 'unknown_version'; readonly detail: string };

/**
 * What prepareBatch would say of the batch as a whole (malformed, unknown version, or its uploader and
 * how many items it holds), without decoding its items or checking a signature.
 */
export function openBatch(body: Uint8Array): OpenedBatch {
  try {
    const { uploader, values } = decodeEnvelope(body);
    return { ok: true, uploader, itemCount: values.length };
  } catch (error) {
    if (!isDecodeError(error)) throw error;
    return refusal(error);
  }
}

function refusal(error: DecodeError): { ok: false; error: 'malformed' | 'unknown_version'; detail: string } {
  return { ok: false, error: error.code === 'UnknownVersion' ? 'unknown_version' : 'malformed', detail: error.message };
}

/** An item's id: SHA-256 over the uploader's key and the item's bytes, cut to RECEIPT_ID_BYTES (proofs/digest.ts). */
function itemId(uploader: Uint8Array, itemBytes: Uint8Array): Uint8Array {
  // One call on one buffer: for messages this short, making a Hash object costs more than the hashing.
  const message = new Uint8Array(uploader.length + itemBytes.length);
  message.set(uploader);
  message.set(itemBytes, uploader.length);
  return new Uint8Array(hash('sha256', message, 'buffer').subarray(0, RECEIPT_ID_BYTES));
}

/** Decodes a batch body and checks each item's signature against the uploader, once. */
export function prepareBatch(body: Uint8Array, verifier: Verifier): PreparedBatch {
  let batch;
  try {
    batch = decodeBatch(body);
  } catch (error) {
    if (!isDecodeError(error)) throw error;
    return refusal(error);
  }
  const { uploader, spans } = batch;
  // Every signature of the batch in one call where the verifier takes many (batch-verify.ts).
  const jobs: SignatureJob[] = [];
  const checks = batch.items.map((decoded, i) => {
    if (decoded.item === undefined) return undefined;
    // A copy, not a view: a view would carry the whole batch along to the store or across threads.
    const bytes = body.slice(spans[i][0], spans[i][1]);
    const check = signatureCheck(uploader, decoded.item, bytes, verifier);
    if (typeof check !== 'number') jobs.push(check);
    return { item: decoded.item, bytes, check };
  });
  const valid = verifyAll(verifier, jobs);
  let job = 0;
  const items = batch.items.map((decoded, i): PreparedItem => {
    const checked = checks[i];
    if (checked === undefined) {
      const reason = decoded.error?.code === 'UnknownVersion' ? Reason.unknown_version : Reason.malformed;
      return { id: decoded.id, reason };
    }
    const reason = typeof checked.check === 'number' ? checked.check : valid[job++] ? Reason.none : Reason.bad_signature;
    if (reason !== Reason.none) return { id: decoded.id, reason };
    return { id: decoded.id, reason, fields: fieldsOf(uploader, decoded.id, checked.item, checked.bytes) };
  });
  return { ok: true, uploader, items };
}
