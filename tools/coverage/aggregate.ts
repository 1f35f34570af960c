/**
 * Mapper uplinks → one record per H3 cell walked (h3-js v4 `latLngToCell`). A cell is 'heard' when a
 * hotspot heard any uplink sent in it and 'unheard' when none did: the oracle knows what the mapper
 * sent, so walked-but-silent places show up instead of looking like places nobody walked (the
 * complaint in helium/mappers#81). Like Helium Mappers, a cell keeps its best RSSI and the SNR of that
 * same hearing, and per hotspot its best hearing and distance (the "Redundancy" of its hex pane).
 *
 * Every uplink and hearing left out is counted under a reason (model.ts), never dropped silently.
 */
import { cellToLatLng, greatCircleDistance, latLngToCell, UNITS } from 'h3-js';
import { checkUplink } from './input.js';
import type {
  CellHotspot,
  CoverageAggregate,
  CoverageCell,
  CoverageHearing,
  CoverageHotspot,
  CoverageUplink,
  HearingDropReason,
  UplinkDropReason,
} from './model.js';

/** Helium Mappers bins uplinks at resolution 9 (cells about 350 m across, 0.105 km²). */
export const DEFAULT_RES = 9;

/** TTN Mapper's GPS filter (ttnmapper/ingress-api `utils/data_validator.go`). */
const MIN_SATELLITES = 4;
const MAX_HDOP = 5;
const POLAR_LAT_E7 = 89e7;
const MAX_LON_E7 = 180e7;
/** TTN Mapper drops points more than 200 km from the gateway as implausible. */
const MAX_HEARING_DISTANCE_M = 200_000;
/** Helium Mappers' plausible signal ranges (`ingest/validate.ex`), here in tenths. */
const RSSI_DDBM = { min: -1410, max: 0 };
const SNR_DDB = { min: -400, max: 400 };

export interface AggregateOptions {
  /** H3 resolution, 0–15 (default 9). */
  readonly res?: number;
  /** Only uplinks sent at or after this time (ms since 1970, or a Date). */
  readonly since?: number | Date;
  /** Only uplinks sent before this time. */
  readonly until?: number | Date;
}

interface HotspotTally {
  best: CoverageHearing;
  uplinksHeard: number;
  lastHeardMs: number;
}

interface CellTally {
  readonly h3: string;
  sent: number;
  heard: number;
  firstWalkedMs: number;
  lastWalkedMs: number;
  best: CoverageHearing | null;
  lastHeardMs: number | null;
  readonly hotspots: Map<string, HotspotTally>;
}

/** Aggregates `uplinks` into cells; throws CoverageInputError for malformed input, RangeError for bad options. */
export function aggregateCoverage(uplinks: readonly CoverageUplink[], options: AggregateOptions = {}): CoverageAggregate {
  const res = checkedRes(options.res ?? DEFAULT_RES);
  const sinceMs = checkedTime(options.since, 'since');
  const untilMs = checkedTime(options.until, 'until');
  if (sinceMs !== null && untilMs !== null && sinceMs > untilMs) throw new RangeError('since must not be after until');

  const uplinkDrops: Record<UplinkDropReason, number> = { duplicate: 0, satellites: 0, hdop: 0, zeroCoordinate: 0, latitude: 0, longitude: 0 };
  const hearingDrops: Record<HearingDropReason, number> = { noLocation: 0, signal: 0, tooFar: 0 };
  const tallies = new Map<string, CellTally>();
  const digests = new Set<string>();
  let used = 0;
  let outsideWindow = 0;
  let hearingsUsed = 0;

  uplinks.forEach((given, i) => {
    const uplink = checkUplink(given, `uplinks[${i}]`);
    const verdict = uplinkVerdict(uplink, digests, sinceMs, untilMs);
    if (verdict === 'outsideWindow') outsideWindow++;
    else if (verdict !== 'used') uplinkDrops[verdict]++;
    if (verdict !== 'used') return;
    used++;
    const kept = uplink.heardBy.filter((hearing) => {
      const reason = hearingProblem(uplink, hearing);
      if (reason !== null) hearingDrops[reason]++;
      return reason === null;
    });
    hearingsUsed += kept.length;
    addUplink(tallies, latLngToCell(uplink.latE7 / 1e7, uplink.lonE7 / 1e7, res), uplink, kept);
  });

  const cells = [...tallies.values()].sort((a, b) => compareText(a.h3, b.h3)).map(finishCell);
  const droppedUplinks = Object.values(uplinkDrops).reduce((sum, n) => sum + n, 0);
  const droppedHearings = Object.values(hearingDrops).reduce((sum, n) => sum + n, 0);
  return {
    res,
    sinceMs,
    untilMs,
    cells,
    hotspots: hotspotsOf(cells),
    uplinks: { total: used + outsideWindow + droppedUplinks, used, outsideWindow, dropped: uplinkDrops },
    hearings: { total: hearingsUsed + droppedHearings, used: hearingsUsed, dropped: hearingDrops },
  };
}

/** The distinct hotspots of `cells`, by address; each drawn where it was in the cell it heard last. */
export function hotspotsOf(cells: readonly CoverageCell[]): CoverageHotspot[] {
  const byAddress = new Map<string, { latest: CellHotspot; cellsHeard: number; bestRssiDbm: number }>();
  for (const cell of cells) {
    for (const hotspot of cell.hotspots) {
      const seen = byAddress.get(hotspot.address);
      if (seen === undefined) {
        byAddress.set(hotspot.address, { latest: hotspot, cellsHeard: 1, bestRssiDbm: hotspot.bestRssiDbm });
        continue;
      }
      seen.cellsHeard++;
      seen.bestRssiDbm = Math.max(seen.bestRssiDbm, hotspot.bestRssiDbm);
      if (hotspot.lastHeardMs > seen.latest.lastHeardMs) seen.latest = hotspot;
    }
  }
  return [...byAddress.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([address, { latest, cellsHeard, bestRssiDbm }]) => ({
      address,
      lat: latest.lat,
      lon: latest.lon,
      cellsHeard,
      bestRssiDbm,
      lastHeardMs: latest.lastHeardMs,
    }));
}

function checkedRes(res: number): number {
  if (!Number.isInteger(res) || res < 0 || res > 15) throw new RangeError(`res must be a whole number from 0 to 15, not ${res}`);
  return res;
}

function checkedTime(time: number | Date | undefined, name: string): number | null {
  if (time === undefined) return null;
  const ms = time instanceof Date ? time.getTime() : time;
  if (!Number.isFinite(ms)) throw new RangeError(`${name} must be a valid time`);
  return ms;
}

/** Whether an uplink is used, and if not why; records its digest in `digests` the first time it is seen. */
function uplinkVerdict(uplink: CoverageUplink, digests: Set<string>, sinceMs: number | null, untilMs: number | null): 'used' | 'outsideWindow' | UplinkDropReason {
  const digest = uplink.digest.toLowerCase();
  if (digests.has(digest)) return 'duplicate';
  digests.add(digest);
  if ((sinceMs !== null && uplink.timeMs < sinceMs) || (untilMs !== null && uplink.timeMs >= untilMs)) return 'outsideWindow';
  return gpsProblem(uplink) ?? 'used';
}

/** The first TTN Mapper filter the uplink's fix fails, in the order of UPLINK_DROP_REASONS. */
function gpsProblem(uplink: CoverageUplink): UplinkDropReason | null {
  if (uplink.satellites < MIN_SATELLITES) return 'satellites';
  if (uplink.hdop > MAX_HDOP) return 'hdop';
  if (uplink.latE7 === 0 || uplink.lonE7 === 0) return 'zeroCoordinate';
  if (Math.abs(uplink.latE7) >= POLAR_LAT_E7) return 'latitude';
  if (Math.abs(uplink.lonE7) > MAX_LON_E7) return 'longitude';
  return null;
}

function hearingProblem(uplink: CoverageUplink, hearing: CoverageHearing): HearingDropReason | null {
  const { latE7, lonE7 } = hearing;
  if (latE7 === 0 || lonE7 === 0 || Math.abs(latE7) > 90e7 || Math.abs(lonE7) > MAX_LON_E7) return 'noLocation';
  if (!within(hearing.rssiDdbm, RSSI_DDBM) || !within(hearing.snrDdb, SNR_DDB)) return 'signal';
  const metres = greatCircleDistance([uplink.latE7 / 1e7, uplink.lonE7 / 1e7], [latE7 / 1e7, lonE7 / 1e7], UNITS.m);
  return metres > MAX_HEARING_DISTANCE_M ? 'tooFar' : null;
}

function within(value: number, range: { min: number; max: number }): boolean {
  return value >= range.min && value <= range.max;
}

function addUplink(tallies: Map<string, CellTally>, h3: string, uplink: CoverageUplink, hearings: readonly CoverageHearing[]): void {
  let cell = tallies.get(h3);
  if (cell === undefined) {
    cell = { h3, sent: 0, heard: 0, firstWalkedMs: uplink.timeMs, lastWalkedMs: uplink.timeMs, best: null, lastHeardMs: null, hotspots: new Map() };
    tallies.set(h3, cell);
  }
  cell.sent++;
  cell.firstWalkedMs = Math.min(cell.firstWalkedMs, uplink.timeMs);
  cell.lastWalkedMs = Math.max(cell.lastWalkedMs, uplink.timeMs);
  if (hearings.length > 0) cell.heard++;
  const heardThisUplink = new Set<string>();
  for (const hearing of hearings) {
    if (cell.best === null || stronger(hearing, cell.best)) cell.best = hearing;
    cell.lastHeardMs = Math.max(cell.lastHeardMs ?? hearing.timeMs, hearing.timeMs);
    const tally = cell.hotspots.get(hearing.hotspot);
    if (tally === undefined) {
      cell.hotspots.set(hearing.hotspot, { best: hearing, uplinksHeard: 1, lastHeardMs: hearing.timeMs });
    } else {
      if (stronger(hearing, tally.best)) tally.best = hearing;
      if (!heardThisUplink.has(hearing.hotspot)) tally.uplinksHeard++;
      tally.lastHeardMs = Math.max(tally.lastHeardMs, hearing.timeMs);
    }
    heardThisUplink.add(hearing.hotspot);
  }
}

/**
 * Whether `a` is a better hearing than `b`: higher RSSI, then higher SNR, then earlier, then by
 * hotspot and position, so the choice never depends on the order of the input.
 */
function stronger(a: CoverageHearing, b: CoverageHearing): boolean {
  const order = b.rssiDdbm - a.rssiDdbm || b.snrDdb - a.snrDdb || a.timeMs - b.timeMs
    || compareText(a.hotspot, b.hotspot) || a.latE7 - b.latE7 || a.lonE7 - b.lonE7;
  return order < 0;
}

function finishCell(cell: CellTally): CoverageCell {
  const [lat, lon] = cellToLatLng(cell.h3);
  const hotspots: CellHotspot[] = [...cell.hotspots.entries()]
    .map(([address, tally]) => ({
      address,
      lat: tally.best.latE7 / 1e7,
      lon: tally.best.lonE7 / 1e7,
      bestRssiDbm: tally.best.rssiDdbm / 10,
      snrDb: tally.best.snrDdb / 10,
      distanceM: Math.round(greatCircleDistance([lat, lon], [tally.best.latE7 / 1e7, tally.best.lonE7 / 1e7], UNITS.m)),
      uplinksHeard: tally.uplinksHeard,
      lastHeardMs: tally.lastHeardMs,
    }))
    .sort((a, b) => b.bestRssiDbm - a.bestRssiDbm || compareText(a.address, b.address));
  return {
    h3: cell.h3,
    state: cell.best === null ? 'unheard' : 'heard',
    lat,
    lon,
    bestRssiDbm: cell.best === null ? null : cell.best.rssiDdbm / 10,
    snrDb: cell.best === null ? null : cell.best.snrDdb / 10,
    hotspots,
    uplinksSent: cell.sent,
    uplinksHeard: cell.heard,
    firstWalkedMs: cell.firstWalkedMs,
    lastWalkedMs: cell.lastWalkedMs,
    lastHeardMs: cell.lastHeardMs,
  };
}

/** Code-unit order: the same in every locale, and numeric order for H3 indexes of one resolution. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
