/**
 * Opens the radio a board has: picks the driver for its chip family and hands it the board's pins and
 * flags (PA_BOOST, TCXO on DIO3, DIO2 as RF switch). The device entry point calls this with Moddable's
 * `device.io.SPI` and `device.io.Digital`; the simulator with an emulated chip's classes. Pins come
 * only from the board file.
 */
import type { Board } from '../boards/types.js';
import { radioSpiOptions } from '../boards/pins.js';
import type { Clock, LoRaSettings, Radio } from '../../src/ports.js';
import type { DigitalClass, SpiClass } from './ecma419.js';
import { Sx126x } from './sx126x/sx126x.js';
import { Sx127x } from './sx127x/sx127x.js';

/** The IO classes a radio is built from. */
export interface RadioIo {
  readonly SPI: SpiClass;
  readonly Digital: DigitalClass;
}

export interface OpenRadioOptions {
  readonly clock: Clock;
  readonly onError?: (error: Error) => void;
  /** LoRa settings to start with (the driver's defaults otherwise). */
  readonly settings?: Partial<LoRaSettings>;
  /** How often a receiving driver checks the chip did not reset itself, ms; 0 turns it off. */
  readonly healthCheckMs?: number;
}

export function openRadio(board: Board, io: RadioIo, options: OpenRadioOptions): Radio {
  const r = board.radio;
  const common = {
    ...options.settings,
    spi: { io: io.SPI, ...radioSpiOptions(board) },
    select: { io: io.Digital, pin: r.nss },
    reset: { io: io.Digital, pin: r.reset },
    clock: options.clock,
    onError: options.onError,
    healthCheckMs: options.healthCheckMs,
  };
  if (r.family === 'sx127x') {
    return new Sx127x({ ...common, interrupt: { io: io.Digital, pin: r.dio0 }, paBoost: r.paBoost });
  }
  return new Sx126x({
    ...common,
    interrupt: { io: io.Digital, pin: r.dio1 },
    busy: { io: io.Digital, pin: r.busy },
    tcxoVoltage: r.tcxoVolts ?? undefined,
    dio2RfSwitch: r.dio2AsRfSwitch,
  });
}
