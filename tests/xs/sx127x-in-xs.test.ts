/**
 * The SX127x driver and the SX1276 emulator run inside the real XS engine: the same TX→RX exchanges
 * give the same packets (payload, RSSI, SNR, frequency error, CRC status) and the same counters as in
 * Node, including one where the first transmission hangs and the driver recovers.
 */
import { fileURLToPath } from 'node:url';
import { XsWorker } from '../../tools/xs/xs-runner.js';
import { runSx127xExchange, type ExchangeOutcome, type ExchangeScenario } from './entries/sx127x-exchange.js';

const ENTRY = fileURLToPath(new URL('./entries/sx127x-exchange-entry.ts', import.meta.url));

let worker: XsWorker;

beforeAll(async () => {
  worker = await XsWorker.start({ name: 'covey-xs-sx127x' });
  await worker.load(ENTRY);
});

afterAll(async () => {
  await worker?.close();
});

const payload = Uint8Array.from({ length: 109 }, (_, i) => (i * 7 + 3) & 0xff); // a maximum-size beacon

/** Plain data as it crosses the wire (byte strings stay Uint8Array). */
const plain = (outcome: ExchangeOutcome) => JSON.parse(JSON.stringify({ ...outcome, packets: outcome.packets.map((p) => ({ ...p, payload: [...p.payload] })) }));

async function inXs(scenario: ExchangeScenario): Promise<ExchangeOutcome> {
  return (await worker.call<ExchangeOutcome>('exchange', { scenario })).value;
}

test('a beacon-sized exchange gives the same packet and counters in XS as in Node', async () => {
  const scenario: ExchangeScenario = { payload, lossDb: 125, carrierOffsetHz: -2_400, spreadingFactor: 9 };
  const node = runSx127xExchange(scenario);
  const xs = await inXs(scenario);
  expect(node.packets).toHaveLength(1);
  expect(node.packets[0].payload).toEqual(payload);
  expect(plain(xs)).toEqual(plain(node));
});

test('a damaged packet is reported the same way in XS as in Node', async () => {
  const scenario: ExchangeScenario = { payload: payload.subarray(0, 20), lossDb: 110, carrierOffsetHz: 0, spreadingFactor: 7, corrupt: true };
  const node = runSx127xExchange(scenario);
  const xs = await inXs(scenario);
  expect(node.packets[0].crcOk).toBe(false);
  expect(plain(xs)).toEqual(plain(node));
});

test('a stuck transmission is recovered the same way in XS as in Node', async () => {
  const scenario: ExchangeScenario = { payload: payload.subarray(0, 30), lossDb: 110, carrierOffsetHz: 500, spreadingFactor: 7, stuckFirst: true };
  const node = runSx127xExchange(scenario);
  const xs = await inXs(scenario);
  expect(node.sender.recoveries).toBe(1);
  expect(node.packets).toHaveLength(1);
  expect(plain(xs)).toEqual(plain(node));
});
