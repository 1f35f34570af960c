/**
 * XS entry for tests/xs/axp192-in-xs.test.ts: the T-Beam power-up exactly as the device runs it (board
 * registry, AXP192 driver) against the AXP192 emulator, all inside XS. Device code: no Node built-ins.
 */
import { boardById } from '../../../hal/boards/index.js';
import { Axp192, type RailSettings } from '../../../hal/drivers/axp192.js';
import { Axp192Chip } from '../../../host-sim/chips/axp192.js';
import { serveCommands } from '../../../tools/xs/entries/serve.js';

/** Powers up a board's rails from its board file; returns what the chip and the driver then report. */
function powerUp(id: string, chipId?: number) {
  const board = boardById(id);
  if (board.i2c === undefined || board.powerChip === undefined) throw new RangeError(`${id} has no power chip`);
  const chip = new Axp192Chip({ wiring: board.i2c, chipId });
  const axp = new Axp192({ i2c: { io: chip.I2C, ...board.i2c, address: board.powerChip.address } });
  const settings: Record<string, { on: boolean; millivolts: number }> = {};
  for (const [rail, { millivolts }] of Object.entries(board.powerChip.rails)) settings[rail] = { on: true, millivolts };
  axp.configure(settings as RailSettings);
  const result = {
    chip: { ldo2: chip.railOn('ldo2'), ldo3: chip.railOn('ldo3'), dcdc1: chip.railOn('dcdc1'), ldo23: chip.register(0x28) },
    driver: { ldo2: axp.rail('ldo2'), ldo3: axp.rail('ldo3') },
    mcuPowerLost: chip.mcuPowerLost,
  };
  axp.close();
  axp.close();
  return { ...result, busesOpen: chip.stats.busesOpen };
}

serveCommands({
  powerUp: (args) => powerUp(String(args.id), args.chipId === undefined ? undefined : Number(args.chipId)),
});
