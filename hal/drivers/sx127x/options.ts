/**
 * The driver's options (ECMA-419 shape, STYLE.md rule 2) and the opening of its IO: chip select, NRESET,
 * the SPI bus and the DIO0 interrupt, closed again if any of them fails to open.
 */
import type { Clock, LoRaSettings } from '../../../src/ports.js';
import { RegisterBus } from './bus.js';
import type { PinOption, SpiOption } from '../ecma419.js';
import { DIGITAL, type DigitalPin } from './io.js';
import { ResetLine } from './recovery.js';

export interface Sx127xOptions extends Partial<LoRaSettings> {
  /**
   * The SPI bus; the driver constructs `io` without `select` and drives chip select itself. `hz`
   * defaults to 8 MHz (the SX1276 takes up to 10 MHz, DS Table 11); `port` is required on the ESP32.
   */
  readonly spi: SpiOption;
  /** NSS, driven low around each transfer. */
  readonly select: PinOption;
  /** NRESET. */
  readonly reset: PinOption;
  /** DIO0 (RxDone / TxDone / CadDone), rising edge. */
  readonly interrupt: PinOption;
  /** Timers for the watchdogs and the reset waits. */
  readonly clock: Clock;
  /** Faults found outside a caller's operation (while receiving, say), after which the driver recovers. */
  readonly onError?: (error: Error) => void;
  /** Default true: Heltec and LilyGO SX1276 boards feed the antenna from PA_BOOST. */
  readonly paBoost?: boolean;
  /**
   * While receiving, the driver reads RegOpMode this often (ms) to notice a chip that reset itself and
   * sits in FSK standby, which raises no interrupt. Default 10 000; 0 turns the check off.
   */
  readonly healthCheckMs?: number;
}

export const DEFAULT_HEALTH_CHECK_MS = 10_000;
export const DEFAULT_SPI_HZ = 8_000_000;

export function checkOptions(options: Sx127xOptions): void {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  for (const name of ['spi', 'select', 'reset', 'interrupt'] as const) {
    if (typeof options[name]?.io !== 'function') throw new TypeError(`options.${name}.io must be an IO class`);
  }
  const clock = options.clock;
  if (typeof clock?.setTimer !== 'function' || typeof clock.clearTimer !== 'function') {
    throw new TypeError('options.clock must be a Clock');
  }
  const check = options.healthCheckMs;
  if (check !== undefined && !(Number.isInteger(check) && check >= 0)) throw new RangeError('healthCheckMs must be an integer ≥ 0');
}

export interface DriverIo {
  readonly bus: RegisterBus;
  readonly resetLine: ResetLine;
  readonly interrupt: DigitalPin;
}

/** Opens the IO in the order a board brings the chip up; closes what it opened if a step throws. */
export function openIo(options: Sx127xOptions, onDio0: () => void): DriverIo {
  const opened: { close(): void }[] = [];
  try {
    const select = new options.select.io({ pin: options.select.pin, mode: DIGITAL.Output });
    opened.push(select);
    select.write(1);
    const resetLine = new ResetLine(options.reset.io, options.reset.pin);
    opened.push(resetLine);
    const { io, clock, in: miso, out, hz = DEFAULT_SPI_HZ, mode = 0, port } = options.spi;
    const bus = new RegisterBus(new io({ clock, in: miso, out, hz, mode, ...(port === undefined ? {} : { port }) }), select);
    opened[0] = bus; // closing the bus closes the SPI object and chip select
    const interrupt = new options.interrupt.io({
      pin: options.interrupt.pin, mode: DIGITAL.Input, edge: DIGITAL.Rising, onReadable: onDio0,
    });
    return { bus, resetLine, interrupt };
  } catch (error) {
    for (const part of opened.reverse()) closeQuietly(part);
    throw error;
  }
}

/** Closes the interrupt pin, NRESET, then the bus (SPI and chip select). */
export function closeIo(io: DriverIo): void {
  for (const part of [io.interrupt, io.resetLine, io.bus]) closeQuietly(part);
}

export function closeQuietly(part: { close(): void }): void {
  try {
    part.close();
  } catch {
    // Closing is best effort: one part failing to close must not keep the others open.
  }
}
