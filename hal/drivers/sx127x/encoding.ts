/**
 * The SX127x's register encodings as pure functions: settings → register values for configure, and
 * register values → physical quantities for received packets. The formulas are the datasheet's; tests
 * check them against values worked out from those formulas independently.
 */
import { ldroEnabled } from '../airtime.js';
import type { LoRaSettings } from '../../../src/ports.js';
import {
  BANDWIDTHS_HZ, DETECT, FRF_DIVISOR, FXOSC_HZ, HF_PORT_MIN_HZ, LNA, MODEM_CONFIG_2, MODEM_CONFIG_3, OCP_ON, PA_CONFIG,
  PA_DAC, RSSI_OFFSET_DBM,
} from './registers.js';

/** Frf = f · 2^19 / Fxosc, rounded to the nearest step (DS §4.1.4, registers 0x06–0x08). */
export function frfFromHz(frequencyHz: number): number {
  return Math.round((frequencyHz * FRF_DIVISOR) / FXOSC_HZ);
}

/** Frf as the three bytes RegFrfMsb, RegFrfMid, RegFrfLsb. */
export function frfBytes(frequencyHz: number): [number, number, number] {
  const frf = frfFromHz(frequencyHz);
  return [(frf >>> 16) & 0xff, (frf >>> 8) & 0xff, frf & 0xff];
}

/** RegModemConfig1.Bw code of a bandwidth; RangeError for a bandwidth the chip does not have. */
export function bandwidthCode(bandwidthHz: number): number {
  const code = (BANDWIDTHS_HZ as readonly number[]).indexOf(bandwidthHz);
  if (code < 0) throw new RangeError(`${bandwidthHz} Hz is not an SX127x bandwidth (${BANDWIDTHS_HZ.join(', ')})`);
  return code;
}

/** True when the frequency is on the HF port (see HF_PORT_MIN_HZ). */
export function usesHfPort(frequencyHz: number): boolean {
  return frequencyHz > HF_PORT_MIN_HZ;
}

export function rssiOffsetDbm(frequencyHz: number): number {
  return usesHfPort(frequencyHz) ? RSSI_OFFSET_DBM.HF : RSSI_OFFSET_DBM.LF;
}

export interface ModemConfig {
  /** 0x1D: Bw (7-4), CodingRate (3-1, 1 = 4/5 … 4 = 4/8), ImplicitHeaderModeOn (0). */
  readonly config1: number;
  /** 0x1E: SpreadingFactor (7-4), RxPayloadCrcOn (2); SymbTimeout(9:8) left 0. */
  readonly config2: number;
  /** 0x26: LowDataRateOptimize (3), AgcAutoOn (2). */
  readonly config3: number;
}

/** RegModemConfig1/2/3 for the settings (DS §6.4, registers 0x1D, 0x1E, 0x26). */
export function modemConfig(s: LoRaSettings): ModemConfig {
  const ldro = ldroEnabled(s.spreadingFactor, s.bandwidthHz, s.ldro);
  return {
    config1: (bandwidthCode(s.bandwidthHz) << 4) | ((s.codingRate - 4) << 1) | (s.implicitHeader ? 1 : 0),
    config2: (s.spreadingFactor << 4) | (s.crc ? MODEM_CONFIG_2.RX_PAYLOAD_CRC_ON : 0),
    config3: (ldro ? MODEM_CONFIG_3.LOW_DATA_RATE_OPTIMIZE : 0) | MODEM_CONFIG_3.AGC_AUTO_ON,
  };
}

export interface PaSettings {
  /** RegPaConfig 0x09. */
  readonly paConfig: number;
  /** RegPaDac 0x4D. */
  readonly paDac: number;
  /** RegOcp 0x0B. */
  readonly ocp: number;
}

/** RegOcp for a current limit: 45 + 5·trim up to 120 mA, −30 + 10·trim up to 240 mA (DS §5.4.4, Table 37). */
export function ocpFor(milliamps: number): number {
  const trim = milliamps <= 120 ? Math.round((milliamps - 45) / 5) : Math.round((milliamps + 30) / 10);
  return OCP_ON | Math.min(trim, 27);
}

/**
 * PA registers for an output power (validated by settings.ts):
 * - PA_BOOST, 2–17 dBm: Pout = 17 − (15 − OutputPower) (DS §5.4.2), PaDac default, 100 mA limit (the reset value);
 * - PA_BOOST, 20 dBm: PaDac = 0x87 gives Pout = 20 − (15 − OutputPower) (DS §5.4.3), and the PA needs up
 *   to 120 mA at +20 dBm, so the limit goes to 140 mA;
 * - RFO, 0–15 dBm: MaxPower 7 (Pmax = 15 dBm), Pout = Pmax − (15 − OutputPower).
 */
export function paSettings(txPowerDbm: number, paBoost: boolean): PaSettings {
  if (!paBoost) return { paConfig: PA_CONFIG.MAX_POWER_7 | txPowerDbm, paDac: PA_DAC.DEFAULT, ocp: ocpFor(100) };
  if (txPowerDbm === 20) {
    return { paConfig: PA_CONFIG.PA_BOOST | PA_CONFIG.MAX_POWER_7 | 15, paDac: PA_DAC.BOOST_20_DBM, ocp: ocpFor(140) };
  }
  return { paConfig: PA_CONFIG.PA_BOOST | PA_CONFIG.MAX_POWER_7 | (txPowerDbm - 2), paDac: PA_DAC.DEFAULT, ocp: ocpFor(100) };
}

/** RegLna: maximum gain (the AGC overrides it), with the HF boost on the HF port. */
export function lnaFor(frequencyHz: number): number {
  return usesHfPort(frequencyHz) ? LNA.GAIN_G1 | LNA.BOOST_HF : LNA.GAIN_G1;
}

/** RegDetectOptimize and RegDetectionThreshold for a spreading factor (DS §4.1.1.2). */
export function detectionFor(spreadingFactor: number): { readonly optimize: number; readonly threshold: number } {
  return spreadingFactor === 6 ? DETECT.SF6 : DETECT.SF7_TO_12;
}

/**
 * SX1276 errata note 2.1, "sensitivity optimization with a 500 kHz bandwidth": registers 0x36 and 0x3A
 * take these values (as LoRaMac-node writes them); null means 0x3A keeps its value.
 */
export function highBandwidthOptimize(bandwidthHz: number, frequencyHz: number): [number, number | null] {
  if (bandwidthHz !== 500_000) return [0x03, null];
  return [0x02, usesHfPort(frequencyHz) ? 0x64 : 0x7f];
}

/** Packet SNR: RegPktSnrValue is two's complement in quarter dB (DS §6.4, register 0x19). */
export function decodeSnr(register: number): number {
  return ((register << 24) >> 24) / 4;
}

/** Instantaneous RSSI from RegRssiValue (DS §5.5.5). */
export function decodeRssi(register: number, frequencyHz: number): number {
  return rssiOffsetDbm(frequencyHz) + register;
}

/**
 * Packet RSSI from RegPktRssiValue (DS §5.5.5): offset + PacketRssi, plus PacketSnr·0.25 (the SNR in dB)
 * when the SNR is negative, because a packet below the noise floor reads as the noise.
 */
export function decodePacketRssi(register: number, snrDb: number, frequencyHz: number): number {
  return rssiOffsetDbm(frequencyHz) + register + (snrDb < 0 ? snrDb : 0);
}

/**
 * Frequency error from RegFeiMsb(3:0)/Mid/Lsb, a 20-bit two's complement FreqError (DS §4.1.5):
 * Ferr = FreqError · 2^24 / Fxtal · BW / 500 kHz. Positive: the sender is above the receiver's channel.
 */
export function decodeFrequencyError(msb: number, mid: number, lsb: number, bandwidthHz: number): number {
  const raw = ((msb & 0x0f) << 16) | (mid << 8) | lsb;
  const signed = raw >= 0x80000 ? raw - 0x100000 : raw;
  return ((signed * 2 ** 24) / FXOSC_HZ) * (bandwidthHz / 500_000);
}
