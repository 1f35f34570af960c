/**
 * Random runs with many power cuts each, at random steps and phases, including cuts during the reboot
 * that recovers from the previous cut (fast-check picks the scripts and the cuts and shrinks a failure
 * to a short case). The checks are those of tests/support/queue-harness.ts.
 */
import fc from 'fast-check';
import type { CutPhase } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { PowerCutError, QueueRig, randomScript, type QueueRigOptions } from '../support/queue-harness.js';

interface Cut {
  /** Program/erase steps from the moment the cut is armed to the cut. */
  readonly gap: number;
  readonly phase: CutPhase;
}

const cutArbitrary = fc.record({
  gap: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 80 })),
  phase: fc.constantFrom<CutPhase>('before', 'torn', 'after'),
});

/** Runs `length` random ops from `seed` on a fresh rig, cutting the power as `cuts` say. */
function runWithCuts(rigOptions: QueueRigOptions, seed: number, length: number, cuts: readonly Cut[]): QueueRig {
  const rig = new QueueRig({ ...rigOptions, flashSeed: seed });
  const maxRecordBytes = rigOptions.queue?.maxRecordBytes ?? 96;
  const script = randomScript(new SeededRng(seed), { length, maxRecordBytes, onlineLength: 30, outageLength: 45 });
  let armed = 0;
  const armNext = () => {
    if (armed < cuts.length) rig.flash.cutPowerAt(rig.flash.counters.steps + cuts[armed].gap, cuts[armed].phase);
    armed++;
  };
  const recover = () => {
    for (;;) {
      armNext(); // the next cut may land in this very recovery
      try {
        rig.recover();
        return;
      } catch (error) {
        if (!(error instanceof PowerCutError)) throw error;
      }
    }
  };
  armNext();
  for (const op of script) {
    try {
      rig.apply(op);
    } catch (error) {
      if (!(error instanceof PowerCutError)) throw error;
      recover();
    }
  }
  rig.flash.cancelPowerCut();
  rig.apply({ kind: 'reboot' });
  return rig;
}

const SMALL: QueueRigOptions = { size: 5 * 512, sectorSize: 512, queue: { maxRecordBytes: 96 } };

test('runs with many cuts, some during recovery, keep every acknowledged record and no removed one', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(cutArbitrary, { minLength: 1, maxLength: 25 }), (seed, cuts) => {
      const rig = runWithCuts(SMALL, seed, 220, cuts);
      expect(rig.flash.counters.powerCuts).toBeGreaterThan(0);
    }),
    { numRuns: 60 },
  );
});

test('with maxRecords the same holds, and the bound is kept after every recovery', () => {
  const options: QueueRigOptions = { ...SMALL, queue: { maxRecordBytes: 96, maxRecords: 12 } };
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(cutArbitrary, { minLength: 1, maxLength: 25 }), (seed, cuts) => {
      const rig = runWithCuts(options, seed, 220, cuts);
      expect(rig.queue.size).toBeLessThanOrEqual(12);
    }),
    { numRuns: 40 },
  );
});

test('many cuts in a row, each within a step or two of the last, never leave an unmountable region', () => {
  const cuts = Array.from({ length: 200 }, (_, i): Cut => ({ gap: i % 3, phase: (['torn', 'before', 'after'] as const)[i % 3] }));
  const rig = runWithCuts(SMALL, 77, 300, cuts);
  expect(rig.flash.counters.powerCuts).toBeGreaterThan(100);
  rig.verify();
});
