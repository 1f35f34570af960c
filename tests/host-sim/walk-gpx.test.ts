/**
 * GPX tracks as walks are replayed from them: the sample walk, the fields GPX gives a point, the errors a
 * broken file gets (with the point and line), and positions between points and across a gap.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GpxError, parseGpx } from '../../host-sim/walk/gpx.js';
import { TrackReplay } from '../../host-sim/walk/track.js';

const SAMPLE = fileURLToPath(new URL('../fixtures/walk.gpx', import.meta.url));

const gpx = (points: string, head = '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">') =>
  `<?xml version="1.0"?>\n${head}<trk><name>t</name>${points}</trk></gpx>`;
const pt = (lat: number, lon: number, time: string, extra = '') => `<trkpt lat="${lat}" lon="${lon}">${extra}<time>${time}</time></trkpt>`;

describe('parseGpx', () => {
  it('reads the sample walk: two segments around a 60 s gap, 40 minutes, every point with ele, sat and hdop', () => {
    const track = parseGpx(readFileSync(SAMPLE, 'utf8'));
    expect(track.name).toBe('city-east');
    expect(track.points.length).toBe(470);
    expect(new Set(track.points.map((p) => p.segment))).toEqual(new Set([0, 1]));
    expect(track.points[0]).toEqual({ timeMs: Date.parse('2026-05-01T10:00:00Z'), lat: 52.3658832, lon: 4.8746427, elevationM: 1.5, satellites: 9, hdop: 1.3, segment: 0 });
    expect(track.points.at(-1)!.timeMs - track.points[0].timeMs).toBe(2_400_000);
    const firstOfSecond = track.points.findIndex((p) => p.segment === 1);
    expect(track.points[firstOfSecond].timeMs - track.points[firstOfSecond - 1].timeMs).toBe(60_000);
  });

  it('takes points in file order over several segments and tracks, with optional children left out', () => {
    const text = gpx(`<trkseg>${pt(1, 2, '2026-01-01T00:00:00Z', '<ele>-3.5</ele>')}${pt(1.5, 2.5, '2026-01-01T00:00:10Z')}</trkseg></trk>`
      + `<trk><trkseg>${pt(-33.9, -70.6, '2026-01-01T00:01:00Z', '<hdop>4.2</hdop><sat>3</sat>')}</trkseg>`);
    const { points } = parseGpx(text);
    expect(points).toEqual([
      { timeMs: Date.parse('2026-01-01T00:00:00Z'), lat: 1, lon: 2, elevationM: -3.5, segment: 0 },
      { timeMs: Date.parse('2026-01-01T00:00:10Z'), lat: 1.5, lon: 2.5, segment: 0 },
      { timeMs: Date.parse('2026-01-01T00:01:00Z'), lat: -33.9, lon: -70.6, hdop: 4.2, satellites: 3, segment: 1 },
    ]);
  });

  it('accepts a namespace prefix on the elements', () => {
    const text = `<?xml version="1.0"?><g:gpx xmlns:g="http://www.topografix.com/GPX/1/1" version="1.1"><g:trk><g:trkseg>`
      + `<g:trkpt lat="1" lon="2"><g:time>2026-01-01T00:00:00Z</g:time></g:trkpt><g:trkpt lat="1" lon="2.001"><g:time>2026-01-01T00:00:05Z</g:time></g:trkpt>`
      + '</g:trkseg></g:trk></g:gpx>';
    expect(parseGpx(text).points.map((p) => p.lon)).toEqual([2, 2.001]);
  });

  it.each([
    ['not XML', 'this is not xml <', /not well-formed XML/],
    ['another XML document', '<?xml version="1.0"?><kml></kml>', /root element is not <gpx>/],
    ['one point', gpx(`<trkseg>${pt(1, 2, '2026-01-01T00:00:00Z')}</trkseg>`), /1 track point\(s\); a walk needs at least 2/],
    ['no time', gpx('<trkseg><trkpt lat="1" lon="2"></trkpt><trkpt lat="1" lon="2"></trkpt></trkseg>'), /track point 1 \(line 2\) has no <time>/],
    ['a bad time', gpx(`<trkseg>${pt(1, 2, 'yesterday')}${pt(1, 2, '2026-01-01T00:00:00Z')}</trkseg>`), /<time> yesterday is not an ISO 8601 date/],
    ['latitude off the globe', gpx(`<trkseg>${pt(91, 2, '2026-01-01T00:00:00Z')}${pt(1, 2, '2026-01-01T00:00:01Z')}</trkseg>`), /track point 1 .*lat must be/],
    ['longitude missing', gpx('<trkseg><trkpt lat="1"><time>2026-01-01T00:00:00Z</time></trkpt></trkseg>'), /lon must be/],
    ['time running backwards', gpx(`<trkseg>${pt(1, 2, '2026-01-01T00:00:10Z')}${pt(1, 2, '2026-01-01T00:00:00Z')}</trkseg>`), /track point 2 is earlier/],
    ['a bad hdop', gpx(`<trkseg>${pt(1, 2, '2026-01-01T00:00:00Z', '<hdop>good</hdop>')}${pt(1, 2, '2026-01-01T00:00:01Z')}</trkseg>`), /<hdop> good is not a number/],
    ['fractional satellites', gpx(`<trkseg>${pt(1, 2, '2026-01-01T00:00:00Z', '<sat>4.5</sat>')}${pt(1, 2, '2026-01-01T00:00:01Z')}</trkseg>`), /<sat> must be a whole number/],
  ])('refuses %s with a GpxError that says why', (_what, text, message) => {
    expect(() => parseGpx(text, 'walk.gpx')).toThrow(GpxError);
    expect(() => parseGpx(text, 'walk.gpx')).toThrow(message);
  });
});

describe('TrackReplay', () => {
  const track = parseGpx(gpx(
    `<trkseg>${pt(10, 20, '2026-01-01T00:00:00Z', '<ele>0</ele><hdop>1</hdop><sat>8</sat>')}${pt(10.001, 20.002, '2026-01-01T00:00:10Z', '<ele>10</ele><hdop>2</hdop><sat>6</sat>')}</trkseg>`
    + `<trkseg>${pt(10.01, 20.01, '2026-01-01T00:01:00Z')}${pt(10.02, 20.02, '2026-01-01T00:02:00Z')}</trkseg>`,
  ));
  const t0 = Date.parse('2026-01-01T00:00:00Z');

  it('interpolates along a segment, taking HDOP and satellites from the nearer point', () => {
    const replay = new TrackReplay(track);
    expect(replay.durationMs).toBe(120_000);
    const quarter = replay.at(t0 + 2_500)!;
    expect(quarter.lat).toBeCloseTo(10.00025, 9);
    expect(quarter.lon).toBeCloseTo(20.0005, 9);
    expect(quarter.elevationM).toBeCloseTo(2.5, 9);
    expect([quarter.hdop, quarter.satellites]).toEqual([1, 8]);
    const late = replay.at(t0 + 7_500)!;
    expect([late.hdop, late.satellites]).toEqual([2, 6]);
    expect(replay.at(t0 + 10_000)).toMatchObject({ lat: 10.001, lon: 20.002, elevationM: 10 });
  });

  it('has no position before the start, in the gap between segments, or after the end', () => {
    const replay = new TrackReplay(track);
    expect(replay.at(t0 - 1)).toBeUndefined();
    expect(replay.at(t0 + 30_000)).toBeUndefined();
    expect(replay.at(t0 + 90_000)).toMatchObject({ lat: 10.015, lon: 20.015 });
    expect(replay.at(t0 + 120_001)).toBeUndefined();
    expect(replay.at(t0 + 120_000)).toMatchObject({ lat: 10.02, lon: 20.02 });
  });

  it('answers the same when asked out of order', () => {
    const replay = new TrackReplay(track);
    const later = replay.at(t0 + 90_000);
    expect(replay.at(t0 + 5_000)).toEqual(new TrackReplay(track).at(t0 + 5_000));
    expect(replay.at(t0 + 90_000)).toEqual(later);
  });
});
