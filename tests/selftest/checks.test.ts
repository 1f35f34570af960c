/**
 * The self-test's checks one by one: the flash item keeps the receipt queue's records (through a power
 * cut at any step when it has an unused sector, and by writing nothing when it has none), the rng item
 * names the pattern a stuck source shows, and the report lines have the documented shape.
 */
import { checkFlash, patternByte, pickScratchSector } from '../../hal/selftest/flash-check.js';
import { endLine, itemLine, summarize } from '../../hal/selftest/report.js';
import { checkRng, RNG_DRAWS } from '../../hal/selftest/rng-check.js';
import { PowerCutError, SimFlash } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { SectorHeaderState, sectorHeaderState } from '../../src/queue/format.js';
import { ReceiptQueue } from '../../src/receipt-queue.js';
import type { Rng } from '../../src/ports.js';

const SECTOR = 4096;
const record = (i: number) => Uint8Array.from({ length: 200 }, (_, j) => (i * 31 + j) & 0xff);

function queueWith(records: number, sectors = 16): { flash: SimFlash; stored: Uint8Array[] } {
  const flash = new SimFlash({ size: sectors * SECTOR });
  const queue = new ReceiptQueue(flash);
  const stored: Uint8Array[] = [];
  for (let i = 0; i < records; i++) {
    queue.append(record(i));
    stored.push(record(i));
  }
  return { flash, stored };
}

const recordsOn = (flash: SimFlash) => new ReceiptQueue(flash).peek(10_000).map((r) => Array.from(r.bytes));

describe('flash item', () => {
  test('the test pattern can never read as a live queue header', () => {
    const header = Uint8Array.from({ length: 20 }, (_, i) => patternByte(i));
    expect(sectorHeaderState(header)).not.toBe(SectorHeaderState.Live);
  });

  test('takes an erased sector, leaves it erased and every receipt in place', () => {
    const { flash, stored } = queueWith(60); // about 3 sectors of records
    expect(pickScratchSector(flash)).toEqual({ sector: 15, kind: 'erased' });
    const before = flash.snapshot();
    expect(checkFlash(flash)).toEqual({ verdict: 'PASS', fields: { sector: 15, sectors: 16, scratch: 'erased' } });
    expect(flash.snapshot()).toEqual(before);
    expect(recordsOn(flash)).toEqual(stored.map((bytes) => Array.from(bytes)));
  });

  test('a power cut at any program or erase step of the check loses no receipt', () => {
    const { flash: original, stored } = queueWith(60);
    const steps = (() => {
      const copy = new SimFlash({ size: original.size, contents: original.snapshot() });
      checkFlash(copy);
      return copy.counters.steps;
    })();
    expect(steps).toBe(2 + SECTOR / 256); // two erases and one program per 256-byte chunk
    for (let step = 0; step < steps; step++) {
      for (const phase of ['before', 'torn', 'after'] as const) {
        const flash = new SimFlash({ size: original.size, contents: original.snapshot(), rng: new SeededRng(step) });
        flash.cutPowerAt(step, phase);
        // The flash dies mid-check (the item reports it); what counts is what the next boot finds.
        expect(checkFlash(flash)).toMatchObject({ verdict: 'FAIL', reason: expect.stringContaining('power cut') });
        expect(() => flash.read(0, 1)).toThrow(PowerCutError);
        expect(recordsOn(flash.reboot())).toEqual(stored.map((bytes) => Array.from(bytes)));
      }
    }
  });

  test('with every sector holding receipts, it erases and programs nothing: it reads them all and skips', () => {
    const { flash } = queueWith(330, 4); // a 4-sector ring that has gone round
    expect(pickScratchSector(flash)).toBeUndefined();
    const before = flash.snapshot();
    const queued = recordsOn(flash);
    const { reads: readsBefore, steps: stepsBefore } = flash.counters;
    const result = checkFlash(flash);
    expect(result).toMatchObject({ verdict: 'SKIP', fields: { sectors: 4 } });
    expect(result.reason).toMatch(/all 4 sectors hold receipts and read back/);
    expect(flash.counters.steps).toBe(stepsBefore);
    expect(flash.counters.reads - readsBefore).toBeGreaterThanOrEqual(4 * (SECTOR / 256));
    expect(flash.snapshot()).toEqual(before);
    expect(recordsOn(flash)).toEqual(queued);
  });

  test('with every sector holding receipts, a sector that cannot be read fails the item', () => {
    const { flash } = queueWith(330, 4);
    const broken = {
      size: flash.size, sectorSize: flash.sectorSize,
      read: (offset: number, length: number) => {
        if (offset >= 2 * SECTOR && offset < 3 * SECTOR && offset % SECTOR !== 0) throw new Error('ESP_ERR_FLASH_OP_FAIL');
        return flash.read(offset, length);
      },
      program: (offset: number, bytes: Uint8Array) => flash.program(offset, bytes),
      erase: (sector: number) => flash.erase(sector),
    };
    expect(checkFlash(broken)).toEqual({
      verdict: 'FAIL', fields: { sectors: 4 }, reason: 'reading sector 2 failed: ESP_ERR_FLASH_OP_FAIL',
    });
  });

  test('a sector with garbage but no live header is used before the oldest live one', () => {
    const flash = new SimFlash({ size: 2 * SECTOR });
    flash.program(0, Uint8Array.of(1, 2, 3));
    flash.program(SECTOR, Uint8Array.of(4));
    expect(pickScratchSector(flash)).toEqual({ sector: 1, kind: 'unused' });
  });
});

describe('rng item', () => {
  const fixed = (words: readonly number[]): Rng => ({
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = (words[Math.floor(i / 4) % words.length] >>> (8 * (i % 4))) & 0xff;
      return out;
    },
  });
  const unique = Array.from({ length: RNG_DRAWS }, (_, i) => new SeededRng(i + 1).nextUint32());

  test('a seeded stream passes', () => {
    expect(checkRng(new SeededRng(9))).toEqual({ verdict: 'PASS', fields: { draws: 64, distinct: 64 } });
  });

  test('a constant source is named with its value', () => {
    expect(checkRng(fixed([0xdeadbeef])).reason).toBe('constant: all 64 draws are 0xdeadbeef');
  });

  test('a short cycle is named with its period', () => {
    expect(checkRng(fixed([1, 2, 3, 4, 5])).reason).toBe('the draws repeat every 5 (0x00000001 0x00000002 0x00000003 0x00000004 0x00000005)');
  });

  test('a value drawn more than three times fails', () => {
    const words = unique.slice();
    for (const i of [3, 17, 40, 60]) words[i] = 0x12345678;
    expect(checkRng(fixed(words)).reason).toBe('0x12345678 drawn 4 times in 64');
  });

  test('a bit that never changes is named', () => {
    expect(checkRng(fixed(unique.map((w) => w & ~(1 << 23)))).reason).toBe('bit 23 is 0 in all 64 draws');
  });

  test('too many 0x00 and 0xff bytes fail', () => {
    const words = unique.map((w, i) => (i % 3 === 0 ? (w & 0x00ffff00) | 0xff : w) >>> 0);
    expect(checkRng(fixed(words)).reason).toMatch(/^\d+ of 256 bytes are 0x00 or 0xff \(about 2 expected\)$/);
  });
});

describe('report lines', () => {
  test('fields as k=v, the reason always quoted on one line', () => {
    expect(itemLine('flash', { verdict: 'FAIL', fields: { sector: 3 }, reason: 'two\nlines "quoted"' })).toBe(
      'covey-selftest flash FAIL sector=3 reason="two lines \\"quoted\\""',
    );
    expect(itemLine('gps', { verdict: 'SKIP', reason: 'this board has no GPS' })).toBe('covey-selftest gps SKIP reason="this board has no GPS"');
  });

  test('the end line is FAIL as soon as one item fails, and names board and key', () => {
    expect(endLine(summarize(['PASS', 'SKIP', 'FAIL']), 't3s3', undefined)).toBe('covey-selftest-end FAIL passed=1 failed=1 skipped=1 board=t3s3 key=none');
    expect(endLine(summarize(['PASS', 'SKIP']), 't3s3', 'ab'.repeat(32))).toBe(`covey-selftest-end PASS passed=1 failed=0 skipped=1 board=t3s3 key=${'ab'.repeat(32)}`);
  });
});
