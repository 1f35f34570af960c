/**
 * GET /v1/coverage over real HTTP: what mappers found inside a box, as GeoJSON hexagons (heard and
 * walked-but-unheard) and hotspot points, with the time window and resolution asked for, and 400s that
 * say what is wrong with a query.
 */
import { encodeUploadBatch, type BatchItem, type Signer } from '../../proofs/index.js';
import { signerFor } from '../support/keys.js';
import { onboardBody, startTestOracle, type TestOracle } from '../support/oracle-harness.js';
import { mapperItem, mapperReceiptItem, signedMapperReceipt, signedMapperReport } from './mapper-fixtures.js';

const START = Date.UTC(2026, 10, 2, 6);
const mapper = signerFor('coverage route walker');
const hotspot = signerFor('coverage route hotspot');

let t: TestOracle;
beforeAll(async () => {
  t = await startTestOracle({ startMs: START });
  for (const [signer, lat, lon] of [[hotspot, 52.37, 4.89], [mapper, 52.37, 4.9]] as const) {
    expect((await t.post('/v1/hotspots', onboardBody(signer, lat, lon, START))).status).toBe(201);
  }
  // Two uplinks in Amsterdam, an hour apart, the first heard; one in Utrecht that nobody heard.
  const heard = signedMapperReport(mapper, { timeMs: START + 60_000, counter: 0, latE7: 523_791_000, lonE7: 49_003_000 });
  const later = signedMapperReport(mapper, { timeMs: START + 3_660_000, counter: 1, latE7: 523_700_000, lonE7: 48_950_000 });
  const utrecht = signedMapperReport(mapper, { timeMs: START + 7_200_000, counter: 2, latE7: 520_907_000, lonE7: 51_214_000 });
  await upload(mapper, [mapperItem(heard), mapperItem(later), mapperItem(utrecht)]);
  await upload(hotspot, [mapperReceiptItem(signedMapperReceipt(heard, hotspot, { rssiDdbm: -1015, snrDdb: 55 }))]);
});
afterAll(async () => {
  await t?.close();
});

async function upload(uploader: Signer, items: BatchItem[]): Promise<void> {
  const response = await t.post('/v1/receipts', encodeUploadBatch({ uploader: uploader.publicKey, items }));
  expect(response.status).toBe(200);
}

interface Feature {
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

async function coverage(query: string): Promise<{ status: number; type: string | null; body: { type: string; features: Feature[] } }> {
  const response = await t.get(`/v1/coverage?${query}`);
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as { type: string; features: Feature[] } };
}

const hexes = (features: Feature[]) => features.filter((f) => f.geometry.type === 'Polygon');
const points = (features: Feature[]) => features.filter((f) => f.geometry.type === 'Point');

test('a box around Amsterdam: one heard hexagon, one walked but unheard, and the hotspot that heard it', async () => {
  const { status, type, body } = await coverage('bbox=4.8,52.3,5.0,52.45');
  expect(status).toBe(200);
  expect(type).toMatch(/^application\/geo\+json/);
  expect(body.type).toBe('FeatureCollection');
  const cells = hexes(body.features);
  expect(cells.map((f) => f.properties.state).sort()).toEqual(['heard', 'unheard']);
  const heard = cells.find((f) => f.properties.state === 'heard')!;
  expect(heard.properties).toMatchObject({ bestRssiDbm: -101.5, snrDb: 5.5 });
  expect(heard.properties.hotspots).toEqual([expect.objectContaining({ lat: 52.37, lon: 4.89, bestRssiDbm: -101.5, distanceM: 1082 })]);
  expect(points(body.features)).toHaveLength(1);
});

test('a box around Utrecht holds only its unheard hexagon; res and the time window are honoured', async () => {
  const utrecht = await coverage('bbox=5.0,52.0,5.2,52.2');
  expect(hexes(utrecht.body.features).map((f) => f.properties.state)).toEqual(['unheard']);
  expect(points(utrecht.body.features)).toEqual([]);
  const coarse = await coverage('bbox=4.8,52.3,5.0,52.45&res=6');
  expect(hexes(coarse.body.features)).toHaveLength(1);
  expect(hexes(coarse.body.features)[0].properties.state).toBe('heard');
  const firstHour = await coverage(`bbox=4.8,52.3,5.0,52.45&until=${START + 3_600_000}`);
  expect(hexes(firstHour.body.features).map((f) => f.properties.state)).toEqual(['heard']);
  const afterwards = await coverage(`bbox=4.8,52.3,5.0,52.45&since=${new Date(START + 3_600_000).toISOString()}`);
  expect(hexes(afterwards.body.features).map((f) => f.properties.state)).toEqual(['unheard']);
});

test.each([
  ['no box', '', 'bad_bbox'],
  ['a box of three numbers', 'bbox=4.8,52.3,5.0', 'bad_bbox'],
  ['a latitude past the pole', 'bbox=4.8,52.3,5.0,95', 'bad_bbox'],
  ['resolution 16', 'bbox=4.8,52.3,5.0,52.45&res=16', 'bad_res'],
  ['a resolution that is not a number', 'bbox=4.8,52.3,5.0,52.45&res=fine', 'bad_res'],
  ['a date without a zone', 'bbox=4.8,52.3,5.0,52.45&since=2026-11-02T06:00:00', 'bad_time'],
  ['until before since', 'bbox=4.8,52.3,5.0,52.45&since=2026-11-03&until=2026-11-02', 'bad_time'],
])('%s: 400 with the reason', async (_what, query, error) => {
  const { status, body } = await coverage(query);
  expect(status).toBe(400);
  expect(body).toMatchObject({ error });
});
