/**
 * LoRa settings for the SX126x: the defaults covey starts from and the range checks every change goes
 * through before a single byte reaches the chip (STYLE rule 6).
 */
import { DEFAULT_LORA_SETTINGS } from '../lora-defaults.js';
import type { LoRaSettings } from '../../../src/ports.js';
import { BANDWIDTH_CODE, TX_POWER_MAX_DBM, TX_POWER_MIN_DBM } from './commands.js';

/** The chip variants this driver runs. Both have the high-power PA of −9…+22 dBm (DS §1.1). */
export type Sx126xVariant = 'SX1262' | 'SX1268';

/** RF range per variant, Hz (SX1261/2 DS §3.4: 150–960 MHz; SX1268 DS §3.4: 410–810 MHz). */
export const FREQUENCY_RANGE_HZ: Readonly<Record<Sx126xVariant, readonly [number, number]>> = {
  SX1262: [150e6, 960e6],
  SX1268: [410e6, 810e6],
};

/** covey's defaults, shared with the SX127x driver (../lora-defaults.ts). */
export const DEFAULT_SETTINGS: LoRaSettings = DEFAULT_LORA_SETTINGS;

const KEYS = new Set<string>([...Object.keys(DEFAULT_SETTINGS), 'implicitLength']);

function integerIn(name: string, value: unknown, min: number, max: number, unit = ''): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} ${String(value)}${unit} is not an integer in ${min}…${max}${unit}`);
  }
}

function boolean(name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false`);
}

/** The settings after `changes`, checked whole; throws TypeError/RangeError and changes nothing on error. */
export function mergeSettings(current: LoRaSettings, changes: Partial<LoRaSettings>, variant: Sx126xVariant): LoRaSettings {
  if (changes === null || typeof changes !== 'object') throw new TypeError('settings must be an object');
  for (const key of Object.keys(changes)) if (!KEYS.has(key)) throw new TypeError(`unknown LoRa setting "${key}"`);
  const next: LoRaSettings = { ...current, ...changes };
  const [low, high] = FREQUENCY_RANGE_HZ[variant];
  if (typeof next.frequencyHz !== 'number' || !(next.frequencyHz >= low && next.frequencyHz <= high)) {
    throw new RangeError(`frequency ${String(next.frequencyHz)} Hz is outside the ${variant}'s ${low / 1e6}–${high / 1e6} MHz`);
  }
  integerIn('spreading factor', next.spreadingFactor, 5, 12);
  if (BANDWIDTH_CODE[next.bandwidthHz] === undefined) {
    throw new RangeError(`bandwidth ${String(next.bandwidthHz)} Hz is not one of ${Object.keys(BANDWIDTH_CODE).join(', ')}`);
  }
  integerIn('coding rate denominator', next.codingRate, 5, 8);
  integerIn('TX power', next.txPowerDbm, TX_POWER_MIN_DBM, TX_POWER_MAX_DBM, ' dBm');
  integerIn('preamble length', next.preambleLength, 1, 0xffff);
  integerIn('sync word', next.syncWord, 0, 0xff);
  boolean('crc', next.crc);
  boolean('implicitHeader', next.implicitHeader);
  if (next.implicitHeader || next.implicitLength !== undefined) integerIn('implicit length', next.implicitLength, 1, 255);
  if (next.ldro !== 'auto' && next.ldro !== 'on' && next.ldro !== 'off') throw new RangeError('ldro must be auto, on or off');
  return Object.freeze(next);
}
