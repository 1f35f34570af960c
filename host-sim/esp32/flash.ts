/**
 * SPI NOR flash as the loader sees it: erased cells read 0xFF, programming can only clear bits (a write
 * ANDs into what is there, so writing over unerased data leaves the AND of old and new, as on real NOR
 * flash), and erasing works on whole 4 KiB sectors (W25Q32 datasheet §8.2.34, "Sector Erase").
 */
import { createHash } from 'node:crypto';
import type { SpiFlashIdentity } from './registers.js';

export const SECTOR_BYTES = 4096;
export const DEFAULT_FLASH_BYTES = 4 * 1024 * 1024;

export class FlashRangeError extends RangeError {
  constructor(offset: number, length: number, size: number) {
    super(`flash range 0x${offset.toString(16)}+0x${length.toString(16)} is outside the 0x${size.toString(16)}-byte flash`);
    this.name = 'FlashRangeError';
  }
}

export class NorFlash implements SpiFlashIdentity {
  readonly bytes: Uint8Array;
  readonly jedecId: readonly [number, number, number];

  constructor(size: number = DEFAULT_FLASH_BYTES) {
    if (!Number.isInteger(size) || size < 0x10000 || (size & (size - 1)) !== 0) {
      throw new RangeError(`flash size must be a power of two of at least 64 KiB, got ${size}`);
    }
    this.bytes = new Uint8Array(size).fill(0xff);
    // Winbond (0xEF), SPI NOR family 0x40, capacity byte log2(size) as in W25Q16/32/64/128 (0x15..0x18).
    this.jedecId = [0xef, 0x40, Math.log2(size)];
  }

  get size(): number {
    return this.bytes.length;
  }

  contains(offset: number, length: number): boolean {
    return Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0 && offset + length <= this.size;
  }

  /** Erases every sector the range touches, as the loader rounds an erase out to sector boundaries. */
  erase(offset: number, length: number): void {
    if (length === 0) return;
    const start = Math.floor(offset / SECTOR_BYTES) * SECTOR_BYTES;
    const end = Math.ceil((offset + length) / SECTOR_BYTES) * SECTOR_BYTES;
    if (!this.contains(start, end - start)) throw new FlashRangeError(offset, length, this.size);
    this.bytes.fill(0xff, start, end);
  }

  /** Page program: each byte becomes old AND new. */
  program(offset: number, data: Uint8Array): void {
    if (!this.contains(offset, data.length)) throw new FlashRangeError(offset, data.length, this.size);
    for (let i = 0; i < data.length; i++) this.bytes[offset + i] &= data[i];
  }

  read(offset: number, length: number): Uint8Array {
    if (!this.contains(offset, length)) throw new FlashRangeError(offset, length, this.size);
    return this.bytes.slice(offset, offset + length);
  }

  md5(offset: number, length: number): Uint8Array {
    return new Uint8Array(createHash('md5').update(this.read(offset, length)).digest());
  }
}
