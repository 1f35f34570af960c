/**
 * Region plans, the duty-cycle accountant and listen before talk inside the real XS engine give the
 * same answers as in Node: the same beacon verdicts in every region, the same refusals and allowed
 * times for a long run of bookings with merging, and the same LBT outcome.
 */
import { fileURLToPath } from 'node:url';
import { DutyCycleAccountant, type Verdict } from '../../hal/radio/duty-cycle.js';
import { pocAirtimeMs, regionPlan, REGIONS } from '../../hal/radio/regions.js';
import { XsWorker } from '../../tools/xs/xs-runner.js';

const ENTRY = fileURLToPath(new URL('./entries/radio-rules-entry.ts', import.meta.url));

let worker: XsWorker;

beforeAll(async () => {
  worker = await XsWorker.start({ name: 'covey-xs-radio-rules' });
  await worker.load(ENTRY);
});

afterAll(async () => {
  await worker?.close();
});

/** A fixed, busy sequence: attempts 0–60 s apart, 0.5–9.5 s long (a linear congruential walk). */
const attempts = (() => {
  const list: { t: number; airtimeMs: number }[] = [];
  let state = 12345;
  let t = 0;
  for (let i = 0; i < 300; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    t += state % 60_000;
    list.push({ t, airtimeMs: 500 + (state % 9_000) });
  }
  return list;
})();

function fillInNode(maxRecords: number): Verdict[] {
  const accountant = new DutyCycleAccountant(regionPlan('EU868'), { maxRecords });
  return attempts.map(({ t, airtimeMs }) => {
    const tx = { frequencyHz: 868_100_000, bandwidthHz: 125_000, airtimeMs, txPowerDbm: 14 };
    const verdict = accountant.check(tx, t);
    if (verdict.ok) accountant.record(tx, t);
    return verdict;
  });
}

test('every region passes a maximum-size beacon inside XS, as in Node', async () => {
  const { value } = await worker.call<{ id: string; airtimeMs: number; first: Verdict; second: Verdict }[]>('beacons');
  expect(value.map((r) => r.id)).toEqual(REGIONS.map((r) => r.id));
  for (const row of value) {
    expect(row.airtimeMs).toBe(pocAirtimeMs(regionPlan(row.id)));
    expect(row.first.ok).toBe(true);
    expect(row.second.ok).toBe(true);
  }
});

test.each([4, 32])('300 bookings with %i records kept give the same verdicts in XS and Node', async (maxRecords) => {
  const { value, meter } = await worker.call<Verdict[]>('fill', { attempts, maxRecords });
  const node = fillInNode(maxRecords);
  expect(value).toEqual(node);
  expect(node.filter((v) => !v.ok).length).toBeGreaterThan(50);
  expect(meter.compute).toBeGreaterThan(0);
});

test('KR920 listen before talk inside XS: a −60 dBm burst at 4 ms makes the channel busy', async () => {
  const quiet = Array.from({ length: 10 }, () => -110);
  expect((await worker.call<number>('startListen', { region: 'KR920', powers: quiet })).value).toBe(6);
  expect((await worker.call('listenResult')).value).toMatchObject({ clear: true, method: 'lbt', listen: { samples: 7 } });
  const burst = quiet.map((dbm, ms) => (ms === 4 ? -60 : dbm));
  await worker.call('startListen', { region: 'KR920', powers: burst });
  expect((await worker.call('listenResult')).value).toMatchObject({ clear: false, listen: { samples: 5, maxRssiDbm: -60 } });
});

test('EU868 falls back to CAD inside XS', async () => {
  await worker.call('startListen', { region: 'EU868', powers: [-80] });
  expect((await worker.call('listenResult')).value).toEqual({ clear: false, method: 'cad' });
});
