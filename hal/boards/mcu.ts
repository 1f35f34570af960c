/**
 * What each GPIO of the two MCU families can do, for checking board files (tests/boards) and for
 * `covey boards`. Facts from the Espressif datasheets:
 * - ESP32 Series DS, "Pin Definitions": GPIO0–19, 21–23, 25–27 and 32–39 exist; GPIO34–39 are inputs
 *   only (no output driver, no pull resistors: Moddable's Digital throws "input only", moddable.md §2);
 *   GPIO6–11 are the module's SPI flash. ADC1 is on GPIO32–39, ADC2 on GPIO0, 2, 4, 12–15 and 25–27.
 * - ESP32-S3 Series DS, "Pin Overview": GPIO0–21 and 26–48 exist, every one can drive; GPIO26–32 are the
 *   in-package or module flash/PSRAM (and GPIO33–37 too when the PSRAM or flash is octal, which is not
 *   the case on any board here). ADC1 is on GPIO1–10, ADC2 on GPIO11–20.
 * - On both, Wi-Fi uses ADC2 and has priority over the application, so ADC2 reads fail while Wi-Fi is on
 *   (Espressif ESP-FAQ, "Analog-to-Digital Converter"): a battery divider on ADC2 is only readable with
 *   Wi-Fi stopped.
 */
import type { Mcu } from './types.js';

export interface McuGpio {
  readonly name: string;
  /** Every GPIO number the chip has. */
  readonly gpios: readonly number[];
  /** GPIOs with no output driver. */
  readonly inputOnly: readonly number[];
  /** GPIOs wired to the module's flash (or PSRAM); unusable on every board. */
  readonly flash: readonly number[];
  /** GPIOs with an ADC channel. */
  readonly adc: readonly number[];
  /** The subset of `adc` on ADC2, which Wi-Fi makes unreadable. */
  readonly adcBlockedByWifi: readonly number[];
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const MCU_GPIO: { readonly [mcu in Mcu]: McuGpio } = {
  esp32: {
    name: 'ESP32',
    gpios: [...range(0, 19), ...range(21, 23), ...range(25, 27), ...range(32, 39)],
    inputOnly: range(34, 39),
    flash: range(6, 11),
    adc: [0, 2, 4, ...range(12, 15), ...range(25, 27), ...range(32, 39)],
    adcBlockedByWifi: [0, 2, 4, ...range(12, 15), ...range(25, 27)],
  },
  esp32s3: {
    name: 'ESP32-S3',
    gpios: [...range(0, 21), ...range(26, 48)],
    inputOnly: [],
    flash: range(26, 32),
    adc: range(1, 20),
    adcBlockedByWifi: range(11, 20),
  },
};
