/**
 * `GET /v1/coverage?bbox=west,south,east,north[&res=9][&since=…][&until=…]`: the coverage map's aggregate
 * of the mapper uplinks sent inside the box (tools/coverage/), as GeoJSON (RFC 7946): one hexagon per H3
 * cell walked, heard or not, with its best RSSI, the SNR of that hearing and the hotspots that heard it,
 * and one point per hotspot. The same records `covey map --db` draws.
 */
import { aggregateCoverage, DEFAULT_RES } from '../coverage/aggregate.js';
import { coverageGeoJson, filterBbox, parseBbox, type Bbox } from '../coverage/geojson.js';
import { errorAnswer, type Answer } from './answer.js';
import type { OracleStore } from './store/store.js';

/** More uplinks than this in one answer: the box or the dates must be narrowed. */
export const MAX_COVERAGE_UPLINKS = 200_000;

export interface CoverageParams {
  readonly bbox?: string;
  readonly res?: string;
  readonly since?: string;
  readonly until?: string;
}

/** An ISO 8601 date or date-time with a zone, or ms since 1970. */
function timeParam(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d{1,16}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d\d-\d\d(?:T[\d:.]+(?:Z|[+-]\d\d:\d\d))?$/.test(text) || !Number.isFinite(Date.parse(text))) {
    throw new RangeError(`${name} must be an ISO 8601 date, or date-time with a zone, or ms since 1970; got "${text.slice(0, 40)}"`);
  }
  return Date.parse(text);
}

export async function coverageAnswer(store: OracleStore, params: CoverageParams): Promise<Answer> {
  if (params.bbox === undefined) return errorAnswer(400, 'bad_bbox', 'give the area as bbox=west,south,east,north in degrees');
  let bbox: Bbox;
  try {
    bbox = parseBbox(params.bbox);
  } catch (error) {
    return errorAnswer(400, 'bad_bbox', (error as Error).message);
  }
  const res = params.res === undefined ? DEFAULT_RES : Number(params.res);
  if (!/^\d{1,2}$/.test(params.res ?? '9') || res > 15) return errorAnswer(400, 'bad_res', 'res is an H3 resolution, 0 to 15');
  let sinceMs: number | undefined;
  let untilMs: number | undefined;
  try {
    sinceMs = timeParam(params.since, 'since');
    untilMs = timeParam(params.until, 'until');
  } catch (error) {
    return errorAnswer(400, 'bad_time', (error as Error).message);
  }
  if (sinceMs !== undefined && untilMs !== undefined && untilMs <= sinceMs) return errorAnswer(400, 'bad_time', 'until must be after since');
  const { uplinks } = await store.coverageUplinks({ bbox, ...(sinceMs === undefined ? {} : { sinceMs }), ...(untilMs === undefined ? {} : { untilMs }) });
  if (uplinks.length > MAX_COVERAGE_UPLINKS) {
    return errorAnswer(413, 'too_large', `${uplinks.length} uplinks in that box and time; at most ${MAX_COVERAGE_UPLINKS}: narrow the box or the dates`);
  }
  const aggregate = aggregateCoverage(uplinks, { res });
  const body = JSON.stringify(coverageGeoJson(filterBbox(aggregate.cells, bbox)));
  return { status: 200, headers: { 'content-type': 'application/geo+json; charset=utf-8' }, body };
}
