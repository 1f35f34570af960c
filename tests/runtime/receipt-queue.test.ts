/**
 * The receipt queue's behaviour on a simulated NOR flash: the FIFO contract, persistence across reboots,
 * sequence numbers, wrapping and dropping the oldest, validation, the on-flash format, and mounting over
 * garbage or over what a cut left behind. Power cuts at every step are in receipt-queue-power-cut.test.ts.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { fromHex, toHex } from '../../proofs/bytes.js';
import { crc32 } from '../../src/queue/crc32.js';
import { ReceiptQueue, type ReceiptQueueOptions } from '../../src/receipt-queue.js';

const SECTOR = 512;

function freshFlash(sectors = 4, sectorSize = SECTOR): SimFlash {
  return new SimFlash({ size: sectors * sectorSize, sectorSize });
}

function record(i: number, length = 40): Uint8Array {
  return Uint8Array.from({ length }, (_, j) => (i * 31 + j) & 0xff);
}

function seqsOf(queue: ReceiptQueue): number[] {
  return queue.peek(queue.size + 1).map((r) => r.seq);
}

/** Reboots: a new mount of the same flash and a new queue over it. */
function reboot(flash: SimFlash, options?: ReceiptQueueOptions): { flash: SimFlash; queue: ReceiptQueue } {
  const next = flash.reboot();
  return { flash: next, queue: openQueue(next, options) };
}

/** The queue with records of up to 128 bytes, so that four 512-byte sectors make a small ring. */
function openQueue(flash: SimFlash, options: ReceiptQueueOptions = {}): ReceiptQueue {
  return new ReceiptQueue(flash, { maxRecordBytes: 128, ...options });
}

describe('FIFO contract', () => {
  test('append returns 1, 2, 3, … and peek returns the records oldest first with the same bytes', () => {
    const queue = openQueue(freshFlash());
    expect([0, 1, 2].map((i) => queue.append(record(i)))).toEqual([1, 2, 3]);
    const peeked = queue.peek(10);
    expect(peeked.map((r) => r.seq)).toEqual([1, 2, 3]);
    peeked.forEach((r, i) => expect(toHex(r.bytes)).toBe(toHex(record(i))));
  });

  test('peek returns at most limit records, and none for a limit of 0', () => {
    const queue = openQueue(freshFlash());
    for (let i = 0; i < 5; i++) queue.append(record(i));
    expect(queue.peek(2).map((r) => r.seq)).toEqual([1, 2]);
    expect(queue.peek(0)).toEqual([]);
  });

  test('remove forgets the given records in any order and ignores unknown and repeated ones', () => {
    const queue = openQueue(freshFlash());
    for (let i = 0; i < 6; i++) queue.append(record(i));
    queue.remove([5, 2, 99, 2, 0]);
    expect(seqsOf(queue)).toEqual([1, 3, 4, 6]);
    expect(queue.size).toBe(4);
    expect(queue.stats).toMatchObject({ appended: 6, removed: 2 });
  });

  test('an empty record is stored and returned', () => {
    const queue = openQueue(freshFlash());
    queue.append(new Uint8Array(0));
    expect(queue.peek(1)[0].bytes.length).toBe(0);
  });

  test('a record may be exactly maxRecordBytes long', () => {
    const queue = openQueue(freshFlash(), { maxRecordBytes: 100 });
    queue.append(record(1, 100));
    expect(toHex(queue.peek(1)[0].bytes)).toBe(toHex(record(1, 100)));
  });
});

describe('validation', () => {
  test('a record longer than maxRecordBytes is refused with RangeError and nothing is written', () => {
    const flash = freshFlash();
    const queue = openQueue(flash, { maxRecordBytes: 100 });
    expect(() => queue.append(new Uint8Array(101))).toThrow(RangeError);
    expect(flash.counters.programs).toBe(0);
    expect(queue.size).toBe(0);
  });

  test('the default maxRecordBytes is 512', () => {
    const queue = new ReceiptQueue(freshFlash(4, 4096));
    expect(queue.append(new Uint8Array(512))).toBe(1);
    expect(() => queue.append(new Uint8Array(513))).toThrow(RangeError);
  });

  test('a record that is not a Uint8Array is refused with TypeError', () => {
    const queue = openQueue(freshFlash());
    expect(() => queue.append([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });

  test('peek refuses a negative or fractional limit', () => {
    const queue = openQueue(freshFlash());
    expect(() => queue.peek(-1)).toThrow(RangeError);
    expect(() => queue.peek(1.5)).toThrow(RangeError);
  });

  test('remove refuses sequence numbers that are not integers', () => {
    const queue = openQueue(freshFlash());
    queue.append(record(1));
    expect(() => queue.remove([1, Number.NaN])).toThrow(TypeError);
    expect(queue.size).toBe(1);
  });

  test('a region of one sector is refused', () => {
    expect(() => openQueue(freshFlash(1))).toThrow(RangeError);
  });

  test('a maxRecordBytes that cannot fit in a sector is refused', () => {
    expect(() => openQueue(freshFlash(4, 512), { maxRecordBytes: 512 })).toThrow(RangeError);
  });

  test('a maxRecords below 1 is refused', () => {
    expect(() => openQueue(freshFlash(), { maxRecords: 0 })).toThrow(RangeError);
  });
});

describe('persistence', () => {
  test('stored records and removals survive a reboot', () => {
    const flash = freshFlash();
    let queue = openQueue(flash);
    for (let i = 0; i < 8; i++) queue.append(record(i));
    queue.remove([1, 4]);
    ({ queue } = reboot(flash));
    expect(seqsOf(queue)).toEqual([2, 3, 5, 6, 7, 8]);
    expect(toHex(queue.peek(1)[0].bytes)).toBe(toHex(record(1)));
  });

  test('sequence numbers continue after a reboot even when every record was removed', () => {
    const flash = freshFlash();
    let queue = openQueue(flash);
    for (let i = 0; i < 5; i++) queue.append(record(i));
    queue.remove([1, 2, 3, 4, 5]);
    ({ queue } = reboot(flash));
    expect(queue.size).toBe(0);
    expect(queue.append(record(9))).toBe(6);
  });

  test('sequence numbers keep increasing across many wraps of the ring and reboots', () => {
    let flash = freshFlash(3);
    let queue = openQueue(flash);
    let last = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 9; i++) {
        const seq = queue.append(record(i, 60));
        expect(seq).toBe(last + 1);
        last = seq;
      }
      queue.remove(queue.peek(9).map((r) => r.seq));
      ({ flash, queue } = reboot(flash));
    }
    expect(flash.counters.erases).toBeGreaterThan(20);
    expect(queue.append(record(0))).toBe(last + 1);
  });
});

describe('capacity', () => {
  test('when the ring is full the oldest sector is erased and its records are dropped and counted', () => {
    const flash = freshFlash(4);
    const queue = openQueue(flash);
    const total = 100;
    for (let i = 0; i < total; i++) queue.append(record(i, 60));
    const kept = seqsOf(queue);
    const { droppedOldest, erases } = queue.stats;
    expect(droppedOldest).toBeGreaterThan(0);
    expect(droppedOldest + kept.length).toBe(total);
    // What is left is the newest records, all of them.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => total - kept.length + 1 + i));
    expect(erases).toBe(flash.counters.erases);
  });

  test('a sector whose records were all removed is reused without dropping anything', () => {
    const queue = openQueue(freshFlash(3));
    for (let i = 0; i < 60; i++) {
      queue.append(record(i, 60));
      queue.remove(queue.peek(1).map((r) => r.seq));
    }
    expect(queue.stats.erases).toBeGreaterThan(3);
    expect(queue.stats.droppedOldest).toBe(0);
  });

  test('a sector is not erased while it holds records and free sectors remain', () => {
    const flash = freshFlash(4);
    const queue = openQueue(flash);
    for (let i = 0; i < 20; i++) queue.append(record(i, 60)); // about three sectors' worth
    expect(flash.counters.erases).toBe(0);
    expect(queue.size).toBe(20);
  });

  test('maxRecords drops the oldest record, one for one, and counts it', () => {
    const queue = openQueue(freshFlash(), { maxRecords: 3 });
    for (let i = 0; i < 7; i++) queue.append(record(i));
    expect(seqsOf(queue)).toEqual([5, 6, 7]);
    expect(queue.stats.droppedOldest).toBe(4);
  });
});

describe('on-flash format', () => {
  test('the CRC is CRC-32 as zlib computes it', () => {
    const bytes = new SeededRng(5).bytes(300);
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  test('a first record lays out the sector header and record as documented', () => {
    const flash = freshFlash();
    openQueue(flash).append(fromHex('616263'));
    const image = flash.snapshot();
    const sectorHeader = fromHex('43565131' + '01000000' + '01000000');
    const headerCrc = zlibCrc32(sectorHeader);
    expect(toHex(image.subarray(0, 20))).toBe(toHex(sectorHeader) + u32(headerCrc) + 'ffffffff');
    const covered = fromHex('5231' + '0300' + 'fcff' + '01000000' + '616263');
    expect(toHex(image.subarray(20, 40))).toBe('5231' + '0300' + 'fcff' + '00' + 'ff' + '01000000' + u32(zlibCrc32(covered)) + '616263' + 'ff');
    expect(image.subarray(40).every((b) => b === 0xff)).toBe(true);
  });

  test('removing a record programs its removed marker and nothing else', () => {
    const flash = freshFlash();
    const queue = openQueue(flash);
    queue.append(fromHex('616263'));
    const before = flash.snapshot();
    queue.remove([1]);
    const after = flash.snapshot();
    const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
    expect(changed).toEqual([20 + 7]);
    expect(after[27]).toBe(0);
  });
});

function u32(value: number): string {
  return toHex(Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24));
}

describe('mounting', () => {
  test('random garbage mounts as an empty queue that then works and persists', () => {
    const contents = new SeededRng(9).bytes(4 * SECTOR);
    const flash = new SimFlash({ size: 4 * SECTOR, sectorSize: SECTOR, contents });
    let queue = openQueue(flash);
    expect(queue.size).toBe(0);
    for (let i = 0; i < 20; i++) queue.append(record(i, 50));
    ({ queue } = reboot(flash));
    expect(seqsOf(queue)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(queue.stats.droppedOldest).toBe(0);
  });

  test.each(['00', '55', 'a5'])('a region filled with 0x%s mounts empty', (fill) => {
    const flash = new SimFlash({ size: 4 * SECTOR, sectorSize: SECTOR, contents: new Uint8Array(4 * SECTOR).fill(parseInt(fill, 16)) });
    const queue = openQueue(flash);
    expect(queue.size).toBe(0);
    expect(queue.append(record(1))).toBe(1);
  });

  test('a record whose append was cut before its commit marker is skipped and counted', () => {
    const flash = freshFlash();
    const queue = openQueue(flash);
    queue.append(record(1));
    flash.cutPowerAt(flash.counters.steps, 'after'); // the record's program completes, its commit never starts
    expect(() => queue.append(record(2))).toThrow(/power cut/);
    const { queue: after } = reboot(flash);
    expect(seqsOf(after)).toEqual([1]);
    expect(after.stats.corruptSkipped).toBe(1);
    expect(after.append(record(3))).toBe(2);
  });

  test('a marker programmed halfway counts as set and is finished at mount', () => {
    let flash = freshFlash();
    let queue = openQueue(flash);
    queue.append(record(1));
    queue.append(record(2));
    const contents = flash.snapshot();
    contents[20 + 7] = 0x5a; // record 1's removed marker, some bits cleared
    flash = new SimFlash({ size: contents.length, sectorSize: SECTOR, contents });
    queue = openQueue(flash);
    expect(seqsOf(queue)).toEqual([2]);
    expect(flash.snapshot()[20 + 7]).toBe(0);
  });

  test('a payload that fails its CRC is never returned, is counted and stays dropped', () => {
    let flash = freshFlash();
    openQueue(flash).append(record(1));
    openQueue(flash).append(record(2));
    const contents = flash.snapshot();
    contents[20 + 16 + 3] &= 0x0f; // a bit of record 1's payload decayed
    flash = new SimFlash({ size: contents.length, sectorSize: SECTOR, contents });
    const queue = openQueue(flash);
    expect(seqsOf(queue)).toEqual([2]);
    expect(queue.stats.corruptSkipped).toBe(1);
    expect(seqsOf(reboot(flash).queue)).toEqual([2]);
  });

  test('an erase cut halfway cannot bring removed records back, even if it sets their markers back to 1', () => {
    // Two sectors of six 60-byte records each: 1–6 in sector 0 (then removed), 7–12 in sector 1.
    const flash = freshFlash(2);
    const queue = openQueue(flash);
    for (let i = 0; i < 12; i++) queue.append(record(i, 60));
    queue.remove([1, 2, 3, 4, 5, 6]);
    expect(flash.counters.erases).toBe(0);
    flash.cutPowerAtNext('erase', 'before'); // the next append reuses sector 0
    expect(() => queue.append(record(12, 60))).toThrow(/power cut/);
    // The worst a cut erase could leave in sector 0: every removed marker back to FF, all else as it was.
    const contents = flash.snapshot();
    for (let at = 20 + 7; at < SECTOR; at += 76) contents[at] = 0xff;
    const after = openQueue(new SimFlash({ size: contents.length, sectorSize: SECTOR, contents }));
    expect(seqsOf(after)).toEqual([7, 8, 9, 10, 11, 12]);
  });

  test('a head whose erased-looking end holds programmed bits takes no more records', () => {
    let flash = freshFlash();
    openQueue(flash).append(record(1));
    const contents = flash.snapshot();
    contents.fill(0, 200, 260); // programmed bits past the last record's erased-looking end
    flash = new SimFlash({ size: contents.length, sectorSize: SECTOR, contents });
    let queue = openQueue(flash);
    for (let i = 2; i <= 12; i++) queue.append(record(i));
    ({ queue } = reboot(flash));
    expect(seqsOf(queue)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  test('live-looking sectors that do not chain to the head are not read', () => {
    // An old image's first sector (sector seq 1, one record) lands just before this queue's first sector.
    const old = freshFlash();
    openQueue(old).append(record(7));
    const flash = freshFlash();
    const queue = openQueue(flash);
    for (let i = 0; i < 3; i++) queue.append(record(i));
    const contents = flash.snapshot();
    contents.set(old.snapshot().subarray(0, SECTOR), 3 * SECTOR);
    const mounted = openQueue(new SimFlash({ size: contents.length, sectorSize: SECTOR, contents }));
    expect(seqsOf(mounted)).toEqual([1, 2, 3]);
    expect(toHex(mounted.peek(1)[0].bytes)).toBe(toHex(record(0)));
  });
});
