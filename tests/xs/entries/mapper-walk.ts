/**
 * A mapper walk for covey-xs: src/'s Hotspot in the mapper role on a T-Beam (emulated SX1276; another board
 * if asked), carried east at a walking pace by a scripted GPS, past hotspots (src/'s Hotspot in the
 * hotspot role on their own boards and emulated chips) on one test air and one virtual clock. Their Http ports reach an oracle on
 * the Node side (tools/xs/oracle-answerer.ts) that verifies and stores what they upload. Device code: it
 * runs in covey-xs (mapper-walk-entry.ts) and, unchanged, in Node (the tests compare the two).
 *
 * prepare(): the world: the clock, the air, the mapper's board (its emulated radio chip, flash, NVS holding
 *            the provisioned settings, random source, log, GPS) and the hotspots' rigs. Part of the baseline.
 * start():   the hotspots boot, then the mapper: driver, settings, Hotspot, start(). With no hotspots, what
 *            the mapper keeps is all that counts against the budget.
 * turn():    the timers due at the next instant (tools/xs/scenarios/turn-clock.ts). The run ends once the
 *            mapper has sent `uplinks` uplinks and every queue is empty, or after twice the time that needs.
 */
import { TestAir } from '../../../host-sim/air/test-air.js';
import { emulateBoardRadio } from '../../../host-sim/chips/board-radio.js';
import { CountingLog } from '../../../host-sim/ports/counting-log.js';
import { SimFlash } from '../../../host-sim/ports/flash.js';
import { MemoryKeyValue } from '../../../host-sim/ports/memory-key-value.js';
import { SeededRng } from '../../../host-sim/ports/seeded-rng.js';
import { boardById } from '../../../hal/boards/index.js';
import { openRadio, type RadioIo } from '../../../hal/drivers/open-radio.js';
import { createPortableSigner, PortableVerifier } from '../../../proofs/ed25519-portable.js';
import { Hotspot } from '../../../src/hotspot.js';
import type { Clock, Gps, GpsFix, Http } from '../../../src/ports.js';
import { SETTINGS_KEY, loadSettings } from '../../../src/settings-store.js';
import { CountingHttp } from '../../../tools/xs/scenarios/counting-http.js';
import { HostCallHttp } from '../../../tools/xs/scenarios/host-call-http.js';
import { SCENARIO_ORACLE_URL, WALL_AT_START_MS, type HttpFactory } from '../../../tools/xs/scenarios/hotspot-scenario.js';
import { HotspotRig } from '../../../tools/xs/scenarios/hotspot-rig.js';
import type { MeteredScenario, ScenarioArgs } from '../../../tools/xs/scenarios/metered-scenario.js';
import { TurnClock } from '../../../tools/xs/scenarios/turn-clock.js';

export interface MapperWalkArgs {
  /** Uplinks the mapper sends before the run ends. Default 20. */
  readonly uplinks: number;
  /** The mapper's board. Default tbeam_v1 (SX1276, and the GPS a mapper needs). */
  readonly board: string;
  /** One hotspot per board, witnessing the mapper. Default heltec_v3 and t3s3; none for the budget run. */
  readonly hotspots: readonly string[];
  /** Walking speed east, m/s. Default 1.5 (an uplink every 47 s at 70 m). */
  readonly speedMps: number;
  /** The oracle's public key, 64 hex digits. Required. */
  readonly oracleKey: string;
  /** Path loss between any two nodes, dB. Default 100. */
  readonly lossDb: number;
  /** When set, the mapper answers `covey walk-log` at the first turn at or after this time (Clock.now ms). */
  readonly walkLogAtMs?: number;
}

export const MAPPER_WALK_DEFAULTS: Omit<MapperWalkArgs, 'oracleKey'> = {
  uplinks: 20, board: 'tbeam_v1', hotspots: ['heltec_v3', 't3s3'], speedMps: 1.5, lossDb: 100,
};

/** The route starts at the Brandenburg Gate. */
export const WALK_START_LAT_E7 = 525_162_746;
export const WALK_START_LON_E7 = 133_777_041;
const EARTH_RADIUS_M = 6_371_008.8;
const DEG_PER_RAD = 180 / Math.PI;

/** A GNSS receiver walking east at a constant speed from the start; its time is the world's wall time. */
class WalkingGps implements Gps {
  private readonly clock: Clock;
  private readonly eastE7PerMs: number;

  constructor(clock: Clock, speedMps: number) {
    this.clock = clock;
    const cosLat = Math.cos(WALK_START_LAT_E7 / 1e7 / DEG_PER_RAD);
    this.eastE7PerMs = (speedMps / 1000 / (EARTH_RADIUS_M * cosLat)) * DEG_PER_RAD * 1e7;
  }

  fix(): GpsFix | undefined {
    const now = this.clock.now();
    return {
      latE7: WALK_START_LAT_E7, lonE7: WALK_START_LON_E7 + Math.round(now * this.eastE7PerMs),
      altitudeM: 34, hdop: 0.9, satellites: 9, timeMs: this.clock.wallMs() as number,
    };
  }
}

/** The mapper's board, as provisioned: radio chip, flash, NVS with the settings, random source, log, GPS. */
interface MapperBoard {
  readonly id: string;
  readonly io: RadioIo;
  readonly flash: SimFlash;
  readonly kv: MemoryKeyValue;
  readonly rng: SeededRng;
  readonly log: CountingLog;
  readonly gps: WalkingGps;
  radioErrors: number;
}

interface World {
  readonly clock: TurnClock;
  readonly board: MapperBoard;
  readonly rigs: readonly HotspotRig[];
  readonly http: CountingHttp;
}

export function createMapperWalk(httpFor: HttpFactory = (clock) => new HostCallHttp(clock)): MeteredScenario {
  let args: MapperWalkArgs | undefined;
  let world: World | undefined;
  let mapper: Hotspot | undefined;
  let hotspots: Hotspot[] = [];
  let walkLog: string[] | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('mapper walk: prepare() and start() come first');
    return value;
  };
  return {
    prepare(given: ScenarioArgs) {
      args = readArgs(given);
      world = buildWorld(args, httpFor);
    },
    start() {
      const { rigs, http } = need(world);
      hotspots = rigs.map((rig) => rig.boot(http).hotspot);
      mapper = bootMapper(need(world), http);
    },
    turn() {
      const { clock } = need(world);
      const { uplinks, walkLogAtMs } = need(args);
      const node = need(mapper);
      if (walkLogAtMs !== undefined && walkLog === undefined && clock.now() >= walkLogAtMs) {
        const lines: string[] = [];
        node.answerConsole('covey walk-log', (line) => lines.push(line));
        walkLog = lines;
      }
      const done = (node.status().mapper?.sent ?? 0) >= uplinks && [node, ...hotspots].every((h) => h.status().queueSize === 0);
      if (done || clock.now() > 2 * uplinks * 60_000 + (walkLogAtMs ?? 0)) return false;
      return clock.runNext();
    },
    counters() {
      const status = need(mapper).status();
      const m = status.mapper;
      const { http, board, rigs } = need(world);
      const sum = (count: (h: Hotspot) => number) => hotspots.reduce((total, h) => total + count(h), 0);
      return {
        uplinksSent: m?.sent ?? 0,
        uplinksSkippedNoFix: m?.skippedNoFix ?? 0,
        uplinksRefused: (m?.refusedDutyCycle ?? 0) + (m?.refusedBusy ?? 0) + (m?.refusedRadio ?? 0) + (m?.refusedCounter ?? 0),
        reportsQueued: status.receipts.queued,
        reportsUploaded: status.receipts.uploaded,
        mapperQueueSize: status.queueSize,
        mapperReceiptsMade: sum((h) => h.status().mapperUplinks?.receipts ?? 0),
        forgedUplinks: sum((h) => h.status().mapperUplinks?.forged ?? 0),
        hotspotReceiptsQueued: sum((h) => h.status().receipts.queued),
        hotspotReceiptsUploaded: sum((h) => h.status().receipts.uploaded),
        ...http.counters,
        logErrors: board.log.counts.error + rigs.reduce((total, rig) => total + rig.log.counts.error, 0),
        radioErrors: board.radioErrors + rigs.reduce((total, rig) => total + rig.radioErrors, 0),
      };
    },
    report() {
      return {
        mapperKey: need(mapper).identity.publicKey,
        hotspotKeys: hotspots.map((h) => h.identity.publicKey),
        mapper: need(mapper).status().mapper,
        walkLog,
      };
    },
  };
}

function buildWorld(args: MapperWalkArgs, httpFor: HttpFactory): World {
  const clock = new TurnClock(0, WALL_AT_START_MS);
  const air = new TestAir(clock, { defaultLossDb: args.lossDb });
  const settings = { region: 'EU868', oracleUrl: SCENARIO_ORACLE_URL, oraclePublicKey: args.oracleKey };
  const board: MapperBoard = {
    id: args.board,
    io: emulateBoardRadio(boardById(args.board), { air, clock, name: 'mapper', commandLogLength: 0 }).io,
    flash: new SimFlash({ size: 8 * 4096, rng: new SeededRng(0x5a5a) }),
    kv: new MemoryKeyValue(),
    rng: new SeededRng(300),
    log: new CountingLog(),
    gps: new WalkingGps(clock, args.speedMps),
    radioErrors: 0,
  };
  board.kv.set(SETTINGS_KEY, JSON.stringify({ ...settings, role: 'mapper', statusIntervalMs: 0 }));
  const rigs = args.hotspots.map((boardId, i) => new HotspotRig({
    name: `${boardId}-${i}`, boardId, air, clock, rngSeed: 400 + i,
    settings: { ...settings, location: { lat: 52.52 + i / 100, lon: 13.4 }, statusIntervalMs: 0 },
  }));
  return { clock, board, rigs, http: new CountingHttp(httpFor(clock)) };
}

/** What the mapper's entry point does at power-on: driver, settings, Hotspot (with the GPS), start(). */
function bootMapper(world: World, http: Http): Hotspot {
  const { clock, board } = world;
  const radio = openRadio(boardById(board.id), board.io, { clock, onError: () => board.radioErrors++ });
  const settings = loadSettings(board.kv);
  if (settings === undefined) throw new Error('mapper: not provisioned');
  const hotspot = new Hotspot({
    ports: {
      radio, clock, flash: board.flash, kv: board.kv, http, rng: board.rng, log: board.log, gps: board.gps,
      verifier: new PortableVerifier(), createSigner: createPortableSigner,
    },
    settings,
  });
  hotspot.start();
  return hotspot;
}

function readArgs(given: ScenarioArgs): MapperWalkArgs {
  const args = { ...MAPPER_WALK_DEFAULTS, ...given } as MapperWalkArgs;
  for (const key of ['uplinks', 'lossDb'] as const) {
    if (!Number.isInteger(args[key]) || args[key] < 1) throw new RangeError(`mapper walk: ${key} must be a positive integer`);
  }
  if (!(args.speedMps >= 0)) throw new RangeError('mapper walk: speedMps must be 0 or more');
  if (!Array.isArray(args.hotspots) || typeof args.board !== 'string') throw new TypeError('mapper walk: board and hotspots are board ids');
  if (typeof args.oracleKey !== 'string' || !/^[0-9a-f]{64}$/i.test(args.oracleKey)) {
    throw new TypeError('mapper walk: oracleKey must be the oracle\'s public key as 64 hex digits');
  }
  return args;
}
