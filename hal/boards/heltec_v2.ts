/**
 * Heltec WiFi LoRa 32 V2: ESP32 + SX1276 (SX1278 on the 433 MHz version), SSD1306 OLED.
 *
 * Sources, which agree on every pin below:
 * - Moddable SDK build/devices/esp32/targets/heltec_lora_32/host/provider.js (moddable.md §6): SPI clock 5,
 *   in 19, out 27, port 1; LoRa reset 14, interrupt (DIO0) 26, select 18; LED 25; button 0.
 * - espressif/arduino-esp32 variants/heltec_wifi_lora_32_V2/pins_arduino.h: LORA_* as above plus
 *   LORA_DIO1 35, LORA_DIO2 34; OLED_SDA 4, OLED_SCL 15, OLED_RST 16; VEXT_CNTRL 21; PRG_BUTTON 0.
 * - meshtastic/firmware variants/esp32/heltec_v2/variant.h: the same DIOs, OLED and Vext (active low,
 *   feeds the OLED), BATTERY_PIN 13 behind a 220 kΩ / 100 kΩ divider (ratio 3.2).
 * The V2.1 revision moved the battery sense to GPIO37 (meshtastic variants/esp32/heltec_v2.1/variant.h);
 * this file describes V2.
 */
import type { Board } from './types.js';

export const heltecV2 = {
  id: 'heltec_v2',
  name: 'Heltec WiFi LoRa 32 V2',
  mcu: 'esp32',
  support: 'supported',
  radio: {
    family: 'sx127x',
    spiPort: 1,
    nss: 18,
    sck: 5,
    miso: 19,
    mosi: 27,
    reset: 14,
    dio0: 26,
    // GPIO34/35 are input-only, which is all a DIO needs.
    dio1: 35,
    dio2: 34,
    // The module's antenna path starts at PA_BOOST; RFO is not connected.
    paBoost: true,
  },
  variants: [
    { label: '868/915', chip: 'SX1276', minHz: 863_000_000, maxHz: 928_000_000 },
    // SX1276/77/78 DS, frequency bands: band 2 (the 433 MHz matching) is 410–525 MHz.
    { label: '433', chip: 'SX1278', minHz: 410_000_000, maxHz: 525_000_000 },
  ],
  i2c: { data: 4, clock: 15 },
  oled: { controller: 'SSD1306', width: 128, height: 64, address: 0x3c, reset: 16, fitted: 'always' },
  vext: { pin: 21, activeLow: true, feeds: 'OLED and the Vext header pins' },
  led: { pin: 25, activeLow: false },
  button: { pin: 0 },
  // GPIO13 is on ADC2: unreadable while Wi-Fi is on (hal/boards/mcu.ts).
  battery: { kind: 'adc', pin: 13, dividerRatio: 3.2 },
} as const satisfies Board;
