/**
 * CRC-32 as in IEEE 802.3 and zlib (reflected polynomial 0xEDB88320, initial value and final XOR
 * 0xFFFFFFFF; check value 0xCBF43926 for "123456789"), computed a nibble at a time: a 16-entry table
 * (64 bytes) instead of the usual 256 entries (1 KB), a fair trade on a device whose RAM is counted in
 * slots, at twice the table look-ups of the byte-wise form.
 */

const NIBBLE_TABLE = Uint32Array.of(
  0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
  0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
);

/** The register value to start a CRC with. */
export const CRC32_START = 0xffffffff;

/** Feeds `bytes[start, end)` into a running CRC register (start with CRC32_START). */
export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  for (let i = start; i < end; i++) {
    crc ^= bytes[i];
    crc = (crc >>> 4) ^ NIBBLE_TABLE[crc & 15];
    crc = (crc >>> 4) ^ NIBBLE_TABLE[crc & 15];
  }
  return crc;
}

/** The finished CRC of a running register, as an unsigned 32-bit number. */
export function crc32Finish(crc: number): number {
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  return crc32Finish(crc32Update(CRC32_START, bytes));
}
