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
import type { I2cIoClass, SwitchableRail } from '../drivers/axp192.js';
import type { DigitalClass, SpiClass } from '../drivers/ecma419.js';
import { openRadio } from '../drivers/open-radio.js';
import type { Clock, Radio } from '../../src/ports.js';
import type { ConsoleSerialClass } from './console.js';
import { switchOnRail } from './power-rail.js';
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

/**
 * Powers the radio where it hangs on a power-chip rail: switches the rail on and, when it was off, waits
 * out the chip's power-on reset before anything talks to it.
 */
export function powerRadio(board: Board, I2C: I2cIoClass, delay: (ms: number) => void): void {
  const rail = radioRail(board);
  if (rail !== undefined && switchOnRail(board, I2C, rail)) delay(RADIO_POWER_UP_MS);
}

export function openDeviceRadio(board: Board, io: DeviceIo, options: DeviceRadioOptions): Radio {
  powerRadio(board, io.I2C, options.delay);
  return openRadio(board, { SPI: io.SPI, Digital: io.Digital }, { clock: options.clock, onError: options.onError });
}
