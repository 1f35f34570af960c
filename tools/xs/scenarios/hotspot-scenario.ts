/**
 * The hotspot scenario for covey-xs: src/'s whole Hotspot, the firmware runtime, as the measured device,
 * in a small network on a TestAir and a virtual clock, for `cycles` beacon-and-witness cycles. Device code;
 * it runs in covey-xs (hotspot-scenario-entry.ts) and, unchanged, in Node (tests compare the two).
 *
 * prepare(): the world, part of the baseline. The clock (a TurnClock with a wall time), the air, the
 *            measured device's rig (its emulated radio chip, flash, NVS with the provisioned settings,
 *            random source, log: hotspot-rig.ts), its Http port (HostCallHttp: the oracle answers from the
 *            Node side, tools/xs/oracle-answerer.ts), and two neighbours (neighbour-node.ts), each on its
 *            own board, driver and emulated chip, already tuned to the PoC channel. No crypto or codec
 *            runs here: what those build lazily must show up above the baseline.
 * start():   the device boots (HotspotRig.boot: driver, settings, Hotspot, start) and the neighbours make
 *            their keys (a few dozen slots of scaffolding counted with the hotspot, on purpose).
 * turn():    the timers due at the next instant (turn-clock.ts). Each epoch (one minute by default) the
 *            hotspot fetches entropy, signs and sends its beacon at the random time its schedule drew, and
 *            its report goes to the oracle; the first neighbour hears the beacon and beacons a second
 *            later, the second neighbour follows the first: the hotspot witnesses both (verify, sign,
 *            queue) and uploads the receipts. The first upload meets 403 unknown_hotspot, and the hotspot
 *            onboards itself. The scenario ends with the turn after the hotspot's `cycles`-th TxDone, so the
 *            last reading is taken at the same point of a cycle as every other.
 */
import { entropyEpochAt } from '../../../proofs/entropy.js';
import { TestAir } from '../../../host-sim/air/test-air.js';
import { boardById } from '../../../hal/boards/index.js';
import { openRadio } from '../../../hal/drivers/open-radio.js';
import { pocSettings, regionPlan, type RegionPlan } from '../../../hal/radio/regions.js';
import { emulateBoardRadio } from '../../../host-sim/chips/board-radio.js';
import type { Hotspot } from '../../../src/hotspot.js';
import type { Clock, Http } from '../../../src/ports.js';
import { CountingHttp } from './counting-http.js';
import { HostCallHttp } from './host-call-http.js';
import { HotspotRig } from './hotspot-rig.js';
import type { MeteredScenario, ScenarioArgs } from './metered-scenario.js';
import { NeighbourNode } from './neighbour-node.js';
import { TurnClock } from './turn-clock.js';

export interface HotspotScenarioArgs {
  /** Beacon-and-witness cycles: beacons the hotspot sends before the scenario ends. Default 1,000. */
  readonly cycles: number;
  /** The epoch, ms: the settings' beaconIntervalMs (at least a minute, dividing 24 h). Default 60 s. */
  readonly beaconIntervalMs: number;
  readonly region: string;
  /** The measured hotspot's board. Default heltec_v3 (SX1262). */
  readonly board: string;
  /** The oracle's public key, 64 hex digits: pinned in the hotspot's settings. Required. */
  readonly oracleKey: string;
  /** Path loss between any two nodes, dB. Default 110 (RSSI about −90 dBm at 20 dBm). */
  readonly lossDb: number;
  /** How long a neighbour waits after the beacon it follows, ms. Default 1,000. */
  readonly neighbourDelayMs: number;
}

export const HOTSPOT_SCENARIO_DEFAULTS: Omit<HotspotScenarioArgs, 'oracleKey'> = {
  cycles: 1_000, beaconIntervalMs: 60_000, region: 'EU868', board: 'heltec_v3', lossDb: 110, neighbourDelayMs: 1_000,
};

export const SCENARIO_ORACLE_URL = 'http://oracle.test';
/** 2026-11-21T12:00:00Z, the start of an epoch: the scenario's wall clock at its start. */
export const WALL_AT_START_MS = 1_795_262_400_000;
const NEIGHBOUR_POWER_DBM = 14;
/** A run that needs more than this many epochs per cycle is stopped, not left to run on. */
const MAX_EPOCHS_PER_CYCLE = 3;

/** How the scenario reaches the oracle: HostCallHttp in covey-xs; tests in Node give their own. */
export type HttpFactory = (clock: Clock) => Http;

interface World {
  readonly clock: TurnClock;
  readonly rig: HotspotRig;
  readonly http: CountingHttp;
  readonly neighbours: readonly NeighbourNode[];
  readonly region: RegionPlan;
}

export function createHotspotScenario(httpFor: HttpFactory = (clock) => new HostCallHttp(clock)): MeteredScenario {
  let args: HotspotScenarioArgs | undefined;
  let world: World | undefined;
  let hotspot: Hotspot | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('hotspot scenario: prepare() and start() come first');
    return value;
  };
  return {
    prepare(given: ScenarioArgs) {
      args = readArgs(given);
      world = buildWorld(args, httpFor);
    },
    start() {
      const { rig, http, neighbours: [first, second] } = need(world);
      hotspot = rig.boot(http).hotspot;
      const key = hotspot.identity.publicKey;
      first.start(key, key);
      second.start(first.publicKey as Uint8Array, key);
    },
    turn() {
      const { clock } = need(world);
      const { cycles, beaconIntervalMs } = need(args);
      if (need(hotspot).status().beacons.sent >= cycles) return false;
      if (clock.now() > cycles * beaconIntervalMs * MAX_EPOCHS_PER_CYCLE) return false;
      return clock.runNext();
    },
    counters() {
      return countersOf(need(world), need(hotspot));
    },
    report() {
      const { region, neighbours } = need(world);
      const node = need(hotspot);
      return {
        region: region.id,
        hotspotKey: node.identity.publicKey,
        neighbourKeys: neighbours.map((n) => n.publicKey),
        status: node.status(),
      };
    },
  };
}

function countersOf(world: World, hotspot: Hotspot): Record<string, number> {
  const { beacons: b, frames: f, receipts: r, queueSize } = hotspot.status();
  const [first, second] = world.neighbours;
  return {
    beaconsSent: b.sent,
    beaconsRefused: b.refusedDutyCycle + b.refusedBusy + b.refusedNoEntropy + b.refusedRadio,
    missedEpochs: b.missedEpochs,
    framesHeard: f.heard,
    receiptsMade: f.receipts,
    framesNotWitnessed: f.heard - f.receipts,
    receiptsQueued: r.queued,
    receiptsUploaded: r.uploaded,
    receiptsRejected: r.rejected,
    receiptsDropped: r.dropped,
    queueSize,
    ...world.http.counters,
    neighbourBeaconsSent: first.counters.beaconsSent + second.counters.beaconsSent,
    neighbourBeaconsRefused: first.counters.beaconsRefused + second.counters.beaconsRefused,
    hotspotBeaconsHeardByNeighbours: first.counters.watchedHeard + second.counters.watchedHeard,
    logErrors: world.rig.log.counts.error,
    logWarnings: world.rig.log.counts.warn,
    radioErrors: world.rig.radioErrors,
  };
}

function buildWorld(args: HotspotScenarioArgs, httpFor: HttpFactory): World {
  const region = regionPlan(args.region);
  const clock = new TurnClock(0, WALL_AT_START_MS);
  const air = new TestAir(clock, { defaultLossDb: args.lossDb });
  const rig = new HotspotRig({
    name: 'hotspot', boardId: args.board, air, clock, rngSeed: 100,
    settings: {
      region: region.id, oracleUrl: SCENARIO_ORACLE_URL, oraclePublicKey: args.oracleKey,
      beaconIntervalMs: args.beaconIntervalMs, location: { lat: 52.52, lon: 13.405 },
    },
  });
  const settings = pocSettings(region, Math.min(NEIGHBOUR_POWER_DBM, region.poc.maxConductedDbm));
  const entropyTag = new Uint8Array(4).fill(0xa5);
  const neighbours = ['heltec_v2', 'tbeam_v1'].map((boardId, i) => {
    const board = boardById(boardId);
    const name = `neighbour-${i + 1}`;
    const radio = openRadio(board, emulateBoardRadio(board, { air, clock, name, commandLogLength: 0 }).io, { clock, settings });
    return new NeighbourNode({
      clock, radio, region, settings, seed: new Uint8Array(32).fill(2 + i),
      entropyEpoch: entropyEpochAt(WALL_AT_START_MS), entropyTag, delayMs: args.neighbourDelayMs, nonceSeed: 0x2545f491 + i,
    });
  });
  return { clock, rig, http: new CountingHttp(httpFor(clock)), neighbours, region };
}

function readArgs(given: ScenarioArgs): HotspotScenarioArgs {
  const args = { ...HOTSPOT_SCENARIO_DEFAULTS, ...given } as HotspotScenarioArgs;
  for (const key of ['cycles', 'beaconIntervalMs', 'lossDb', 'neighbourDelayMs'] as const) {
    if (!Number.isInteger(args[key]) || args[key] < 1) throw new RangeError(`hotspot scenario: ${key} must be a positive integer`);
  }
  if (typeof args.region !== 'string' || typeof args.board !== 'string') throw new TypeError('hotspot scenario: region and board are ids');
  if (typeof args.oracleKey !== 'string' || !/^[0-9a-f]{64}$/i.test(args.oracleKey)) {
    throw new TypeError('hotspot scenario: oracleKey must be the oracle\'s public key as 64 hex digits');
  }
  return args;
}
