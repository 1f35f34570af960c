/**
 * Coverage input for the tests: single uplinks and hearings with sensible defaults, and a made-up
 * walk east along a Berlin street past three hotspots, heard near them and unheard at the far end.
 */
import type { CoverageHearing, CoverageUplink } from '../../tools/coverage/model.js';

/** 2026-03-01T08:00:00Z. */
export const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);

const ADDRESS = (n: number) => `14hotspot${String(n).padStart(3, '0')}${'x'.repeat(40)}`;
export const HOTSPOTS = [
  { hotspot: ADDRESS(1), latE7: 525_210_000, lonE7: 134_050_000 },
  { hotspot: ADDRESS(2), latE7: 525_150_000, lonE7: 134_200_000 },
  { hotspot: ADDRESS(3), latE7: 525_300_000, lonE7: 134_400_000 },
] as const;

let digestSeed = 0;

export function hearing(overrides: Partial<CoverageHearing> = {}): CoverageHearing {
  return { ...HOTSPOTS[0], rssiDdbm: -1000, snrDdb: 55, timeMs: T0 + 500, ...overrides };
}

/** An uplink at Alexanderplatz with a good fix and no hearings, unless overridden. */
export function uplink(overrides: Partial<CoverageUplink> = {}): CoverageUplink {
  digestSeed++;
  return {
    digest: digestSeed.toString(16).padStart(64, '0'),
    mapper: '13mapper',
    counter: digestSeed,
    latE7: 525_219_000,
    lonE7: 134_132_000,
    altitudeM: 40,
    hdop: 1.2,
    satellites: 9,
    timeMs: T0,
    heardBy: [],
    ...overrides,
  };
}

/** Metres between two E7 positions, flat-earth: good enough to decide which hotspot hears. */
function metres(a: { latE7: number; lonE7: number }, b: { latE7: number; lonE7: number }): number {
  const dy = ((a.latE7 - b.latE7) / 1e7) * 111_320;
  const dx = ((a.lonE7 - b.lonE7) / 1e7) * 111_320 * Math.cos((52.52 * Math.PI) / 180);
  return Math.hypot(dx, dy);
}

/**
 * `steps` uplinks a minute apart, about 100 m apart eastwards from 13.40° E, the first on `startMs`.
 * A hotspot within 1.5 km hears an uplink, the nearer the stronger.
 */
export function walk(steps = 50, startMs = T0): CoverageUplink[] {
  return Array.from({ length: steps }, (_, i) => {
    const position = { latE7: 525_200_000 + (i % 3) * 1_000, lonE7: 134_000_000 + i * 15_000 };
    const heardBy = HOTSPOTS.flatMap((spot) => {
      const d = metres(position, spot);
      if (d > 1500) return [];
      return [{ ...spot, rssiDdbm: Math.round(-400 - 250 * Math.log10(Math.max(d, 10))), snrDdb: Math.round(100 - d / 20), timeMs: startMs + i * 60_000 + 400 }];
    });
    return uplink({ ...position, counter: i, timeMs: startMs + i * 60_000, heardBy });
  });
}
