/**
 * The NMEA driver inside the real XS engine gives the same fixes and counters as in Node: for a fixed
 * byte stream of published sentences mixed with broken ones, pushed in uneven chunks, and for a
 * ten-minute walk written by the GPS emulator running beside it in XS. A receiver holds the same few
 * slots however long it runs.
 */
import { fileURLToPath } from 'node:url';
import { NmeaReceiver } from '../../hal/drivers/gps/nmea.js';
import { GpsEmulator } from '../../host-sim/chips/gps-emulator.js';
import type { GpsFix } from '../../src/ports.js';
import { XsWorker } from '../../tools/xs/xs-runner.js';
import { feed, type FeedResult } from './entries/gps-feed.js';

const ENTRY = fileURLToPath(new URL('./entries/gps-entry.ts', import.meta.url));

let worker: XsWorker;

beforeAll(async () => {
  worker = await XsWorker.start({ name: 'covey-xs-gps' });
  await worker.load(ENTRY);
});

afterAll(async () => {
  await worker?.close();
});

/** Plain data as it crosses the wire: undefined fields dropped, as JSON drops them. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

function withChecksum(body: string): string {
  let sum = 0;
  for (const c of body) sum ^= c.charCodeAt(0);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}

const DEPRIEST_RMC = '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A';
const DEPRIEST_GGA = '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47';

/**
 * A NEO-6M's cold start (chris.cnie.de/avr/neo-6.html), DePriest's RMC/GGA/GSA (gpsinformation.org),
 * then one of each fault, a lost fix and its return, and the u-blox examples.
 */
const STREAM = [
  '$GPTXT,01,01,02,u-blox ag - www.u-blox.com*50\r\n',
  '$GPRMC,,V,,,,,,,,,,N*53\r\n$GPGGA,,,,,,0,00,99.99,,,,,,*48\r\n$GPGSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99*30\r\n',
  '\x00\xff\xb5\x62 noise ',
  `${DEPRIEST_RMC}\r\n${DEPRIEST_GGA}\r\n$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39\r\n`,
  `${DEPRIEST_GGA.slice(0, 25)}`, // truncated by the next '$'
  `${withChecksum('GPRMC,123520,A,4807.040,N,01131.002,E,022.4,084.4,230394,003.1,W')}\r\n`,
  `${withChecksum('GPGGA,123520,4807.040,N,01131.002,E,1,09,0.8,545.9,M,46.9,M,,').replace('*', '0*')}\r\n`, // bad checksum
  `${withChecksum('GPGGA,123520,4807.040,N,01131.002,E,1,09,0.8,545.9,M,46.9,M,,').slice(0, -3)}\r\n`, // no checksum
  `$GPGSV,${'1,'.repeat(80)}*00\r\n`, // too long
  `${withChecksum('GPGGA,123520,4807.040,N,01131.002,E,1,09,,545.9,M,46.9,M,,')}\r\n`, // no HDOP: malformed
  `${withChecksum('GPGGA,123520,4807.040,N,01131.002,E,1,09,0.8,545.9,M,46.9,M,,')}\r\n`,
  `${withChecksum('GPRMC,123521,V,,,,,,,230394,,,N')}\r\n`,
  `${withChecksum('GPGGA,123521,,,,,0,00,99.99,,,,,,')}\r\n`,
  `${withChecksum('GNGGA,123522,4807.041,N,01131.003,E,1,12,0.7,546.1,M,46.9,M,,')}\r\n`,
  `${withChecksum('GNRMC,123522,A,4807.041,N,01131.003,E,022.4,084.4,230394,003.1,W,A')}\r\n`,
  '$GPRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*57\r\n',
  '$GPGGA,092725.00,4717.11399,N,00833.91590,E,1,08,1.01,499.6,M,48.0,M,,*5B\r\n',
].join('');
const BYTES = Uint8Array.from(STREAM, (c) => c.charCodeAt(0));
const CHUNKS = [1, 7, 3, 64, 13, 2, 29, 5];


test('a stream of good and broken sentences in uneven chunks gives the same fixes and counters in XS as in Node', async () => {
  const { value: xs } = await worker.call<FeedResult>('feed', { stream: BYTES, chunkSizes: CHUNKS });
  const node = feed(BYTES, CHUNKS);
  expect(plain(xs)).toEqual(plain(node));
  expect(xs.stats).toEqual({
    parsed: 14,
    ignored: 1,
    skippedBytes: 11,
    fixes: 3,
    bad: { checksum: 1, missingChecksum: 1, malformed: 1, tooLong: 1, truncated: 1 },
  });
  expect(xs.changes.map((c) => c.fix?.timeMs ?? null)).toEqual([
    Date.UTC(1994, 2, 23, 12, 35, 19),
    Date.UTC(1994, 2, 23, 12, 35, 20),
    null,
    Date.UTC(1994, 2, 23, 12, 35, 22),
    null, // the u-blox examples carry other times of day, so the last fix is then hours old
  ]);
  expect(xs.changes[0].fix).toEqual({ latE7: 481_173_000, lonE7: 115_166_667, altitudeM: 545.4, hdop: 0.9, satellites: 8, timeMs: Date.UTC(1994, 2, 23, 12, 35, 19) });
  expect(xs.changes[3].fix).toMatchObject({ latE7: 481_173_500, lonE7: 115_167_167, satellites: 12, hdop: 0.7 });
  expect(xs.fixMode).toBe(3);
});

test('a ten-minute walk from the emulator inside XS, with a fix loss, gives the same fixes as in Node', async () => {
  const start = Date.UTC(2026, 4, 17, 6, 0, 0);
  const intervals = [[start + 120_000, start + 150_000]];
  const { value: xs } = await worker.call<{ fixes: (GpsFix | null)[]; stats: unknown; emulator: unknown }>('walk', { start, seconds: 600, intervals });
  const emulator = new GpsEmulator({
    position: (t) => ({ lat: -33.8688 - (t - start) * 1.2e-8, lon: 151.2093 + (t - start) * 1.5e-8, altitudeM: 40 + Math.floor((t - start) / 60_000) * 5 }),
    hdop: (t) => 0.7 + ((t - start) % 7000) / 10_000,
    fixLoss: { intervals: [[start + 120_000, start + 150_000]] },
  });
  const receiver = new NmeaReceiver();
  const fixes = Array.from({ length: 600 }, (_, i) => {
    receiver.push(emulator.sentencesAt(start + i * 1000));
    return receiver.fix() ?? null;
  });
  expect(plain(xs)).toEqual(plain({ fixes, stats: receiver.stats, emulator: emulator.stats }));
  expect(xs.fixes.filter((fix) => fix === null)).toHaveLength(30);
  expect(xs.fixes[150]?.timeMs).toBe(start + 150_000);
  expect(xs.fixes[599]).toMatchObject({ altitudeM: 85, satellites: 8 });
  expect(receiver.stats).toMatchObject({ parsed: 1800, fixes: 570, ignored: 0 });
});

test('a receiver holds the same few live slots after 10 epochs and after 1,000', async () => {
  await worker.call('openEmulator', { start: Date.UTC(2026, 4, 17, 6, 0, 0) });
  const base = (await worker.collectGarbage()).currentHeapCount;
  await worker.call('openReceiver');
  expect((await worker.call<number>('advance', { seconds: 10 })).value).toBe(10);
  const early = (await worker.collectGarbage()).currentHeapCount - base;
  expect((await worker.call<number>('advance', { seconds: 990 })).value).toBe(1000);
  const late = (await worker.collectGarbage()).currentHeapCount - base;
  await worker.call('drop');
  // One slot apart: the one each gc() evaluation leaves behind in xsnap-worker (XsWorker.collectGarbage).
  expect(late - early).toBe(1);
  expect(early).toBeLessThan(120);
});
