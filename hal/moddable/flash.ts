/**
 * The Flash port (src/ports.ts) on a data partition opened with Moddable's `flash` module
 * (modules/files/flash/esp32/flash.c; the shape in moddable-api.ts, FlashPartition).
 *
 * NOR semantics are the hardware's: `program` is esp_partition_write, which programs without erasing, so
 * a byte written twice holds the AND of both, as the port describes; `erase(sector)` is
 * esp_partition_erase_range over one 4 KB sector. This adapter adds only what the module leaves out:
 * offsets, lengths and sectors are checked against the partition (the module passes them to ESP-IDF,
 * whose refusal is a bare "write failed"), a zero-length program is a no-op (the module refuses a
 * byteLength ≤ 0), and reads come back as Uint8Array.
 *
 * The partition must not be encrypted: with flash encryption ESP-IDF writes in 16-byte units, and the
 * receipt queue programs single marker bytes (docs/firmware.md, "Receipt queue").
 */
import type { Flash } from '../../src/ports.js';
import type { FlashPartition } from './moddable-api.js';

export type FlashFailure = 'TooSmall' | 'OutOfRange' | 'ReadFailed';

export class FlashError extends Error {
  readonly code: FlashFailure;

  constructor(code: FlashFailure, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }

  // A getter, not an assignment: XS freezes Error.prototype after preload (moddable.md §5).
  override get name(): string {
    return 'FlashError';
  }
}

export class PartitionFlash implements Flash {
  readonly size: number;
  readonly sectorSize: number;
  private readonly partition: FlashPartition;

  /** Uses the whole sectors of `partition`; a partition smaller than one sector is refused. */
  constructor(partition: FlashPartition) {
    const { byteLength, blockSize } = partition;
    if (!Number.isInteger(blockSize) || blockSize <= 0) throw new FlashError('TooSmall', `the partition's block size is ${String(blockSize)}`);
    if (!Number.isInteger(byteLength) || byteLength < blockSize) {
      throw new FlashError('TooSmall', `the partition holds ${String(byteLength)} bytes, less than one ${blockSize}-byte sector`);
    }
    this.partition = partition;
    this.sectorSize = blockSize;
    this.size = byteLength - (byteLength % blockSize);
  }

  read(offset: number, length: number): Uint8Array {
    this.checkRange(offset, length);
    if (length === 0) return new Uint8Array(0);
    const data = this.partition.read(offset, length);
    if (!(data instanceof ArrayBuffer) || data.byteLength !== length) {
      throw new FlashError('ReadFailed', `reading ${length} bytes at ${offset} gave ${data instanceof ArrayBuffer ? `${data.byteLength} bytes` : 'no ArrayBuffer'}`);
    }
    return new Uint8Array(data);
  }

  program(offset: number, bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
    this.checkRange(offset, bytes.length);
    if (bytes.length === 0) return;
    this.partition.write(offset, bytes.length, bytes);
  }

  erase(sector: number): void {
    const sectors = this.size / this.sectorSize;
    if (!Number.isInteger(sector) || sector < 0 || sector >= sectors) {
      throw new FlashError('OutOfRange', `sector ${String(sector)} is not in [0, ${sectors})`);
    }
    this.partition.erase(sector);
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new FlashError('OutOfRange', `${String(length)} bytes at ${String(offset)} do not fit in ${this.size} bytes`);
    }
  }
}
