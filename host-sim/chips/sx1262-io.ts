/**
 * ECMA-419-shaped SPI and Digital classes for an emulated chip (moddable.md §2), so that a driver
 * constructs them exactly as it constructs `device.io.SPI` and `device.io.Digital` on the ESP32:
 * `new SPI({clock, in, out, hz, mode, port})` with `transfer`/`write`/`read`/`flush`/`close`, and
 * `new Digital({pin, mode, edge, onReadable})` with `read`/`write`/`close`. Interrupts run `onReadable`
 * from a zero-delay timer, later, as the ESP32's ISR-posted messages do.
 */
import { boundConstructor } from './bound-constructor.js';
import { bytesOf, type ByteBuffer } from './spi-bytes.js';

export interface EmulatedSpiOptions {
  readonly clock: number;
  readonly in: number;
  readonly out: number;
  readonly hz: number;
  readonly mode?: number;
  readonly port?: number | string;
  readonly select?: number;
}

export interface EmulatedDigitalOptions {
  readonly pin: number | string;
  readonly mode: number;
  readonly edge?: number;
  readonly onReadable?: (this: EmulatedDigital) => void;
}

export interface EmulatedSpi {
  transfer(buffer: ByteBuffer): void;
  write(buffer: ByteBuffer): void;
  read(countOrBuffer: number | ByteBuffer): ArrayBuffer | undefined;
  flush(deselect?: boolean): void;
  close(): void;
}

export interface EmulatedDigital {
  read(): 0 | 1;
  write(value: number): void;
  close(): void;
}

/** The chip side the IO objects talk to. */
export interface PinSide {
  /** Checks the SPI's pins and settings against the chip's wiring; counts it open. */
  openSpi(options: EmulatedSpiOptions): void;
  closeSpi(): void;
  /** Clocks bytes in place: MOSI in, MISO out. */
  exchange(bytes: Uint8Array): void;
  /** Which line a pin is, now in use; throws for a pin the chip does not have, a wrong mode, a pin in use. */
  claim(options: EmulatedDigitalOptions): Line;
  release(line: Line): void;
  readLine(line: Line): 0 | 1;
  writeLine(line: Line, value: 0 | 1): void;
  /** Registers the handler for DIO1 rising edges, or removes it. */
  watch(line: Line, handler: (() => void) | null): void;
}

export type Line = 'nss' | 'reset' | 'busy' | 'dio1';

/** The SPI a driver opens on this chip. */
export function spiClass(side: PinSide): new (options: EmulatedSpiOptions) => EmulatedSpi {
  return boundConstructor((options: EmulatedSpiOptions) => new PinSideSpi(side, options));
}

/** The Digital a driver opens on one of this chip's lines. */
export function digitalClass(side: PinSide): new (options: EmulatedDigitalOptions) => EmulatedDigital {
  return boundConstructor((options: EmulatedDigitalOptions) => new PinSideDigital(side, options));
}

/** Every chip's SPI objects are of this one class (bound-constructor.ts). */
class PinSideSpi implements EmulatedSpi {
  private closed = false;

  constructor(
    private readonly side: PinSide,
    options: EmulatedSpiOptions,
  ) {
    side.openSpi(options);
  }

  transfer(buffer: ByteBuffer): void {
    this.assertOpen();
    this.side.exchange(bytesOf(buffer));
  }

  write(buffer: ByteBuffer): void {
    this.assertOpen();
    this.side.exchange(bytesOf(buffer).slice());
  }

  read(countOrBuffer: number | ByteBuffer): ArrayBuffer | undefined {
    this.assertOpen();
    if (typeof countOrBuffer === 'number') {
      const bytes = new Uint8Array(countOrBuffer);
      this.side.exchange(bytes);
      return bytes.buffer;
    }
    const bytes = bytesOf(countOrBuffer);
    bytes.fill(0);
    this.side.exchange(bytes);
    return undefined;
  }

  flush(): void {
    this.assertOpen();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.side.closeSpi();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SPI is closed');
  }
}

/** Every chip's Digital objects are of this one class (bound-constructor.ts). */
class PinSideDigital implements EmulatedDigital {
  private readonly line: Line;
  private closed = false;

  constructor(
    private readonly side: PinSide,
    options: EmulatedDigitalOptions,
  ) {
    if (options.onReadable !== undefined && !options.edge) throw new TypeError('edge is required with onReadable');
    this.line = side.claim(options);
    const onReadable = options.onReadable;
    if (onReadable) side.watch(this.line, () => this.closed || onReadable.call(this));
  }

  read(): 0 | 1 {
    this.assertOpen();
    return this.side.readLine(this.line);
  }

  write(value: number): void {
    this.assertOpen();
    this.side.writeLine(this.line, value ? 1 : 0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.side.watch(this.line, null);
    this.side.release(this.line);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`Digital (${this.line}) is closed`);
  }
}
