/**
 * Heltec WiFi LoRa 32 V3: ESP32-S3 + SX1262 with a 1.8 V TCXO, SSD1306 OLED.
 *
 * Sources, which agree on every pin below:
 * - espressif/arduino-esp32 variants/heltec_wifi_lora_32_V3/pins_arduino.h: SS 8, SCK 9, MOSI 10,
 *   MISO 11; RST_LoRa 12, BUSY_LoRa 13, DIO0 14 (the SX1262's DIO1 line); SDA_OLED 17, SCL_OLED 18,
 *   RST_OLED 21; LED 35; Vext 36.
 * - meshtastic/firmware variants/esp32s3/heltec_v3/variant.h: LORA_SCK 9, MISO 11, MOSI 10, CS 8,
 *   RESET 12, DIO1 14, BUSY 13; SX126X_DIO2_AS_RF_SWITCH; SX126X_DIO3_TCXO_VOLTAGE 1.8; Vext active low
 *   (OLED); BUTTON_PIN 0; BATTERY_PIN 1 (ADC1) with ADC_CTRL 37 enabled LOW and a 390 kΩ / 100 kΩ
 *   divider (ratio 4.9).
 * - reference/radio.md §4 pin table (Heltec V3 / V4 row).
 * The battery divider switch below is active low on V3 and V3.1 (a pull-up and a MOSFET). V3.2 replaced it
 * with a transistor that is active high (Heltec's own pull request, meshtastic/firmware #5196): read
 * GPIO37 as an input first; high means V3/V3.1 and this polarity, low means V3.2 and the opposite.
 */
import type { Board } from './types.js';

export const heltecV3 = {
  id: 'heltec_v3',
  name: 'Heltec WiFi LoRa 32 V3',
  mcu: 'esp32s3',
  support: 'supported',
  radio: {
    family: 'sx126x',
    spiPort: 1,
    nss: 8,
    sck: 9,
    miso: 11,
    mosi: 10,
    reset: 12,
    dio1: 14,
    busy: 13,
    tcxoVolts: 1.8,
    dio2AsRfSwitch: true,
  },
  variants: [{ label: '868/915', chip: 'SX1262', minHz: 863_000_000, maxHz: 928_000_000 }],
  i2c: { data: 17, clock: 18 },
  oled: { controller: 'SSD1306', width: 128, height: 64, address: 0x3c, reset: 21, fitted: 'always' },
  vext: { pin: 36, activeLow: true, feeds: 'OLED and the Vext header pins' },
  led: { pin: 35, activeLow: false },
  button: { pin: 0 },
  battery: { kind: 'adc', pin: 1, dividerRatio: 4.9, enable: { pin: 37, activeLow: true } },
} as const satisfies Board;
