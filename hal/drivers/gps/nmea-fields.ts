/**
 * What the fields of the three NMEA 0183 sentences the driver reads mean: RMC (time, date, validity), GGA
 * (position, quality, satellites, HDOP, altitude) and GSA (2D/3D mode and DOPs). The parsers take a
 * sentence already split at its commas (talker and type first) and return undefined for a missing,
 * out-of-range or unknown field; the receiver (nmea-receiver.ts) counts those as malformed.
 *
 * Degrees come as ddmm.mmmm text and are converted to degrees × 10^7 in integer arithmetic, so the result
 * is the exact value rounded half away from zero, with no binary floating-point error.
 */

/** GSA's navigation mode: 1 no fix, 2 a 2D fix (altitude held), 3 a 3D fix. */
export type FixMode = 1 | 2 | 3;

/** Dilutions of precision from the latest GSA; undefined where the field was empty. */
export interface Dop {
  readonly pdop: number | undefined;
  readonly hdop: number | undefined;
  readonly vdop: number | undefined;
}

const TIME = /^(\d\d)(\d\d)(\d\d)(?:\.(\d+))?$/;
const DATE = /^(\d\d)(\d\d)(\d\d)$/;
const LATITUDE = /^(\d\d)(\d\d)(?:\.(\d{0,9}))?$/;
const LONGITUDE = /^(\d{3})(\d\d)(?:\.(\d{0,9}))?$/;
const DECIMAL = /^-?\d+(?:\.\d*)?$/;
const COUNT = /^\d{1,2}$/;

/** hhmmss(.sss) as ms since midnight; digits past the millisecond are dropped. */
export function timeOfDayMs(field: string): number | undefined {
  const match = TIME.exec(field);
  if (match === null) return undefined;
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined; // 60: a leap second
  const millis = Number(`${match[4] ?? ''}000`.slice(0, 3));
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/** ddmmyy as ms since 1970 at 00:00 UTC. Two-digit years: 80–99 are 1980–1999 (GPS began in 1980), 00–79 2000–2079. */
export function utcDateMs(field: string): number | undefined {
  const match = DATE.exec(field);
  if (match === null) return undefined;
  const [day, month, yy] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(yy < 80 ? 2000 + yy : 1900 + yy, month - 1, day);
  // Date.UTC rolls 31 April over into May; a day or month it moved was not a real date.
  const check = new Date(ms);
  return day >= 1 && month >= 1 && check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? ms : undefined;
}

/**
 * A latitude (ddmm.mmmm, N/S) or longitude (dddmm.mmmm, E/W) field pair as degrees × 10^7. With k minute
 * decimals, m = minutes × 10^k and degrees × 10^7 = m × 10^7 / (60 × 10^k) = m × 10^(6−k) / 6: every
 * term stays an integer below 2^53 for up to 9 decimals, and a quotient that is not a whole number lies at
 * least 1/12,000 from one, far more than a double's rounding, so the half-up rounding below is exact.
 */
export function coordinateE7(field: string, hemisphere: string, axis: 'lat' | 'lon'): number | undefined {
  const match = (axis === 'lat' ? LATITUDE : LONGITUDE).exec(field);
  const sign = hemisphere === (axis === 'lat' ? 'N' : 'E') ? 1 : hemisphere === (axis === 'lat' ? 'S' : 'W') ? -1 : 0;
  if (match === null || sign === 0 || Number(match[2]) > 59) return undefined;
  const decimals = match[3] ?? '';
  const scaled = Number(match[2] + decimals);
  const numerator = decimals.length <= 6 ? scaled * 10 ** (6 - decimals.length) : scaled;
  const denominator = decimals.length <= 6 ? 6 : 6 * 10 ** (decimals.length - 6);
  const e7 = Number(match[1]) * 1e7 + Math.floor((2 * numerator + denominator) / (2 * denominator));
  if (e7 > (axis === 'lat' ? 90e7 : 180e7)) return undefined;
  return e7 === 0 ? 0 : sign * e7;
}

const decimal = (field: string): number | undefined => (DECIMAL.test(field) ? Number(field) : undefined);

/** What one RMC or GGA says: no fix, or its time of day and what it adds to the fix. */
export type Epoch<T> = { readonly fix: false } | ({ readonly fix: true; readonly timeOfDayMs: number } & T);

const NO_FIX = { fix: false } as const;

/** What a valid RMC adds to its epoch's fix. */
export interface RmcPart {
  readonly dateMs: number;
}

/** What a valid GGA adds to its epoch's fix. */
export interface GgaPart {
  readonly latE7: number;
  readonly lonE7: number;
  readonly altitudeM: number;
  readonly hdop: number;
  readonly satellites: number;
}

/** What a valid GSA says. */
export interface GsaPart {
  readonly mode: FixMode;
  readonly dop: Dop;
}

/** RMC: time, status, lat, N/S, lon, E/W, speed, course, date, variation, E/W[, mode[, nav status]]. */
export function parseRmc(f: readonly string[]): Epoch<RmcPart> | undefined {
  if (f.length < 10 || (f[2] !== 'A' && f[2] !== 'V')) return undefined;
  if (f[2] === 'V' || f[12] === 'N') return NO_FIX; // mode N, NMEA 2.3+: "data not valid"
  const timeOfDay = timeOfDayMs(f[1]);
  const dateMs = utcDateMs(f[9]);
  const placed = coordinateE7(f[3], f[4], 'lat') !== undefined && coordinateE7(f[5], f[6], 'lon') !== undefined;
  if (timeOfDay === undefined || dateMs === undefined || !placed) return undefined;
  return { fix: true, timeOfDayMs: timeOfDay, dateMs };
}

/** GGA: time, lat, N/S, lon, E/W, quality 0–8, satellites, HDOP, altitude, M, geoid separation, M, .... */
export function parseGga(f: readonly string[]): Epoch<GgaPart> | undefined {
  if (f.length < 11 || !/^[0-8]$/.test(f[6])) return undefined;
  if (f[6] === '0') return NO_FIX;
  const timeOfDay = timeOfDayMs(f[1]);
  const latE7 = coordinateE7(f[2], f[3], 'lat');
  const lonE7 = coordinateE7(f[4], f[5], 'lon');
  const hdop = decimal(f[8]);
  const altitudeM = decimal(f[9]);
  if (timeOfDay === undefined || latE7 === undefined || lonE7 === undefined || !COUNT.test(f[7])) return undefined;
  if (hdop === undefined || hdop < 0 || altitudeM === undefined || f[10] !== 'M') return undefined;
  return { fix: true, timeOfDayMs: timeOfDay, latE7, lonE7, altitudeM, hdop, satellites: Number(f[7]) };
}

/** GSA: mode A/M, fix 1–3, twelve satellite ids, PDOP, HDOP, VDOP[, system id]. */
export function parseGsa(f: readonly string[]): GsaPart | undefined {
  if (f.length < 18 || (f[1] !== 'A' && f[1] !== 'M') || !/^[123]$/.test(f[2])) return undefined;
  const [pdop, hdop, vdop] = [f[15], f[16], f[17]].map((field) => (field === '' ? undefined : decimal(field) ?? Number.NaN));
  if ([pdop, hdop, vdop].some((value) => Number.isNaN(value))) return undefined;
  return { mode: Number(f[2]) as FixMode, dop: { pdop, hdop, vdop } };
}
