/**
 * ECMA-419 SPI as covey's device code uses it: "embedded:io/spi", in place of the typings' own
 * (tsconfig.moddable.json maps the specifier here with `paths`, as Moddable's manifest_typings maps
 * specifiers to declaration files). @moddable/typings 5.6.0, and the SDK's typings/embedded_io/spi.d.ts,
 * leave out `close()`, which ECMA-419 gives every IO class, Moddable implements
 * (modules/io/spi/spi.js: `close() @ "xs_spi_close"`) and covey's radio drivers call. A default-exported
 * class cannot gain a member by module augmentation, hence a whole declaration; the rest is as
 * reference/moddable.md §2 states it.
 */
import type { Buffer, PinSpecifier, PortSpecifier } from 'embedded:io/_common';

export interface Options {
  out?: PinSpecifier;
  in?: PinSpecifier;
  clock: PinSpecifier;
  select?: PinSpecifier;
  active?: 0 | 1;
  hz: number;
  mode?: number;
  /** Required on the ESP32: SPI1_HOST 0, SPI2_HOST 1, SPI3_HOST 2. */
  port?: PortSpecifier;
  format?: 'buffer';
  target?: unknown;
}

declare class SPI {
  constructor(options: Options);
  read(byteLength: number): ArrayBuffer;
  read(buffer: Buffer): void;
  write(buffer: Buffer): void;
  /** Full duplex, in place; at most 65,535 bytes a call on the ESP32. */
  transfer(buffer: Buffer): void;
  flush(deselect?: boolean): void;
  close(): void;
  format: 'buffer';
}

export default SPI;
