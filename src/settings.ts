/**
 * The hotspot's settings: one typed object, every field documented with its default (STYLE rule 10;
 * docs/settings.sample.jsonc is the commented sample, docs/firmware.md the guide). `parseSettings`
 * checks a plain object (from JSON, from the provisioning tool) and names every problem it finds;
 * src/settings-store.ts keeps the result in the KeyValue store.
 */
import { parseHotspotId } from '../proofs/identity.js';
import { REGION_IDS, type RegionId } from '../hal/radio/region-plan.js';
import { isRegionId } from '../hal/radio/regions.js';
import { isLogLevel, LOG_LEVELS } from './log.js';
import { pocChannelOf, POC_OVERRIDE_KEYS, type PocChannelOverride } from './poc-channel.js';
import type { LogLevel } from './ports.js';

export interface WifiSettings {
  /** The network name, 1–32 bytes (IEEE 802.11 SSID). */
  readonly ssid: string;
  /** WPA2 passphrase: 8–63 characters, or 64 hex digits, or '' for an open network. Never logged. */
  readonly password: string;
}

/** An asserted position, WGS 84 degrees. */
export interface Location {
  readonly lat: number;
  readonly lon: number;
}

/** What the device does: a fixed hotspot (beacons and witnesses) or a mapper carried around (GPS-tagged uplinks). */
export type Role = 'hotspot' | 'mapper';
export const ROLES: readonly Role[] = ['hotspot', 'mapper'];

/**
 * When a mapper sends: once it has moved `minDistanceM` from where it sent its last uplink, or
 * `maxIntervalMs` after that uplink, whichever comes first; never without a GPS fix (src/mapper.ts).
 */
export interface MapperSettings {
  /** Metres moved from the last uplink's position that call for the next, 10–10,000. Default 70 (Helium Mappers' MIN_DIST). */
  readonly minDistanceM: number;
  /** The longest time between uplinks, moving or not, ms, 10 s to 24 h. Default 300,000 (5 min). */
  readonly maxIntervalMs: number;
}

export interface QueueSettings {
  /** Most records the receipt queue keeps before it drops the oldest. Default: as many as its flash holds. */
  readonly maxRecords?: number;
}

export interface Settings {
  /** Radio region (hal/radio/plans/): decides the PoC channel, power limits and duty cycle. Required. */
  readonly region: RegionId;
  /** Changes to the region's PoC channel; every hotspot that should hear this one needs the same. Default: none. */
  readonly pocChannel?: PocChannelOverride;
  /** The oracle's base URL, http:// or https://, no trailing slash. Required. */
  readonly oracleUrl: string;
  /** The oracle's ed25519 public key, pinned at provisioning: entropy that does not verify under it is refused. Required. */
  readonly oraclePublicKey: Uint8Array;
  /** One beacon in each interval of this length, aligned to UTC midnight; must divide 24 h. Default 6 h. */
  readonly beaconIntervalMs: number;
  /** The Wi-Fi network to join. Default: none (the device entry point decides how it gets online). */
  readonly wifi?: WifiSettings;
  /** Antenna gain, dBi, −10 to 30: lowers the conducted power the region allows and is reported at onboarding. Default 2.15. */
  readonly antennaGainDbi: number;
  /** Where the hotspot is, asserted at onboarding. Default: none (then the hotspot cannot onboard itself). */
  readonly location?: Location;
  /** Receipt queue limits. Default: {}. */
  readonly queue: QueueSettings;
  /** Check each heard beacon's signature before witnessing it. Default true. */
  readonly verifyBeacons: boolean;
  /** Least severe log messages written. Default 'info'. */
  readonly logLevel: LogLevel;
  /** How often the status line is logged, ms; 0 turns it off. Default 5 min. */
  readonly statusIntervalMs: number;
  /** Conducted transmit power, whole dBm. Default: the most the region allows for the antenna (the chip may cap it). */
  readonly txPowerDbm?: number;
  /** 'hotspot' beacons and witnesses; 'mapper' sends GPS-tagged uplinks and does neither. Default 'hotspot'. */
  readonly role: Role;
  /** When the mapper role sends its uplinks; ignored by a hotspot. Default: 70 m or 5 min. */
  readonly mapper: MapperSettings;
}

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const MIN_BEACON_INTERVAL_MS = 60_000;
export const MIN_STATUS_INTERVAL_MS = 10_000;
export const MAX_QUEUE_RECORDS = 1_000_000;
export const MAPPER_DISTANCE_M = { min: 10, max: 10_000 } as const;
export const MAPPER_INTERVAL_MS = { min: 10_000, max: DAY_MS } as const;

/** The defaults of the optional fields. */
export const SETTINGS_DEFAULTS = {
  beaconIntervalMs: 6 * HOUR_MS,
  antennaGainDbi: 2.15,
  queue: {},
  verifyBeacons: true,
  logLevel: 'info',
  statusIntervalMs: 5 * 60_000,
  role: 'hotspot',
  // 70 m: Helium Mappers' MIN_DIST (reference/mapping.md §3), several uplinks in each 174 m res-9 H3 cell.
  // 5 min rather than the 60 s of Helium mappers: theirs were 11-byte LoRaWAN frames at SF7 (about 60 ms on
  // air, spread over 8 channels); an uplink here is 113 bytes on the one PoC channel every hotspot beacons
  // on, 4.4 s at EU868's SF12. A parked mapper sending every 60 s would hold that channel 7.4 % of the
  // time and overlap about 1 beacon in 7 within its range; every 5 min it holds 1.5 % and overlaps about
  // 1 in 35, and a standing mapper adds little to the map.
  mapper: { minDistanceM: 70, maxIntervalMs: 300_000 },
} as const satisfies Partial<Settings>;

/** Every field, in the order the sample file and the stored JSON use. */
export const SETTINGS_FIELDS: readonly string[] = [
  'region', 'pocChannel', 'oracleUrl', 'oraclePublicKey', 'beaconIntervalMs', 'wifi', 'antennaGainDbi',
  'location', 'queue', 'verifyBeacons', 'logLevel', 'statusIntervalMs', 'txPowerDbm', 'role', 'mapper',
];

/** Settings that cannot be used; `problems` has one `field: what is wrong` line each. */
export class SettingsError extends Error {
  readonly code: 'InvalidSettings';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid settings: ${problems.join('; ')}`);
    this.code = 'InvalidSettings';
    this.problems = problems;
  }

  override get name(): string {
    return 'SettingsError';
  }
}

type Problems = string[];
type Input = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Input =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);

/** A number field: integer or not, within [min, max]. */
function readNumber(problems: Problems, field: string, value: unknown, min: number, max: number, integer: boolean): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    problems.push(`${field}: must be ${integer ? 'a whole number' : 'a number'}, got ${describe(value)}`);
    return undefined;
  }
  if (value < min || value > max) {
    problems.push(`${field}: ${value} is not from ${min} to ${max}`);
    return undefined;
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

/** UTF-8 length of a string, without TextEncoder (not a global in XS). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function readRegion(problems: Problems, value: unknown): RegionId | undefined {
  const normal = typeof value === 'string' ? value.trim().toUpperCase().replace('-', '_') : value;
  if (isRegionId(normal)) return normal;
  problems.push(`region: ${describe(value)} is not one of ${REGION_IDS.join(', ')}`);
  return undefined;
}

function readOracleUrl(problems: Problems, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 200 || !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value)) {
    problems.push(`oracleUrl: must be an http:// or https:// URL without query or fragment, got ${describe(value)}`);
    return undefined;
  }
  return value.endsWith('/') ? value.slice(0, -1) : value;
}

function readOracleKey(problems: Problems, value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array && value.length === 32) return Uint8Array.from(value);
  try {
    if (typeof value === 'string') return parseHotspotId(value);
  } catch (error) {
    problems.push(`oraclePublicKey: ${(error as Error).message}`);
    return undefined;
  }
  problems.push(`oraclePublicKey: must be 32 bytes, a "cv…" address or 64 hex digits, got ${describe(value)}`);
  return undefined;
}

function readBeaconInterval(problems: Problems, value: unknown): number | undefined {
  const interval = readNumber(problems, 'beaconIntervalMs', value, MIN_BEACON_INTERVAL_MS, DAY_MS, true);
  if (interval !== undefined && DAY_MS % interval !== 0) {
    problems.push(`beaconIntervalMs: ${interval} does not divide 24 h (${DAY_MS} ms), so epochs would not align to UTC days`);
    return undefined;
  }
  return interval;
}

function readWifi(problems: Problems, value: unknown): WifiSettings | undefined {
  if (!isObject(value)) return void problems.push(`wifi: must be an object {ssid, password}, got ${describe(value)}`);
  const unknown = Object.keys(value).filter((key) => key !== 'ssid' && key !== 'password');
  if (unknown.length > 0) problems.push(`wifi: unknown field ${unknown.join(', ')}`);
  const { ssid, password = '' } = value;
  const before = problems.length;
  if (typeof ssid !== 'string' || ssid.length === 0 || utf8Length(ssid) > 32) {
    problems.push(`wifi.ssid: must be text of 1 to 32 bytes, got ${describe(ssid)}`);
  }
  // The password is described by its length only: it must never reach a log, an error included.
  const printable = typeof password === 'string' && /^[\x20-\x7e]*$/.test(password);
  const hexKey = typeof password === 'string' && /^[0-9a-fA-F]{64}$/.test(password);
  if (!printable || (password !== '' && !hexKey && (password.length < 8 || password.length > 63))) {
    problems.push('wifi.password: must be 8–63 printable ASCII characters, 64 hex digits, or empty for an open network');
  }
  return problems.length === before && unknown.length === 0 ? { ssid: ssid as string, password: password as string } : undefined;
}

function readLocation(problems: Problems, value: unknown): Location | undefined {
  if (!isObject(value)) return void problems.push(`location: must be an object {lat, lon}, got ${describe(value)}`);
  const unknown = Object.keys(value).filter((key) => key !== 'lat' && key !== 'lon');
  if (unknown.length > 0) problems.push(`location: unknown field ${unknown.join(', ')}`);
  const lat = readNumber(problems, 'location.lat', value.lat, -90, 90, false);
  const lon = readNumber(problems, 'location.lon', value.lon, -180, 180, false);
  return lat === undefined || lon === undefined || unknown.length > 0 ? undefined : { lat, lon };
}

function readQueue(problems: Problems, value: unknown): QueueSettings | undefined {
  if (!isObject(value)) return void problems.push(`queue: must be an object, got ${describe(value)}`);
  const unknown = Object.keys(value).filter((key) => key !== 'maxRecords');
  if (unknown.length > 0) return void problems.push(`queue: unknown field ${unknown.join(', ')}`);
  if (value.maxRecords === undefined) return {};
  const maxRecords = readNumber(problems, 'queue.maxRecords', value.maxRecords, 1, MAX_QUEUE_RECORDS, true);
  return maxRecords === undefined ? undefined : { maxRecords };
}

function readMapper(problems: Problems, value: unknown): MapperSettings | undefined {
  if (!isObject(value)) return void problems.push(`mapper: must be an object, got ${describe(value)}`);
  const unknown = Object.keys(value).filter((key) => key !== 'minDistanceM' && key !== 'maxIntervalMs');
  if (unknown.length > 0) problems.push(`mapper: unknown field ${unknown.join(', ')}`);
  const { minDistanceM, maxIntervalMs } = { ...SETTINGS_DEFAULTS.mapper, ...value };
  const distance = readNumber(problems, 'mapper.minDistanceM', minDistanceM, MAPPER_DISTANCE_M.min, MAPPER_DISTANCE_M.max, false);
  const interval = readNumber(problems, 'mapper.maxIntervalMs', maxIntervalMs, MAPPER_INTERVAL_MS.min, MAPPER_INTERVAL_MS.max, true);
  if (distance === undefined || interval === undefined || unknown.length > 0) return undefined;
  return { minDistanceM: distance, maxIntervalMs: interval };
}

function readPocChannel(problems: Problems, value: unknown): PocChannelOverride | undefined {
  if (!isObject(value)) return void problems.push(`pocChannel: must be an object, got ${describe(value)}`);
  const override: Record<string, number> = {};
  for (const key of Object.keys(value)) {
    if (!(POC_OVERRIDE_KEYS as readonly string[]).includes(key)) {
      problems.push(`pocChannel: unknown field ${key} (allowed: ${POC_OVERRIDE_KEYS.join(', ')})`);
    } else {
      const number = readNumber(problems, `pocChannel.${key}`, value[key], 0, 2e9, true);
      if (number !== undefined) override[key] = number;
    }
  }
  return override as PocChannelOverride;
}

function readStatusInterval(problems: Problems, value: unknown): number | undefined {
  if (value === 0) return 0;
  return readNumber(problems, 'statusIntervalMs', value, MIN_STATUS_INTERVAL_MS, DAY_MS, true);
}

function readField(problems: Problems, input: Input, field: string): unknown {
  const value = input[field];
  switch (field) {
    case 'region': return readRegion(problems, value);
    case 'pocChannel': return readPocChannel(problems, value);
    case 'oracleUrl': return readOracleUrl(problems, value);
    case 'oraclePublicKey': return readOracleKey(problems, value);
    case 'beaconIntervalMs': return readBeaconInterval(problems, value);
    case 'wifi': return readWifi(problems, value);
    case 'antennaGainDbi': return readNumber(problems, field, value, -10, 30, false);
    case 'location': return readLocation(problems, value);
    case 'queue': return readQueue(problems, value);
    case 'verifyBeacons':
      return typeof value === 'boolean' ? value : void problems.push(`verifyBeacons: must be true or false, got ${describe(value)}`);
    case 'logLevel':
      return isLogLevel(value) ? value : void problems.push(`logLevel: ${describe(value)} is not one of ${LOG_LEVELS.join(', ')}`);
    case 'statusIntervalMs': return readStatusInterval(problems, value);
    case 'role':
      return (ROLES as readonly unknown[]).includes(value) ? value : void problems.push(`role: ${describe(value)} is not one of ${ROLES.join(', ')}`);
    case 'mapper': return readMapper(problems, value);
    default: return readNumber(problems, field, value, -100, 100, true); // txPowerDbm; its limit is checked with the channel
  }
}

/**
 * Checks `input` and returns the settings with every default filled in. Throws a SettingsError that
 * lists every problem found (unknown fields, missing required ones, wrong types, values out of range,
 * a PoC channel or power the region does not allow).
 */
export function parseSettings(input: unknown): Settings {
  if (!isObject(input)) throw new SettingsError([`settings must be an object, got ${describe(input)}`]);
  const problems: Problems = [];
  for (const key of Object.keys(input)) if (!SETTINGS_FIELDS.includes(key)) problems.push(`${key}: unknown setting`);
  const out: Record<string, unknown> = { ...SETTINGS_DEFAULTS };
  for (const field of SETTINGS_FIELDS) {
    if (input[field] === undefined) {
      if (field === 'region' || field === 'oracleUrl' || field === 'oraclePublicKey') problems.push(`${field}: required`);
      continue;
    }
    const value = readField(problems, input, field);
    if (value !== undefined) out[field] = value;
  }
  const settings = out as unknown as Settings;
  checkChannel(problems, settings);
  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}

/**
 * The PoC channel and power against the region's rules, once the fields they depend on are readable;
 * the frame checked against the dwell time and duty cycle is the one the role sends.
 */
function checkChannel(problems: Problems, settings: Settings): void {
  if (settings.region === undefined || problems.some((p) => /^(antennaGainDbi|pocChannel|txPowerDbm|role)\b/.test(p))) return;
  try {
    pocChannelOf(settings);
  } catch (error) {
    const message = (error as Error).message;
    const power = /power/.test(message);
    const field = !power ? 'pocChannel' : settings.txPowerDbm !== undefined ? 'txPowerDbm' : 'antennaGainDbi';
    problems.push(`${field}: ${message}`);
  }
}

/** Fields for a log line or a status page: everything but the Wi-Fi password. */
export function describeSettings(settings: Settings): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {
    region: settings.region,
    oracle: settings.oracleUrl,
    beaconIntervalMs: settings.beaconIntervalMs,
    antennaGainDbi: settings.antennaGainDbi,
    verifyBeacons: settings.verifyBeacons,
    logLevel: settings.logLevel,
    role: settings.role,
  };
  if (settings.role === 'mapper') {
    fields.minDistanceM = settings.mapper.minDistanceM;
    fields.maxIntervalMs = settings.mapper.maxIntervalMs;
  }
  if (settings.wifi !== undefined) fields.wifi = settings.wifi.ssid;
  if (settings.location !== undefined) fields.location = `${settings.location.lat},${settings.location.lon}`;
  if (settings.txPowerDbm !== undefined) fields.txPowerDbm = settings.txPowerDbm;
  return fields;
}
