/**
 * "embedded:provider/builtin" in the XS tier: `device.io` whose classes build the world's emulated
 * parts (the board's radio chip, its power chip), forwarding to the installed fake world (../world.ts).
 */
import type { I2cIoClass, I2cIoOptions } from '../../../../hal/drivers/axp192.js';
import type { DigitalClass, DigitalOptions, SpiClass, SpiOptions } from '../../../../hal/drivers/ecma419.js';
import { currentWorld } from '../world.js';

const SPI = function SPI(options: SpiOptions) {
  return new (currentWorld('new device.io.SPI').io.SPI)(options);
} as unknown as SpiClass;

const Digital = function Digital(options: DigitalOptions) {
  return new (currentWorld('new device.io.Digital').io.Digital)(options);
} as unknown as DigitalClass;

const I2C = function I2C(options: I2cIoOptions) {
  return new (currentWorld('new device.io.I2C').io.I2C)(options);
} as unknown as I2cIoClass;

const device = { io: { SPI, Digital, I2C } };

export default device;
