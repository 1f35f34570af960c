/**
 * The SX126x command set as far as covey uses it: opcodes, parameter codes, IRQ bits, register
 * addresses and the status byte (SX1261/2 datasheet rev 2.1, §13; radio.md §5; RadioLib
 * `SX126x_commands.h` agrees on every value used here).
 *
 * The chip is driven by commands, not registers: each command is one NSS-low SPI frame, an opcode
 * followed by its parameters (DS §8.3.1). While the chip processes a command it holds BUSY high and
 * ignores the SPI (DS §8.3.1), so every frame starts by waiting for BUSY low (bus.ts).
 */

/** Opcodes, DS §13 and the per-command tables there. */
export const Opcode = {
  // Operational modes (§13.1)
  SetSleep: 0x84,
  SetStandby: 0x80,
  SetFs: 0xc1,
  SetTx: 0x83,
  SetRx: 0x82,
  SetCad: 0xc5,
  SetRegulatorMode: 0x96,
  Calibrate: 0x89,
  CalibrateImage: 0x98,
  SetPaConfig: 0x95,
  SetRxTxFallbackMode: 0x93,
  // Register and buffer access (§13.2)
  WriteRegister: 0x0d,
  ReadRegister: 0x1d,
  WriteBuffer: 0x0e,
  ReadBuffer: 0x1e,
  // DIO and IRQ control (§13.3)
  SetDioIrqParams: 0x08,
  GetIrqStatus: 0x12,
  ClearIrqStatus: 0x02,
  SetDio2AsRfSwitchCtrl: 0x9d,
  SetDio3AsTcxoCtrl: 0x97,
  // RF, modulation and packet (§13.4)
  SetRfFrequency: 0x86,
  SetPacketType: 0x8a,
  GetPacketType: 0x11,
  SetTxParams: 0x8e,
  SetModulationParams: 0x8b,
  SetPacketParams: 0x8c,
  SetCadParams: 0x88,
  SetBufferBaseAddress: 0x8f,
  SetLoRaSymbNumTimeout: 0xa0,
  // Status (§13.5)
  GetStatus: 0xc0,
  GetRssiInst: 0x15,
  GetRxBufferStatus: 0x13,
  GetPacketStatus: 0x14,
  GetDeviceErrors: 0x17,
  ClearDeviceErrors: 0x07,
} as const;

/** Register addresses, DS §12 Table 12-1. */
export const Register = {
  /** LoRa sync word, two bytes (MSB at 0x0740, LSB at 0x0741), DS §6.1.1.1. */
  LoRaSyncWordMsb: 0x0740,
  LoRaSyncWordLsb: 0x0741,
} as const;

/** IRQ bits of SetDioIrqParams / GetIrqStatus / ClearIrqStatus, DS §13.3.1. */
export const Irq = {
  TxDone: 1 << 0,
  RxDone: 1 << 1,
  PreambleDetected: 1 << 2,
  SyncWordValid: 1 << 3,
  HeaderValid: 1 << 4,
  HeaderErr: 1 << 5,
  CrcErr: 1 << 6,
  CadDone: 1 << 7,
  CadDetected: 1 << 8,
  Timeout: 1 << 9,
  All: 0x03ff,
} as const;

/** The IRQs covey routes to DIO1: everything its operations wait for. */
export const DIO1_IRQS = Irq.TxDone | Irq.RxDone | Irq.CrcErr | Irq.CadDone | Irq.CadDetected | Irq.Timeout;

/** Status byte, DS §13.5.1 Table 13-76: bits 6:4 chip mode, bits 3:1 command status; bits 7 and 0 reserved. */
export const ChipMode = {
  StandbyRc: 0x2,
  StandbyXosc: 0x3,
  Fs: 0x4,
  Rx: 0x5,
  Tx: 0x6,
} as const;

export const CommandStatus = {
  /** Reported after a command that completed normally (the datasheet's "RFU" value). */
  Ok: 0x1,
  DataAvailable: 0x2,
  Timeout: 0x3,
  /** Invalid opcode or wrong number of parameters. */
  ProcessingError: 0x4,
  /** Understood but could not be executed in this state. */
  ExecutionFailure: 0x5,
  TxDone: 0x6,
} as const;

/** SetStandby parameter, DS §13.1.2. */
export const StandbyMode = { Rc: 0x00, Xosc: 0x01 } as const;

/** SetSleep parameter bits, DS §13.1.1: warm start keeps the configuration. */
export const SleepConfig = { ColdStart: 0x00, WarmStart: 0x04, RtcWake: 0x01 } as const;

/** SetPacketType parameter, DS §13.4.2. */
export const PacketType = { Gfsk: 0x00, LoRa: 0x01 } as const;

/** SetRegulatorMode parameter, DS §13.1.11. */
export const RegulatorMode = { Ldo: 0x00, DcDc: 0x01 } as const;

/** Calibrate parameter: all seven blocks (RC64k, RC13M, PLL, ADC pulse, ADC bulk N/P, image), DS §13.1.12. */
export const CALIBRATE_ALL = 0x7f;

/** SetRx timeout meaning "continuous", DS §13.1.5. SetTx/SetRx timeouts count 15.625 µs steps. */
export const RX_CONTINUOUS = 0xffffff;
export const TIMEOUT_STEP_US = 15.625;

/** SetModulationParams bandwidth codes for LoRa, DS §13.4.5.2 (Hz as covey names them). */
export const BANDWIDTH_CODE: Readonly<Record<number, number>> = {
  7800: 0x00,
  10400: 0x08,
  15600: 0x01,
  20800: 0x09,
  31250: 0x02,
  41700: 0x0a,
  62500: 0x03,
  125000: 0x04,
  250000: 0x05,
  500000: 0x06,
};

/** SetDIO3AsTCXOCtrl voltage codes, DS §13.3.6. */
export const TCXO_VOLTAGE_CODE: Readonly<Record<string, number>> = {
  '1.6': 0x00,
  '1.7': 0x01,
  '1.8': 0x02,
  '2.2': 0x03,
  '2.4': 0x04,
  '2.7': 0x05,
  '3': 0x06,
  '3.3': 0x07,
};

export type TcxoVoltage = 1.6 | 1.7 | 1.8 | 2.2 | 2.4 | 2.7 | 3.0 | 3.3;

/** SetTxParams ramp time codes, DS §13.4.4. */
export const RampTime = {
  Us10: 0x00,
  Us20: 0x01,
  Us40: 0x02,
  Us80: 0x03,
  Us200: 0x04,
  Us800: 0x05,
  Us1700: 0x06,
  Us3400: 0x07,
} as const;

/**
 * SetPaConfig for the SX1262's high-power PA at the +22 dBm optimum of DS §13.1.14
 * (paDutyCycle 0x04, hpMax 0x07, deviceSel 0 = SX1262, paLut 1). With it, SetTxParams programs the
 * output power directly over −9…+22 dBm (DS §13.4.4), as RadioLib does; the table's other rows save
 * current at four fixed powers but leave the power in between undefined.
 */
export const PA_CONFIG_SX1262 = [0x04, 0x07, 0x00, 0x01] as const;
export const TX_POWER_MIN_DBM = -9;
export const TX_POWER_MAX_DBM = 22;

/** GetDeviceErrors bits, DS §13.6.1. */
export const DeviceError = {
  Rc64kCalib: 1 << 0,
  Rc13mCalib: 1 << 1,
  PllCalib: 1 << 2,
  AdcCalib: 1 << 3,
  ImgCalib: 1 << 4,
  XoscStart: 1 << 5,
  PllLock: 1 << 6,
  PaRamp: 1 << 8,
} as const;

/** SetCadParams exit mode, DS §13.4.7: back to STDBY_RC whatever the result. */
export const CAD_EXIT_STANDBY = 0x00;

/** Image calibration bands, DS §9.2.1 Table 9-2: [from MHz, to MHz, freq1, freq2]. */
export const IMAGE_CALIBRATION_BANDS: readonly (readonly [number, number, number, number])[] = [
  [430, 440, 0x6b, 0x6f],
  [470, 510, 0x75, 0x81],
  [779, 787, 0xc1, 0xc5],
  [863, 870, 0xd7, 0xdb],
  [902, 928, 0xe1, 0xe9],
];
