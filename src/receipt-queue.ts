/**
 * ReceiptQueue: the durable FIFO (RecordQueue, src/components.ts) that holds receipts and reports (the
 * batch items of docs/protocol.md §4.5) until the oracle acknowledges them, as an append-only log on a raw NOR flash region.
 *
 * The on-flash format is in src/queue/format.ts, the mount and recovery rules in src/queue/mount.ts.
 * In short: records are appended to the head sector, each programmed whole and then committed by a
 * one-byte marker; `remove` programs a one-byte removed marker in place (bits 1 → 0, no erase needed);
 * when the head is full the log moves to the next sector in the ring, erasing it first. That sector is
 * the oldest (the tail) once the ring has gone round, and any of its records still stored are dropped
 * and counted: the queue is then full and the newest receipts matter more than the oldest.
 *
 * Power-loss guarantees (tests/runtime/receipt-queue-power-cut.test.ts cuts the power before, halfway
 * through and after every program and erase of a long run): what `append` returned and `remove` did not
 * take comes back after a reboot with the same bytes, in order; what `remove` returned never comes back;
 * a cut loses at most the record being appended (or leaves the `remove` in progress partly applied, or
 * the drop that an append was making partly done); nothing corrupt is returned.
 *
 * RAM: the sector table (16 bytes a sector) and a dozen numbers; nothing per record. `peek` and `remove`
 * walk record headers on flash from a cursor kept at the oldest record that may be stored, so they cost
 * flash reads, not memory (see sector-table.ts for the trade).
 *
 * Stats count since this mount; sequence numbers are persistent and keep increasing.
 */
import type { QueuedRecord, RecordQueue } from './components.js';
import type { Flash } from './ports.js';
import {
  COMMIT_OFFSET,
  encodeRecord,
  encodeSectorHeader,
  MAX_PAYLOAD_BYTES,
  MAX_SEQ,
  RECORD_HEADER_BYTES,
  recordCrc,
  recordSpan,
  REMOVED_OFFSET,
  SECTOR_HEADER_BYTES,
} from './queue/format.js';
import { LogWalker } from './queue/log-walker.js';
import { mountRegion } from './queue/mount.js';
import { SectorKind, SectorTable } from './queue/sector-table.js';

export interface ReceiptQueueOptions {
  /** The largest record `append` accepts, bytes. Default 512 (a receipt is about 200). */
  readonly maxRecordBytes?: number;
  /** Most records stored at once; past it the oldest is dropped. Default: only the region's size bounds it. */
  readonly maxRecords?: number;
}

export interface ReceiptQueueStats {
  /** Records appended since mount. */
  readonly appended: number;
  /** Records removed by `remove` since mount. */
  readonly removed: number;
  /** Stored records dropped, oldest first, to make room since mount. */
  readonly droppedOldest: number;
  /** Torn, uncommitted or corrupt records the mount skipped (and any found corrupt later). */
  readonly corruptSkipped: number;
  /** Sector erases since mount. */
  readonly erases: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 512;

export class ReceiptQueue implements RecordQueue {
  private readonly flash: Flash;
  private readonly sectorSize: number;
  private readonly maxRecordBytes: number;
  private readonly maxRecords: number;
  private readonly table: SectorTable;
  private readonly log: LogWalker;
  /** Zeros to program: a whole sector header to retire it, and one marker byte. Never written to. */
  private readonly zeros = new Uint8Array(SECTOR_HEADER_BYTES);
  private readonly zero = new Uint8Array(1);
  private nextSeq = 1;
  private stored = 0;
  /** Absolute offset of the oldest record that may still be stored: where walks start. */
  private cursor = 0;
  /** Set when a flash operation failed midway: the RAM state is rebuilt from flash before the next use. */
  private stale = false;
  private readonly counts = { appended: 0, removed: 0, droppedOldest: 0, corruptSkipped: 0, erases: 0 };

  /** Mounts the queue over the whole of `flash`, recovering from whatever a power cut left. */
  constructor(flash: Flash, options: ReceiptQueueOptions = {}) {
    const { maxRecordBytes = DEFAULT_MAX_RECORD_BYTES, maxRecords = Infinity } = options;
    const { size, sectorSize } = flash;
    if (!Number.isInteger(sectorSize) || sectorSize % 4 !== 0 || sectorSize < 64) {
      throw new RangeError('flash sectorSize must be a multiple of 4, at least 64');
    }
    if (!Number.isInteger(size) || size % sectorSize !== 0 || size / sectorSize < 2) {
      throw new RangeError('the queue needs a region of at least 2 whole sectors');
    }
    if (!Number.isInteger(maxRecordBytes) || maxRecordBytes < 1 || maxRecordBytes > MAX_PAYLOAD_BYTES) {
      throw new RangeError(`maxRecordBytes must be an integer in [1, ${MAX_PAYLOAD_BYTES}]`);
    }
    if (SECTOR_HEADER_BYTES + recordSpan(maxRecordBytes) > sectorSize) {
      throw new RangeError(`a ${maxRecordBytes}-byte record does not fit in a ${sectorSize}-byte sector`);
    }
    if (maxRecords !== Infinity && (!Number.isInteger(maxRecords) || maxRecords < 1)) {
      throw new RangeError('maxRecords must be a positive integer');
    }
    this.flash = flash;
    this.sectorSize = sectorSize;
    this.maxRecordBytes = maxRecordBytes;
    this.maxRecords = maxRecords;
    this.table = new SectorTable(size / sectorSize);
    this.log = new LogWalker(flash, this.table);
    this.mount();
  }

  get size(): number {
    this.recoverIfStale();
    return this.stored;
  }

  get stats(): ReceiptQueueStats {
    return { ...this.counts };
  }

  append(bytes: Uint8Array): number {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('a record must be a Uint8Array');
    if (bytes.length > this.maxRecordBytes) {
      throw new RangeError(`record of ${bytes.length} bytes exceeds maxRecordBytes (${this.maxRecordBytes})`);
    }
    this.recoverIfStale();
    if (this.nextSeq > MAX_SEQ) throw new RangeError('sequence numbers exhausted: erase the region');
    return this.guard(() => {
      while (this.stored >= this.maxRecords && this.dropOldestRecord());
      const span = recordSpan(bytes.length);
      if (this.table.head < 0 || this.log.headEnd + span > this.sectorSize) this.openNextSector();
      const head = this.table.head;
      const at = head * this.sectorSize + this.log.headEnd;
      const seq = this.nextSeq;
      this.flash.program(at, encodeRecord(seq, bytes));
      this.log.headEnd += span; // the space is used whether or not the commit below completes
      this.nextSeq = seq + 1;
      this.flash.program(at + COMMIT_OFFSET, this.zero);
      this.table.addPending(head, 1);
      this.stored++;
      this.counts.appended++;
      return seq;
    });
  }

  peek(limit: number): readonly QueuedRecord[] {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError('limit must be a non-negative integer');
    this.recoverIfStale();
    const records: QueuedRecord[] = [];
    if (this.stored === 0 || limit === 0) return records;
    const { log } = this;
    return this.guard(() => {
      for (let at = log.recordFrom(this.cursor); at >= 0 && records.length < limit; ) {
        const next = at + recordSpan(log.header.length);
        if (log.header.pending) {
          const record = this.readRecord(at);
          if (record !== undefined) records.push(record);
        }
        if (records.length === 0) this.cursor = next; // nothing stored before `next`
        at = log.recordFrom(next);
      }
      return records;
    });
  }

  /**
   * Calls `visit` with each stored record, oldest first, read from flash one at a time: the memory used
   * does not grow with the queue (peek(size) would hold every record at once). Read-only: nothing is
   * removed or marked, and a record whose payload fails its CRC is passed over (peek drops it later).
   * `visit` must not change the queue; it may return false to end the walk there, before anything more
   * is read.
   *
   * With `afterSeq`, the walk starts at the first stored record whose sequence number is above it, so a
   * reader can go through the queue a few records at a time, letting it change in between: records are
   * in sequence order, and a sequence number is never reused. Finding that record reads no payload before
   * it: past the oldest record's header, the sectors before its own are skipped by their first sequence
   * numbers (sector-table.ts) without a read, and the headers before it in its own sector are read, 16
   * bytes each (up to 18 in a 4 KB sector of MapperReports, about 10 on average).
   */
  forEachRecord(visit: (record: QueuedRecord) => boolean | void, afterSeq = 0): void {
    if (!Number.isInteger(afterSeq) || afterSeq < 0) throw new RangeError('afterSeq must be a non-negative integer');
    this.recoverIfStale();
    if (this.stored === 0) return;
    const { log } = this;
    this.guard(() => {
      let at = log.recordFrom(this.cursor);
      if (afterSeq > 0) at = log.seek(at, afterSeq + 1);
      while (at >= 0) {
        const { length, crc, seq, pending } = log.header;
        const next = at + recordSpan(length);
        if (pending) {
          const bytes = this.flash.read(at, RECORD_HEADER_BYTES + length);
          if (recordCrc(bytes, bytes, RECORD_HEADER_BYTES) === crc) {
            if (visit({ seq, bytes: bytes.subarray(RECORD_HEADER_BYTES) }) === false) return;
          }
        }
        at = log.recordFrom(next);
      }
    });
  }

  remove(seqs: readonly number[]): void {
    if (!Array.isArray(seqs)) throw new TypeError('seqs must be an array of sequence numbers');
    for (const seq of seqs) if (!Number.isInteger(seq)) throw new TypeError('a sequence number must be an integer');
    this.recoverIfStale();
    if (this.stored === 0 || seqs.length === 0) return;
    const sorted = seqs.slice().sort((a, b) => a - b);
    const { log } = this;
    this.guard(() => {
      let at = log.recordFrom(this.cursor);
      for (let i = 0; i < sorted.length && at >= 0; i++) {
        if (i > 0 && sorted[i] === sorted[i - 1]) continue;
        at = log.seek(at, sorted[i]);
        if (at >= 0 && log.header.seq === sorted[i] && log.header.pending) {
          this.markRemoved(at);
          this.counts.removed++;
        }
      }
    });
  }

  /** Rebuilds the RAM state from flash. */
  private mount(): void {
    const result = mountRegion(this.flash, this.table, this.log.header);
    this.log.headEnd = result.writeOffset;
    this.nextSeq = result.nextSeq;
    this.stored = result.size;
    this.counts.corruptSkipped += result.corruptSkipped;
    this.cursor = this.table.tail < 0 ? 0 : this.log.sectorStart(this.table.tail);
    this.stale = false;
  }

  private recoverIfStale(): void {
    if (this.stale) this.guard(() => this.mount());
  }

  /** Runs a flash-touching step; if it throws midway, the RAM state is rebuilt before the next use. */
  private guard<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      this.stale = true;
      throw error;
    }
  }

  /** The record at `at` (header loaded), or undefined when its payload fails its CRC (then dropped). */
  private readRecord(at: number): QueuedRecord | undefined {
    const { length, crc, seq } = this.log.header;
    const bytes = this.flash.read(at, RECORD_HEADER_BYTES + length);
    if (recordCrc(bytes, bytes, RECORD_HEADER_BYTES) === crc) return { seq, bytes: bytes.subarray(RECORD_HEADER_BYTES) };
    this.markRemoved(at); // flash decayed since the mount checked it
    this.counts.corruptSkipped++;
    return undefined;
  }

  private markRemoved(at: number): void {
    this.flash.program(at + REMOVED_OFFSET, this.zero);
    this.table.addPending(this.log.sectorOf(at), -1);
    this.stored--;
  }

  /** Makes room under maxRecords: drops the oldest stored record. False if there was none. */
  private dropOldestRecord(): boolean {
    const { log } = this;
    for (let at = log.recordFrom(this.cursor); at >= 0; at = log.recordAfter(at)) {
      if (!log.header.pending) continue;
      this.markRemoved(at);
      this.counts.droppedOldest++;
      return true;
    }
    return false;
  }

  /**
   * Moves the head to the next sector of the ring. If the ring is full that sector is the tail, and its
   * stored records are dropped. Unless the sector is Free it is retired (its header programmed to zeros,
   * so that an erase cut halfway can never leave it looking live) and erased.
   */
  private openNextSector(): void {
    const { table, flash, log } = this;
    const next = table.head < 0 ? 0 : table.next(table.head);
    const sectorSeq = table.head < 0 ? 1 : table.sectorSeq(table.head) + 1;
    if (sectorSeq > MAX_SEQ) throw new RangeError('sector sequence numbers exhausted: erase the region');
    if (table.full) {
      const dropped = table.pending(next);
      this.counts.droppedOldest += dropped;
      this.stored -= dropped;
      table.setDirty(next);
      table.tail = table.next(next);
      if (log.sectorOf(this.cursor) === next) this.cursor = log.sectorStart(table.tail);
    }
    if (table.kind(next) !== SectorKind.Free) {
      flash.program(next * this.sectorSize, this.zeros); // retire: see format.ts
      flash.erase(next);
      this.counts.erases++;
      table.setFree(next);
    }
    flash.program(next * this.sectorSize, encodeSectorHeader(sectorSeq, this.nextSeq));
    table.setLive(next, sectorSeq, this.nextSeq);
    if (table.head < 0) {
      table.tail = next;
      this.cursor = log.sectorStart(next);
    }
    table.head = next;
    log.headEnd = SECTOR_HEADER_BYTES;
  }
}
