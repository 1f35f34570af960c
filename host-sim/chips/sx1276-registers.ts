/**
 * The SX1276 emulator's register knowledge: reset values, which registers the host cannot write, what
 * the modem registers mean for a transmission, and how the chip encodes what it measured about a packet.
 * The decoding here is written from the datasheet separately from the driver's encoding (the register
 * addresses and constants are shared), so a test through both catches a mistake in either.
 */
import { airtime, symbolMs } from '../../hal/radio/airtime.js';
import {
  BANDWIDTHS_HZ, FRF_DIVISOR, FXOSC_HZ, HF_PORT_MIN_HZ, OP_MODE, REG, RSSI_OFFSET_DBM,
} from '../../hal/drivers/sx127x/registers.js';

/** Reset values of the LoRa page and the common registers (SX1276 DS §6.4, "Reset" column). */
const RESET_VALUES: Readonly<Record<number, number>> = {
  [REG.OP_MODE]: 0x09, // FSK mode, LowFrequencyModeOn, standby
  [REG.FRF_MSB]: 0x6c, [REG.FRF_MID]: 0x80, [REG.FRF_LSB]: 0x00, // 434 MHz
  [REG.PA_CONFIG]: 0x4f, [REG.PA_RAMP]: 0x09, [REG.OCP]: 0x2b, [REG.LNA]: 0x20,
  [REG.FIFO_TX_BASE_ADDR]: 0x80,
  [REG.MODEM_CONFIG_1]: 0x72, [REG.MODEM_CONFIG_2]: 0x70, [REG.SYMB_TIMEOUT_LSB]: 0x64,
  [REG.PREAMBLE_LSB]: 0x08, [REG.PAYLOAD_LENGTH]: 0x01, [REG.MAX_PAYLOAD_LENGTH]: 0xff, [REG.MODEM_CONFIG_3]: 0x04,
  [REG.DETECT_OPTIMIZE]: 0xc3, [REG.INVERT_IQ]: 0x27, [REG.HIGH_BW_OPTIMIZE_1]: 0x03,
  [REG.DETECTION_THRESHOLD]: 0x0a, [REG.SYNC_WORD]: 0x12,
  [REG.VERSION]: 0x12, [REG.PA_DAC]: 0x84,
};

export function resetValues(into: Uint8Array): void {
  into.fill(0);
  for (const [address, value] of Object.entries(RESET_VALUES)) into[Number(address)] = value;
}

const READ_ONLY = new Set<number>([
  REG.FIFO_RX_CURRENT_ADDR, REG.RX_NB_BYTES, REG.RX_HEADER_CNT_MSB, REG.RX_HEADER_CNT_LSB, REG.RX_PACKET_CNT_MSB,
  REG.RX_PACKET_CNT_LSB, REG.MODEM_STAT, REG.PKT_SNR_VALUE, REG.PKT_RSSI_VALUE, REG.RSSI_VALUE, REG.HOP_CHANNEL,
  REG.FIFO_RX_BYTE_ADDR, REG.FEI_MSB, REG.FEI_MID, REG.FEI_LSB, REG.VERSION,
]);

export function isReadOnly(address: number): boolean {
  return READ_ONLY.has(address);
}

/** Registers 0x0D–0x3F are per modem: the FSK page unless LoRa mode shows the LoRa page (DS §6.4). */
export function onLoRaPage(address: number, opMode: number): boolean {
  if (address < REG.FIFO_ADDR_PTR || address > 0x3f) return true;
  return (opMode & OP_MODE.LONG_RANGE_MODE) !== 0 && (opMode & OP_MODE.ACCESS_SHARED_REG) === 0;
}

/** Carrier frequency from Frf, to the nearest Hz: Frf · Fxosc / 2^19 (DS §4.1.4). */
export function frequencyOf(regs: Uint8Array): number {
  const frf = (regs[REG.FRF_MSB] << 16) | (regs[REG.FRF_MID] << 8) | regs[REG.FRF_LSB];
  return Math.round((frf * FXOSC_HZ) / FRF_DIVISOR);
}

export interface ModemSetup {
  readonly frequencyHz: number;
  readonly spreadingFactor: number;
  readonly bandwidthHz: number;
  readonly codingRate: number;
  readonly implicitHeader: boolean;
  readonly crc: boolean;
  readonly lowDataRateOptimize: boolean;
  readonly preambleLength: number;
  readonly syncWord: number;
}

/** What RegModemConfig1/2/3, the preamble and the sync word say, or null if a field holds a reserved value. */
export function modemSetup(regs: Uint8Array): ModemSetup | null {
  const config1 = regs[REG.MODEM_CONFIG_1];
  const config2 = regs[REG.MODEM_CONFIG_2];
  const bandwidthHz = BANDWIDTHS_HZ[config1 >> 4] as number | undefined;
  const crCode = (config1 >> 1) & 0x07;
  const spreadingFactor = config2 >> 4;
  if (bandwidthHz === undefined || crCode < 1 || crCode > 4 || spreadingFactor < 6 || spreadingFactor > 12) return null;
  return {
    frequencyHz: frequencyOf(regs),
    spreadingFactor,
    bandwidthHz,
    codingRate: crCode + 4,
    implicitHeader: (config1 & 0x01) !== 0,
    crc: (config2 & 0x04) !== 0,
    lowDataRateOptimize: (regs[REG.MODEM_CONFIG_3] & 0x08) !== 0,
    preambleLength: (regs[REG.PREAMBLE_MSB] << 8) | regs[REG.PREAMBLE_LSB],
    syncWord: regs[REG.SYNC_WORD],
  };
}

/**
 * Time on air of a packet with this setup (hal/radio/airtime.ts, SX127x form; LDRO as the register
 * says). Throws RangeError for what the chip cannot send (SF6 with an explicit header, a short preamble).
 */
export function airtimeMs(setup: ModemSetup, payloadBytes: number): number {
  return airtime({
    spreadingFactor: setup.spreadingFactor,
    bandwidthHz: setup.bandwidthHz,
    codingRate: setup.codingRate,
    payloadBytes,
    preambleLength: setup.preambleLength,
    implicitHeader: setup.implicitHeader,
    crc: setup.crc,
    ldro: setup.lowDataRateOptimize ? 'on' : 'off',
    chip: 'sx127x',
  }).timeOnAirMs;
}

/** CAD: the receiver listens for (2^SF + 32) / BW, then correlates for about a symbol (DS §4.1, "channel activity detection"). */
export function cadTiming(setup: ModemSetup): { listenMs: number; processMs: number } {
  return {
    listenMs: ((2 ** setup.spreadingFactor + 32) / setup.bandwidthHz) * 1000,
    processMs: symbolMs(setup.spreadingFactor, setup.bandwidthHz),
  };
}

/**
 * Output power from RegPaConfig and RegPaDac (DS §5.4.2, §5.4.3): on PA_BOOST 17 − (15 − OutputPower),
 * or 20 − (15 − OutputPower) with PaDac = 0x87; on RFO (10.8 + 0.6·MaxPower) − (15 − OutputPower).
 */
export function txPowerDbm(regs: Uint8Array): number {
  const paConfig = regs[REG.PA_CONFIG];
  const outputPower = paConfig & 0x0f;
  if ((paConfig & 0x80) !== 0) return ((regs[REG.PA_DAC] & 0x07) === 0x07 ? 20 : 17) - (15 - outputPower);
  const maxPower = (paConfig >> 4) & 0x07;
  return Math.round((10.8 + 0.6 * maxPower - (15 - outputPower)) * 10) / 10;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** The RSSI offset of the port a frequency uses (DS §5.5.5). */
export function rssiOffset(frequencyHz: number): number {
  return frequencyHz > HF_PORT_MIN_HZ ? RSSI_OFFSET_DBM.HF : RSSI_OFFSET_DBM.LF;
}

/** RegPktSnrValue: SNR·4 in two's complement (DS §6.4, 0x19). */
export function snrRegister(snrDb: number): number {
  return clamp(Math.round(snrDb * 4), -128, 127) & 0xff;
}

/** RegRssiValue for a power: the inverse of RSSI = offset + Rssi (DS §5.5.5). */
export function rssiRegister(rssiDbm: number, frequencyHz: number): number {
  return clamp(Math.round(rssiDbm - rssiOffset(frequencyHz)), 0, 255);
}

/** RegPktRssiValue: the inverse of offset + PacketRssi (+ SNR when negative), using the SNR as encoded. */
export function packetRssiRegister(rssiDbm: number, snrRegisterValue: number, frequencyHz: number): number {
  const snrDb = ((snrRegisterValue << 24) >> 24) / 4;
  return clamp(Math.round(rssiDbm - rssiOffset(frequencyHz) - Math.min(snrDb, 0)), 0, 255);
}

/** RegFeiMsb/Mid/Lsb: FreqError = Ferr · Fxtal / 2^24 · 500 kHz / BW, 20-bit two's complement (DS §4.1.5). */
export function feiRegisters(frequencyErrorHz: number, bandwidthHz: number): [number, number, number] {
  const raw = clamp(Math.round(((frequencyErrorHz * FXOSC_HZ) / 2 ** 24) * (500_000 / bandwidthHz)), -0x80000, 0x7ffff);
  const word = raw & 0xfffff;
  return [word >> 16, (word >> 8) & 0xff, word & 0xff];
}
