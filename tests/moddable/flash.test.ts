/**
 * PartitionFlash on a fake of "flash" over host-sim's NOR flash (tools/xs/moddable-fakes/fake-storage.ts):
 * the hardware's NOR semantics pass through untouched, offsets and sectors are the partition's own, and
 * what the module would refuse with a bare error is refused by name first.
 */
import { FlashError, PartitionFlash } from '../../hal/moddable/flash.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { ReceiptQueue } from '../../src/receipt-queue.js';
import { fakeFlash, type FlashLog } from '../../tools/xs/moddable-fakes/fake-storage.js';

const SECTOR = 4096;

function setUp(sectors = 4, extraBytes = 0) {
  const chip = new SimFlash({ size: sectors * SECTOR });
  const log: FlashLog = { writes: [], erases: [] };
  const Flash = fakeFlash({ receipts: { flash: chip, byteLength: sectors * SECTOR + extraBytes } }, log);
  return { chip, log, flash: new PartitionFlash(new Flash('receipts')) };
}

test('size is the partition\'s whole sectors; sector size is the module\'s block size', () => {
  const { flash } = setUp(4, 100);
  expect(flash.sectorSize).toBe(SECTOR);
  expect(flash.size).toBe(4 * SECTOR);
});

test('a partition smaller than a sector is refused', () => {
  const partition = { byteLength: 100, blockSize: SECTOR, read: () => new ArrayBuffer(0), write: () => undefined, erase: () => undefined };
  expect(() => new PartitionFlash(partition)).toThrow(FlashError);
});

test('a missing partition is the module\'s own error', () => {
  const Flash = fakeFlash({});
  expect(() => new Flash('receipts')).toThrow("can't find partition");
});

test('erased flash reads 0xFF as a Uint8Array', () => {
  const { flash } = setUp();
  const bytes = flash.read(SECTOR - 2, 4);
  expect(bytes).toBeInstanceOf(Uint8Array);
  expect(Array.from(bytes)).toEqual([0xff, 0xff, 0xff, 0xff]);
});

test('programming twice leaves the AND of both (NOR, passed through)', () => {
  const { flash } = setUp();
  flash.program(10, Uint8Array.of(0xf0, 0x3c));
  flash.program(10, Uint8Array.of(0x0f, 0xff));
  expect(Array.from(flash.read(10, 2))).toEqual([0x00, 0x3c]);
});

test('program passes the offset and length unchanged, a view\'s own bytes only', () => {
  const { flash, log, chip } = setUp();
  const backing = Uint8Array.of(1, 2, 3, 4, 5, 6);
  flash.program(SECTOR + 7, backing.subarray(2, 5));
  expect(log.writes).toEqual([{ offset: SECTOR + 7, byteLength: 3 }]);
  expect(Array.from(chip.snapshot().subarray(SECTOR + 6, SECTOR + 11))).toEqual([0xff, 3, 4, 5, 0xff]);
});

test('a zero-length program is a no-op (the module refuses byteLength 0)', () => {
  const { flash, log } = setUp();
  flash.program(0, new Uint8Array(0));
  expect(log.writes).toEqual([]);
});

test('erase(n) sets sector n, and only it, back to 0xFF', () => {
  const { flash, log } = setUp();
  flash.program(SECTOR - 1, Uint8Array.of(0, 0));
  flash.program(2 * SECTOR, Uint8Array.of(0));
  flash.erase(1);
  expect(log.erases).toEqual([1]);
  expect(Array.from(flash.read(SECTOR - 1, 2))).toEqual([0x00, 0xff]);
  expect(flash.read(2 * SECTOR, 1)[0]).toBe(0x00);
});

test('reads, programs and erases outside the partition are OutOfRange and reach nothing', () => {
  const { flash, log } = setUp(2);
  const codeOf = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      return (error as FlashError).code;
    }
    return undefined;
  };
  expect(codeOf(() => flash.read(2 * SECTOR - 1, 2))).toBe('OutOfRange');
  expect(codeOf(() => flash.read(-1, 1))).toBe('OutOfRange');
  expect(codeOf(() => flash.program(2 * SECTOR, Uint8Array.of(0)))).toBe('OutOfRange');
  expect(codeOf(() => flash.program(0.5, Uint8Array.of(0)))).toBe('OutOfRange');
  expect(codeOf(() => flash.erase(2))).toBe('OutOfRange');
  expect(codeOf(() => flash.erase(-1))).toBe('OutOfRange');
  expect(log).toEqual({ writes: [], erases: [] });
});

test('a read that does not come back as the bytes asked for is ReadFailed', () => {
  const partition = {
    byteLength: SECTOR, blockSize: SECTOR, read: () => new ArrayBuffer(1), write: () => undefined, erase: () => undefined,
  };
  expect(() => new PartitionFlash(partition).read(0, 4)).toThrow(FlashError);
});

test('the receipt queue mounts on it, appends, and finds its records again after a reboot', () => {
  const { chip, flash } = setUp(4);
  const queue = new ReceiptQueue(flash);
  queue.append(Uint8Array.of(1, 2, 3));
  queue.append(Uint8Array.of(4, 5));
  const Flash = fakeFlash({ receipts: { flash: chip } });
  const again = new ReceiptQueue(new PartitionFlash(new Flash('receipts')));
  expect(again.size).toBe(2);
  expect(again.peek(2).map((record) => Array.from(record.bytes))).toEqual([[1, 2, 3], [4, 5]]);
});
