/**
 * ReceiptQueue.forEachRecord: every stored record oldest first, read-only; a visit that returns false ends
 * the walk; a walk that starts after a given sequence number, found without reading the sectors before
 * its own; the same after removals, wraps of the ring, reboots and power cuts (tests/support/queue-harness.ts
 * keeps the model the walks are checked against).
 */
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { toHex } from '../../proofs/bytes.js';
import type { QueuedRecord } from '../../src/components.js';
import type { Flash } from '../../src/ports.js';
import { ReceiptQueue } from '../../src/receipt-queue.js';
import { PowerCutError, QueueRig, randomScript, type QueueOp, type QueueRigOptions } from '../support/queue-harness.js';

const SECTOR = 512;
const HEADER_BYTES = 16;

function record(i: number, length = 60): Uint8Array {
  return Uint8Array.from({ length }, (_, j) => (i * 31 + j) & 0xff);
}

/** A flash that counts its reads: record headers (16 bytes) apart from whole records. */
function countingFlash(inner: Flash): Flash & { headers: number; records: number } {
  const flash = {
    size: inner.size,
    sectorSize: inner.sectorSize,
    headers: 0,
    records: 0,
    read: (offset: number, length: number) => {
      if (length === HEADER_BYTES) flash.headers++;
      else flash.records++;
      return inner.read(offset, length);
    },
    program: (offset: number, bytes: Uint8Array) => inner.program(offset, bytes),
    erase: (sector: number) => inner.erase(sector),
  };
  return flash;
}

/** Every record a walk visits, as seq:hex, after `afterSeq` when given. */
function walk(queue: ReceiptQueue, afterSeq?: number): string[] {
  const seen: string[] = [];
  queue.forEachRecord((r) => {
    seen.push(`${r.seq}:${toHex(r.bytes)}`);
  }, afterSeq);
  return seen;
}

const describeAll = (records: readonly QueuedRecord[]) => records.map((r) => `${r.seq}:${toHex(r.bytes)}`);

/** What a walk after `afterSeq` must visit, given everything stored. */
const expectedAfter = (stored: readonly QueuedRecord[], afterSeq: number) => describeAll(stored.filter((r) => r.seq > afterSeq));

/** A queue over four 512-byte sectors holding records 1 to 20 (about three sectors), some removed. */
function queueWithGaps(): { queue: ReceiptQueue; flash: SimFlash } {
  const flash = new SimFlash({ size: 4 * SECTOR, sectorSize: SECTOR });
  const queue = new ReceiptQueue(flash, { maxRecordBytes: 128 });
  for (let i = 0; i < 20; i++) queue.append(record(i));
  queue.remove([1, 2, 7, 8, 9, 14, 20]);
  return { queue, flash };
}

describe('walking every record', () => {
  test('visits every stored record, oldest first, with the bytes peek returns, and changes nothing', () => {
    const { queue, flash } = queueWithGaps();
    const before = flash.snapshot();
    expect(walk(queue)).toEqual(describeAll(queue.peek(queue.size)));
    expect(walk(queue, 0)).toEqual(walk(queue));
    expect(flash.snapshot()).toEqual(before);
    expect(queue.size).toBe(13);
  });

  test('a visit that returns false ends the walk there, and nothing more is read', () => {
    const flash = countingFlash(new SimFlash({ size: 4 * SECTOR, sectorSize: SECTOR }));
    const queue = new ReceiptQueue(flash, { maxRecordBytes: 128 });
    for (let i = 0; i < 12; i++) queue.append(record(i));
    const seen: number[] = [];
    let readsAtStop = 0;
    queue.forEachRecord((r) => {
      seen.push(r.seq);
      readsAtStop = flash.headers + flash.records;
      return r.seq !== 3;
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(flash.headers + flash.records).toBe(readsAtStop);
  });

  test('only false stops it: true and undefined go on', () => {
    const { queue } = queueWithGaps();
    let count = 0;
    queue.forEachRecord(() => (count++ % 2 === 0 ? true : undefined));
    expect(count).toBe(queue.size);
  });
});

describe('starting after a sequence number', () => {
  test('starts at the first stored record above it, whether that number is stored, removed or never was', () => {
    const { queue } = queueWithGaps();
    const stored = queue.peek(queue.size);
    for (let afterSeq = 0; afterSeq <= 25; afterSeq++) expect(walk(queue, afterSeq)).toEqual(expectedAfter(stored, afterSeq));
    expect(walk(queue, 19)).toEqual([]); // 20 was removed: nothing is left after 19
    expect(walk(queue, 6)[0]).toMatch(/^10:/); // 7, 8 and 9 were removed
  });

  test('early stop and a start combine: a reader can take the queue one record at a time', () => {
    const { queue } = queueWithGaps();
    const taken: number[] = [];
    for (let last = 0, more = true; more; ) {
      more = false;
      queue.forEachRecord((r) => {
        taken.push(r.seq);
        last = r.seq;
        more = true;
        return false;
      }, last);
    }
    expect(taken).toEqual(queue.peek(queue.size).map((r) => r.seq));
  });

  test('after the ring wrapped and dropped its oldest records, any start gives what is left after it', () => {
    const flash = new SimFlash({ size: 3 * SECTOR, sectorSize: SECTOR });
    const queue = new ReceiptQueue(flash, { maxRecordBytes: 128 });
    for (let i = 0; i < 50; i++) queue.append(record(i));
    queue.remove([40, 41, 45]);
    const stored = queue.peek(queue.size);
    expect(queue.stats.droppedOldest).toBeGreaterThan(0);
    expect(stored[0].seq).toBeGreaterThan(1);
    for (let afterSeq = 0; afterSeq <= 52; afterSeq++) expect(walk(queue, afterSeq)).toEqual(expectedAfter(stored, afterSeq));
  });

  test('finding the start reads no record before it, and no header of the sectors before its own', () => {
    const flash = countingFlash(new SimFlash({ size: 32 * 4096 }));
    const queue = new ReceiptQueue(flash);
    for (let i = 0; i < 400; i++) queue.append(record(i, 200)); // 18 records of 216 bytes in a 4 KB sector
    for (const afterSeq of [0, 17, 18, 200, 399]) {
      flash.headers = 0;
      flash.records = 0;
      const seen: number[] = [];
      queue.forEachRecord((r) => {
        seen.push(r.seq);
        return false;
      }, afterSeq);
      expect(seen).toEqual([afterSeq + 1]);
      expect(flash.records).toBe(1);
      expect(flash.headers).toBeLessThanOrEqual(19);
    }
    expect(queue.stats.droppedOldest).toBe(0);
  });

  test('refuses an afterSeq that is negative or not an integer', () => {
    const { queue } = queueWithGaps();
    for (const afterSeq of [-1, 1.5, Number.NaN, Infinity]) expect(() => queue.forEachRecord(() => undefined, afterSeq)).toThrow(RangeError);
  });
});

describe('against the model, through outages, acknowledgements, reboots and power cuts', () => {
  const RIG: QueueRigOptions = { size: 6 * SECTOR, sectorSize: SECTOR, queue: { maxRecordBytes: 96 } };
  const SCRIPT: readonly QueueOp[] = randomScript(new SeededRng(77), { length: 300, maxRecordBytes: 96, onlineLength: 30, outageLength: 50 });

  /** Walks from the start, from each stored record, from just before it, and from past the end, against `stored`. */
  function expectWalksMatch(queue: ReceiptQueue, stored: readonly QueuedRecord[]): void {
    const starts = new Set([0, ...stored.flatMap((r) => [r.seq - 1, r.seq]), (stored.at(-1)?.seq ?? 0) + 1]);
    for (const afterSeq of starts) expect(walk(queue, afterSeq)).toEqual(expectedAfter(stored, afterSeq));
  }

  test('after every step of a script that wraps the ring and reboots, walks from anywhere match the model', () => {
    const rig = new QueueRig(RIG);
    for (const op of SCRIPT) {
      rig.apply(op);
      expectWalksMatch(rig.queue, rig.pending);
    }
    expect(rig.dropped).toBeGreaterThan(0);
    expect(rig.removedSeqs.size).toBeGreaterThan(20);
  });

  test('after a power cut halfway through a program or erase and the remount, walks from anywhere match what it kept', () => {
    const reference = new QueueRig(RIG);
    for (const op of SCRIPT) reference.apply(op);
    const totalSteps = reference.flash.counters.steps;
    let cuts = 0;
    for (let step = 3; step < totalSteps; step += 23) {
      const rig = new QueueRig({ ...RIG, flashSeed: step });
      rig.flash.cutPowerAt(step, 'torn');
      for (const op of SCRIPT) {
        try {
          rig.apply(op);
        } catch (error) {
          if (!(error instanceof PowerCutError)) throw error;
          rig.recover(); // checks the remounted queue against the model
          cuts++;
          break;
        }
      }
      expectWalksMatch(rig.queue, rig.contents());
    }
    expect(cuts).toBeGreaterThan(10);
  });
});
