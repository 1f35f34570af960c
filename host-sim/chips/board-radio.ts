/**
 * The emulated radio chip a board carries, wired to the board's pins: what the simulator puts where a
 * device has the real chip. Drivers are then opened on it with hal/drivers/open-radio.ts exactly as on
 * the device.
 */
import type { Board } from '../../hal/boards/types.js';
import type { RadioIo } from '../../hal/drivers/open-radio.js';
import type { Clock } from '../../src/ports.js';
import type { Air } from '../air/air.js';
import { Sx1262 } from './sx1262.js';
import { Sx1276 } from './sx1276.js';
import type { Sx1276Pins } from './sx1276-io.js';

export interface EmulatedBoardRadio {
  readonly chip: Sx1276 | Sx1262;
  readonly io: RadioIo;
}

/** The SX1276 emulator's pins for an SX127x board. */
export function sx1276PinsOf(board: Board): Sx1276Pins {
  const r = board.radio;
  if (r.family !== 'sx127x') throw new RangeError(`${board.id} has an ${r.family}, not an SX127x`);
  return { nss: r.nss, reset: r.reset, dio0: r.dio0, dio1: r.dio1, sck: r.sck, miso: r.miso, mosi: r.mosi };
}

export interface BoardRadioContext {
  readonly air: Air;
  readonly clock: Clock;
  readonly name?: string;
  /** SX1262 only: commands the emulator keeps for inspection (Sx1262Options.commandLogLength). */
  readonly commandLogLength?: number;
}

export function emulateBoardRadio(board: Board, context: BoardRadioContext): EmulatedBoardRadio {
  const { air, clock, name, commandLogLength } = context;
  const r = board.radio;
  if (r.family === 'sx127x') {
    const chip = new Sx1276({ air, clock, name, pins: sx1276PinsOf(board) });
    return { chip, io: { SPI: chip.SPI, Digital: chip.Digital } };
  }
  const pins = { nss: r.nss, reset: r.reset, busy: r.busy, dio1: r.dio1, sck: r.sck, miso: r.miso, mosi: r.mosi };
  const chip = new Sx1262({
    air, clock, name, pins, board: { tcxo: r.tcxoVolts !== null, dio2RfSwitch: r.dio2AsRfSwitch }, commandLogLength,
  });
  return { chip, io: { SPI: chip.SPI, Digital: chip.Digital } };
}
