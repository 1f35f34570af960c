/**
 * When a mapper sends: the fix checks and the distance and time rules, apart from the timers and the
 * radio so they can be reasoned about (and tested) with a given fix and time.
 *
 * Like Helium mappers (reference/mapping.md §3: Max-Plastix's T-Beam mapper, MIN_DIST and
 * STATIONARY_TX_INTERVAL), an uplink is due once the mapper is `minDistanceM` from where it sent the last
 * one, or `maxIntervalMs` after it, whichever comes first; the first fix after a boot sends at once.
 *
 * Moving uplinks are also paced to the sub-band's duty cycle: never sooner than `minSpacingMs` after the
 * last, the uplink's airtime divided by the duty-cycle limit (EU868's PoC channel: 4.43 s at 10 %, one
 * uplink every 44.3 s). A mapper that sent at every 70 m on a bicycle would spend the hour's budget in
 * about 20 minutes and then fall silent, leaving the rest of the route unmapped; paced, it leaves a mark
 * all the way, farther apart.
 */
import { MAX_TIME_MS } from '../proofs/units.js';
import type { GpsFix } from './ports.js';

/** The mean Earth radius, m (IUGG R1): the haversine error against WGS 84 is under 0.5 %. */
const EARTH_RADIUS_M = 6_371_008.8;
const RADIANS_PER_E7 = Math.PI / 180 / 1e7;

/** What an uplink is due for: the first fix since boot, the distance moved, or the time since the last. */
export type UplinkTrigger = 'first' | 'moved' | 'interval';

export interface UplinkRules {
  readonly minDistanceM: number;
  readonly maxIntervalMs: number;
  /** The shortest time between a moving mapper's uplinks, ms; 0 where the channel has no duty cycle. */
  readonly minSpacingMs?: number;
}

/** The spacing that spends a duty-cycle budget evenly: airtime / limit (e.g. 4.43 s / 0.1), ms; 0 without a limit. */
export function pacedSpacingMs(airtimeMs: number, dutyCycle: number | null): number {
  return dutyCycle === null || dutyCycle <= 0 || dutyCycle >= 1 ? 0 : Math.ceil(airtimeMs / dutyCycle);
}

/** Where and when (Clock.now) the last uplink went out. */
export interface LastUplink {
  readonly latE7: number;
  readonly lonE7: number;
  readonly atMs: number;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * The fix if it can go into an uplink, else undefined: a position on the globe (degrees × 10^7, rounded
 * when the receiver gives fractions), a finite altitude, an HDOP ≥ 0, a whole satellite count and a
 * time in the Date range. A receiver that hands over anything else has no usable fix.
 */
export function usableFix(fix: GpsFix | undefined): GpsFix | undefined {
  if (fix === undefined || fix === null || typeof fix !== 'object') return undefined;
  const { latE7, lonE7, altitudeM, hdop, satellites, timeMs } = fix;
  if (!isNumber(latE7) || !isNumber(lonE7) || Math.abs(Math.round(latE7)) > 900_000_000 || Math.abs(Math.round(lonE7)) > 1_800_000_000) {
    return undefined;
  }
  if (!isNumber(altitudeM) || !isNumber(hdop) || hdop < 0) return undefined;
  if (!Number.isInteger(satellites) || satellites < 0) return undefined;
  if (!Number.isInteger(timeMs) || timeMs < 0 || timeMs > MAX_TIME_MS) return undefined;
  return fix;
}

/** Great-circle distance between two positions in degrees × 10^7, m (haversine). */
export function distanceM(aLatE7: number, aLonE7: number, bLatE7: number, bLonE7: number): number {
  const dLat = (bLatE7 - aLatE7) * RADIANS_PER_E7;
  const dLon = (bLonE7 - aLonE7) * RADIANS_PER_E7;
  const sinLat = Math.sin(dLat / 2);
  const sinLon = Math.sin(dLon / 2);
  const h = sinLat * sinLat + Math.cos(aLatE7 * RADIANS_PER_E7) * Math.cos(bLatE7 * RADIANS_PER_E7) * sinLon * sinLon;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Why an uplink is due now at `fix`, or undefined when none is. */
export function uplinkTrigger(fix: GpsFix, last: LastUplink | undefined, nowMs: number, rules: UplinkRules): UplinkTrigger | undefined {
  if (last === undefined) return 'first';
  const paced = nowMs - last.atMs >= (rules.minSpacingMs ?? 0);
  if (paced && distanceM(last.latE7, last.lonE7, fix.latE7, fix.lonE7) >= rules.minDistanceM) return 'moved';
  if (nowMs - last.atMs >= rules.maxIntervalMs) return 'interval';
  return undefined;
}
