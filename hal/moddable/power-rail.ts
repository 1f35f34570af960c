/**
 * Switching on a power-chip rail on the device: the rails of a board's power chip (the T-Beam's AXP192,
 * hal/boards/tbeam_v1.ts) that feed its LoRa module (hal/moddable/radio.ts) and its GPS
 * (hal/moddable/serial-gps.ts), set over I2C with hal/drivers/axp192.ts to the voltage the board file gives.
 */
import type { Board } from '../boards/types.js';
import { Axp192, type I2cIoClass, type RailSettings, type SwitchableRail } from '../drivers/axp192.js';

/**
 * Switches `rail` on unless it is on already (a soft restart keeps the chip's rails); true when this call
 * switched it on, so that what it feeds is only now powering up.
 */
export function switchOnRail(board: Board, I2C: I2cIoClass | undefined, rail: SwitchableRail): boolean {
  const chip = board.powerChip;
  const bus = board.i2c;
  if (chip === undefined || bus === undefined || I2C === undefined) {
    throw new RangeError(`${board.id}: its ${rail} rail needs the board's power chip, its I2C bus and io.I2C`);
  }
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
