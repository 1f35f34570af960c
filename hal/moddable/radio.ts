/**
 * Opens the board's LoRa radio on the device: the ECMA-419 IO classes of the host provider
 * (`device.io.SPI`, `device.io.Digital`, `device.io.I2C` from "embedded:provider/builtin"; reference/
 * moddable.md §2) go to hal/drivers/open-radio.ts with the board file's pins, as host-sim hands it an
 * emulated chip's classes.
 *
 * Boards whose radio hangs on a power-chip rail (the T-Beam: AXP192 LDO2, hal/boards/tbeam_v1.ts) get
 * that rail switched on first, over I2C with hal/drivers/axp192.ts, and then a 10 ms wait before the
 * driver's first SPI access: the SX1276 needs 10 ms after power-on reset before it answers (SX1276/77/78
 * DS §7.2.1, "POR"). The wait is skipped when the rail was already on (a soft restart).
 */
import type { Board } from '../boards/types.js';
import { Axp192, type I2cIoClass, type RailSettings, type SwitchableRail } from '../drivers/axp192.js';
import type { DigitalClass, SpiClass } from '../drivers/ecma419.js';
import { openRadio } from '../drivers/open-radio.js';
import type { Clock, Radio } from '../../src/ports.js';
import type { ConsoleSerialClass } from './console.js';
import type { GpsIo } from './serial-gps.js';

/** SX1276/77/78 DS §7.2.1: from power-on reset to the first SPI access, ms. */
export const RADIO_POWER_UP_MS = 10;

/**
 * The IO classes of `device.io` the device uses: SPI, Digital and I2C for the radio (and the power chip);
 * Serial for the GPS of a mapper (hal/moddable/serial-gps.ts) and for the USB console
 * (hal/moddable/console.ts). Every Moddable host provider has a Serial; it is optional here for the worlds
 * that fake only the radio's classes (tools/xs/moddable-fakes/), where the console then stays closed.
 */
export interface DeviceIo {
  readonly SPI: SpiClass;
  readonly Digital: DigitalClass;
  readonly I2C: I2cIoClass;
  readonly Serial?: GpsIo['Serial'] & ConsoleSerialClass;
}

export interface DeviceRadioOptions {
  readonly clock: Clock;
  /** Blocks for `ms`: Moddable's Timer.delay. */
  readonly delay: (ms: number) => void;
  /** Faults the driver finds with no caller to hand them to (a chip that stopped answering). */
  readonly onError: (error: Error) => void;
}

/** The power-chip rail that feeds the radio: the one whose `feeds` names the LoRa module. */
export function radioRail(board: Board): SwitchableRail | undefined {
  const chip = board.powerChip;
  if (chip === undefined) return undefined;
  const rails = Object.keys(chip.rails) as SwitchableRail[];
  const rail = rails.find((name) => /lora/i.test(chip.rails[name]?.feeds ?? ''));
  if (rail === undefined) throw new RangeError(`${board.id}: no rail of its ${chip.chip} feeds the LoRa module`);
  return rail;
}

/** Switches on the radio's rail; true when it was off (so the chip is just powering up). */
function powerRadio(board: Board, I2C: I2cIoClass, rail: SwitchableRail): boolean {
  const chip = board.powerChip;
  const bus = board.i2c;
  if (chip === undefined || bus === undefined) throw new RangeError(`${board.id}: a power chip needs the board's I2C bus`);
  const axp = new Axp192({ i2c: { io: I2C, data: bus.data, clock: bus.clock, address: chip.address } });
  try {
    if (axp.rail(rail).on) return false;
    const { millivolts } = chip.rails[rail] as { millivolts: number };
    axp.configure({ [rail]: { on: true, millivolts } } as RailSettings);
    return true;
  } finally {
    axp.close();
  }
}

export function openDeviceRadio(board: Board, io: DeviceIo, options: DeviceRadioOptions): Radio {
  const rail = radioRail(board);
  if (rail !== undefined && powerRadio(board, io.I2C, rail)) options.delay(RADIO_POWER_UP_MS);
  return openRadio(board, { SPI: io.SPI, Digital: io.Digital }, { clock: options.clock, onError: options.onError });
}
