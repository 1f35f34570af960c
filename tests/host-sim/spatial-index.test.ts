/**
 * The spatial index finds exactly what a search of every station finds: first the grid on its own, then
 * SimAir with the grid against SimAir testing every station, over random layouts and traffic.
 */
import fc from 'fast-check';
import type { AirReception } from '../../host-sim/air/air.js';
import { SimAir } from '../../host-sim/air/sim-air.js';
import { SpatialGrid, withinRange, type Located } from '../../host-sim/air/spatial-index.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { CHANNEL, Listener, signal } from '../support/air-stations.js';

interface Point extends Located {
  readonly index: number;
}

const coordinate = fc.double({ min: -20_000, max: 20_000, noNaN: true });

describe('SpatialGrid', () => {
  test('returns the items within range, the same as testing every item', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(coordinate, coordinate), { maxLength: 200 }),
        fc.tuple(coordinate, coordinate),
        fc.double({ min: 0, max: 30_000, noNaN: true }),
        fc.double({ min: 1, max: 10_000, noNaN: true }),
        (coords, [x, y], range, cellSizeM) => {
          const points: Point[] = coords.map(([xM, yM], index) => ({ xM, yM, index }));
          const grid = new SpatialGrid(cellSizeM);
          points.forEach((p) => grid.insert(p));
          const found = grid.withinIndices(x, y, range, []).sort((a, b) => a - b);
          const expected = points.filter((p) => withinRange(p, x, y, range)).map((p) => p.index);
          expect(found).toEqual(expected);
        },
      ),
    );
  });

  test('forgets removed items and refuses coordinates it cannot hold', () => {
    const grid = new SpatialGrid(100);
    const a = { xM: 10, yM: 10, index: 1 };
    grid.insert(a);
    expect(grid.withinIndices(0, 0, 50, [])).toEqual([1]);
    expect(grid.remove(a)).toBe(true);
    expect(grid.remove(a)).toBe(false);
    expect(grid.withinIndices(0, 0, 50, [])).toEqual([]);
    expect(grid.size).toBe(0);
    expect(() => grid.insert({ xM: Number.NaN, yM: 0, index: 2 })).toThrow(RangeError);
    expect(() => new SpatialGrid(0)).toThrow(RangeError);
  });
});

interface Layout {
  readonly stations: readonly { xM: number; yM: number; heightM: number; gain: number; nf: number; sf: number }[];
  readonly sends: readonly { from: number; afterMs: number; sf: number; power: number }[];
}

const layout: fc.Arbitrary<Layout> = fc.record({
  stations: fc.array(
    fc.record({
      xM: fc.double({ min: -15_000, max: 15_000, noNaN: true }),
      yM: fc.double({ min: -15_000, max: 15_000, noNaN: true }),
      heightM: fc.double({ min: 0, max: 40, noNaN: true }),
      gain: fc.integer({ min: -2, max: 6 }),
      nf: fc.integer({ min: 3, max: 12 }),
      sf: fc.integer({ min: 7, max: 12 }),
    }),
    { minLength: 2, maxLength: 40 },
  ),
  sends: fc.array(
    fc.record({ from: fc.nat(), afterMs: fc.integer({ min: 0, max: 800 }), sf: fc.integer({ min: 7, max: 12 }), power: fc.integer({ min: 2, max: 27 }) }),
    { maxLength: 60 },
  ),
});

/** Runs `layout` on a SimAir and returns every delivery, in order, and the air's totals. */
function run(l: Layout, search: 'grid' | 'all', pathLoss: 'oulu' | 'hata'): { log: unknown[]; stats: unknown } {
  const clock = new VirtualClock();
  const air = new SimAir(clock, {
    seed: 3,
    search,
    cellSizeM: 1000,
    pathLoss: pathLoss === 'oulu' ? { name: 'oulu' } : { name: 'okumura-hata', environment: 'suburban', sigmaDb: 6 },
  });
  const log: [number, number, AirReception][] = [];
  const links = l.stations.map((s, i) => {
    const listener = new Listener({ ...CHANNEL, spreadingFactor: s.sf });
    listener.deliver = (reception) => log.push([clock.now(), i, reception]);
    return air.attachAt(listener, { xM: s.xM, yM: s.yM, heightM: s.heightM, antennaGainDbi: s.gain, noiseFigureDb: s.nf }, `s${i}`);
  });
  for (const send of l.sends) {
    clock.advance(send.afterMs);
    links[send.from % links.length].transmit(signal({ spreadingFactor: send.sf, txPowerDbm: send.power, payload: new Uint8Array(10) }));
  }
  clock.advance(10_000);
  return { log, stats: air.stats };
}

test('SimAir with the grid delivers exactly what SimAir testing every station delivers', () => {
  let deliveries = 0;
  fc.assert(
    fc.property(layout, fc.constantFrom('oulu' as const, 'hata' as const), (l, pathLoss) => {
      const withGrid = run(l, 'grid', pathLoss);
      expect(withGrid).toEqual(run(l, 'all', pathLoss));
      deliveries += withGrid.log.length;
    }),
    { numRuns: 60 },
  );
  expect(deliveries).toBeGreaterThan(100); // the layouts did exercise the air
});
