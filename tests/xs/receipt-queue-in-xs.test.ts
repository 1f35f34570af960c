/**
 * The receipt queue inside the real XS engine: a scripted run with reboots and torn power cuts gives
 * the same sequence numbers, the same records and the same raw flash bytes as in Node; and the queue's
 * live memory does not grow with the number of records it holds.
 */
import { fileURLToPath } from 'node:url';
import { XsWorker } from '../../tools/xs/xs-runner.js';
import { runQueueScript, type QueueScript, type QueueScriptResult } from './entries/receipt-queue-script.js';

const ENTRY = fileURLToPath(new URL('./entries/receipt-queue-entry.ts', import.meta.url));

let worker: XsWorker;

beforeAll(async () => {
  worker = await XsWorker.start({ name: 'covey-xs-receipt-queue' });
  await worker.load(ENTRY);
});

afterAll(async () => {
  await worker?.close();
});

/** Plain data as it crosses the wire (byte strings stay Uint8Array). */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value, (_, v) => (v instanceof Uint8Array ? [...v] : v)));

test('a scripted run with reboots and torn cuts gives the same records and flash bytes in XS as in Node', async () => {
  const script: QueueScript = { seed: 11, ops: 400, sectors: 4, sectorSize: 1024, maxRecordBytes: 200 };
  const node = runQueueScript(script);
  const { value: xs } = await worker.call<QueueScriptResult>('run', { script });
  expect(node.counters.powerCuts).toBeGreaterThan(3);
  expect(node.stats.erases).toBeGreaterThan(4);
  expect(node.final.length).toBeGreaterThan(0);
  expect(plain(xs)).toEqual(plain(node));
});

/** Live XS slots (after a gc) with a queue holding `records` records on a 64 KB region, over a baseline without it. */
async function queueSlots(records: number): Promise<number> {
  await worker.call('makeFlash', { size: 16 * 4096 });
  const base = (await worker.collectGarbage()).currentHeapCount;
  const { value: size } = await worker.call<number>('openQueue', { records, recordBytes: 180 });
  expect(size).toBe(records);
  const held = (await worker.collectGarbage()).currentHeapCount;
  await worker.call('drop');
  return held - base;
}

test('the queue holds the same few slots whether it stores 1 record or 300', async () => {
  const one = await queueSlots(1);
  const many = await queueSlots(300);
  expect(many).toBe(one);
  expect(one).toBeLessThan(60);
});
