/**
 * Reads a GPX 1.1 track (topografix.com/GPX/1/1) into the points a walk is replayed from. The XML is
 * parsed by @xmldom/xmldom; this module only walks the document: every `trkpt` of every `trkseg` of every
 * `trk`, in order, with its `lat`/`lon` attributes and the `ele`, `time`, `sat` and `hdop` children GPX
 * defines for a waypoint. A point without a `time` cannot be replayed, so it is an error, as are
 * coordinates off the globe and times that run backwards; each error names the point and its line.
 */
import { DOMParser, type Element } from '@xmldom/xmldom';

export interface TrackPoint {
  /** UTC, ms since the Unix epoch, from the point's `time`. */
  readonly timeMs: number;
  readonly lat: number;
  readonly lon: number;
  /** `ele`, metres, when given. */
  readonly elevationM?: number;
  /** `hdop`, when the recording device wrote it. */
  readonly hdop?: number;
  /** `sat`, satellites in the fix, when written. */
  readonly satellites?: number;
  /** Which `trkseg` (counted over the whole file from 0): a new segment follows a gap in the recording. */
  readonly segment: number;
}

export interface Track {
  /** The first `trk`'s `name`, if any. */
  readonly name?: string;
  readonly points: readonly TrackPoint[];
}

export class GpxError extends Error {
  override name = 'GpxError';
}

/** Parses GPX text. Throws GpxError (with the line) when it is not a track that can be replayed. */
export function parseGpx(text: string, source = 'GPX'): Track {
  const errors: string[] = [];
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') errors.push(message.split('\n')[0]);
      },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    // xmldom throws on a fatal error (e.g. no root element) after reporting it.
    errors.push((error as Error).message.split('\n')[0]);
  }
  if (errors.length > 0 || doc === undefined) throw new GpxError(`${source} is not well-formed XML: ${errors[0]}`);
  const root = doc.documentElement;
  if (!root || localName(root) !== 'gpx') throw new GpxError(`${source} is not GPX: its root element is not <gpx>`);
  const points: TrackPoint[] = [];
  let segment = 0;
  let name: string | undefined;
  for (const trk of children(root, 'trk')) {
    name ??= childText(trk, 'name');
    for (const seg of children(trk, 'trkseg')) {
      for (const pt of children(seg, 'trkpt')) points.push(readPoint(pt, segment, points.length, source));
      segment++;
    }
  }
  if (points.length < 2) throw new GpxError(`${source} has ${points.length} track point(s); a walk needs at least 2 (<trk><trkseg><trkpt>)`);
  for (let i = 1; i < points.length; i++) {
    if (points[i].timeMs < points[i - 1].timeMs) {
      throw new GpxError(`${source}: track point ${i + 1} is earlier than the one before it (${new Date(points[i].timeMs).toISOString()})`);
    }
  }
  return name === undefined ? { points } : { name, points };
}

function readPoint(pt: Element, segment: number, index: number, source: string): TrackPoint {
  const where = `${source}: track point ${index + 1}${pt.lineNumber ? ` (line ${pt.lineNumber})` : ''}`;
  const lat = Number(pt.getAttribute('lat'));
  const lon = Number(pt.getAttribute('lon'));
  if (!pt.hasAttribute('lat') || !Number.isFinite(lat) || lat < -90 || lat > 90) throw new GpxError(`${where}: lat must be −90..90 degrees`);
  if (!pt.hasAttribute('lon') || !Number.isFinite(lon) || lon < -180 || lon > 180) throw new GpxError(`${where}: lon must be −180..180 degrees`);
  const time = childText(pt, 'time');
  if (time === undefined) throw new GpxError(`${where} has no <time>; a walk is replayed by its times`);
  const timeMs = Date.parse(time);
  if (!Number.isFinite(timeMs)) throw new GpxError(`${where}: <time> ${time} is not an ISO 8601 date`);
  const point: { -readonly [K in keyof TrackPoint]: TrackPoint[K] } = { timeMs, lat, lon, segment };
  const ele = optionalNumber(pt, 'ele', where);
  const hdop = optionalNumber(pt, 'hdop', where);
  const sat = optionalNumber(pt, 'sat', where);
  if (ele !== undefined) point.elevationM = ele;
  if (hdop !== undefined) {
    if (hdop < 0) throw new GpxError(`${where}: <hdop> must not be negative`);
    point.hdop = hdop;
  }
  if (sat !== undefined) {
    if (!Number.isInteger(sat) || sat < 0) throw new GpxError(`${where}: <sat> must be a whole number`);
    point.satellites = sat;
  }
  return point;
}

function optionalNumber(parent: Element, name: string, where: string): number | undefined {
  const text = childText(parent, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new GpxError(`${where}: <${name}> ${text} is not a number`);
  return value;
}

function localName(element: Element): string {
  return element.localName ?? element.nodeName;
}

/** Child elements called `name`, whatever their namespace prefix (GPX files in the wild vary). */
function children(parent: Element, name: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1 && localName(node as Element) === name) found.push(node as Element);
  }
  return found;
}

function childText(parent: Element, name: string): string | undefined {
  const child = children(parent, name)[0];
  return child === undefined ? undefined : (child.textContent ?? '').trim();
}
