/**
 * A data partition of an emulated board's flash as the `Flash` port (src/ports.ts), for Moddable's
 * `flash` module (tools/xs/moddable-fakes/fake-storage.ts fakeFlash): a window onto the loader
 * emulator's flash bytes, so what the firmware writes is what `covey flash` reads back and what the next
 * boot finds. NOR semantics as on the ESP32's SPI flash and in host-sim/ports/flash.ts SimFlash: erased
 * cells read 0xFF, a program ANDs into what is there, only a 4,096-byte sector erase sets bits again.
 * Once the board loses power (`live()` false) every access throws, as nothing runs any more; power cuts
 * in the middle of an operation are SimFlash's business, not modelled here.
 */
import type { Flash } from '../../src/ports.js';

export const SECTOR_BYTES = 4096;

export class NorRegion implements Flash {
  readonly size: number;
  readonly sectorSize = SECTOR_BYTES;
  private readonly bytes: Uint8Array;
  private readonly live: () => boolean;

  /** `flash`: the whole chip; the partition is `size` bytes at `offset`, both whole sectors. */
  constructor(flash: Uint8Array, offset: number, size: number, live: () => boolean = () => true) {
    if (offset % SECTOR_BYTES !== 0 || size % SECTOR_BYTES !== 0 || size <= 0 || offset < 0 || offset + size > flash.length) {
      throw new RangeError(`partition 0x${offset.toString(16)}+0x${size.toString(16)} is not whole sectors inside the ${flash.length}-byte flash`);
    }
    this.bytes = flash.subarray(offset, offset + size);
    this.size = size;
    this.live = live;
  }

  read(offset: number, length: number): Uint8Array {
    this.check(offset, length);
    return this.bytes.slice(offset, offset + length);
  }

  program(offset: number, bytes: Uint8Array): void {
    this.check(offset, bytes.length);
    for (let i = 0; i < bytes.length; i++) this.bytes[offset + i] &= bytes[i];
  }

  erase(sector: number): void {
    const count = this.size / SECTOR_BYTES;
    if (!Number.isInteger(sector) || sector < 0 || sector >= count) throw new RangeError(`sector must be an integer in [0, ${count})`);
    this.check(0, 0);
    this.bytes.fill(0xff, sector * SECTOR_BYTES, (sector + 1) * SECTOR_BYTES);
  }

  private check(offset: number, length: number): void {
    if (!this.live()) throw new Error('flash: the board is off');
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`range [${offset}, ${offset}+${length}) is outside the partition (${this.size} bytes)`);
    }
  }
}
