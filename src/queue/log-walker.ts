/**
 * Walking the receipt queue's log on flash (format.ts): record by record through the live ring, from
 * the tail sector to the head, reading only record headers. The queue keeps no per-record index in RAM
 * (sector-table.ts says why), so every peek and remove goes through here.
 */
import type { Flash } from '../ports.js';
import { RECORD_HEADER_BYTES, RecordHeader, RecordHeaderState, recordSpan, SECTOR_HEADER_BYTES } from './format.js';
import type { SectorTable } from './sector-table.js';

export class LogWalker {
  /** The header of the record the last call stopped at. */
  readonly header = new RecordHeader();
  /** In-sector offset where the head's records end and its next one goes; the sector size once it is closed. */
  headEnd = 0;

  constructor(
    private readonly flash: Flash,
    private readonly table: SectorTable,
  ) {}

  /**
   * From `at` (a record position, or the end of a sector's records), the position of the next record
   * whose length can be trusted, moving on through the live ring, with its header loaded. -1 at the end.
   */
  recordFrom(at: number): number {
    const { table } = this;
    const { sectorSize } = this.flash;
    for (;;) {
      const sector = this.sectorOf(at);
      const inSector = at - sector * sectorSize;
      const end = sector === table.head ? this.headEnd : sectorSize;
      if (inSector + RECORD_HEADER_BYTES <= end) {
        const state = this.header.decode(this.flash.read(at, RECORD_HEADER_BYTES), sectorSize - inSector);
        if (state === RecordHeaderState.Valid) return at;
      }
      if (sector === table.head) return -1;
      at = this.sectorStart(table.next(sector));
    }
  }

  /** The record after the one at `at` (whose header is loaded), as recordFrom. */
  recordAfter(at: number): number {
    return this.recordFrom(at + recordSpan(this.header.length));
  }

  /**
   * From record position `at` (header loaded), the first committed record whose seq is at least `seq`,
   * or -1. Whole sectors are skipped by their firstSeq, from the table alone: no committed record before
   * a sector has a seq that high. So the cost is the headers before the record in its own sector.
   * Uncommitted records are passed over: their seq may be torn.
   */
  seek(at: number, seq: number): number {
    const { table } = this;
    while (at >= 0) {
      const sector = this.sectorOf(at);
      if (sector !== table.head && seq >= table.firstSeq(table.next(sector))) {
        let skipTo = table.next(sector);
        while (skipTo !== table.head && seq >= table.firstSeq(table.next(skipTo))) skipTo = table.next(skipTo);
        at = this.recordFrom(this.sectorStart(skipTo));
      } else if (this.header.committed && this.header.seq >= seq) {
        return at;
      } else {
        at = this.recordAfter(at);
      }
    }
    return -1;
  }

  /**
   * The sector a position belongs to. A record position lies inside its sector; a position just past a
   * sector's last byte (a record that ended flush with the sector) belongs to that sector, not the next.
   */
  sectorOf(at: number): number {
    const { sectorSize } = this.flash;
    const sector = Math.floor(at / sectorSize);
    return at % sectorSize === 0 ? this.table.previous(sector % this.table.count) : sector;
  }

  /** Absolute offset of a sector's first record. */
  sectorStart(sector: number): number {
    return sector * this.flash.sectorSize + SECTOR_HEADER_BYTES;
  }
}
