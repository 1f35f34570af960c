/**
 * The uploader's counters, read by the health status and the periodic log line. Bounded: the
 * per-reason map keeps at most MAX_REASON_NAMES names (the oracle has 26 reasons and may add more).
 */
import type { AckCounts } from './upload-exchange.js';

/** rejectedByReason keeps this many reason names; further ones are counted under 'other'. */
export const MAX_REASON_NAMES = 8;

export interface UploaderStats {
  /** POST /v1/receipts requests sent. */
  batchesSent: number;
  /** Batches answered with a well-formed UploadAck. */
  batchesAcked: number;
  itemsStored: number;
  itemsDuplicate: number;
  itemsRejected: number;
  /** Rejected items by reason name (at most MAX_REASON_NAMES names, then 'other'). */
  readonly rejectedByReason: Record<string, number>;
  /** Attempts since the last one that removed something; 0 when uploads are going through. */
  consecutiveFailures: number;
  /** Wall time of the last acknowledged batch, when the wall time was known. */
  lastUploadWallMs: number | undefined;
  /** Why the last attempt failed, e.g. "Status 503" or "Network: timeout"; kept after a success. */
  lastError: string | undefined;
}

export function newUploaderStats(): UploaderStats {
  return {
    batchesSent: 0,
    batchesAcked: 0,
    itemsStored: 0,
    itemsDuplicate: 0,
    itemsRejected: 0,
    rejectedByReason: {},
    consecutiveFailures: 0,
    lastUploadWallMs: undefined,
    lastError: undefined,
  };
}

/** Adds what one ack said. */
export function countAck(stats: UploaderStats, counts: AckCounts): void {
  stats.batchesAcked++;
  stats.itemsStored += counts.stored;
  stats.itemsDuplicate += counts.duplicate;
  stats.itemsRejected += counts.rejected;
}

/** Counts one rejected item under its reason name, or under 'other' once the map is full. */
export function countRejection(stats: UploaderStats, name: string): void {
  const byReason = stats.rejectedByReason;
  let key = name;
  if (byReason[key] === undefined) {
    let names = 0;
    for (const known in byReason) if (known !== 'other') names++;
    if (names >= MAX_REASON_NAMES) key = 'other';
  }
  byReason[key] = (byReason[key] ?? 0) + 1;
}
