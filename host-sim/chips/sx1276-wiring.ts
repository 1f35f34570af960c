/**
 * The SX127x driver's IO options for an emulated SX1276: what a board file gives the driver on the
 * device, built from the emulator's pins, so host-sim and tests wire a node in one line.
 */
import type { Clock } from '../../src/ports.js';
import type { Sx127xOptions } from '../../hal/drivers/sx127x/sx127x.js';
import { heltecV2 } from '../../hal/boards/heltec_v2.js';
import { sx1276PinsOf } from './board-radio.js';
import type { Sx1276 } from './sx1276.js';

export type Sx127xWiring = Pick<Sx127xOptions, 'spi' | 'select' | 'reset' | 'interrupt' | 'clock'>;

/** Heltec WiFi LoRa 32 V2's SX1276 pins, read from its board file: a convenient default for emulated nodes. */
export const HELTEC_V2_PINS = sx1276PinsOf(heltecV2);

export function wireSx127x(chip: Sx1276, clock: Clock, port = 1): Sx127xWiring {
  const { nss, reset, dio0, sck, miso, mosi } = chip.pins;
  return {
    spi: { io: chip.SPI, clock: sck, in: miso, out: mosi, port },
    select: { io: chip.Digital, pin: nss },
    reset: { io: chip.Digital, pin: reset },
    interrupt: { io: chip.Digital, pin: dio0 },
    clock,
  };
}
