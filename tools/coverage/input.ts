/**
 * Checking coverage input at the boundary: a JSON file, or whatever a loader built from the oracle's
 * database or a simulator report. Wrong types are refused with the path of the first bad field;
 * values of the right type but implausible (a fix at 0°, a hotspot 300 km away) are not errors here,
 * they are counted by aggregation under a reason (model.ts).
 */
import type { CoverageHearing, CoverageUplink } from './model.js';

/** Input of the wrong shape. `path` names the field, e.g. `[3].heardBy[0].rssiDdbm`. */
export class CoverageInputError extends TypeError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }

  override get name(): string {
    return 'CoverageInputError';
  }
}

type Fields = Record<string, unknown>;

function record(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CoverageInputError(path, 'must be an object');
  return value as Fields;
}

function text(fields: Fields, key: string, path: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value === '') throw new CoverageInputError(`${path}.${key}`, 'must be a non-empty string');
  return value;
}

function integer(fields: Fields, key: string, path: string, min = Number.MIN_SAFE_INTEGER): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new CoverageInputError(`${path}.${key}`, min === Number.MIN_SAFE_INTEGER ? 'must be an integer' : `must be an integer of at least ${min}`);
  }
  return value;
}

function finite(fields: Fields, key: string, path: string, min = -Infinity): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new CoverageInputError(`${path}.${key}`, min === -Infinity ? 'must be a finite number' : `must be a number of at least ${min}`);
  }
  return value;
}

function checkHearing(value: unknown, path: string): CoverageHearing {
  const fields = record(value, path);
  return {
    hotspot: text(fields, 'hotspot', path),
    latE7: integer(fields, 'latE7', path),
    lonE7: integer(fields, 'lonE7', path),
    rssiDdbm: integer(fields, 'rssiDdbm', path),
    snrDdb: integer(fields, 'snrDdb', path),
    timeMs: integer(fields, 'timeMs', path, 0),
  };
}

/** `value` as an uplink, or a CoverageInputError naming the first field that is not what the model says. */
export function checkUplink(value: unknown, path: string): CoverageUplink {
  const fields = record(value, path);
  const digest = text(fields, 'digest', path);
  if (!/^(?:[0-9a-f]{2})+$/i.test(digest)) throw new CoverageInputError(`${path}.digest`, 'must be hex, two digits a byte');
  const heardBy = fields.heardBy;
  if (!Array.isArray(heardBy)) throw new CoverageInputError(`${path}.heardBy`, 'must be an array');
  return {
    digest,
    mapper: text(fields, 'mapper', path),
    counter: integer(fields, 'counter', path, 0),
    latE7: integer(fields, 'latE7', path),
    lonE7: integer(fields, 'lonE7', path),
    altitudeM: finite(fields, 'altitudeM', path),
    hdop: finite(fields, 'hdop', path, 0),
    satellites: integer(fields, 'satellites', path, 0),
    timeMs: integer(fields, 'timeMs', path, 0),
    heardBy: heardBy.map((hearing, i) => checkHearing(hearing, `${path}.heardBy[${i}]`)),
  };
}

/** A parsed JSON document as a list of uplinks (the `--input` file of `covey map`). */
export function parseCoverageUplinks(value: unknown): CoverageUplink[] {
  if (!Array.isArray(value)) throw new CoverageInputError('(top level)', 'must be an array of uplinks');
  return value.map((uplink, i) => checkUplink(uplink, `[${i}]`));
}
