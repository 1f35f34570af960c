/** Uplinks → H3 cells (tools/coverage/aggregate.ts): signal per cell, hotspots, unheard cells, filters, order. */
import { cellToLatLng, latLngToCell } from 'h3-js';
import { aggregateCoverage, hotspotsOf } from '../../tools/coverage/aggregate.js';
import { CoverageInputError } from '../../tools/coverage/input.js';
import type { CoverageUplink } from '../../tools/coverage/model.js';
import { hearing, HOTSPOTS, T0, uplink, walk } from './fixture.js';

const [A, B, C] = HOTSPOTS;

/** Haversine on the sphere h3-js uses (mean radius 6371.007180918475 km), written out independently. */
function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_007.180918475 * Math.asin(Math.sqrt(h));
}

describe('signal per cell', () => {
  test('a cell keeps its best RSSI and the SNR of that same hearing, not the best SNR', () => {
    const { cells } = aggregateCoverage([
      uplink({ heardBy: [hearing({ rssiDdbm: -1000, snrDdb: 90 })] }),
      uplink({ timeMs: T0 + 60_000, heardBy: [hearing({ hotspot: B.hotspot, rssiDdbm: -905, snrDdb: -35 })] }),
    ]);
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({ state: 'heard', bestRssiDbm: -90.5, snrDb: -3.5 });
  });

  test('between equal RSSIs the higher SNR wins, whatever the order of the input', () => {
    const weak = uplink({ heardBy: [hearing({ rssiDdbm: -1000, snrDdb: 10 })] });
    const strong = uplink({ heardBy: [hearing({ hotspot: B.hotspot, rssiDdbm: -1000, snrDdb: 40 })] });
    expect(aggregateCoverage([weak, strong]).cells[0].snrDb).toBe(4);
    expect(aggregateCoverage([strong, weak]).cells[0].snrDb).toBe(4);
  });

  test('hotspots are counted once each, with their own best hearing, uplinks heard and last hearing', () => {
    const { cells } = aggregateCoverage([
      uplink({ heardBy: [hearing({ rssiDdbm: -1100, snrDdb: 20, timeMs: T0 + 1 }), hearing({ ...B, rssiDdbm: -1150 })] }),
      uplink({ timeMs: T0 + 60_000, heardBy: [hearing({ rssiDdbm: -1050, snrDdb: -15, timeMs: T0 + 60_001 })] }),
      uplink({ timeMs: T0 + 120_000, heardBy: [hearing({ rssiDdbm: -1200, timeMs: T0 + 120_001 })] }),
    ]);
    const [cell] = cells;
    expect(cell.hotspots.map((h) => h.address)).toEqual([A.hotspot, B.hotspot]);
    expect(cell.hotspots[0]).toMatchObject({ bestRssiDbm: -105, snrDb: -1.5, uplinksHeard: 3, lastHeardMs: T0 + 120_001, lat: 52.521, lon: 13.405 });
    expect(cell.hotspots[1]).toMatchObject({ bestRssiDbm: -115, uplinksHeard: 1 });
    expect(cell).toMatchObject({ uplinksSent: 3, uplinksHeard: 3, firstWalkedMs: T0, lastWalkedMs: T0 + 120_000, lastHeardMs: T0 + 120_001 });
  });

  test('a hotspot listed twice for one uplink counts that uplink once', () => {
    const { cells } = aggregateCoverage([uplink({ heardBy: [hearing({ rssiDdbm: -1100 }), hearing({ rssiDdbm: -1000 })] })]);
    expect(cells[0].hotspots).toHaveLength(1);
    expect(cells[0].hotspots[0]).toMatchObject({ uplinksHeard: 1, bestRssiDbm: -100 });
  });

  test('distance is great-circle metres from the cell centre to the hotspot', () => {
    const { cells } = aggregateCoverage([uplink({ heardBy: [hearing(), hearing({ ...C })] })]);
    const [lat, lon] = cellToLatLng(cells[0].h3);
    expect([cells[0].lat, cells[0].lon]).toEqual([lat, lon]);
    for (const hotspot of cells[0].hotspots) {
      expect(Number.isInteger(hotspot.distanceM)).toBe(true);
      expect(Math.abs(hotspot.distanceM - haversineM(lat, lon, hotspot.lat, hotspot.lon))).toBeLessThanOrEqual(1);
    }
    // Hotspot C is about 2 km north-east of Alexanderplatz, A about 600 m east.
    const distance = (address: string) => cells[0].hotspots.find((h) => h.address === address)?.distanceM ?? 0;
    expect(distance(C.hotspot)).toBeGreaterThan(1900);
    expect(distance(A.hotspot)).toBeLessThan(1000);
  });
});

describe('cells', () => {
  test('a walked cell no hotspot heard is unheard, with no signal and no hearing time', () => {
    const { cells } = aggregateCoverage([uplink(), uplink({ timeMs: T0 + 5_000 })]);
    expect(cells).toEqual([
      expect.objectContaining({ state: 'unheard', bestRssiDbm: null, snrDb: null, hotspots: [], uplinksSent: 2, uplinksHeard: 0, lastHeardMs: null, firstWalkedMs: T0, lastWalkedMs: T0 + 5_000 }),
    ]);
  });

  test('each uplink lands in the cell latLngToCell gives at the resolution asked for', () => {
    const uplinks = walk(30);
    for (const res of [7, 9, 11]) {
      const expected = new Set(uplinks.map((u) => latLngToCell(u.latE7 / 1e7, u.lonE7 / 1e7, res)));
      const { cells } = aggregateCoverage(uplinks, { res });
      expect(new Set(cells.map((cell) => cell.h3))).toEqual(expected);
      expect(cells.reduce((n, cell) => n + cell.uplinksSent, 0)).toBe(30);
    }
  });

  test('the walk has heard cells near the hotspots and unheard ones beyond them', () => {
    const { cells } = aggregateCoverage(walk(50));
    expect(cells.some((cell) => cell.state === 'heard')).toBe(true);
    expect(cells.some((cell) => cell.state === 'unheard')).toBe(true);
  });

  test('the output is sorted by cell and does not depend on the order of the input', () => {
    const uplinks = walk(50);
    const shuffled = [...uplinks].reverse().map((u) => ({ ...u, heardBy: [...u.heardBy].reverse() }));
    const forward = aggregateCoverage(uplinks);
    expect(aggregateCoverage(shuffled)).toEqual(forward);
    const ids = forward.cells.map((cell) => cell.h3);
    expect(ids).toEqual([...ids].sort());
    expect(forward.hotspots.map((h) => h.address)).toEqual([A.hotspot, B.hotspot, C.hotspot]);
  });

  test('hotspotsOf lists each hotspot once with the cells it heard and its best RSSI', () => {
    const { cells, hotspots } = aggregateCoverage(walk(50));
    expect(hotspotsOf(cells)).toEqual(hotspots);
    for (const hotspot of hotspots) {
      const heardIn = cells.filter((cell) => cell.hotspots.some((h) => h.address === hotspot.address));
      expect(hotspot.cellsHeard).toBe(heardIn.length);
      expect(hotspot.bestRssiDbm).toBe(Math.max(...heardIn.map((cell) => cell.hotspots.find((h) => h.address === hotspot.address)?.bestRssiDbm ?? -Infinity)));
    }
  });
});

describe('what is left out, and why', () => {
  test("TTN Mapper's GPS filter: each dropped uplink counted once, under its first reason", () => {
    const result = aggregateCoverage([
      uplink(),
      uplink({ satellites: 3 }),
      uplink({ satellites: 4, hdop: 5 }),
      uplink({ hdop: 5.1 }),
      uplink({ satellites: 2, hdop: 9 }),
      uplink({ latE7: 0 }),
      uplink({ lonE7: 0 }),
      uplink({ latE7: 890_000_000 }),
      uplink({ latE7: -895_000_000 }),
      uplink({ latE7: 889_999_999 }),
      uplink({ lonE7: 1_800_000_001 }),
    ]);
    expect(result.uplinks).toEqual({
      total: 11,
      used: 3,
      outsideWindow: 0,
      dropped: { duplicate: 0, satellites: 2, hdop: 1, zeroCoordinate: 2, latitude: 2, longitude: 1 },
    });
  });

  test('a second uplink with the same digest is dropped as a duplicate', () => {
    const first = uplink({ digest: 'AB'.repeat(32) });
    const result = aggregateCoverage([first, { ...first, digest: 'ab'.repeat(32) }]);
    expect(result.uplinks).toMatchObject({ used: 1, dropped: { duplicate: 1 } });
    expect(result.cells[0].uplinksSent).toBe(1);
  });

  test('a hearing more than 200 km from the uplink is dropped as implausible; 199 km is kept', () => {
    // 0.01° of latitude is about 1.11 km: 1.8° north is about 200.2 km, 1.79° about 199.0 km.
    const far = hearing({ latE7: 525_219_000 + 18_000_000, rssiDdbm: -900 });
    const near = hearing({ hotspot: B.hotspot, latE7: 525_219_000 + 17_900_000, rssiDdbm: -1300 });
    const result = aggregateCoverage([uplink({ heardBy: [far] }), uplink({ timeMs: T0 + 1, heardBy: [far, near] })]);
    expect(result.hearings).toEqual({ total: 3, used: 1, dropped: { noLocation: 0, signal: 0, tooFar: 2 } });
    expect(result.cells[0]).toMatchObject({ bestRssiDbm: -130, uplinksHeard: 1, uplinksSent: 2 });
  });

  test('an uplink heard only by an implausible hotspot is unheard', () => {
    const { cells } = aggregateCoverage([uplink({ heardBy: [hearing({ lonE7: 134_132_000 + 40_000_000 })] })]);
    expect(cells[0].state).toBe('unheard');
  });

  test('hearings from hotspots without a location or with impossible signal values are counted', () => {
    const result = aggregateCoverage([uplink({
      heardBy: [hearing({ latE7: 0 }), hearing({ lonE7: 0 }), hearing({ rssiDdbm: 5 }), hearing({ rssiDdbm: -1411 }), hearing({ snrDdb: 401 }), hearing({ rssiDdbm: -1410, snrDdb: -400 })],
    })]);
    expect(result.hearings).toEqual({ total: 6, used: 1, dropped: { noLocation: 2, signal: 3, tooFar: 0 } });
  });

  test("a dropped uplink's hearings are not counted as hearings", () => {
    const result = aggregateCoverage([uplink({ satellites: 0, heardBy: [hearing(), hearing({ ...B })] })]);
    expect(result.hearings.total).toBe(0);
    expect(result.cells).toEqual([]);
  });
});

describe('options', () => {
  test.each([-1, 16, 9.5, Number.NaN])('res %p is refused with a RangeError', (res) => {
    expect(() => aggregateCoverage([uplink()], { res })).toThrow(RangeError);
    expect(() => aggregateCoverage([uplink()], { res })).toThrow(/res must be a whole number from 0 to 15/);
  });

  test('res 0 and 15 are accepted; 9 is the default', () => {
    expect(aggregateCoverage([uplink()], { res: 0 }).cells[0].h3).toBe(latLngToCell(52.5219, 13.4132, 0));
    expect(aggregateCoverage([uplink()], { res: 15 }).cells[0].h3).toBe(latLngToCell(52.5219, 13.4132, 15));
    expect(aggregateCoverage([uplink()]).res).toBe(9);
  });

  test('the window includes since and excludes until, and counts what it leaves out', () => {
    const uplinks = [0, 1, 2, 3].map((hour) => uplink({ timeMs: T0 + hour * 3_600_000 }));
    const result = aggregateCoverage(uplinks, { since: T0 + 3_600_000, until: new Date(T0 + 3 * 3_600_000) });
    expect(result).toMatchObject({ sinceMs: T0 + 3_600_000, untilMs: T0 + 3 * 3_600_000 });
    expect(result.uplinks).toMatchObject({ total: 4, used: 2, outsideWindow: 2 });
    expect(result.cells[0]).toMatchObject({ firstWalkedMs: T0 + 3_600_000, lastWalkedMs: T0 + 2 * 3_600_000 });
  });

  test('since after until, and times that are not times, are refused', () => {
    expect(() => aggregateCoverage([], { since: T0 + 1, until: T0 })).toThrow(/since must not be after until/);
    expect(() => aggregateCoverage([], { since: Number.NaN })).toThrow(RangeError);
    expect(() => aggregateCoverage([], { until: new Date('not a date') })).toThrow(RangeError);
  });

  test('no uplinks: no cells, nothing counted', () => {
    const result = aggregateCoverage([]);
    expect(result.cells).toEqual([]);
    expect(result.hotspots).toEqual([]);
    expect(result.uplinks.total).toBe(0);
  });
});

describe('input checks', () => {
  test('a field of the wrong type is refused with its path', () => {
    const bad = [uplink(), { ...uplink(), heardBy: [{ ...hearing(), rssiDdbm: '-100' }] }] as unknown as CoverageUplink[];
    expect(() => aggregateCoverage(bad)).toThrow(CoverageInputError);
    expect(() => aggregateCoverage(bad)).toThrow('uplinks[1].heardBy[0].rssiDdbm: must be an integer');
  });

  test.each([
    [{ digest: 'xyz' }, 'uplinks[0].digest: must be hex'],
    [{ latE7: 52.5 }, 'uplinks[0].latE7: must be an integer'],
    [{ hdop: -1 }, 'uplinks[0].hdop: must be a number of at least 0'],
    [{ satellites: Number.NaN }, 'uplinks[0].satellites: must be an integer of at least 0'],
    [{ heardBy: null }, 'uplinks[0].heardBy: must be an array'],
    [{ mapper: '' }, 'uplinks[0].mapper: must be a non-empty string'],
  ])('%p is refused', (change, message) => {
    expect(() => aggregateCoverage([{ ...uplink(), ...change } as unknown as CoverageUplink])).toThrow(message);
  });
});
