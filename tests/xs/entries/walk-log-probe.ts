/**
 * What the walk log costs inside XS, read with covey-xs's meters (tools/xs-host/globals.c) around each
 * step, for tests/xs/walk-log-in-xs.test.ts (walk-log-entry.ts runs it): the cost of making one walk line
 * with the walk log's encoder and with proofs' toHex, and a whole 300-report answer pulled a line at a
 * time from a queue on the simulated flash. Device-legal code.
 *
 * The reports are stand-ins: 201 bytes that begin as a MapperReport does (the walk log looks at no more).
 */
import { SimFlash } from '../../../host-sim/ports/flash.js';
import { toHex } from '../../../proofs/bytes.js';
import type { Flash } from '../../../src/ports.js';
import { ReceiptQueue } from '../../../src/receipt-queue.js';
import { prefixedHex, walkLogAnswer, WALK_LINE_PREFIX, type ConsoleAnswer } from '../../../src/walk-log.js';
import type { XsHostGlobals } from '../../../tools/xs/scenarios/metered-scenario.js';

export const REPORTS = 300;

/** Stand-in report `i`: the MapperReport head (an 8-item array, type 9, version 1), then 198 bytes. */
export function standInReport(i: number): Uint8Array {
  const bytes = Uint8Array.from({ length: 201 }, (_, j) => (i * 29 + j * 7) & 0xff);
  bytes.set([0x88, 0x09, 0x01]);
  return bytes;
}

interface StepCost {
  /** Chunk bytes and slots allocated (no collection runs in between), and the deepest stack, in slots. */
  readonly chunkBytes: number;
  readonly slots: number;
  readonly stackSlots: number;
  readonly compute: number;
}

/** What `step` allocates and how deep it goes, less what reading the meters costs. */
function costOf(host: XsHostGlobals, step: () => unknown): StepCost {
  const measure = (work: () => unknown): StepCost => {
    host.gc();
    host.resetMeters();
    const before = host.meter();
    work();
    const after = host.meter();
    return { chunkBytes: after.chunkBytes - before.chunkBytes, slots: after.slots - before.slots, stackSlots: after.stackSlots, compute: after.compute };
  };
  const idle = measure(() => undefined);
  const used = measure(step);
  return { chunkBytes: used.chunkBytes - idle.chunkBytes, slots: used.slots - idle.slots, stackSlots: used.stackSlots, compute: used.compute - idle.compute };
}

/** A flash that counts record headers (16-byte reads) and whole records read. */
function countingFlash(inner: Flash): Flash & { headers: number; records: number } {
  const flash = {
    size: inner.size,
    sectorSize: inner.sectorSize,
    headers: 0,
    records: 0,
    read: (offset: number, length: number) => {
      if (length === 16) flash.headers++;
      else flash.records++;
      return inner.read(offset, length);
    },
    program: (offset: number, bytes: Uint8Array) => inner.program(offset, bytes),
    erase: (sector: number) => inner.erase(sector),
  };
  return flash;
}

export function measureWalkLog(host: XsHostGlobals): Record<string, unknown> {
  const report = standInReport(7);
  const walkLine = costOf(host, () => prefixedHex(WALK_LINE_PREFIX, report));
  const toHexLine = costOf(host, () => WALK_LINE_PREFIX + toHex(report));

  const flash = countingFlash(new SimFlash({ size: 32 * 4096 }));
  const queue = new ReceiptQueue(flash);
  for (let i = 0; i < REPORTS; i++) queue.append(standInReport(i));
  flash.headers = 0;
  flash.records = 0;
  const answer = walkLogAnswer(queue, 'covey walk-log') as ConsoleAnswer;
  const lines: string[] = [];
  const liveSlots: number[] = [];
  host.resetMeters();
  for (let line = answer.next(); line !== undefined; line = answer.next()) {
    // Only the first, the last report line and the end line are kept: the rest are checked by length.
    if (lines.length < 1 || !line.startsWith(WALK_LINE_PREFIX)) lines.push(line);
    else lines[1] = line;
    if (line.length !== WALK_LINE_PREFIX.length + 402 && line.startsWith(WALK_LINE_PREFIX)) throw new Error(`a line of ${line.length}`);
    if (flash.records === 10 || flash.records === REPORTS - 10) {
      host.gc();
      liveSlots.push(host.meter().slots);
    }
  }
  const answerCompute = host.meter().compute;
  return {
    walkLine, toHexLine,
    answer: { lines, headerReads: flash.headers, recordReads: flash.records, computePerLine: Math.round(answerCompute / (REPORTS + 1)), liveSlots },
  };
}

