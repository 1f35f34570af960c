/**
 * An SX126x driver wired to an emulated SX1262: what the simulator and the tests use where a device
 * has the real chip. The pins are the caller's (a board file's, or a test's own wiring).
 */
import type { Clock } from '../../src/ports.js';
import { Sx126x, type Sx126xOptions } from '../../hal/drivers/sx126x/sx126x.js';
import type { Air } from '../air/air.js';
import { Sx1262, type Sx1262Board, type Sx1262Pins } from './sx1262.js';

type WiringKeys = 'spi' | 'select' | 'reset' | 'interrupt' | 'busy' | 'clock';

export interface EmulatedSx126xOptions {
  readonly air: Air;
  readonly clock: Clock;
  readonly name?: string;
  readonly pins: Sx1262Pins;
  readonly board?: Sx1262Board;
  /** Driver options other than the wiring: board flags, LoRa settings, onError, ... */
  readonly driver?: Omit<Sx126xOptions, WiringKeys>;
}

export interface EmulatedSx126x {
  readonly chip: Sx1262;
  readonly radio: Sx126x;
}

export function emulatedSx126x(options: EmulatedSx126xOptions): EmulatedSx126x {
  const { air, clock, name, pins, board } = options;
  const chip = new Sx1262({ air, clock, name, pins, board });
  const radio = new Sx126x({ ...options.driver, ...wireSx126x(chip, pins, clock) });
  return { chip, radio };
}

/** The SX126x driver's IO options for an emulated SX1262 on `pins`: the chip's classes on those pins. */
export function wireSx126x(chip: Sx1262, pins: Sx1262Pins, clock: Clock): Pick<Sx126xOptions, WiringKeys> {
  return {
    spi: { io: chip.SPI, clock: pins.sck, in: pins.miso, out: pins.mosi },
    select: { io: chip.Digital, pin: pins.nss },
    reset: { io: chip.Digital, pin: pins.reset },
    interrupt: { io: chip.Digital, pin: pins.dio1 },
    busy: { io: chip.Digital, pin: pins.busy },
    clock,
  };
}
