/**
 * Register access over SPI (SX1276 DS §4.3): the first byte is the address with bit 7 set for a write;
 * burst accesses then carry one data byte per register, the address incrementing on its own except at
 * the FIFO (0x00). Chip select is a Digital the driver drives low around each transfer, not the SPI
 * object's `select`, which on ESP32 stays asserted until a flush (moddable.md §2).
 */
import type { DigitalPin, SpiDevice } from './io.js';

const WRITE = 0x80;

export class RegisterBus {
  /** Chip-select cycles so far: RadioStats.spiTransactions. */
  transactions = 0;
  /** Reused for single-register accesses so that the common case allocates nothing. */
  private readonly pair = new Uint8Array(2);

  constructor(
    private readonly spi: SpiDevice,
    private readonly select: DigitalPin,
  ) {}

  read(address: number): number {
    const pair = this.pair;
    pair[0] = address & 0x7f;
    pair[1] = 0;
    this.exchange(pair, true);
    return pair[1];
  }

  write(address: number, value: number): void {
    const pair = this.pair;
    pair[0] = WRITE | address;
    pair[1] = value;
    this.exchange(pair, false);
  }

  readBurst(address: number, count: number): Uint8Array {
    const frame = new Uint8Array(count + 1);
    frame[0] = address & 0x7f;
    this.exchange(frame, true);
    return frame.subarray(1);
  }

  writeBurst(address: number, bytes: ArrayLike<number>): void {
    const frame = new Uint8Array(bytes.length + 1);
    frame[0] = WRITE | address;
    frame.set(bytes, 1);
    this.exchange(frame, false);
  }

  /** Closes the SPI object and the chip-select pin. */
  close(): void {
    try {
      this.spi.close();
    } finally {
      this.select.close();
    }
  }

  private exchange(frame: Uint8Array, duplex: boolean): void {
    this.transactions++;
    this.select.write(0);
    try {
      if (duplex) this.spi.transfer(frame);
      else this.spi.write(frame);
    } finally {
      this.select.write(1);
    }
  }
}
