/**
 * Pure encoders for the SX126x command parameters, each from the datasheet formula it cites. Tests
 * check them against values worked out from the same formulas independently (tests/radio).
 */
import type { LoRaSettings } from '../../../src/ports.js';
import { ldroEnabled } from '../airtime.js';
import {
  BANDWIDTH_CODE, CAD_EXIT_STANDBY, ChipMode, CommandStatus, IMAGE_CALIBRATION_BANDS, RampTime, TCXO_VOLTAGE_CODE,
  TIMEOUT_STEP_US,
} from './commands.js';

/**
 * SetRfFrequency word, DS §13.4.1: RFfrequency = f_RF · 2^25 / F_XTAL with a 32 MHz crystal. 2^25 / 32e6
 * equals 2^20 / 1e6, which keeps the product exact in a double for every frequency the chip tunes.
 * Rounded to the nearest step (0.95 Hz).
 */
export function frequencyWord(frequencyHz: number): number {
  return Math.round((frequencyHz * 2 ** 20) / 1e6);
}

/** The frequency a word tunes to, Hz (the inverse of frequencyWord). */
export function frequencyOfWord(word: number): number {
  return (word * 1e6) / 2 ** 20;
}

export function be32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

export function be24(value: number): number[] {
  return [(value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/**
 * The two sync word registers (0x0740/0x0741) for the one-byte sync word the SX127x uses: each nibble
 * of the byte becomes the high nibble of a register byte, the low nibbles are 4 (DS §6.1.1.1, radio.md
 * §5): 0x12 (private) ↔ 0x1424, 0x34 (LoRaWAN) ↔ 0x3444. This is what lets both chip families hear
 * each other.
 */
export function syncWordRegisters(syncWord: number): [number, number] {
  return [(syncWord & 0xf0) | 0x04, ((syncWord & 0x0f) << 4) | 0x04];
}

/** The one-byte sync word two register bytes carry (their high nibbles). */
export function syncWordOfRegisters(msb: number, lsb: number): number {
  return (msb & 0xf0) | ((lsb >> 4) & 0x0f);
}

/** SetDIO3AsTCXOCtrl voltage code, DS §13.3.6. */
export function tcxoVoltageCode(volts: number): number {
  const code = TCXO_VOLTAGE_CODE[String(volts)];
  if (code === undefined) throw new RangeError(`TCXO voltage ${volts} V is not one of 1.6, 1.7, 1.8, 2.2, 2.4, 2.7, 3.0, 3.3`);
  return code;
}

/** A SetTx/SetRx/TCXO timeout in 15.625 µs steps (DS §13.1.4), clamped to 24 bits. */
export function timeoutSteps(ms: number): number {
  return Math.min(0xfffffe, Math.max(0, Math.round((ms * 1000) / TIMEOUT_STEP_US)));
}

export function bandwidthCode(bandwidthHz: number): number {
  const code = BANDWIDTH_CODE[bandwidthHz];
  if (code === undefined) {
    throw new RangeError(`bandwidth ${bandwidthHz} Hz is not one of ${Object.keys(BANDWIDTH_CODE).join(', ')}`);
  }
  return code;
}

/**
 * CalibrateImage parameters for a frequency, DS §9.2.1: the datasheet's band when the frequency is in
 * one, otherwise a window of 4 MHz steps (the parameters' unit) around it.
 */
export function imageCalibration(frequencyHz: number): [number, number] {
  const mhz = frequencyHz / 1e6;
  for (const [from, to, freq1, freq2] of IMAGE_CALIBRATION_BANDS) if (mhz >= from && mhz <= to) return [freq1, freq2];
  return [Math.max(0, Math.floor(mhz / 4) - 1), Math.min(0xff, Math.ceil(mhz / 4) + 1)];
}

/** SetModulationParams for LoRa, DS §13.4.5: SF, bandwidth code, coding rate 1–4 (4/5–4/8), LDRO. */
export function modulationParams(s: LoRaSettings): number[] {
  const ldro = ldroEnabled(s.spreadingFactor, s.bandwidthHz, s.ldro) ? 1 : 0;
  return [s.spreadingFactor, bandwidthCode(s.bandwidthHz), s.codingRate - 4, ldro];
}

/** SetPacketParams for LoRa, DS §13.4.6: preamble (16 bits), header type, payload length, CRC, IQ standard. */
export function packetParams(s: LoRaSettings, payloadLength: number): number[] {
  return [(s.preambleLength >> 8) & 0xff, s.preambleLength & 0xff, s.implicitHeader ? 1 : 0, payloadLength, s.crc ? 1 : 0, 0];
}

/** SetTxParams, DS §13.4.4: power as a signed byte, 200 µs ramp (RadioLib's and LoRaMac-node's choice). */
export function txParams(powerDbm: number): number[] {
  return [powerDbm & 0xff, RampTime.Us200];
}

/**
 * SetCadParams, DS §13.4.7, from Semtech's SX126x SDK CAD example: 2 symbols, detection peak 22, minimum
 * 10 for SF5–SF8; 4 symbols above, the peak raised one per SF over 8 and held inside the SDK's 22–25.
 */
export function cadParams(spreadingFactor: number): { params: number[]; symbols: number } {
  const long = spreadingFactor > 8;
  const peak = Math.min(25, 22 + Math.max(0, spreadingFactor - 8));
  return { params: [long ? 0x02 : 0x01, peak, 10, CAD_EXIT_STANDBY, 0, 0, 0], symbols: long ? 4 : 2 };
}

/** Packet RSSI and signal RSSI bytes: −value/2 dBm (DS §13.5.3). */
export function rssiOfByte(byte: number): number {
  return -byte / 2;
}

/** Packet SNR byte: a signed byte in quarter dB (DS §13.5.3). */
export function snrOfByte(byte: number): number {
  return ((byte << 24) >> 24) / 4;
}

export interface Status {
  readonly mode: number;
  readonly command: number;
}

export function decodeStatus(byte: number): Status {
  return { mode: (byte >> 4) & 0x07, command: (byte >> 1) & 0x07 };
}

/**
 * Why a status byte cannot have come from a working chip, or null if it can. A floating or shorted
 * MISO reads 0xFF or 0x00; a chip mode outside STDBY_RC…TX is reserved; "processing error" and
 * "execution failure" mean the chip did not get the command we sent (DS §13.5.1).
 */
export function statusProblem(byte: number): string | null {
  const hex = `0x${byte.toString(16).padStart(2, '0')}`;
  if (byte === 0x00 || byte === 0xff) return `status ${hex} (MISO stuck ${byte === 0 ? 'low' : 'high'})`;
  const { mode, command } = decodeStatus(byte);
  if (mode < ChipMode.StandbyRc || mode > ChipMode.Tx) return `status ${hex} (reserved chip mode ${mode})`;
  if (command === CommandStatus.ProcessingError) return `status ${hex} (command processing error)`;
  if (command === CommandStatus.ExecutionFailure) return `status ${hex} (command execution failure)`;
  return null;
}
