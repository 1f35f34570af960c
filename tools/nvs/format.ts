/**
 * The on-flash format of an ESP-IDF NVS partition, version 2 ("multi-page blob" format), as
 * components/nvs_flash/src/nvs_page.hpp and nvs_types.hpp define it and
 * nvs_flash/nvs_partition_generator/nvs_partition_gen.py writes it (ESP-IDF programming guide,
 * "Non-Volatile Storage Library", section "Internals").
 *
 * A partition is a row of 4,096-byte pages. Each page:
 *
 *   0   32  header: state u32, sequence number u32, version u8, 19 bytes 0xFF, CRC-32 of bytes 4..27
 *   32  32  entry-state bitmap: 2 bits per entry, entry i in bits 2i, 2i+1 (11 empty, 10 written, 00 erased)
 *   64  126 × 32-byte entries
 *
 * An entry ("Item"): namespace index u8, type u8, span u8 (entries this item takes, itself included),
 * chunk index u8 (0xFF except for blob data chunks), CRC-32 u32 over bytes 0..3 and 8..31, key (15 bytes
 * and a NUL, zero-padded), 8 bytes of data. Integers sit little-endian in the data, the rest 0xFF. A
 * string or blob data chunk holds size u16, 0xFFFF, and the CRC-32 of its bytes, which follow in the
 * next span − 1 entries. A blob index holds size u32, chunk count u8, chunk start u8, 0xFFFF.
 * Namespaces are U8 items in namespace 0 whose value is the index their items carry.
 *
 * Every CRC is esp_rom_crc32_le(0xFFFFFFFF, …), which is zlib's crc32(bytes, 0xFFFFFFFF): zlib's own
 * pre- and post-inversion around the same reflected 0xEDB88320 polynomial (nvs_types.cpp
 * Item::calculateCrc32; the generator calls zlib.crc32(data, 0xFFFFFFFF)). Note that this is not the
 * plain CRC-32 of the bytes, which zlib computes from 0.
 */
import { crc32 } from 'node:zlib';

export const PAGE_BYTES = 4096;
export const ENTRY_BYTES = 32;
export const ENTRIES_PER_PAGE = 126;
export const FIRST_ENTRY_OFFSET = 64;
export const BITMAP_OFFSET = 32;
export const KEY_OFFSET = 8;
export const DATA_OFFSET = 24;

/** Keys and namespace names: at most 15 bytes (NVS_KEY_NAME_MAX_SIZE is 16 with the NUL). */
export const MAX_KEY_BYTES = 15;
/** Strings (NUL included) and blobs, as Moddable's Preference and the generator's v2 string limit allow. */
export const MAX_VALUE_BYTES = 4000;
/** At most 254 namespaces (index 0 holds the namespace entries, 0xFF is "any"). */
export const MAX_NAMESPACES = 254;

export const PAGE_STATE = {
  /** Erased flash: a page never used. */
  uninitialized: 0xffffffff,
  active: 0xfffffffe,
  full: 0xfffffffc,
  freeing: 0xfffffff8,
  corrupt: 0xfffffff0,
} as const;

/** Page format versions: 0xFF is version 1 (single-page blobs, type 0x41), 0xFE version 2. */
export const PAGE_VERSION = { v1: 0xff, v2: 0xfe } as const;

export const ENTRY_STATE = { empty: 0b11, written: 0b10, erased: 0b00 } as const;

export const ITEM_TYPE = {
  u8: 0x01, i8: 0x11, u16: 0x02, i16: 0x12, u32: 0x04, i32: 0x14, u64: 0x08, i64: 0x18,
  string: 0x21,
  /** Version 1's single-page blob; read, never written. */
  blobV1: 0x41,
  blobData: 0x42,
  blobIndex: 0x48,
} as const;

/** "Any chunk": what every item but a blob data chunk carries as its chunk index. */
export const CHUNK_ANY = 0xff;

export type IntegerType = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64';

/** Width and range of each integer type; 64-bit values are bigints. */
export const INTEGER_TYPES: Readonly<Record<IntegerType, { code: number; bytes: number; signed: boolean }>> = {
  u8: { code: ITEM_TYPE.u8, bytes: 1, signed: false },
  i8: { code: ITEM_TYPE.i8, bytes: 1, signed: true },
  u16: { code: ITEM_TYPE.u16, bytes: 2, signed: false },
  i16: { code: ITEM_TYPE.i16, bytes: 2, signed: true },
  u32: { code: ITEM_TYPE.u32, bytes: 4, signed: false },
  i32: { code: ITEM_TYPE.i32, bytes: 4, signed: true },
  u64: { code: ITEM_TYPE.u64, bytes: 8, signed: false },
  i64: { code: ITEM_TYPE.i64, bytes: 8, signed: true },
};

/** NVS's CRC-32: zlib's crc32 continued from 0xFFFFFFFF (esp_rom_crc32_le(0xFFFFFFFF, …)). */
export function nvsCrc32(bytes: Uint8Array): number {
  // No bytes leave the value as it was (zlib's crc32(value, buf, 0)); node's crc32 has been seen to
  // answer 0 for some empty views, so the empty case is not left to it.
  return bytes.length === 0 ? 0xffffffff : crc32(bytes, 0xffffffff) >>> 0;
}

/** The CRC of an entry: its bytes 0..3 and 8..31, skipping the CRC field itself. */
export function entryCrc32(entry: Uint8Array): number {
  const covered = new Uint8Array(28);
  covered.set(entry.subarray(0, 4), 0);
  covered.set(entry.subarray(8, 32), 4);
  return nvsCrc32(covered);
}

/** The CRC of a page header: its bytes 4..27 (sequence number, version, the unused bytes). */
export function headerCrc32(header: Uint8Array): number {
  return nvsCrc32(header.subarray(4, 28));
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** An NVS image that cannot be written or read, with a reason naming the key or page. */
export class NvsError extends Error {
  override get name(): string {
    return 'NvsError';
  }
}
