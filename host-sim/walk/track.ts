/**
 * Where a walker is at a moment of a replayed track: straight lines between consecutive points of the same
 * segment, at a constant speed between their times (linear in latitude and longitude, which over the
 * few metres between GPS samples is as good as a great circle). Between segments the recording had a gap,
 * so the walker is somewhere unknown: no position, which the GPS emulator turns into a lost fix.
 */
import type { Track, TrackPoint } from './gpx.js';

export interface TrackPosition {
  readonly lat: number;
  readonly lon: number;
  readonly elevationM: number;
  /** The HDOP and satellites the recording gave for the nearer point, if it gave them. */
  readonly hdop?: number;
  readonly satellites?: number;
}

export class TrackReplay {
  readonly startMs: number;
  readonly endMs: number;
  private readonly points: readonly TrackPoint[];
  /** Index of the last point at or before the last time asked (times are mostly asked in order). */
  private cursor = 0;

  constructor(track: Track) {
    this.points = track.points;
    this.startMs = track.points[0].timeMs;
    this.endMs = track.points[track.points.length - 1].timeMs;
  }

  get durationMs(): number {
    return this.endMs - this.startMs;
  }

  /** The position at track time `timeMs`; undefined before the start, after the end or in a gap. */
  at(timeMs: number): TrackPosition | undefined {
    const { points } = this;
    if (timeMs < this.startMs || timeMs > this.endMs) return undefined;
    if (points[this.cursor].timeMs > timeMs) this.cursor = 0;
    while (this.cursor + 1 < points.length && points[this.cursor + 1].timeMs <= timeMs) this.cursor++;
    const a = points[this.cursor];
    if (this.cursor + 1 === points.length || a.timeMs === timeMs) return positionOf(a, a, 0);
    const b = points[this.cursor + 1];
    if (b.segment !== a.segment) return undefined;
    return positionOf(a, b, (timeMs - a.timeMs) / (b.timeMs - a.timeMs));
  }
}

function positionOf(a: TrackPoint, b: TrackPoint, f: number): TrackPosition {
  const nearer = f < 0.5 ? a : b;
  return {
    lat: a.lat + (b.lat - a.lat) * f,
    lon: a.lon + (b.lon - a.lon) * f,
    elevationM: (a.elevationM ?? 0) + ((b.elevationM ?? a.elevationM ?? 0) - (a.elevationM ?? 0)) * f,
    ...(nearer.hdop === undefined ? {} : { hdop: nearer.hdop }),
    ...(nearer.satellites === undefined ? {} : { satellites: nearer.satellites }),
  };
}
