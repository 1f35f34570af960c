/**
 * covey-xs entry for tests/xs/selftest-in-xs.test.ts: the factory self-test (hal/moddable/selftest.ts) on
 * the emulated parts of tests/selftest/selftest-world.ts, inside XS. prepare() builds the world with the
 * fault named in args (or none); start() is the device starting the self-test (the radio, spi, flash, key
 * and rng items run there, before the first wait); each turn() fires the world's next timers, through the
 * GPS item's waits, until the report is complete. Device-legal code.
 */
import { runDeviceSelftest } from '../../../hal/moddable/selftest.js';
import { installScenario, type ScenarioArgs } from '../../../tools/xs/scenarios/metered-scenario.js';
import { selftestWorld, type SelftestFault, type SelftestWorld } from '../../selftest/selftest-world.js';

let rig: SelftestWorld | undefined;
const lines: string[] = [];
const outcome: { settled: boolean; passed?: boolean; error?: string } = { settled: false };

const current = (): SelftestWorld => {
  if (rig === undefined) throw new Error('prepare() first');
  return rig;
};

installScenario({
  prepare(args: ScenarioArgs) {
    rig = selftestWorld(String(args.board), args.fault === undefined ? undefined : (String(args.fault) as SelftestFault));
  },
  start() {
    const { modules, board, kv } = current();
    runDeviceSelftest(modules, board, kv, (line) => lines.push(line)).then(
      (passed) => {
        outcome.settled = true;
        outcome.passed = passed;
      },
      (error: unknown) => {
        outcome.settled = true;
        outcome.error = String(error);
      },
    );
  },
  turn() {
    const { world } = current();
    const next = world.nextDueMs();
    if (outcome.settled || next === undefined) return false;
    world.runUntil(next);
    return true;
  },
  counters: () => ({ lines: lines.length, settled: outcome.settled ? 1 : 0, deviceMs: current().world.now() }),
  report: () => ({ lines, ...outcome }),
});
