/**
 * The factory self-test inside the XS engine (covey-xs), on the emulated parts of
 * tests/selftest/selftest-world.ts: a healthy T-Beam (SX1276, AXP192, GPS) passes every item, and a Heltec
 * V3 with a stuck SPI data bit fails only the spi item, with the same lines as in Node. The memory it
 * keeps while running is measured after each step's garbage collection.
 */
import { fileURLToPath } from 'node:url';
import { runEntryInXsHost, type XsHostRun } from '../../tools/xs/xs-host.js';

const ENTRY = fileURLToPath(new URL('./entries/selftest-entry.ts', import.meta.url));
/** manifest.json creation.stack: all the JavaScript stack an ESP32 build has. */
const DEVICE_STACK_SLOTS = 512;

interface Report {
  lines: string[];
  settled: boolean;
  passed?: boolean;
  error?: string;
}

/** Slots and chunk bytes the self-test keeps above the world's baseline, at its highest after a step; the deepest stack. */
function footprint(run: XsHostRun): { slots: number; chunkBytes: number; stackSlots: number } {
  const base = run.base ?? run.loaded;
  const steps = [run.start, ...run.turns].filter((step) => step !== undefined);
  return {
    slots: Math.max(...steps.map((step) => step.slots)) - base.slots,
    chunkBytes: Math.max(...steps.map((step) => step.chunkBytes)) - base.chunkBytes,
    stackSlots: Math.max(...steps.map((step) => step.stackSlots)),
  };
}

describe('healthy T-Beam', () => {
  let run: XsHostRun;
  let report: Report;
  beforeAll(async () => {
    run = await runEntryInXsHost(ENTRY, { args: { board: 'tbeam_v1' } });
    report = run.report as unknown as Report;
  });

  test('every item passes and the end line says PASS', () => {
    expect(report).toMatchObject({ settled: true, passed: true });
    expect(report.lines.map((line) => line.split(' ').slice(1, 3).join(' '))).toEqual([
      'radio PASS', 'spi PASS', 'flash PASS', 'key PASS', 'rng PASS', 'gps PASS', 'PASS passed=6',
    ]);
    expect(report.lines[6]).toMatch(/^covey-selftest-end PASS passed=6 failed=0 skipped=0 board=tbeam_v1 key=[0-9a-f]{64}$/);
  });

  test('its memory stays inside the ESP32 budget: 4,928 slots, 78,848 chunk bytes, a 512-slot stack', () => {
    const used = footprint(run);
    // Printed for docs/firmware.md ("Self-test"); the bounds are the device's budget.
    console.log(`self-test in XS, healthy tbeam_v1: ${JSON.stringify(used)}, slot bytes on this host ${run.hello.slotBytes}, turns ${run.turns.length}`);
    expect(used.slots).toBeLessThan(1_000);
    expect(used.chunkBytes).toBeLessThan(20_000);
    expect(used.stackSlots).toBeLessThan(DEVICE_STACK_SLOTS);
  });
});

describe('Heltec V3 with SPI data bit 7 stuck low', () => {
  let run: XsHostRun;
  let report: Report;
  beforeAll(async () => {
    run = await runEntryInXsHost(ENTRY, { args: { board: 'heltec_v3', fault: 'SPI data bit 7 stuck low' } });
    report = run.report as unknown as Report;
  });

  test('only the spi item fails, naming what it wrote and read, and the end line says FAIL', () => {
    expect(report).toMatchObject({ settled: true, passed: false });
    expect(report.lines.filter((line) => line.startsWith('covey-selftest ') && line.includes(' FAIL '))).toEqual([
      'covey-selftest spi FAIL register=0x0740 reason="wrote 0x55 0xaa to registers 0x0740/0x0741, read 0x55 0x2a (0x0741: bit 7 reads 0)"',
    ]);
    expect(report.lines[6]).toMatch(/^covey-selftest-end FAIL passed=4 failed=1 skipped=1 board=heltec_v3 key=[0-9a-f]{64}$/);
    console.log(`self-test in XS, heltec_v3 with a stuck SPI bit: ${JSON.stringify(footprint(run))}`);
  });
});
