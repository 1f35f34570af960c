/**
 * What the oracle answers about mapper walks: which uplinks were sent in a time window and an area, and
 * which hotspots heard each (OracleStore.coverageUplinks). The uplink and hearing records are the coverage
 * map's own (tools/coverage/model.ts), so the map reads the oracle's answer as it is.
 *
 * This module checks a query and turns it into the integer bounds a store compares with: every store
 * implementation refuses the same queries with the same errors.
 */
import type { CoverageUplink } from '../coverage/model.js';

export type { CoverageHearing, CoverageUplink } from '../coverage/model.js';

export interface CoverageQuery {
  /** Uplinks the mapper sent at or after this time (its report's timeMs), ms since 1970. Default: no limit. */
  readonly sinceMs?: number;
  /** Uplinks sent before this time (exclusive), ms since 1970. Default: no limit. */
  readonly untilMs?: number;
  /**
   * Uplinks sent inside this box, degrees, edges included, in GeoJSON's order (RFC 7946 §5). A box whose
   * west edge is east of its east edge crosses the antimeridian (RFC 7946 §5.2). Default: the whole globe.
   */
  readonly bbox?: readonly [west: number, south: number, east: number, north: number];
}

export interface CoverageUplinks {
  /** Ordered by the mapper's send time, then by digest. */
  readonly uplinks: CoverageUplink[];
  /**
   * Hearings of the returned uplinks left out because the registry has no location for the hotspot
   * (not registered, or registered without one): without it a hearing cannot be drawn.
   */
  readonly unlocatedHearings: number;
}

/** A checked query in the units the store keeps: ms, and degrees × 10^7 (uplink positions are integers). */
export interface CoverageBounds {
  readonly sinceMs: number;
  readonly untilMs: number;
  readonly southE7: number;
  readonly northE7: number;
  readonly westE7: number;
  readonly eastE7: number;
}

const E7 = 1e7;

function checkTime(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number of ms, got ${value}`);
  return value;
}

function checkDegrees(value: number, name: string, limit: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
    throw new RangeError(`bbox ${name} must be a number of degrees from -${limit} to ${limit}, got ${value}`);
  }
  return Math.round(value * E7);
}

/** Checks a coverage query; RangeError names the first bad field. */
export function coverageBounds(query: CoverageQuery = {}): CoverageBounds {
  const sinceMs = checkTime(query.sinceMs, 'sinceMs', -Number.MAX_SAFE_INTEGER);
  const untilMs = checkTime(query.untilMs, 'untilMs', Number.MAX_SAFE_INTEGER);
  if (sinceMs > untilMs) throw new RangeError(`sinceMs (${sinceMs}) is after untilMs (${untilMs})`);
  if (query.bbox === undefined) {
    return { sinceMs, untilMs, southE7: -90 * E7, northE7: 90 * E7, westE7: -180 * E7, eastE7: 180 * E7 };
  }
  if (!Array.isArray(query.bbox) || query.bbox.length !== 4) throw new RangeError('bbox must be [west, south, east, north]');
  const [west, south, east, north] = query.bbox;
  const bounds = {
    sinceMs, untilMs,
    westE7: checkDegrees(west, 'west', 180), southE7: checkDegrees(south, 'south', 90),
    eastE7: checkDegrees(east, 'east', 180), northE7: checkDegrees(north, 'north', 90),
  };
  if (bounds.southE7 > bounds.northE7) throw new RangeError(`bbox south (${south}) is north of its north (${north})`);
  return bounds;
}
