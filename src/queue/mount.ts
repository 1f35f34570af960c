/**
 * Mounting the receipt queue's region: one scan that rebuilds the RAM index (sector-table.ts) from what
 * is on flash and repairs what a power cut left halfway. The rules (format in format.ts):
 *
 * 1. A sector whose header is valid and whose retire marker is erased is Live. Any other sector is Free
 *    if every byte reads 0xFF, else Dirty: a torn header program, a retired sector, a torn erase or plain
 *    garbage. Dirty sectors are never read again; they are erased when the ring next needs them.
 * 2. The head is the Live sector with the highest sector seq. The live ring runs back from it while the
 *    previous sector (in ring order) is Live with a sector seq exactly one lower; Live sectors outside
 *    that run cannot come from this queue's own writes and are treated as Dirty.
 * 3. In each live sector, records are read from offset 20 until an erased header (end of the records)
 *    or a header whose magic or length check fails (a torn header: nothing was written after it).
 *    A record with a trustworthy length but no commit marker, or a committed one whose payload fails its
 *    CRC, is skipped and counted; the latter is also marked removed so that no later walk returns it.
 *    A commit or removed marker programmed halfway is finished (programmed to 00). A committed record
 *    whose seq is impossible for its place in the sector is treated as corrupt too.
 * 4. The head takes appends after its last record only if the rest of the sector reads erased; otherwise
 *    (bits programmed by a torn write past an erased-looking header) the head is closed and the next
 *    append opens a new sector.
 * 5. The next record seq is one past the highest (plausible) committed seq seen, and at least every live sector's
 *    firstSeq, so sequence numbers keep increasing across reboots and after old sectors are erased.
 *
 * Mount never throws on the flash's contents, only on errors from the Flash port itself.
 */
import type { Flash } from '../ports.js';
import {
  COMMIT_OFFSET,
  isErased,
  readU32,
  RECORD_HEADER_BYTES,
  recordCrc,
  RecordHeader,
  RecordHeaderState,
  recordSpan,
  REMOVED_OFFSET,
  SECTOR_HEADER_BYTES,
  SectorHeaderState,
  sectorHeaderState,
} from './format.js';
import { SectorKind, type SectorTable } from './sector-table.js';

/** Bytes read at a time when checking that a range is erased: bounds the garbage one check makes. */
const ERASED_CHECK_CHUNK = 256;

export interface MountResult {
  /** In-sector offset where the head takes its next record; the sector size when the head is closed. */
  writeOffset: number;
  nextSeq: number;
  /** Records stored and not removed. */
  size: number;
  /** Torn, uncommitted or corrupt records skipped. */
  corruptSkipped: number;
}

/** Scans the whole region into `table` (which it resets) and repairs half-programmed markers. */
export function mountRegion(flash: Flash, table: SectorTable, header: RecordHeader): MountResult {
  table.reset();
  classifySectors(flash, table);
  findLiveRing(table);
  const result: MountResult = { writeOffset: flash.sectorSize, nextSeq: 1, size: 0, corruptSkipped: 0 };
  if (table.head < 0) return result;
  for (let s = table.tail; ; s = table.next(s)) {
    result.nextSeq = Math.max(result.nextSeq, table.firstSeq(s));
    const end = scanSector(flash, table, header, s, result);
    if (s === table.head) {
      const sectorEnd = (s + 1) * flash.sectorSize;
      result.writeOffset = end >= 0 && rangeErased(flash, end, sectorEnd) ? end - s * flash.sectorSize : flash.sectorSize;
      return result;
    }
  }
}

function classifySectors(flash: Flash, table: SectorTable): void {
  const { sectorSize } = flash;
  for (let s = 0; s < table.count; s++) {
    const bytes = flash.read(s * sectorSize, SECTOR_HEADER_BYTES);
    const state = sectorHeaderState(bytes);
    if (state === SectorHeaderState.Live) table.setLive(s, readU32(bytes, 4), readU32(bytes, 8));
    else if (state === SectorHeaderState.Invalid && rangeErased(flash, s * sectorSize, (s + 1) * sectorSize)) table.setFree(s);
    else table.setDirty(s);
  }
}

function findLiveRing(table: SectorTable): void {
  let head = -1;
  for (let s = 0; s < table.count; s++) {
    if (table.kind(s) === SectorKind.Live && (head < 0 || table.sectorSeq(s) > table.sectorSeq(head))) head = s;
  }
  if (head < 0) return;
  let tail = head;
  for (;;) {
    const before = table.previous(tail);
    if (before === head || table.kind(before) !== SectorKind.Live) break;
    if (table.sectorSeq(before) !== table.sectorSeq(tail) - 1) break;
    tail = before;
  }
  for (let s = table.next(head); s !== tail; s = table.next(s)) {
    if (table.kind(s) === SectorKind.Live) table.setDirty(s);
  }
  table.head = head;
  table.tail = tail;
}

/**
 * Reads sector `s`'s records into the table and `result`. Returns the absolute offset just past its
 * last record when the records end at an erased header or at the sector's end, or -1 when they end at
 * a broken header (the sector then takes no more records).
 */
function scanSector(flash: Flash, table: SectorTable, header: RecordHeader, s: number, result: MountResult): number {
  const sectorEnd = (s + 1) * flash.sectorSize;
  let at = s * flash.sectorSize + SECTOR_HEADER_BYTES;
  for (let index = 0; at + RECORD_HEADER_BYTES <= sectorEnd; index++) {
    const state = header.decode(flash.read(at, RECORD_HEADER_BYTES), sectorEnd - at);
    if (state === RecordHeaderState.Erased) return at;
    if (state === RecordHeaderState.Broken) {
      result.corruptSkipped++;
      return -1;
    }
    if (scanRecord(flash, header, at, table.firstSeq(s), table.firstSeq(s) + index, result)) {
      table.addPending(s, 1);
      result.size++;
    }
    at += recordSpan(header.length);
  }
  return at;
}

/**
 * Checks and repairs one record with a trustworthy length; true when it is stored and not removed.
 * Each record takes at most one seq, so the record at index k of a sector has a seq in
 * [firstSeq, firstSeq + k]: a committed record outside that range has decayed and is treated as corrupt
 * (which keeps one flipped bit from pushing the next seq towards exhaustion). Removed records are not
 * read further: their seq counts, their payload no longer matters.
 */
function scanRecord(flash: Flash, header: RecordHeader, at: number, lowest: number, highest: number, result: MountResult): boolean {
  if (!header.committed) {
    result.corruptSkipped++; // the append was cut before its commit marker: it never returned
    return false;
  }
  if (header.commitByte !== 0) flash.program(at + COMMIT_OFFSET, new Uint8Array(1));
  const plausible = header.seq >= lowest && header.seq <= highest;
  if (header.removed) {
    if (header.removedByte !== 0) flash.program(at + REMOVED_OFFSET, new Uint8Array(1));
    if (plausible) result.nextSeq = Math.max(result.nextSeq, header.seq + 1);
    return false;
  }
  const bytes = flash.read(at, RECORD_HEADER_BYTES + header.length);
  if (plausible && recordCrc(bytes, bytes, RECORD_HEADER_BYTES) === header.crc) {
    result.nextSeq = Math.max(result.nextSeq, header.seq + 1);
    return true;
  }
  result.corruptSkipped++;
  flash.program(at + REMOVED_OFFSET, new Uint8Array(1));
  return false;
}

/** True when every byte of [from, to) reads 0xFF. Reads in chunks so the check allocates little. */
export function rangeErased(flash: Flash, from: number, to: number): boolean {
  for (let at = from; at < to; at += ERASED_CHECK_CHUNK) {
    if (!isErased(flash.read(at, Math.min(ERASED_CHECK_CHUNK, to - at)))) return false;
  }
  return true;
}
