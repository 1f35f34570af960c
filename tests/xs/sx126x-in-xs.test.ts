/**
 * The SX126x driver and the SX1262 emulator inside the real XS engine: a TX → RX exchange gives, byte
 * for byte, what the same exchange gives in Node (packets, RSSI/SNR, stats, every command sent).
 */
import { fileURLToPath } from 'node:url';
import { XsWorker } from '../../tools/xs/xs-runner.js';
import { runSx126xExchange, type ExchangeArgs, type ExchangeResult } from './entries/sx126x-exchange.js';

const ENTRY = fileURLToPath(new URL('./entries/sx126x-exchange-entry.ts', import.meta.url));

let worker: XsWorker;

beforeAll(async () => {
  worker = await XsWorker.start({ name: 'covey-xs-sx126x' });
  await worker.load(ENTRY);
});

afterAll(async () => {
  await worker?.close();
});

const beacon = Uint8Array.from({ length: 109 }, (_, i) => (i * 37 + 11) & 0xff);

test.each([
  ['a 109-byte beacon at SF7 over 120 dB', { payload: beacon, lossDb: 120, spreadingFactor: 7 }],
  ['a packet below the noise at SF9 over 136 dB', { payload: beacon.slice(0, 20), lossDb: 136, spreadingFactor: 9 }],
  ['a packet damaged in the air', { payload: beacon.slice(0, 12), lossDb: 100, spreadingFactor: 7, corrupt: true }],
] as const)('%s: XS and Node agree', async (_name, args: ExchangeArgs) => {
  const node = runSx126xExchange(args);
  const { value } = await worker.call<ExchangeResult>('exchange', { ...args });
  expect(node.heard).toHaveLength(1);
  expect(node.violations).toBe(0);
  expect(value).toEqual(node);
});
