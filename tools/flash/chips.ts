/**
 * What flashing needs to know about each MCU family covey's boards use: the name esptool-js gives the
 * chip it detects, the chip id an image for it carries, and where its ROM looks for the bootloader
 * (ESP-IDF "Bootloader": 0x1000 on the ESP32, 0x0 on the ESP32-S3 and later chips).
 */
import type { Mcu } from '../../hal/boards/types.js';

export interface ChipFacts {
  readonly mcu: Mcu;
  /** esptool-js's CHIP_NAME for this chip (lib/targets/esp32.js, esp32s3.js). */
  readonly name: string;
  /** esp_image_header_t's chip_id (bytes 12–13 of the image header): ESP_CHIP_ID_ESP32 0, ESP32S3 9. */
  readonly imageChipId: number;
  readonly bootloaderOffset: number;
}

export const CHIPS: { readonly [mcu in Mcu]: ChipFacts } = {
  esp32: { mcu: 'esp32', name: 'ESP32', imageChipId: 0, bootloaderOffset: 0x1000 },
  esp32s3: { mcu: 'esp32s3', name: 'ESP32-S3', imageChipId: 9, bootloaderOffset: 0x0 },
};

/** The chip an image's header names, for messages: "ESP32", "ESP32-S3", or "chip id <n>". */
export function chipNameForImageId(id: number): string {
  return Object.values(CHIPS).find((chip) => chip.imageChipId === id)?.name ?? `chip id ${id}`;
}

/** The chip for ESP-IDF's target names as flasher_args.json's extra_esptool_args.chip writes them. */
export function chipForTarget(target: string): ChipFacts | undefined {
  return (CHIPS as Readonly<Record<string, ChipFacts>>)[target.toLowerCase().replace(/-/g, '')];
}

export const hex = (value: number): string => `0x${value.toString(16)}`;
