/**
 * Checking a walk log read off a mapper: each report line is decoded strictly (proofs
 * decodeMapperReport) and both its signatures checked against the mapper key in its frame. A line that
 * fails is refused with its line number and reason; the others are kept, so one damaged line never
 * costs the rest of a walk.
 *
 * The kept reports become one JSON record per uplink (WalkEntry): the fields a coverage map's uplink
 * needs (tools/coverage/model.ts CoverageUplink, without the hearings the oracle joins later), the
 * radio settings, and the signed report itself so it can still be uploaded from the file.
 */
import { greatCircleDistance, UNITS } from 'h3-js';
import {
  beaconDigest, decodeMapperReport, equalBytes, fromHex, hotspotAddress, reportedUplink, toHex, verifyMapperReport,
  verifyMapperUplink, type MapperReport, type MapperUplink, type Verifier,
} from '../../proofs/index.js';
import type { CoverageUplink } from '../coverage/model.js';
import { printable, type WalkLogLine } from './walk-log.js';

/** A report that passed every check. */
export interface KeptReport {
  /** Its line in the console output. */
  readonly line: number;
  readonly report: MapperReport;
  readonly uplink: MapperUplink;
  /** The report's canonical CBOR, as the device printed it. */
  readonly bytes: Uint8Array;
}

/** A report line that was refused, and why. */
export interface Refusal {
  readonly line: number;
  readonly reason: string;
}

export interface CheckedWalk {
  /** Sorted by uplink counter (then mapper address): the order the mapper sent them. */
  readonly kept: readonly KeptReport[];
  readonly refused: readonly Refusal[];
  /** Lines that repeated a kept report byte for byte: kept once. */
  readonly repeated: number;
}

/**
 * One uplink of the walk, as written by `covey walk import --out`: the coverage map's uplink record
 * (tools/coverage/model.ts; `timeMs` is the mapper's TxDone) without hearings, which only the oracle
 * knows, plus the radio settings and the signed report itself.
 */
export interface WalkEntry extends Omit<CoverageUplink, 'heardBy'> {
  readonly frequencyHz: number;
  readonly dataRate: number;
  /** Conducted power, 0.1 dBm. */
  readonly txPowerDdbm: number;
  /** The signed MapperReport, hex of its canonical CBOR. */
  readonly report: string;
}

export interface WalkSummary {
  /** The mapper addresses, sorted. */
  readonly mappers: readonly string[];
  /** Earliest and latest report time, ms since 1970; undefined without reports. */
  readonly firstMs?: number;
  readonly lastMs?: number;
  /** Great-circle distance between consecutive uplinks of each mapper, in counter order, summed. */
  readonly distanceM: number;
}

/** Decodes and verifies every report line; never throws for a bad line. */
export function checkWalkLog(lines: readonly WalkLogLine[], verifier: Verifier): CheckedWalk {
  const kept: KeptReport[] = [];
  const refused: Refusal[] = [];
  const seen = new Set<string>();
  let repeated = 0;
  for (const { line, hex } of lines) {
    const result = checkLine(hex, verifier);
    if (typeof result === 'string') {
      refused.push({ line, reason: result });
    } else if (seen.has(hex)) {
      repeated++;
    } else {
      seen.add(hex);
      kept.push({ line, ...result });
    }
  }
  kept.sort(byCounter);
  return { kept, refused, repeated };
}

/** The report on one line, or why it is refused. */
function checkLine(hex: string, verifier: Verifier): Omit<KeptReport, 'line'> | string {
  // The device prints lower-case hex; anything else is a damaged line, not a different spelling.
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return `not lower-case hex ("${printable(hex)}")`;
  const bytes = fromHex(hex);
  let report: MapperReport;
  try {
    report = decodeMapperReport(bytes);
  } catch (error) {
    return `not a MapperReport: ${error instanceof Error ? error.message : String(error)}`;
  }
  const uplink = reportedUplink(report);
  if (!verifyMapperReport(report, verifier)) return 'bad report signature';
  if (!verifyMapperUplink(uplink, verifier)) return 'bad uplink signature';
  return { report, uplink, bytes };
}

function byCounter(a: KeptReport, b: KeptReport): number {
  if (a.uplink.counter !== b.uplink.counter) return a.uplink.counter - b.uplink.counter;
  const mapperA = toHex(a.uplink.mapper);
  const mapperB = toHex(b.uplink.mapper);
  if (mapperA !== mapperB) return mapperA < mapperB ? -1 : 1;
  return a.report.timeMs - b.report.timeMs;
}

export function walkEntry({ report, uplink, bytes }: KeptReport): WalkEntry {
  return {
    digest: toHex(beaconDigest(report.frame)),
    mapper: hotspotAddress(uplink.mapper),
    counter: uplink.counter,
    latE7: uplink.latE7,
    lonE7: uplink.lonE7,
    altitudeM: uplink.altitudeM,
    hdop: uplink.hdopDeci / 10,
    satellites: uplink.satellites,
    timeMs: report.timeMs,
    frequencyHz: report.frequencyHz,
    dataRate: report.dataRate,
    txPowerDdbm: report.txPowerDdbm,
    report: toHex(bytes),
  };
}

/** The kept reports grouped by mapper key, each group in counter order. */
export function byMapper(kept: readonly KeptReport[]): KeptReport[][] {
  const groups: KeptReport[][] = [];
  for (const item of kept) {
    const group = groups.find((g) => equalBytes(g[0].uplink.mapper, item.uplink.mapper));
    if (group === undefined) groups.push([item]);
    else group.push(item);
  }
  return groups;
}

export function summarizeWalk(kept: readonly KeptReport[]): WalkSummary {
  let distanceM = 0;
  for (const group of byMapper(kept)) {
    for (let i = 1; i < group.length; i++) distanceM += distanceBetween(group[i - 1].uplink, group[i].uplink);
  }
  let firstMs: number | undefined;
  let lastMs: number | undefined;
  for (const { report } of kept) {
    firstMs = Math.min(firstMs ?? report.timeMs, report.timeMs);
    lastMs = Math.max(lastMs ?? report.timeMs, report.timeMs);
  }
  return { mappers: byMapper(kept).map((group) => hotspotAddress(group[0].uplink.mapper)).sort(), firstMs, lastMs, distanceM };
}

function distanceBetween(a: MapperUplink, b: MapperUplink): number {
  return greatCircleDistance([a.latE7 / 1e7, a.lonE7 / 1e7], [b.latE7 / 1e7, b.lonE7 / 1e7], UNITS.m);
}
