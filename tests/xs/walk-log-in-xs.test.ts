/**
 * The walk log inside XS, in covey-xs (the XS memory host): a walk line made with the walk log's own
 * encoder costs a fraction of what proofs' toHex costs in slots and chunk bytes, for a little more stack;
 * a 300-report answer pulled a line at a time reads each record once, gives the lines Node gives, and
 * holds no more memory at its end than near its start (tests/xs/entries/walk-log-probe.ts).
 */
import { fileURLToPath } from 'node:url';
import { toHex } from '../../proofs/bytes.js';
import { runEntryInXsHost } from '../../tools/xs/xs-host.js';
import { REPORTS, standInReport } from './entries/walk-log-probe.js';

const ENTRY = fileURLToPath(new URL('./entries/walk-log-entry.ts', import.meta.url));

interface StepCost {
  readonly chunkBytes: number;
  readonly slots: number;
  readonly stackSlots: number;
  readonly compute: number;
}

interface Figures {
  readonly walkLine: StepCost;
  readonly toHexLine: StepCost;
  readonly answer: { lines: string[]; headerReads: number; recordReads: number; computePerLine: number; liveSlots: number[] };
}

let figures: Figures;

beforeAll(async () => {
  const run = await runEntryInXsHost(ENTRY);
  figures = JSON.parse(run.printed.trim().split('\n').at(-1) as string) as Figures;
});

test('one walk line: under a tenth of toHex\'s chunk bytes and slots, at most 48 more stack slots', () => {
  const { walkLine, toHexLine } = figures;
  // toHex builds the 402 digits one concatenation at a time: about 60 KB of chunks and 800 slots here.
  expect(toHexLine.chunkBytes).toBeGreaterThan(40_000);
  expect(toHexLine.slots).toBeGreaterThan(700);
  expect(walkLine.chunkBytes).toBeLessThan(toHexLine.chunkBytes / 10);
  expect(walkLine.slots).toBeLessThan(toHexLine.slots / 10);
  expect(walkLine.stackSlots).toBeLessThanOrEqual(toHexLine.stackSlots + 48);
});

test(`a ${REPORTS}-report answer gives Node's lines, reading each record once and about 10 headers a line`, () => {
  const { lines, headerReads, recordReads } = figures.answer;
  expect(lines).toEqual([
    `covey-walk ${toHex(standInReport(0))}`, `covey-walk ${toHex(standInReport(REPORTS - 1))}`, `covey-walk-end ${REPORTS}`,
  ]);
  expect(recordReads).toBe(REPORTS);
  // Finding the record after the last one sent reads the headers before it in its sector (18 to a 4 KB sector).
  expect(headerReads).toBeLessThanOrEqual(12 * (REPORTS + 1));
});

test('the answer holds the same memory after 290 lines as after 10', () => {
  const [early, late] = figures.answer.liveSlots;
  expect(late).toBe(early);
  expect(figures.answer.computePerLine).toBeGreaterThan(0);
});
