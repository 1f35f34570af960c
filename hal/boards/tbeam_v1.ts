/**
 * LilyGO T-Beam v1.1, the SX1276 version (SX1278 at 433 MHz): ESP32 with PSRAM, u-blox NEO-6M or NEO-M8N
 * GPS on a UART, AXP192 power chip. The LoRa module and the GPS are powered from AXP192 rails that must be
 * switched on over I2C before either answers (hal/drivers/axp192.ts).
 *
 * Sources, which agree on every pin below:
 * - Xinyuan-LilyGO/LilyGo-LoRa-Series examples/RadioLibExamples/SX1262/SX1262_Receive_Interrupt/
 *   utilities.h, LILYGO_TBeam_V1_X: GPS_RX_PIN 34, GPS_TX_PIN 12 (ESP32 side), BUTTON_PIN 38, I2C_SDA 21,
 *   I2C_SCL 22, PMU_IRQ 35, RADIO_SCLK 5, MISO 19, MOSI 27, CS 18, DIO0 26, RST 23, DIO1 33, BUSY/DIO2 32,
 *   BOARD_LED 4 (LED_ON LOW), GPS_BAUD_RATE 9600.
 * - meshtastic/firmware variants/esp32/tbeam/variant.h: the same, with HAS_AXP192 and LED_POWER 4 on v1.1.
 * - Rails: LDO2 feeds the LoRa module, LDO3 the GPS, DCDC1 the OLED header, DCDC3 the ESP32 (AXP192
 *   wiring notes in MrFlexi/LoraTTNMapper src/hal/ttgobeam10.h; the same assignment in LilyGO's
 *   examples, which switch LDO2/LDO3 for LoRa/GPS).
 * The T-Beam v1.2 replaced the AXP192 with an AXP2101 at the same address; hal/drivers/axp192.ts reports it.
 */
import type { Board } from './types.js';

export const tbeamV1 = {
  id: 'tbeam_v1',
  name: 'LilyGO T-Beam v1.1 (SX1276)',
  mcu: 'esp32',
  support: 'supported',
  radio: {
    family: 'sx127x',
    spiPort: 1,
    nss: 18,
    sck: 5,
    miso: 19,
    mosi: 27,
    reset: 23,
    dio0: 26,
    dio1: 33,
    dio2: 32,
    // LilyGO's SX1276 module (HPD13A) brings out PA_BOOST only.
    paBoost: true,
  },
  variants: [
    { label: '868/915', chip: 'SX1276', minHz: 863_000_000, maxHz: 928_000_000 },
    { label: '433', chip: 'SX1278', minHz: 410_000_000, maxHz: 525_000_000 },
  ],
  // One bus for the AXP192 and the optional OLED.
  i2c: { data: 21, clock: 22 },
  oled: { controller: 'SSD1306', width: 128, height: 64, address: 0x3c, fitted: 'optional' },
  powerChip: {
    chip: 'AXP192',
    address: 0x34,
    irq: 35,
    rails: {
      ldo2: { millivolts: 3300, feeds: 'LoRa module' },
      ldo3: { millivolts: 3300, feeds: 'GPS' },
      dcdc1: { millivolts: 3300, feeds: 'OLED header' },
    },
    mcuRail: 'dcdc3',
  },
  led: { pin: 4, activeLow: true },
  button: { pin: 38 },
  // GPIO12 is a strapping pin (flash voltage, sampled at reset). LilyGO wires it to the GPS's RX input,
  // which does not drive it, so it is safe as the ESP32's TX; never repurpose it as an input here.
  gps: { module: 'u-blox NEO-6M / NEO-M8N', port: 1, receive: 34, transmit: 12, baud: 9600 },
  battery: { kind: 'power-chip' },
  reserved: [
    { pin: 16, why: 'PSRAM chip select' },
    { pin: 17, why: 'PSRAM clock' },
  ],
} as const satisfies Board;
