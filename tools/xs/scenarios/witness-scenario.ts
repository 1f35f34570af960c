/**
 * The witness scenario for covey-xs: a second node beacons at the measured witness over a TestAir on a
 * virtual clock, for `cycles` beacon-and-witness cycles. Device code; it runs in covey-xs
 * (witness-scenario-entry.ts) and, unchanged, in Node (tests compare the two).
 *
 * prepare(): the world, part of the baseline: the clock, the air, both emulated SX1276 chips and the
 *            beaconing node's radio (the other hotspot's; not the measured device's state). It runs no
 *            crypto or codec: what those build lazily must show up above the baseline.
 * start():   the measured device: the witness's driver, signer, verifier and receipt ring; then the
 *            beaconer's key (a few dozen slots of the other node counted with the witness, on purpose).
 * turn():    the timers due at the next instant (tools/xs/scenarios/turn-clock.ts). The scenario ends
 *            with the turn in which the witness hears its `cycles`-th frame, so the last reading is
 *            taken at the same point of a cycle as every other, with the next beacon already scheduled.
 */
import { entropyEpochAt } from '../../../proofs/index.js';
import { pocSettings, regionPlan, type RegionPlan } from '../../../hal/radio/regions.js';
import { TestAir } from '../../../host-sim/air/test-air.js';
import { Sx1276 } from '../../../host-sim/chips/sx1276.js';
import { HELTEC_V2_PINS } from '../../../host-sim/chips/sx1276-wiring.js';
import type { LoRaSettings } from '../../../src/ports.js';
import { BeaconingNode } from './beaconing-node.js';
import type { MeteredScenario, ScenarioArgs } from './metered-scenario.js';
import { TurnClock } from './turn-clock.js';
import { WitnessNode } from './witness-node.js';

export interface WitnessScenarioArgs {
  /** Beacon-and-witness cycles: frames the witness hears before the scenario ends. Default 1,000. */
  readonly cycles: number;
  /** Between beacons, ms. Default 60 s: within EU868's 10 % duty cycle at SF12 (one beacon ≈ 3.3 s). */
  readonly beaconIntervalMs: number;
  /** Receipts the witness keeps. Default 8. */
  readonly receiptsKept: number;
  readonly region: string;
  /** Path loss between the two nodes, dB. Default 120 (RSSI ≈ −106 dBm at 14 dBm). */
  readonly lossDb: number;
}

export const WITNESS_SCENARIO_DEFAULTS: WitnessScenarioArgs = {
  cycles: 1_000, beaconIntervalMs: 60_000, receiptsKept: 8, region: 'EU868', lossDb: 120,
};

/** 2026-11-21T12:00:00Z: the scenario's wall clock at its start. */
const WALL_AT_START_MS = 1_795_262_400_000;
const TX_POWER_DBM = 14;
/** A scenario whose witness hears fewer than half the beacons is stopped, not left to run on. */
const MAX_BEACONS_PER_CYCLE = 2;

interface World {
  readonly clock: TurnClock;
  readonly witnessChip: Sx1276;
  readonly beaconer: BeaconingNode;
  readonly settings: LoRaSettings;
  readonly region: RegionPlan;
}

export function createWitnessScenario(): MeteredScenario {
  let args = WITNESS_SCENARIO_DEFAULTS;
  let world: World | undefined;
  let witness: WitnessNode | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('witness scenario: prepare() and start() come first');
    return value;
  };
  return {
    prepare(given: ScenarioArgs) {
      args = readArgs(given);
      world = buildWorld(args);
    },
    start() {
      const { clock, witnessChip, settings, beaconer } = need(world);
      witness = new WitnessNode({ clock, chip: witnessChip, settings, seed: seedOf(3), receiptsKept: args.receiptsKept });
      witness.start();
      beaconer.start();
    },
    turn() {
      const { clock, beaconer } = need(world);
      const heard = need(witness).counters.framesHeard;
      if (heard >= args.cycles || beaconer.counters.beaconsSent > MAX_BEACONS_PER_CYCLE * args.cycles) return false;
      return clock.runNext() && need(witness).counters.framesHeard < args.cycles;
    },
    counters() {
      return { ...need(world).beaconer.counters, ...(witness?.counters ?? {}) };
    },
    report() {
      const { beaconer, region } = need(world);
      const node = need(witness);
      return {
        region: region.id,
        witnessKey: node.signer.publicKey,
        beaconerKey: beaconer.publicKey,
        lastReceipt: node.lastReceipt,
        witnessRadio: node.radio.stats,
        beaconerRadio: beaconer.radio.stats,
      };
    },
  };
}

function buildWorld(args: WitnessScenarioArgs): World {
  const region = regionPlan(args.region);
  const settings = pocSettings(region, Math.min(TX_POWER_DBM, region.poc.maxConductedDbm));
  const clock = new TurnClock(0, WALL_AT_START_MS);
  const air = new TestAir(clock);
  const chip = (name: string) => new Sx1276({ air, clock, name, pins: HELTEC_V2_PINS });
  const beaconerChip = chip('beaconer');
  const witnessChip = chip('witness');
  air.setLoss('beaconer', 'witness', args.lossDb);
  const entropyData = seedOf(0xa5);
  const beaconer = new BeaconingNode({
    clock, chip: beaconerChip, region, settings, seed: seedOf(2),
    entropyEpoch: entropyEpochAt(WALL_AT_START_MS), entropyTag: entropyData.slice(0, 4),
    intervalMs: args.beaconIntervalMs, nonceSeed: 0x2545f491,
  });
  return { clock, witnessChip, beaconer, settings, region };
}

function readArgs(given: ScenarioArgs): WitnessScenarioArgs {
  const args = { ...WITNESS_SCENARIO_DEFAULTS, ...given };
  for (const key of ['cycles', 'beaconIntervalMs', 'receiptsKept', 'lossDb'] as const) {
    if (!Number.isInteger(args[key]) || args[key] < 1) throw new RangeError(`witness scenario: ${key} must be a positive integer`);
  }
  if (typeof args.region !== 'string') throw new TypeError('witness scenario: region must be a region id');
  return args;
}

function seedOf(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}
