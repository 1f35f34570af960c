/**
 * The receipt queue under a power cut at every program and erase step of a long random run, in turn:
 * before the step, halfway through it (a torn write or erase) and after it. Each cut is followed by a
 * reboot and a check against the model (tests/support/queue-harness.ts): nothing acknowledged lost or
 * changed, nothing removed back, at most the record in flight missing, sequence numbers increasing.
 * The run then goes on for a while and reboots once more, so recovery is also shown to leave a queue
 * that works (appends land in erased flash and do not overwrite what is stored).
 */
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import type { CutPhase } from '../../host-sim/ports/flash.js';
import { PowerCutError, QueueRig, randomScript, type QueueOp, type QueueRigOptions } from '../support/queue-harness.js';

/** A small region so that a few hundred operations wrap the ring several times. */
const RIG: QueueRigOptions = { size: 6 * 512, sectorSize: 512, queue: { maxRecordBytes: 96 } };
const SCRIPT = randomScript(new SeededRng(2024), { length: 420, maxRecordBytes: 96, onlineLength: 40, outageLength: 60 });
/** Operations run after each recovery before the final reboot and check. */
const AFTERWARDS = 10;

interface Reference {
  /** Flash step number at the start of each op, plus the total at the end. */
  readonly stepAt: number[];
  /** Records each op dropped. */
  readonly drops: number[];
  readonly rig: QueueRig;
}

function referenceRun(script: readonly QueueOp[]): Reference {
  const rig = new QueueRig(RIG);
  const stepAt: number[] = [];
  const drops: number[] = [];
  for (const op of script) {
    stepAt.push(rig.flash.counters.steps);
    drops.push(rig.apply(op));
  }
  stepAt.push(rig.flash.counters.steps);
  rig.apply({ kind: 'reboot' });
  return { stepAt, drops, rig };
}

const reference = referenceRun(SCRIPT);
const totalSteps = reference.stepAt[reference.stepAt.length - 1];

/** Replays the script with the power cut at `step`; returns a failure description, or undefined. */
function cutAt(step: number, phase: CutPhase): string | undefined {
  const rig = new QueueRig({ ...RIG, flashSeed: step * 3 + ['before', 'torn', 'after'].indexOf(phase) + 1 });
  rig.flash.cutPowerAt(step, phase);
  const cutOp = reference.stepAt.findIndex((start, i) => step >= start && step < reference.stepAt[i + 1]);
  try {
    for (let i = 0; i < SCRIPT.length; i++) {
      try {
        rig.apply(SCRIPT[i], reference.drops[i]);
      } catch (error) {
        if (!(error instanceof PowerCutError)) throw error;
        if (i !== cutOp) return `cut surfaced in op ${i}, expected op ${cutOp}`;
        rig.recover();
        for (const op of SCRIPT.slice(i + 1, i + 1 + AFTERWARDS)) rig.apply(op);
        rig.apply({ kind: 'reboot' });
        return undefined;
      }
    }
    return 'the power was never cut';
  } catch (error) {
    return `op ${cutOp} (${SCRIPT[cutOp].kind}): ${error instanceof Error ? error.message : String(error)}`;
  }
}

test('the reference run wraps the ring, drops the oldest during outages and erases sectors', () => {
  const { rig } = reference;
  expect(rig.dropped).toBeGreaterThan(0);
  expect(rig.removedSeqs.size).toBeGreaterThan(50);
  expect(rig.flash.counters.erases).toBeGreaterThan(2 * (RIG.size / RIG.sectorSize));
  expect(totalSteps).toBeGreaterThan(400);
});

test.each<[string, CutPhase]>([
  ['just before', 'before'],
  ['halfway through', 'torn'],
  ['just after', 'after'],
])('a power cut %s any program or erase step loses nothing acknowledged', (_, phase) => {
  const failures: string[] = [];
  for (let step = 0; step < totalSteps; step++) {
    const failure = cutAt(step, phase);
    if (failure !== undefined) failures.push(`step ${step}: ${failure}`);
  }
  expect(failures.slice(0, 5)).toEqual([]);
});
