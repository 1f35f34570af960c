/**
 * LilyGO T3-S3 v1.2, the SX1262 version (SX1268 at 433 MHz): ESP32-S3 (quad PSRAM) + SX1262 with a
 * 1.8 V TCXO, SSD1306 OLED, SD card slot (not used by covey; its SPI pins are listed as reserved so that
 * no role lands on them).
 *
 * Sources:
 * - Xinyuan-LilyGO/LilyGo-LoRa-Series examples/Factory/utilities.h (2025), T3_S3_V1_2_SX1262: RADIO_SCLK 5,
 *   MISO 3, MOSI 6, CS 7, RST 8, DIO1 33, BUSY 34; I2C_SDA 18, I2C_SCL 17, OLED_RST unused; BOARD_LED 37
 *   (LED_ON HIGH); BUTTON_PIN 0; ADC_PIN 1 behind a 100 kΩ / 100 kΩ divider; SD card 11/2/14/13.
 * - meshtastic/firmware variants/esp32s3/tlora_t3s3_v1/variant.h: the same radio pins, with
 *   SX126X_DIO2_AS_RF_SWITCH and SX126X_DIO3_TCXO_VOLTAGE 1.8; I2C 18/17; LED 37; button 0; battery on 1.
 * Experimental: LilyGO's older examples (examples/RadioLibExamples/SX1262/SX1262_Receive_Interrupt/
 * utilities.h, LILYGO_T3_S3_V1_0) give BUSY 36 instead of 34; the two current sources agree on 34.
 */
import type { Board } from './types.js';

export const t3s3 = {
  id: 't3s3',
  name: 'LilyGO T3-S3 v1.2 (SX1262)',
  mcu: 'esp32s3',
  support: 'experimental',
  radio: {
    family: 'sx126x',
    spiPort: 1,
    nss: 7,
    sck: 5,
    // GPIO3 is a strapping pin (JTAG source); as MISO it is an input the ESP32 never drives.
    miso: 3,
    mosi: 6,
    reset: 8,
    dio1: 33,
    busy: 34,
    tcxoVolts: 1.8,
    dio2AsRfSwitch: true,
  },
  variants: [
    { label: '868/915', chip: 'SX1262', minHz: 863_000_000, maxHz: 928_000_000 },
    { label: '433', chip: 'SX1268', minHz: 410_000_000, maxHz: 525_000_000 },
  ],
  i2c: { data: 18, clock: 17 },
  oled: { controller: 'SSD1306', width: 128, height: 64, address: 0x3c, fitted: 'always' },
  led: { pin: 37, activeLow: false },
  button: { pin: 0 },
  battery: { kind: 'adc', pin: 1, dividerRatio: 2 },
  reserved: [
    { pin: 11, why: 'SD card MOSI' },
    { pin: 2, why: 'SD card MISO' },
    { pin: 14, why: 'SD card clock' },
    { pin: 13, why: 'SD card chip select' },
  ],
} as const satisfies Board;
