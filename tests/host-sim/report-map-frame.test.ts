/** The report map's projection and scale bar (host-sim/report/map-frame.ts). */
import { fitFrame, scaleBar } from '../../host-sim/report/map-frame.js';

const RADIANS = Math.PI / 180;
const KM_PER_DEGREE = (6371.007180918475 * Math.PI) / 180;
const AMSTERDAM = { lat: 52.3676, lon: 4.9041 };
const OPTIONS = { width: 960, maxHeight: 720, padding: 28 };

/** A point `eastKm` east and `northKm` north of Amsterdam, by the projection's own formula. */
function offset(eastKm: number, northKm: number): { lat: number; lon: number } {
  return {
    lat: AMSTERDAM.lat + northKm / KM_PER_DEGREE,
    lon: AMSTERDAM.lon + eastKm / (KM_PER_DEGREE * Math.cos(AMSTERDAM.lat * RADIANS)),
  };
}

test('north is up and east is right', () => {
  const frame = fitFrame([offset(0, 0), offset(10, 10)]);
  const [x0, y0] = frame.project(AMSTERDAM.lat, AMSTERDAM.lon);
  const ne = offset(10, 10);
  const [x1, y1] = frame.project(ne.lat, ne.lon);
  expect(x1).toBeGreaterThan(x0);
  expect(y1).toBeLessThan(y0);
});

test('a kilometre is as long east–west as north–south, and pxPerKm long', () => {
  const points = [offset(-5, 0), offset(5, 0), offset(0, -5), offset(0, 5)]; // the box's middle is Amsterdam
  const frame = fitFrame(points);
  const [[west], [east], [, south], [, north]] = points.map((p) => frame.project(p.lat, p.lon));
  expect((east - west) / 10).toBeCloseTo(frame.pxPerKm, 6);
  expect((south - north) / 10).toBeCloseTo(frame.pxPerKm, 6);
});

test('every point lands inside the padding, and the box fills the width or the height', () => {
  const points = [offset(-20, -3), offset(25, 4), offset(1, 1)];
  const frame = fitFrame(points, OPTIONS);
  const projected = points.map((p) => frame.project(p.lat, p.lon));
  for (const [x, y] of projected) {
    expect(x).toBeGreaterThanOrEqual(OPTIONS.padding - 1e-9);
    expect(x).toBeLessThanOrEqual(frame.width - OPTIONS.padding + 1e-9);
    expect(y).toBeGreaterThanOrEqual(OPTIONS.padding - 1e-9);
    expect(y).toBeLessThanOrEqual(frame.height - OPTIONS.padding + 1e-9);
  }
  expect(frame.width).toBe(960);
  expect(frame.height).toBeLessThan(720); // 45 × 7 km: as wide as allowed, only as tall as needed
  expect(frame.pxPerKm).toBeCloseTo((960 - 56) / 45, 1);
});

test('a single hotspot sits in the middle of a 1 km frame', () => {
  const frame = fitFrame([AMSTERDAM]);
  expect(frame.project(AMSTERDAM.lat, AMSTERDAM.lon)).toEqual([frame.width / 2, frame.height / 2]);
  expect(frame.pxPerKm).toBeCloseTo(720 - 56, 6);
});

test('no points, or a position that is not a number, is refused', () => {
  expect(() => fitFrame([])).toThrow(RangeError);
  expect(() => fitFrame([{ lat: Number.NaN, lon: 0 }])).toThrow(RangeError);
});

test.each([
  [45, 10, '10 km'],
  [8, 2, '2 km'],
  [3, 0.5, '500 m'],
  [120, 20, '20 km'],
])('a map %d km wide gets a scale bar of %d km (%s): a round length, at most a quarter of the map', (widthKm, km, label) => {
  const frame = fitFrame([offset(0, 0), offset(widthKm, 0)]);
  const bar = scaleBar(frame);
  expect(bar).toMatchObject({ km, label });
  expect(bar.px).toBeCloseTo(km * frame.pxPerKm, 9);
  expect(bar.px).toBeLessThanOrEqual(frame.width / 4);
});
