/**
 * The SX127x driver's default LoRa settings and their validation. A setting the chip cannot do is a
 * RangeError (a wrong type a TypeError) naming the setting, thrown before any register is touched.
 */
import { DEFAULT_LORA_SETTINGS } from '../lora-defaults.js';
import type { LoRaSettings } from '../../../src/ports.js';
import { BAND_3_MAX_HZ, BANDWIDTHS_HZ, FREQUENCY_MAX_HZ, FREQUENCY_MIN_HZ } from './registers.js';

/** covey's defaults, shared with the SX126x driver (../lora-defaults.ts). */
export const SX127X_DEFAULTS: LoRaSettings = DEFAULT_LORA_SETTINGS;

const SETTING_KEYS: readonly (keyof LoRaSettings)[] = [
  'frequencyHz', 'spreadingFactor', 'bandwidthHz', 'codingRate', 'txPowerDbm', 'preambleLength', 'syncWord', 'crc',
  'implicitHeader', 'implicitLength', 'ldro',
];

/** The LoRaSettings keys present in `source` (the driver's options carry other keys too). */
export function pickSettings(source: Partial<LoRaSettings>): Partial<LoRaSettings> {
  const picked: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (source[key] !== undefined) picked[key] = source[key];
  return picked as Partial<LoRaSettings>;
}

function integerIn(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} ${value} is not an integer ${min}–${max}`);
}

function checkRadio(s: LoRaSettings): void {
  if (typeof s.frequencyHz !== 'number') throw new TypeError('frequencyHz must be a number');
  if (!(s.frequencyHz >= FREQUENCY_MIN_HZ && s.frequencyHz <= FREQUENCY_MAX_HZ)) {
    throw new RangeError(`frequencyHz ${s.frequencyHz} is outside the SX127x's 137–1020 MHz`);
  }
  integerIn('spreadingFactor', s.spreadingFactor, 6, 12);
  if (typeof s.bandwidthHz !== 'number') throw new TypeError('bandwidthHz must be a number');
  if (!(BANDWIDTHS_HZ as readonly number[]).includes(s.bandwidthHz)) {
    throw new RangeError(`bandwidthHz ${s.bandwidthHz} is not an SX127x bandwidth (${BANDWIDTHS_HZ.join(', ')})`);
  }
  if (s.bandwidthHz >= 250_000 && s.frequencyHz <= BAND_3_MAX_HZ) {
    throw new RangeError(`bandwidthHz ${s.bandwidthHz} is not available in the 137–175 MHz band`);
  }
  integerIn('codingRate', s.codingRate, 5, 8);
}

function checkPacket(s: LoRaSettings): void {
  integerIn('preambleLength', s.preambleLength, 6, 0xffff);
  integerIn('syncWord', s.syncWord, 0, 0xff);
  if (typeof s.crc !== 'boolean') throw new TypeError('crc must be a boolean');
  if (typeof s.implicitHeader !== 'boolean') throw new TypeError('implicitHeader must be a boolean');
  if (s.implicitHeader) {
    if (s.implicitLength === undefined) throw new RangeError('implicitHeader needs implicitLength (1–255)');
    integerIn('implicitLength', s.implicitLength, 1, 255);
  }
  // SF6 exists only with an implicit header (DS §4.1.1.2).
  if (s.spreadingFactor === 6 && !s.implicitHeader) throw new RangeError('spreadingFactor 6 needs implicitHeader');
  if (s.ldro !== 'auto' && s.ldro !== 'on' && s.ldro !== 'off') throw new RangeError(`ldro ${String(s.ldro)} is not auto, on or off`);
}

/** PA_BOOST: 2–17 dBm, or 20 dBm with PA_DAC (DS §5.4.3); RFO: 0–15 dBm. */
function checkPower(txPowerDbm: number, paBoost: boolean): void {
  if (!paBoost) return integerIn('txPowerDbm', txPowerDbm, 0, 15);
  if (txPowerDbm === 20) return;
  if (typeof txPowerDbm === 'number' && Number.isInteger(txPowerDbm) && txPowerDbm > 17 && txPowerDbm < 20) {
    throw new RangeError(`txPowerDbm ${txPowerDbm}: PA_BOOST gives 2–17 dBm, or exactly 20 with PA_DAC`);
  }
  integerIn('txPowerDbm', txPowerDbm, 2, 17);
}

/** Returns the settings, frozen, or throws naming the first setting the chip cannot do. */
export function validateSettings(s: LoRaSettings, paBoost: boolean): LoRaSettings {
  checkRadio(s);
  checkPacket(s);
  checkPower(s.txPowerDbm, paBoost);
  return Object.freeze({ ...s });
}
