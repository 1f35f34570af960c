/**
 * A scripted receipt-queue run on the simulated flash, shared by Node and XS
 * (tests/xs/receipt-queue-in-xs.test.ts): appends, acknowledgements, reboots and torn power cuts, all
 * drawn from one seed, with everything the queue returned and a CRC of the raw flash at the end. Device
 * code: no Node built-ins, so that the same function runs in both engines and must give the same result.
 */
import { PowerCutError, SimFlash, type SimFlashCounters } from '../../../host-sim/ports/flash.js';
import { SeededRng } from '../../../host-sim/ports/seeded-rng.js';
import type { QueuedRecord } from '../../../src/components.js';
import { crc32 } from '../../../src/queue/crc32.js';
import { ReceiptQueue, type ReceiptQueueStats } from '../../../src/receipt-queue.js';

export interface QueueScript {
  readonly seed: number;
  readonly ops: number;
  readonly sectors: number;
  readonly sectorSize: number;
  readonly maxRecordBytes: number;
}

export interface QueueScriptResult {
  /** What each append returned, -1 when the power was cut during it. */
  readonly appended: number[];
  /** Every batch peeked before an acknowledgement. */
  readonly peeked: QueuedRecord[][];
  /** Contents at the end, after a last reboot. */
  readonly final: QueuedRecord[];
  /** Stats summed over every mount. */
  readonly stats: ReceiptQueueStats;
  readonly counters: SimFlashCounters;
  readonly flashCrc: number;
}

export function runQueueScript(script: QueueScript): QueueScriptResult {
  const rng = new SeededRng(script.seed);
  let flash = new SimFlash({ size: script.sectors * script.sectorSize, sectorSize: script.sectorSize, rng: new SeededRng(script.seed + 1) });
  let queue: ReceiptQueue | undefined = new ReceiptQueue(flash, { maxRecordBytes: script.maxRecordBytes });
  const totals = { appended: 0, removed: 0, droppedOldest: 0, corruptSkipped: 0, erases: 0 };
  const result = { appended: [] as number[], peeked: [] as QueuedRecord[][] };
  const reboot = (): ReceiptQueue => {
    if (queue !== undefined) addStats(totals, queue.stats);
    queue = undefined; // until the mount below completes: the power may go during it too
    flash = flash.reboot();
    queue = new ReceiptQueue(flash, { maxRecordBytes: script.maxRecordBytes });
    return queue;
  };
  for (let i = 0; i < script.ops; i++) {
    const draw = rng.below(100);
    if (draw < 4) flash.cutPowerAt(flash.counters.steps + rng.below(6), 'torn');
    try {
      if (draw < 8) reboot();
      else if (draw < 40) acknowledge(queue ?? reboot(), rng, result.peeked);
      else result.appended.push((queue ?? reboot()).append(rng.bytes(rng.below(script.maxRecordBytes + 1))));
    } catch (error) {
      if (!(error instanceof PowerCutError)) throw error;
      if (draw >= 40) result.appended.push(-1);
      reboot();
    }
  }
  flash.cancelPowerCut();
  const last = queue ?? reboot();
  for (let i = 0; i < 5; i++) result.appended.push(last.append(rng.bytes(1 + rng.below(script.maxRecordBytes))));
  const mounted = reboot();
  addStats(totals, mounted.stats);
  const final = mounted.peek(mounted.size).map(({ seq, bytes }) => ({ seq, bytes: bytes.slice() }));
  return { ...result, final, stats: totals, counters: flash.counters, flashCrc: crc32(flash.snapshot()) };
}

/** Peeks a batch, as the uploader does, and removes most of it. */
function acknowledge(queue: ReceiptQueue, rng: SeededRng, peeked: QueuedRecord[][]): void {
  const batch = queue.peek(1 + rng.below(8)).map(({ seq, bytes }) => ({ seq, bytes: bytes.slice() }));
  peeked.push(batch);
  queue.remove(batch.filter(() => rng.below(4) !== 0).map((record) => record.seq));
}

function addStats(into: { -readonly [K in keyof ReceiptQueueStats]: number }, stats: ReceiptQueueStats): void {
  into.appended += stats.appended;
  into.removed += stats.removed;
  into.droppedOldest += stats.droppedOldest;
  into.corruptSkipped += stats.corruptSkipped;
  into.erases += stats.erases;
}

/** The queue holding `records` records, kept for the memory probe; its RAM must not depend on that number. */
export function openFilledQueue(flash: SimFlash, records: number, recordBytes: number): ReceiptQueue {
  const queue = new ReceiptQueue(flash);
  const rng = new SeededRng(records);
  for (let i = 0; i < records; i++) queue.append(rng.bytes(recordBytes));
  return queue;
}
