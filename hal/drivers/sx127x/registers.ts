/**
 * SX1276/77/78 LoRa-mode register map, operating modes, IRQ flags and DIO mapping (SX1276 DS §6.4,
 * "LoRa mode register map"), and the chip constants the driver and the emulator share.
 *
 * Registers 0x0D–0x3F exist twice on the chip, once per modem: these are the LoRa page, which is only
 * visible while RegOpMode.LongRangeMode is set (DS §6.4). After a reset the chip is in FSK mode.
 */

export const REG = {
  FIFO: 0x00,
  OP_MODE: 0x01,
  FRF_MSB: 0x06,
  FRF_MID: 0x07,
  FRF_LSB: 0x08,
  PA_CONFIG: 0x09,
  PA_RAMP: 0x0a,
  OCP: 0x0b,
  LNA: 0x0c,
  FIFO_ADDR_PTR: 0x0d,
  FIFO_TX_BASE_ADDR: 0x0e,
  FIFO_RX_BASE_ADDR: 0x0f,
  FIFO_RX_CURRENT_ADDR: 0x10,
  IRQ_FLAGS_MASK: 0x11,
  IRQ_FLAGS: 0x12,
  RX_NB_BYTES: 0x13,
  RX_HEADER_CNT_MSB: 0x14,
  RX_HEADER_CNT_LSB: 0x15,
  RX_PACKET_CNT_MSB: 0x16,
  RX_PACKET_CNT_LSB: 0x17,
  MODEM_STAT: 0x18,
  PKT_SNR_VALUE: 0x19,
  PKT_RSSI_VALUE: 0x1a,
  RSSI_VALUE: 0x1b,
  HOP_CHANNEL: 0x1c,
  MODEM_CONFIG_1: 0x1d,
  MODEM_CONFIG_2: 0x1e,
  SYMB_TIMEOUT_LSB: 0x1f,
  PREAMBLE_MSB: 0x20,
  PREAMBLE_LSB: 0x21,
  PAYLOAD_LENGTH: 0x22,
  MAX_PAYLOAD_LENGTH: 0x23,
  FIFO_RX_BYTE_ADDR: 0x25,
  MODEM_CONFIG_3: 0x26,
  FEI_MSB: 0x28,
  FEI_MID: 0x29,
  FEI_LSB: 0x2a,
  DETECT_OPTIMIZE: 0x31,
  INVERT_IQ: 0x33,
  HIGH_BW_OPTIMIZE_1: 0x36,
  DETECTION_THRESHOLD: 0x37,
  SYNC_WORD: 0x39,
  HIGH_BW_OPTIMIZE_2: 0x3a,
  DIO_MAPPING_1: 0x40,
  DIO_MAPPING_2: 0x41,
  VERSION: 0x42,
  PA_DAC: 0x4d,
} as const;

/** RegOpMode bits (DS §6.4): LongRangeMode can only change while the chip is in sleep. */
export const OP_MODE = {
  LONG_RANGE_MODE: 0x80,
  ACCESS_SHARED_REG: 0x40,
  /** Selects the LF test registers; set below the HF band (see HF_PORT_MIN_HZ). */
  LOW_FREQUENCY_MODE_ON: 0x08,
  MODE_MASK: 0x07,
} as const;

/** RegOpMode.Mode (DS §4.1, "operating mode control"; §6.4). */
export const MODE = {
  SLEEP: 0,
  STANDBY: 1,
  FSTX: 2,
  TX: 3,
  FSRX: 4,
  RX_CONTINUOUS: 5,
  RX_SINGLE: 6,
  CAD: 7,
} as const;

/** RegIrqFlags / RegIrqFlagsMask bits; writing 1 to a flag clears it (DS §6.4, register 0x12). */
export const IRQ = {
  RX_TIMEOUT: 0x80,
  RX_DONE: 0x40,
  PAYLOAD_CRC_ERROR: 0x20,
  VALID_HEADER: 0x10,
  TX_DONE: 0x08,
  CAD_DONE: 0x04,
  FHSS_CHANGE_CHANNEL: 0x02,
  CAD_DETECTED: 0x01,
  ALL: 0xff,
} as const;

/** RegDioMapping1 bits 7-6, the DIO0 function in LoRa mode (DS §6.4, RegDioMapping1, and the "DIO mapping LoRa mode" table). */
export const DIO0_MAPPING = {
  RX_DONE: 0x00,
  TX_DONE: 0x40,
  CAD_DONE: 0x80,
} as const;

/** The flag each DIO0 mapping (00, 01, 10, 11) follows; 11 drives nothing. */
export const DIO0_FLAG = [IRQ.RX_DONE, IRQ.TX_DONE, IRQ.CAD_DONE, 0] as const;
/** The flag each DIO1 mapping (RegDioMapping1 bits 5-4) follows. */
export const DIO1_FLAG = [IRQ.RX_TIMEOUT, IRQ.FHSS_CHANGE_CHANNEL, IRQ.CAD_DETECTED, 0] as const;

/** RegVersion of every SX1276/77/78/79 silicon revision in the field (DS §6.4, register 0x42). */
export const CHIP_VERSION = 0x12;

/** The reference crystal; Fstep = FXOSC / 2^19 = 61.035 Hz (DS §4.1.4). */
export const FXOSC_HZ = 32_000_000;
export const FRF_DIVISOR = 2 ** 19;

/** RegModemConfig1.Bw codes 0–9, in the nominal Hz that LoRaSettings uses (DS §6.4, register 0x1D). */
export const BANDWIDTHS_HZ = [7800, 10400, 15600, 20800, 31250, 41700, 62500, 125000, 250000, 500000] as const;

/** RSSI = offset + register (DS §5.5.5), by RF port. */
export const RSSI_OFFSET_DBM = { HF: -157, LF: -164 } as const;

/**
 * Frequencies above this use the HF port (band 1) and its RSSI offset; from here down, the LF port
 * (bands 2 and 3, which end at 525 MHz). The split is at the top of band 2, as LoRaMac-node's
 * RF_MID_BAND_THRESH does; RadioLib splits at 868 MHz instead, which puts EU863–868 on the wrong offset.
 */
export const HF_PORT_MIN_HZ = 525_000_000;

/** The SX1276's tuning range (DS Table 7); the SX1278 stops at 525 MHz but reads the same RegVersion. */
export const FREQUENCY_MIN_HZ = 137_000_000;
export const FREQUENCY_MAX_HZ = 1_020_000_000;
/** Band 3 (137–175 MHz) does not support the 250 and 500 kHz bandwidths (DS §6.4, register 0x1D). */
export const BAND_3_MAX_HZ = 175_000_000;

export const PA_CONFIG = {
  /** PaSelect: output on PA_BOOST rather than RFO. */
  PA_BOOST: 0x80,
  /** MaxPower = 7: Pmax = 10.8 + 0.6·7 = 15 dBm on RFO (DS §5.4.2). */
  MAX_POWER_7: 0x70,
} as const;

/** RegPaDac: 0x87 enables the +20 dBm PA_BOOST mode, 0x84 is the default (DS §5.4.3). */
export const PA_DAC = { DEFAULT: 0x84, BOOST_20_DBM: 0x87 } as const;

/** RegOcp.OcpOn; OcpTrim in bits 4-0 (DS §5.4.4, Table 37). */
export const OCP_ON = 0x20;

/** RegLna: LnaGain G1 (maximum), and LnaBoostHf = 11, 150 % LNA current on the HF port (DS §6.4, 0x0C). */
export const LNA = { GAIN_G1: 0x20, BOOST_HF: 0x03 } as const;

export const MODEM_CONFIG_2 = { RX_PAYLOAD_CRC_ON: 0x04 } as const;
export const MODEM_CONFIG_3 = { LOW_DATA_RATE_OPTIMIZE: 0x08, AGC_AUTO_ON: 0x04 } as const;

/** RegDetectOptimize / RegDetectionThreshold: SF6 needs its own values (DS §4.1.1.2). */
export const DETECT = {
  SF6: { optimize: 0xc5, threshold: 0x0c },
  SF7_TO_12: { optimize: 0xc3, threshold: 0x0a },
} as const;

/** RegPaRamp default, 40 µs (DS §6.4, 0x0A), rewritten as part of the PA burst. */
export const PA_RAMP_40_US = 0x09;
/** RegSymbTimeoutLsb default, rewritten as part of the modem-config burst; unused in continuous RX. */
export const SYMB_TIMEOUT_DEFAULT = 0x64;
