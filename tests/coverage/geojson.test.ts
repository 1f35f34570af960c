/** Cells as GeoJSON (tools/coverage/geojson.ts): rings, properties, hotspot points, and the bbox filter. */
import { cellToBoundary, getPentagons } from 'h3-js';
import { aggregateCoverage } from '../../tools/coverage/aggregate.js';
import {
  checkBbox,
  coverageGeoJson,
  filterBbox,
  hexPolygon,
  parseBbox,
  signedArea,
  type HexFeature,
  type HotspotFeature,
} from '../../tools/coverage/geojson.js';
import { hearing, HOTSPOTS, T0, uplink, walk } from './fixture.js';

const aggregate = aggregateCoverage(walk(50));
const collection = coverageGeoJson(aggregate.cells);
const hexes = collection.features.filter((f): f is HexFeature => f.properties.kind === 'hex');
const points = collection.features.filter((f): f is HotspotFeature => f.properties.kind === 'hotspot');

describe('hex polygons', () => {
  test('one Polygon per cell, in the cells\' order, with the H3 index as its id', () => {
    expect(hexes.map((f) => f.id)).toEqual(aggregate.cells.map((cell) => cell.h3));
    expect(hexes.every((f) => f.geometry.type === 'Polygon' && f.geometry.coordinates.length === 1)).toBe(true);
  });

  test('every ring is closed: its last position repeats its first (RFC 7946 §3.1.6)', () => {
    for (const hex of hexes) {
      const ring = hex.geometry.coordinates[0];
      expect(ring.length).toBe(7);
      expect(ring[ring.length - 1]).toEqual(ring[0]);
    }
  });

  test('every ring is counter-clockwise, as RFC 7946 asks of exterior rings', () => {
    for (const hex of hexes) expect(signedArea(hex.geometry.coordinates[0])).toBeGreaterThan(0);
  });

  test('the ring is h3-js\'s boundary in [lon, lat] order, to 7 decimals', () => {
    const [hex] = hexes;
    const boundary = cellToBoundary(hex.properties.h3, true);
    hex.geometry.coordinates[0].forEach(([lon, lat], i) => {
      expect(lon).toBeCloseTo(boundary[i][0], 7);
      expect(lat).toBeCloseTo(boundary[i][1], 7);
    });
  });

  test('a pentagon has a closed counter-clockwise ring of six positions', () => {
    const ring = hexPolygon(getPentagons(2)[0]).coordinates[0];
    expect(ring).toHaveLength(6);
    expect(ring[5]).toEqual(ring[0]);
    expect(signedArea(ring)).toBeGreaterThan(0);
  });

  test('the collection\'s bbox encloses every hex', () => {
    const [west, south, east, north] = collection.bbox as [number, number, number, number];
    for (const [lon, lat] of hexes.flatMap((hex) => hex.geometry.coordinates[0])) {
      expect(lon).toBeGreaterThanOrEqual(west);
      expect(lon).toBeLessThanOrEqual(east);
      expect(lat).toBeGreaterThanOrEqual(south);
      expect(lat).toBeLessThanOrEqual(north);
    }
  });
});

describe('properties', () => {
  test('a heard hex carries its signal, hotspots and times, ISO 8601 in UTC', () => {
    const { cells } = aggregateCoverage([
      uplink({ heardBy: [hearing({ rssiDdbm: -955, snrDdb: -42, timeMs: T0 + 700 }), hearing({ ...HOTSPOTS[1], rssiDdbm: -1200 })] }),
    ]);
    const [feature] = coverageGeoJson(cells).features as HexFeature[];
    expect(feature.properties).toMatchObject({
      kind: 'hex',
      h3: cells[0].h3,
      state: 'heard',
      bestRssiDbm: -95.5,
      snrDb: -4.2,
      hotspotCount: 2,
      uplinksSent: 1,
      uplinksHeard: 1,
      firstWalked: '2026-03-01T08:00:00.000Z',
      lastWalked: '2026-03-01T08:00:00.000Z',
      lastHeard: '2026-03-01T08:00:00.700Z',
    });
    expect(feature.properties.hotspots[0]).toEqual({
      address: HOTSPOTS[0].hotspot, lat: 52.521, lon: 13.405, bestRssiDbm: -95.5, snrDb: -4.2,
      distanceM: cells[0].hotspots[0].distanceM, uplinksHeard: 1, lastHeard: '2026-03-01T08:00:00.700Z',
    });
  });

  test('an unheard hex has null signal and no hotspots', () => {
    const [feature] = coverageGeoJson(aggregateCoverage([uplink()]).cells).features as HexFeature[];
    expect(feature.properties).toMatchObject({ state: 'unheard', bestRssiDbm: null, snrDb: null, hotspotCount: 0, hotspots: [], lastHeard: null });
  });

  test('one Point per hotspot, after the hexes; none when asked for none', () => {
    expect(points.map((p) => p.properties.address)).toEqual(HOTSPOTS.map((h) => h.hotspot));
    expect(points[0].geometry.coordinates).toEqual([13.405, 52.521]);
    expect(collection.features.slice(0, hexes.length)).toEqual(hexes);
    expect(coverageGeoJson(aggregate.cells, { hotspots: false }).features).toHaveLength(hexes.length);
  });

  test('it survives JSON: no undefined values, nothing lost', () => {
    expect(JSON.parse(JSON.stringify(collection))).toEqual(collection);
  });

  test('no cells: an empty FeatureCollection without a bbox', () => {
    expect(coverageGeoJson([])).toEqual({ type: 'FeatureCollection', features: [] });
  });
});

describe('filterBbox', () => {
  const all = aggregate.cells;

  test('a box around the whole walk keeps every cell; a box elsewhere none', () => {
    expect(filterBbox(all, [13.3, 52.4, 13.6, 52.6])).toEqual(all);
    expect(filterBbox(all, [2.2, 48.8, 2.4, 48.9])).toEqual([]);
  });

  test('a box over the west end keeps the cells that reach into it, and no others', () => {
    const box = [13.39, 52.51, 13.41, 52.53] as const;
    const kept = filterBbox(all, box);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.length);
    for (const cell of all) {
      const ring = cellToBoundary(cell.h3, true);
      const meets = Math.min(...ring.map((p) => p[0])) <= box[2] && Math.max(...ring.map((p) => p[0])) >= box[0];
      expect(kept.includes(cell)).toBe(meets);
    }
  });

  test('a cell whose centre is outside the box but whose edge is inside is kept', () => {
    const [cell] = all;
    const ring = cellToBoundary(cell.h3, true);
    const east = Math.max(...ring.map((p) => p[0]));
    expect(cell.lon).toBeLessThan(east - 0.0005);
    expect(filterBbox([cell], [east - 0.0005, 52, east + 1, 53])).toEqual([cell]);
  });

  test('a box across the antimeridian (west > east) keeps cells on both sides of it', () => {
    const cells = aggregateCoverage([
      uplink({ latE7: 5_000_000, lonE7: 1_799_900_000 }),
      uplink({ latE7: 5_000_000, lonE7: -1_799_900_000 }),
      uplink({ latE7: 5_000_000, lonE7: 100_000_000 }),
    ]).cells;
    const kept = filterBbox(cells, [179, 0, -179, 1]);
    expect(kept.map((cell) => Math.sign(cell.lon)).sort()).toEqual([-1, 1]);
  });

  test.each([
    [[1, 2, 3], TypeError, /four numbers/],
    [[1, 2, 3, '4'], TypeError, /four numbers/],
    ['1,2,3,4', TypeError, /four numbers/],
    [[0, Number.NaN, 1, 1], RangeError, /finite/],
    [[0, 10, 1, 5], RangeError, /south \(10\) is north of north \(5\)/],
    [[-190, 0, 1, 1], RangeError, /west and east must be from -180 to 180/],
    [[0, -91, 1, 1], RangeError, /south and north must be from -90 to 90/],
  ])('bbox %p is refused', (bbox, type, message) => {
    expect(() => filterBbox(all, bbox as unknown as [number, number, number, number])).toThrow(type);
    expect(() => checkBbox(bbox)).toThrow(message);
  });

  test('parseBbox reads west,south,east,north and refuses anything else', () => {
    expect(parseBbox('13.3,52.4,13.6,52.6')).toEqual([13.3, 52.4, 13.6, 52.6]);
    expect(parseBbox(' -1.5, -2 ,3.,.5')).toEqual([-1.5, -2, 3, 0.5]);
    expect(() => parseBbox('13.3,52.4,13.6')).toThrow(/west,south,east,north/);
    expect(() => parseBbox('a,b,c,d')).toThrow(TypeError);
    expect(() => parseBbox('1e3,0,0,0')).toThrow(TypeError);
    expect(() => parseBbox('0,60,1,50')).toThrow(RangeError);
  });
});
