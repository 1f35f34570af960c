/**
 * One upload exchange (docs/protocol.md §4.5, §5 `POST /v1/receipts`): build an UploadBatch from queued
 * records, POST it, and sort the answer into what the uploader must do next. On 200 the UploadAck is
 * decoded strictly and every record it lists is removed from the queue, whatever its status: stored and
 * duplicate items are safe at the oracle, and rejected ones would be rejected again.
 *
 * Records are matched to ack results by id, SHA-256(uploader ‖ item bytes) truncated to 16 bytes,
 * never by position alone: the oracle answers in batch order, so position is only the fast path.
 */
import { AckStatus, decodeUploadAck, encodeUploadBatchFromItems, type UploadAck } from '../proofs/batch.js';
import { equalBytes } from '../proofs/bytes.js';
import { receiptId, RECEIPT_ID_BYTES } from '../proofs/digest.js';
import { isDecodeError } from '../proofs/errors.js';
import type { QueuedRecord, RecordQueue } from './components.js';
import { errorCodeOf, hasMediaType, MEDIA_TYPE_CBOR, retryAfterMs } from './http-answer.js';
import type { Http, HttpResponse } from './ports.js';

/** What the uploader does next, decided by one exchange. */
export type UploadOutcome =
  /** 200 with a well-formed ack: `removed` records left the queue. */
  | { readonly kind: 'acked'; readonly removed: number }
  /** 413: the batch was too large for the oracle. */
  | { readonly kind: 'tooLarge' }
  /** 403: the oracle does not know this hotspot. */
  | { readonly kind: 'unknownHotspot' }
  /** 429: retry after `retryAfterMs` when the oracle said. */
  | { readonly kind: 'rateLimited'; readonly retryAfterMs: number | undefined }
  /** No answer, 5xx, or a 200 whose body is not an UploadAck: worth retrying as it is. */
  | { readonly kind: 'failed'; readonly error: string }
  /** 400, 415, 422 and other answers: the firmware or its key is wrong; retrying alone will not help. */
  | { readonly kind: 'refused'; readonly status: number; readonly error: string };

/** What the ack said about the records of one batch. */
export interface AckCounts {
  stored: number;
  duplicate: number;
  rejected: number;
}

export interface UploadTarget {
  readonly http: Http;
  /** `{oracleUrl}/v1/receipts`. */
  readonly url: string;
  /** The hotspot's 32-byte public key: the batch's uploader. */
  readonly uploader: Uint8Array;
  readonly timeoutMs: number;
}

/** An ack result is 20 bytes or less in CBOR (a 16-byte id, a status and a reason); room for the head. */
const ACK_BYTES_PER_RESULT = 24;
const ACK_HEAD_BYTES = 16;

/**
 * A batch ready to send: its body, and what is needed to match the ack to the queue. The records
 * themselves are not kept, so while the request is out only the body, the ids (16 bytes per item) and
 * the sequence numbers are held: about half of what keeping the records would cost.
 */
export interface PreparedBatch {
  readonly body: Uint8Array;
  /** The records' sequence numbers, in batch order. */
  readonly seqs: readonly number[];
  /** The items' ids, 16 bytes each, in batch order. */
  readonly ids: Uint8Array;
}

export function prepareBatch(uploader: Uint8Array, records: readonly QueuedRecord[]): PreparedBatch {
  const items: Uint8Array[] = [];
  const seqs: number[] = [];
  // One flat buffer of ids rather than one object per id: a few hundred bytes of chunks, one slot.
  const ids = new Uint8Array(records.length * RECEIPT_ID_BYTES);
  records.forEach((record, i) => {
    items.push(record.bytes);
    seqs.push(record.seq);
    ids.set(receiptId(uploader, record.bytes), i * RECEIPT_ID_BYTES);
  });
  return { body: encodeUploadBatchFromItems(uploader, items), seqs, ids };
}

/** POSTs one batch; resolves with the answer, or with the reason there was none. */
export async function postBatch(target: UploadTarget, batch: PreparedBatch): Promise<HttpResponse | string> {
  try {
    return await target.http.request({
      method: 'POST',
      url: target.url,
      headers: { 'content-type': MEDIA_TYPE_CBOR },
      body: batch.body,
      timeoutMs: target.timeoutMs,
    });
  } catch (error) {
    return `Network: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Sorts a non-200 answer (or none) into an outcome. */
export function outcomeOfFailure(answer: HttpResponse | string): UploadOutcome {
  if (typeof answer === 'string') return { kind: 'failed', error: answer };
  const status = answer.status;
  const code = errorCodeOf(answer);
  const error = code === undefined ? `Status ${status}` : `Status ${status} ${code}`;
  if (status === 413) return { kind: 'tooLarge' };
  if (status === 403) return { kind: 'unknownHotspot' };
  if (status === 429) return { kind: 'rateLimited', retryAfterMs: retryAfterMs(answer) };
  if (status >= 500) return { kind: 'failed', error };
  return { kind: 'refused', status, error };
}

/** The UploadAck of a 200 answer to a batch of `itemCount` items, or a description of what is wrong. */
export function readAck(answer: HttpResponse, itemCount: number): UploadAck | string {
  if (!hasMediaType(answer, MEDIA_TYPE_CBOR)) return 'MalformedAck: not application/cbor';
  // Bounded before decoding: an honest ack has one result per item.
  if (answer.body.length > ACK_HEAD_BYTES + ACK_BYTES_PER_RESULT * itemCount) return 'MalformedAck: too long';
  try {
    return decodeUploadAck(answer.body);
  } catch (error) {
    if (isDecodeError(error)) return `MalformedAck: ${error.code}`;
    throw error;
  }
}

/** The position in the batch of the item whose id is `id`, or −1. Tries `hint` first. */
function findItem(ids: Uint8Array, count: number, id: Uint8Array, hint: number): number {
  const matches = (i: number) => equalBytes(ids.subarray(i * RECEIPT_ID_BYTES, (i + 1) * RECEIPT_ID_BYTES), id);
  if (hint < count && matches(hint)) return hint;
  for (let i = 0; i < count; i++) if (i !== hint && matches(i)) return i;
  return -1;
}

/**
 * Removes from `queue` every record of the batch that `ack` lists, once each, and counts them.
 * `onRejected` hears the reason of each rejected one. Results naming no item of the batch are ignored.
 */
export function applyAck(
  queue: RecordQueue,
  batch: PreparedBatch,
  ack: UploadAck,
  onRejected: (reason: number) => void,
): AckCounts {
  const count = batch.seqs.length;
  const listed = new Uint8Array(count);
  const seqs: number[] = [];
  const counts: AckCounts = { stored: 0, duplicate: 0, rejected: 0 };
  ack.results.forEach((result, position) => {
    const index = findItem(batch.ids, count, result.id, position);
    if (index < 0 || listed[index] === 1) return;
    listed[index] = 1;
    seqs.push(batch.seqs[index]);
    if (result.status === AckStatus.Stored) counts.stored++;
    else if (result.status === AckStatus.Duplicate) counts.duplicate++;
    else {
      counts.rejected++;
      onRejected(result.reason);
    }
  });
  // Oldest first, the order the queue stores them in.
  seqs.sort((a, b) => a - b);
  if (seqs.length > 0) queue.remove(seqs);
  return counts;
}
