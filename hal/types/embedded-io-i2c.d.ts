/**
 * ECMA-419 I2C as covey's device code uses it: "embedded:io/i2c", in place of the typings' own
 * (tsconfig.moddable.json maps the specifier here with `paths`). @moddable/typings 5.6.0, and the SDK's
 * typings/embedded_io/i2c.d.ts, leave out `close()`, which ECMA-419 gives every IO class, Moddable
 * implements (modules/io/i2c) and the AXP192 driver calls (hal/drivers/axp192.ts).
 */
import type { Buffer, PinSpecifier, PortSpecifier } from 'embedded:io/_common';

export interface Options {
  data: PinSpecifier;
  clock: PinSpecifier;
  hz: number;
  address: number;
  port?: PortSpecifier;
  format?: 'buffer';
  target?: unknown;
}

declare class I2C {
  constructor(options: Options);
  /** `stop` false keeps the bus for a repeated start. */
  read(byteLength: number, stop?: boolean): ArrayBuffer;
  read(buffer: Buffer, stop?: boolean): void;
  write(buffer: Buffer, stop?: boolean): void;
  close(): void;
  format: 'buffer';
}

export default I2C;
