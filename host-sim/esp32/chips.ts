/**
 * What tells an ESP32 from an ESP32-S3 on the loader's wire: the magic word at 0x40001000, GET_SECURITY_INFO
 * (ESP32-S3 only; its chip id is 9, esptool's IMAGE_CHIP_ID), the eFuse words esptool reads for the MAC,
 * package, revision and features, where the UART clock divider and the SPI flash controller sit, how many
 * status bytes the ROM sends, and what the ROM prints at reset.
 *
 * eFuse layouts: ESP32 TRM §20 (EFUSE_BLK0_RDATA1..6 at 0x3FF5A004..), ESP32-S3 TRM §5 (EFUSE_RD_MAC_SPI_SYS
 * at 0x60007044). The values model an ESP32-D0WDQ6 revision 1 (Heltec WiFi LoRa 32 V2, TTGO T-Beam) and an
 * ESP32-S3 (QFN56) revision v0.2 with external flash, both with a 40 MHz crystal.
 */
export type EmulatedChip = 'esp32' | 'esp32s3';

export interface SpiFlashController {
  readonly base: number;
  readonly usr: number;
  readonly usr1: number;
  readonly usr2: number;
  readonly mosiDlen: number;
  readonly misoDlen: number;
  readonly w0: number;
}

export interface ChipProfile {
  readonly chip: EmulatedChip;
  /** The name esptool gives the chip, also the key of its flasher stub. */
  readonly name: 'ESP32' | 'ESP32-S3';
  readonly magic: number;
  /** GET_SECURITY_INFO's chip id, or undefined where the ROM has no such command. */
  readonly securityChipId: number | undefined;
  readonly romStatusBytes: 2 | 4;
  readonly uartClkdivReg: number;
  readonly spi: SpiFlashController;
  /** Fixed registers (eFuse words and the like), given the MAC. */
  readonly fixedRegisters: (mac: Uint8Array) => ReadonlyMap<number, number>;
  /** The ROM's first lines after a reset, before it says which boot mode it took. */
  readonly romHeader: string;
  readonly downloadBootLine: string;
  readonly flashBootLine: string;
}

export const CHIP_DETECT_MAGIC_REG = 0x40001000;
export const CRYSTAL_HZ = 40_000_000;

/** The MAC's two eFuse words as esptool reads them back: word0 = bytes 2..5, word1 low half = bytes 0..1. */
function macWords(mac: Uint8Array): [number, number] {
  const low = ((mac[2] << 24) | (mac[3] << 16) | (mac[4] << 8) | mac[5]) >>> 0;
  return [low, (mac[0] << 8) | mac[1]];
}

/** CRC-8/MAXIM over the MAC, as the ESP32 stores it in EFUSE_BLK0_RDATA2[23:16]. */
export function macCrc8(mac: Uint8Array): number {
  let crc = 0;
  for (const byte of mac) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8c : crc >>> 1;
  }
  return crc;
}

const ESP32: ChipProfile = {
  chip: 'esp32',
  name: 'ESP32',
  magic: 0x00f01d83,
  securityChipId: undefined,
  romStatusBytes: 4,
  uartClkdivReg: 0x3ff40014,
  spi: { base: 0x3ff42000, usr: 0x1c, usr1: 0x20, usr2: 0x24, mosiDlen: 0x28, misoDlen: 0x2c, w0: 0x80 },
  fixedRegisters: (mac) => {
    const [mac0, mac1] = macWords(mac);
    return new Map([
      [CHIP_DETECT_MAGIC_REG, 0x00f01d83],
      [0x3ff5a000, 0],
      [0x3ff5a004, mac0],
      [0x3ff5a008, (mac1 | (macCrc8(mac) << 16)) >>> 0],
      // RDATA3: package 0 (D0WDQ6), revision bit 15 set (revision 1), both cores, Bluetooth enabled.
      [0x3ff5a00c, 1 << 15],
      // RDATA4: ADC reference voltage calibrated (bits 8..12 non-zero).
      [0x3ff5a010, 8 << 8],
      [0x3ff5a014, 0],
      // RDATA6: coding scheme "None".
      [0x3ff5a018, 0],
      // APB_CTRL_DATE: bit 31 clear (not revision 3).
      [0x3ff6607c, 0x16042000],
      [0x60000078, 0x15122500],
    ]);
  },
  romHeader: 'ets Jun  8 2016 00:22:57\r\n\r\n',
  downloadBootLine: 'rst:0x1 (POWERON_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\nwaiting for download\r\n',
  flashBootLine: 'rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n',
};

const ESP32S3: ChipProfile = {
  chip: 'esp32s3',
  name: 'ESP32-S3',
  magic: 0x00000009,
  securityChipId: 9,
  romStatusBytes: 2,
  uartClkdivReg: 0x60000014,
  spi: { base: 0x60002000, usr: 0x18, usr1: 0x1c, usr2: 0x20, mosiDlen: 0x24, misoDlen: 0x28, w0: 0x58 },
  fixedRegisters: (mac) => {
    const [mac0, mac1] = macWords(mac);
    const block1 = 0x60007044;
    return new Map([
      [CHIP_DETECT_MAGIC_REG, 0x00000009],
      [block1, mac0],
      [block1 + 4, mac1],
      [block1 + 8, 0],
      // Word 3: package 0 (QFN56), minor revision 2, block version minor 1, no embedded flash.
      [block1 + 12, (2 << 18) | (1 << 24)],
      // Word 4: no embedded PSRAM; word 5: major revision 0.
      [block1 + 16, 0],
      [block1 + 20, 0],
      // EFUSE_RD_SYS_PART1 word 4: block version major 1.
      [0x6000705c + 16, 1],
      // The ROM's UART buffer number: 0, the UART (3 would be USB-Serial/JTAG).
      [0x3fcef14c, 0],
      [0x60000080, 0x2008240],
    ]);
  },
  romHeader: 'ESP-ROM:esp32s3-20210327\r\nBuild:Mar 27 2021\r\n',
  downloadBootLine: 'rst:0x1 (POWERON),boot:0x0 (DOWNLOAD(USB/UART0))\r\nwaiting for download\r\n',
  flashBootLine: 'rst:0x1 (POWERON),boot:0x8 (SPI_FAST_FLASH_BOOT)\r\n',
};

export const CHIP_PROFILES: Readonly<Record<EmulatedChip, ChipProfile>> = { esp32: ESP32, esp32s3: ESP32S3 };

/** What GET_SECURITY_INFO answers (esptool "Serial Protocol"): flags, flash_crypt_cnt, 7 key purposes, chip id, eco version. */
export function securityInfo(profile: ChipProfile): Uint8Array | undefined {
  if (profile.securityChipId === undefined) return undefined;
  const out = new Uint8Array(20);
  new DataView(out.buffer).setUint32(12, profile.securityChipId, true);
  return out;
}
