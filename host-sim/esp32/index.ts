/**
 * An emulated ESP32 / ESP32-S3 serial loader and a serialport binding for it, for testing flashers
 * against the real protocol without a board. See emulator.ts for the model and binding.ts for the port.
 */
export type { EmulatedChip } from './chips.js';
export {
  APP_OFFSET, Esp32LoaderEmulator, FIRMWARE_BAUD, IMAGE_MAGIC,
  type ChipState, type FirmwareContext, type FirmwareRunner, type LoaderEmulatorOptions, type RunningFirmware,
} from './emulator.js';
export { emulatorBinding, type EmulatorBindingOptions } from './binding.js';
