/**
 * The ECMA-419 IO shapes radio drivers construct (moddable.md §2; Moddable `modules/io/spi`,
 * `modules/io/digital`). Only what the drivers use is declared. The classes are passed in through a
 * driver's options (STYLE.md rule 2): Moddable's `device.io.SPI` / `device.io.Digital` on the device, an
 * emulator's in host-sim. SPI is opened without `select`: chip select is a separate Digital that the
 * driver toggles around each transfer, as Moddable's own sx127x driver does.
 */

/** A ByteBuffer as ECMA-419 accepts it. */
export type ByteBuffer = ArrayBuffer | Uint8Array;

export interface SpiOptions {
  readonly clock: number;
  readonly in: number;
  readonly out: number;
  readonly hz: number;
  readonly mode: number;
  /** Required on the ESP32 (SPI2_HOST = 1, SPI3_HOST = 2). */
  readonly port?: number;
}

export interface SpiInstance {
  /** Full duplex, in place: the bytes clocked in replace the bytes sent. */
  transfer(buffer: ByteBuffer): void;
  write(buffer: ByteBuffer): void;
  close(): void;
}

export type SpiClass = new (options: SpiOptions) => SpiInstance;

export interface DigitalOptions {
  readonly pin: number;
  readonly mode: number;
  readonly edge?: number;
  readonly onReadable?: () => void;
}

export interface DigitalInstance {
  read(): number;
  write(value: number): void;
  close(): void;
}

export type DigitalClass = new (options: DigitalOptions) => DigitalInstance;

/** ECMA-419 Digital constants (moddable.md §2). */
export const DigitalMode = { Input: 0, Output: 8 } as const;
export const DigitalEdge = { Rising: 1, Falling: 2 } as const;

/** How a pin is given to a driver: the IO class and the pin. */
export interface PinOption {
  readonly io: DigitalClass;
  readonly pin: number;
}

/** How the SPI bus is given to a driver: the IO class and its constructor options. */
export interface SpiOption {
  readonly io: SpiClass;
  readonly clock: number;
  readonly in: number;
  readonly out: number;
  readonly hz?: number;
  /** SPI mode 0 (CPOL 0, CPHA 0) for both chip families (SX1276 DS §4.3, SX1261/2 DS §8.3.1). */
  readonly mode?: number;
  readonly port?: number;
}
