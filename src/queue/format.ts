/**
 * The receipt queue's on-flash format (docs/firmware.md, "Receipt queue"). All integers little-endian.
 *
 * The region is a ring of sectors. A sector in use starts with a 20-byte sector header:
 *
 *   offset size  field
 *   0      4     magic "CVQ1"
 *   4      4     sectorSeq: 1 for the first sector ever opened, +1 for each next one (ring order)
 *   8      4     firstSeq: the record sequence number in force when the sector was opened; every record
 *                in this sector and later ones has seq ≥ firstSeq
 *   12     4     CRC-32 of bytes 0–11
 *   16     4     retire marker: FF FF FF FF; programmed to zeros, with the rest of the header, just before
 *                the sector is erased
 *
 * Records follow from offset 20, each at a 4-byte-aligned offset, never crossing a sector boundary:
 *
 *   0      2     magic "R1"
 *   2      2     length L of the payload (≤ 65,535)
 *   4      2     ~L, the bitwise complement of L
 *   6      1     commit marker: FF as written; 00 once the whole record is on flash
 *   7      1     removed marker: FF; 00 once the record is removed (acknowledged, or dropped oldest)
 *   8      4     seq: the record's sequence number (1, 2, 3, … for the life of the region)
 *   12     4     CRC-32 of bytes 0–5, bytes 8–11 and the payload (the markers change later, so not covered)
 *   16     L     payload; then 0xFF padding (left erased) to the next multiple of 4
 *
 * Why these fields work on NOR flash, where a program can only clear bits and a cut one leaves some of
 * its bits uncleared:
 * - L and ~L together detect any partly programmed length: a bit left at 1 that should be 0 is then 1 in
 *   both, which never happens in a complete pair. So a length that passes can be trusted to skip a record
 *   whose body is torn, and a header that fails ends the sector's records (nothing is written after it).
 * - The markers are programmed by themselves, later, from FF to 00 without an erase. A marker counts as
 *   set as soon as any of its bits is 0, so a marker programmed halfway counts as set and is finished
 *   (programmed to 00) at the next mount rather than left to read one way today and another tomorrow.
 * - The commit marker is programmed only after the program of the header and payload returned, so a
 *   committed record is a complete one; its seq can be trusted for ordering without reading its payload.
 * - Before a sector is erased it is retired: its whole 20-byte header is programmed to zeros. An erase
 *   cut halfway may set any bits back to 1, even leave the header looking as it was over half-erased
 *   records whose removed markers read FF again; but it cannot turn zeroed bytes back into the magic and
 *   a matching CRC (only a program clears bits), so the sector reads as one to erase, never as live
 *   records. The retire marker catches a retirement program that was itself cut after clearing bits
 *   only there.
 */
import { CRC32_START, crc32Finish, crc32Update } from './crc32.js';

/** Bytes of the sector header, including the retire marker. */
export const SECTOR_HEADER_BYTES = 20;
export const RETIRE_OFFSET = 16;
export const RECORD_HEADER_BYTES = 16;
export const COMMIT_OFFSET = 6;
export const REMOVED_OFFSET = 7;
/** The largest payload the format can describe. */
export const MAX_PAYLOAD_BYTES = 0xffff;
/** The largest sequence number (sector or record) the 32-bit fields hold. */
export const MAX_SEQ = 0xffffffff;

/** "CVQ1" read as a little-endian u32. */
const SECTOR_MAGIC = 0x31515643;
/** "R1" read as a little-endian u16. */
const RECORD_MAGIC = 0x3152;
const ERASED = 0xff;

/** Bytes a record with an `length`-byte payload occupies, padding included. */
export function recordSpan(length: number): number {
  return (RECORD_HEADER_BYTES + length + 3) & ~3;
}

export function readU16(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

export function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

function writeU16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  writeU16(bytes, at, value & 0xffff);
  writeU16(bytes, at + 2, value >>> 16);
}

/** True when every byte of `bytes` is erased (0xFF). */
export function isErased(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== ERASED) return false;
  return true;
}

/** The first 16 bytes of a sector header (the retire marker stays erased). */
export function encodeSectorHeader(sectorSeq: number, firstSeq: number): Uint8Array {
  const bytes = new Uint8Array(RETIRE_OFFSET);
  writeU32(bytes, 0, SECTOR_MAGIC);
  writeU32(bytes, 4, sectorSeq);
  writeU32(bytes, 8, firstSeq);
  writeU32(bytes, 12, crc32Finish(crc32Update(CRC32_START, bytes, 0, 12)));
  return bytes;
}

/** What a sector header says: valid and live, retired (to erase), or not a header at all. */
export const SectorHeaderState = { Live: 0, Retired: 1, Invalid: 2 } as const;
export type SectorHeaderState = (typeof SectorHeaderState)[keyof typeof SectorHeaderState];

/** Checks a 20-byte sector header. Its seq fields are read with readU32(bytes, 4) and (bytes, 8). */
export function sectorHeaderState(bytes: Uint8Array): SectorHeaderState {
  if (readU32(bytes, 0) !== SECTOR_MAGIC) return SectorHeaderState.Invalid;
  if (crc32Finish(crc32Update(CRC32_START, bytes, 0, 12)) !== readU32(bytes, 12)) return SectorHeaderState.Invalid;
  for (let i = RETIRE_OFFSET; i < SECTOR_HEADER_BYTES; i++) if (bytes[i] !== ERASED) return SectorHeaderState.Retired;
  return SectorHeaderState.Live;
}

/** A whole record as first programmed: header with both markers erased, then the payload. */
export function encodeRecord(seq: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  writeU16(bytes, 0, RECORD_MAGIC);
  writeU16(bytes, 2, payload.length);
  writeU16(bytes, 4, ~payload.length & 0xffff);
  bytes[COMMIT_OFFSET] = ERASED;
  bytes[REMOVED_OFFSET] = ERASED;
  writeU32(bytes, 8, seq);
  bytes.set(payload, RECORD_HEADER_BYTES);
  writeU32(bytes, 12, recordCrc(bytes, bytes, RECORD_HEADER_BYTES));
  return bytes;
}

/** The CRC a record header should carry for `payload[from, end)`. */
export function recordCrc(header: Uint8Array, payload: Uint8Array, from = 0): number {
  let crc = crc32Update(CRC32_START, header, 0, COMMIT_OFFSET);
  crc = crc32Update(crc, header, 8, 12);
  return crc32Finish(crc32Update(crc, payload, from));
}

/** What the 16 bytes at a record position hold. */
export const RecordHeaderState = { Erased: 0, Broken: 1, Valid: 2 } as const;
export type RecordHeaderState = (typeof RecordHeaderState)[keyof typeof RecordHeaderState];

/**
 * The fields of one record header, decoded into a reusable object so that walking the log allocates
 * nothing beyond the bytes the Flash port returns.
 */
export class RecordHeader {
  state: RecordHeaderState = RecordHeaderState.Erased;
  length = 0;
  seq = 0;
  crc = 0;
  /** Marker bytes as read: FF unset, 00 set, anything else set halfway. */
  commitByte = ERASED;
  removedByte = ERASED;

  /** Decodes `bytes` (a record header) whose record would have to end by `room` bytes from its start. */
  decode(bytes: Uint8Array, room: number): RecordHeaderState {
    this.state = this.classify(bytes, room);
    if (this.state === RecordHeaderState.Valid) {
      this.length = readU16(bytes, 2);
      this.seq = readU32(bytes, 8);
      this.crc = readU32(bytes, 12);
      this.commitByte = bytes[COMMIT_OFFSET];
      this.removedByte = bytes[REMOVED_OFFSET];
    }
    return this.state;
  }

  get committed(): boolean {
    return this.commitByte !== ERASED;
  }

  get removed(): boolean {
    return this.removedByte !== ERASED;
  }

  /** Committed, not removed: the record is stored. (Its payload's CRC is checked separately.) */
  get pending(): boolean {
    return this.committed && !this.removed;
  }

  private classify(bytes: Uint8Array, room: number): RecordHeaderState {
    if (isErased(bytes)) return RecordHeaderState.Erased;
    if (readU16(bytes, 0) !== RECORD_MAGIC) return RecordHeaderState.Broken;
    const length = readU16(bytes, 2);
    if ((length ^ readU16(bytes, 4)) !== 0xffff) return RecordHeaderState.Broken;
    return recordSpan(length) <= room ? RecordHeaderState.Valid : RecordHeaderState.Broken;
  }
}
