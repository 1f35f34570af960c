/**
 * An in-memory RecordQueue for the uploader's tests: the same contract as the flash ReceiptQueue
 * (src/components.ts) without the flash, plus a record of what was removed so a test can prove that
 * each record left the queue exactly once.
 */
import type { QueuedRecord, RecordQueue } from '../../src/components.js';

export class MemoryQueue implements RecordQueue {
  private records: QueuedRecord[] = [];
  private nextSeq = 1;
  /** Every sequence number removed, in the order remove() was called with them. */
  readonly removedSeqs: number[] = [];
  /** Sequence numbers remove() was given that were not stored (already removed, or never appended). */
  readonly unknownRemovals: number[] = [];
  /** Largest `limit` peek() was asked for. */
  largestPeek = 0;

  append(bytes: Uint8Array): number {
    const seq = this.nextSeq++;
    this.records.push({ seq, bytes: bytes.slice() });
    return seq;
  }

  peek(limit: number): readonly QueuedRecord[] {
    this.largestPeek = Math.max(this.largestPeek, limit);
    return this.records.slice(0, limit);
  }

  remove(seqs: readonly number[]): void {
    const wanted = new Set(seqs);
    const present = new Set(this.records.map((r) => r.seq));
    for (const seq of seqs) {
      if (present.has(seq)) this.removedSeqs.push(seq);
      else this.unknownRemovals.push(seq);
    }
    this.records = this.records.filter((r) => !wanted.has(r.seq));
  }

  get size(): number {
    return this.records.length;
  }
}
