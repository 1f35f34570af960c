/**
 * Fixed-point units and ranges of the radio fields. Integers in fixed units instead of floats keep
 * encodings short and deterministic (RFC 8949 §4.2.2 leaves float width to the encoder).
 */
import { readInt } from './fields.js';

/** Latest time covey accepts: the end of the ECMAScript Date range (ECMA-262 §21.4.1.22), year 275,760. */
export const MAX_TIME_MS = 8_640_000_000_000_000;

/** SX127x/SX126x tune 137–1020 MHz (SX1276 DS §2.5, SX1262 DS §3.1); frequencies are in Hz. */
export const FREQUENCY_HZ = { min: 137_000_000, max: 1_020_000_000 } as const;
/** RSSI in 0.1 dBm ("ddBm"): −200.0 to +20.0 dBm. */
export const RSSI_DDBM = { min: -2000, max: 200 } as const;
/** SNR in 0.1 dB: the SX127x reports −32 to +31.75 dB (DS §6.4, RegPktSnrValue / 4). */
export const SNR_DDB = { min: -400, max: 400 } as const;
/** Conducted transmit power in 0.1 dBm: −9 to +40 dBm covers every chip and region in scope. */
export const TX_POWER_DDBM = { min: -90, max: 400 } as const;
/** Antenna gain in 0.1 dBi. */
export const GAIN_DDBI = { min: -100, max: 300 } as const;

export const readFrequency = (v: unknown, f = 'frequency') => readInt(v, f, FREQUENCY_HZ.min, FREQUENCY_HZ.max);
export const readRssi = (v: unknown, f = 'rssi') => readInt(v, f, RSSI_DDBM.min, RSSI_DDBM.max);
export const readSnr = (v: unknown, f = 'snr') => readInt(v, f, SNR_DDB.min, SNR_DDB.max);
export const readTxPower = (v: unknown, f = 'txPower') => readInt(v, f, TX_POWER_DDBM.min, TX_POWER_DDBM.max);
export const readGain = (v: unknown, f = 'gain') => readInt(v, f, GAIN_DDBI.min, GAIN_DDBI.max);
export const readTime = (v: unknown, f = 'time') => readInt(v, f, 0, MAX_TIME_MS);

/**
 * LoRa data rates as one small integer (a single CBOR byte): code = (12 − SF) + 6 × bandwidth index,
 * bandwidth index 0 = 125 kHz, 1 = 250 kHz, 2 = 500 kHz. SF12BW125 is 0, SF9BW125 is 3, SF7BW500 is 17.
 */
export interface DataRate {
  readonly spreadingFactor: number;
  readonly bandwidthKHz: 125 | 250 | 500;
}

const BANDWIDTHS = [125, 250, 500] as const;
export const DATA_RATE_CODES = 18;

export function dataRateCode(rate: DataRate): number {
  const bw = BANDWIDTHS.indexOf(rate.bandwidthKHz);
  const sf = rate.spreadingFactor;
  if (bw < 0 || !Number.isInteger(sf) || sf < 7 || sf > 12) {
    throw new RangeError(`no data rate code for SF${sf}BW${rate.bandwidthKHz}`);
  }
  return 12 - sf + 6 * bw;
}

export function dataRateOf(code: number): DataRate {
  if (!Number.isInteger(code) || code < 0 || code >= DATA_RATE_CODES) throw new RangeError(`data rate code ${code}`);
  return { spreadingFactor: 12 - (code % 6), bandwidthKHz: BANDWIDTHS[Math.floor(code / 6)] };
}

export function dataRateName(code: number): string {
  const rate = dataRateOf(code);
  return `SF${rate.spreadingFactor}BW${rate.bandwidthKHz}`;
}

export const readDataRate = (v: unknown, f = 'dataRate') => readInt(v, f, 0, DATA_RATE_CODES - 1);
