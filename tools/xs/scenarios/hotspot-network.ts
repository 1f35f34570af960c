/**
 * A network of real hotspots in one XS machine: src/'s Hotspot on each of several boards (emulated SX1276
 * and SX1262 chips on one TestAir), each with its own flash, NVS, random source and log, all on one
 * virtual clock, their Http ports answered by one oracle on the Node side (HostCallHttp). It runs for
 * `epochs` beacon epochs, to the end of the last one. Device code; tests/xs/hotspots-in-xs.test.ts runs it
 * in covey-xs (hotspot-network-entry.ts) and checks what the oracle stored.
 */
import { TestAir } from '../../../host-sim/air/test-air.js';
import type { Status } from '../../../src/health.js';
import type { Hotspot } from '../../../src/hotspot.js';
import { CountingHttp } from './counting-http.js';
import { HostCallHttp } from './host-call-http.js';
import { type HttpFactory, SCENARIO_ORACLE_URL, WALL_AT_START_MS } from './hotspot-scenario.js';
import { HotspotRig } from './hotspot-rig.js';
import type { MeteredScenario, ScenarioArgs } from './metered-scenario.js';
import { TurnClock } from './turn-clock.js';

export interface HotspotNetworkArgs {
  /** Beacon epochs to run. Default 4. */
  readonly epochs: number;
  /** The settings' beaconIntervalMs. Default 5 min. */
  readonly beaconIntervalMs: number;
  readonly region: string;
  /** One hotspot per board. Default heltec_v2 (SX1276), heltec_v3 and t3s3 (SX1262). */
  readonly boards: readonly string[];
  /** The oracle's public key, 64 hex digits. Required. */
  readonly oracleKey: string;
  /** Path loss between any two hotspots, dB. Default 100. */
  readonly lossDb: number;
}

export const HOTSPOT_NETWORK_DEFAULTS: Omit<HotspotNetworkArgs, 'oracleKey'> = {
  epochs: 4, beaconIntervalMs: 300_000, region: 'EU868', boards: ['heltec_v2', 'heltec_v3', 't3s3'], lossDb: 100,
};

interface Node {
  readonly rig: HotspotRig;
  hotspot: Hotspot | undefined;
}

export function createHotspotNetwork(httpFor: HttpFactory = (clock) => new HostCallHttp(clock)): MeteredScenario {
  let args: HotspotNetworkArgs | undefined;
  let clock: TurnClock | undefined;
  let http: CountingHttp | undefined;
  let nodes: Node[] = [];
  const booted = (): Hotspot[] => nodes.map((node) => node.hotspot as Hotspot);
  return {
    prepare(given: ScenarioArgs) {
      args = readArgs(given);
      const world = new TurnClock(0, WALL_AT_START_MS);
      const air = new TestAir(world, { defaultLossDb: args.lossDb });
      const { region, oracleKey, beaconIntervalMs } = args;
      nodes = args.boards.map((boardId, i) => ({
        rig: new HotspotRig({
          name: `${boardId}-${i}`, boardId, air, clock: world, rngSeed: 100 + i,
          settings: {
            region, oracleUrl: SCENARIO_ORACLE_URL, oraclePublicKey: oracleKey, beaconIntervalMs,
            location: { lat: 52.5 + i / 100, lon: 13.4 + i / 100 },
          },
        }),
        hotspot: undefined,
      }));
      clock = world;
      http = new CountingHttp(httpFor(world));
    },
    start() {
      for (const node of nodes) node.hotspot = node.rig.boot(http as CountingHttp).hotspot;
    },
    turn() {
      const { epochs, beaconIntervalMs } = args as HotspotNetworkArgs;
      const world = clock as TurnClock;
      const next = world.nextDueMs();
      return next !== undefined && next < epochs * beaconIntervalMs && world.runNext();
    },
    counters() {
      const statuses = booted().map((hotspot) => hotspot.status());
      const sum = (count: (status: Status) => number) => statuses.reduce((total, status) => total + count(status), 0);
      return {
        beaconsSent: sum((s) => s.beacons.sent),
        missedEpochs: sum((s) => s.beacons.missedEpochs),
        framesHeard: sum((s) => s.frames.heard),
        receiptsMade: sum((s) => s.frames.receipts),
        receiptsQueued: sum((s) => s.receipts.queued),
        receiptsUploaded: sum((s) => s.receipts.uploaded),
        queueSize: sum((s) => s.queueSize),
        ...(http as CountingHttp).counters,
        logErrors: nodes.reduce((total, node) => total + node.rig.log.counts.error, 0),
        radioErrors: nodes.reduce((total, node) => total + node.rig.radioErrors, 0),
      };
    },
    report() {
      return { hotspots: booted().map((hotspot) => ({ key: hotspot.identity.publicKey, status: hotspot.status() })) };
    },
  };
}

function readArgs(given: ScenarioArgs): HotspotNetworkArgs {
  const args = { ...HOTSPOT_NETWORK_DEFAULTS, ...given } as HotspotNetworkArgs;
  for (const key of ['epochs', 'beaconIntervalMs', 'lossDb'] as const) {
    if (!Number.isInteger(args[key]) || args[key] < 1) throw new RangeError(`hotspot network: ${key} must be a positive integer`);
  }
  if (!Array.isArray(args.boards) || args.boards.length < 2) throw new TypeError('hotspot network: boards lists at least two board ids');
  if (typeof args.oracleKey !== 'string' || !/^[0-9a-f]{64}$/i.test(args.oracleKey)) {
    throw new TypeError('hotspot network: oracleKey must be the oracle\'s public key as 64 hex digits');
  }
  return args;
}
