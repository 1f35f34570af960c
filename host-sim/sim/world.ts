/**
 * A simulated world built from a resolved scenario: one virtual clock, the physical air, a real covey
 * oracle (SQLite file, on the virtual clock; behind a real HTTP server on 127.0.0.1 or called in-process)
 * and one firmware Hotspot per scenario node, each the real runtime (src/) with the real radio driver on
 * the emulated chip of its board. Everything random is drawn from the scenario's seed, per concern and
 * per hotspot, so the same scenario and seed give the same run.
 *
 * Hotspots sign with libsodium and check signatures with it (the same bytes and decisions as the device's
 * portable code, tests/proofs/signature-agreement.test.ts), and the oracle takes the hotspots' own
 * signatures as checked (signature-ledger.ts): liberties taken for speed that cannot change a result.
 */
import { rmSync } from 'node:fs';
import { asciiBytes, sha256 } from '../../proofs/index.js';
import { boardById } from '../../hal/boards/index.js';
import { openRadio } from '../../hal/drivers/open-radio.js';
import type { Gps, Http } from '../../src/ports.js';
import { Hotspot, type HotspotPorts } from '../../src/hotspot.js';
import { parseSettings } from '../../src/settings.js';
import { simulationSigner } from '../../tools/crypto/native-ed25519.js';
import { createSodiumSigner, SodiumVerifier } from '../../tools/crypto/sodium-ed25519.js';
import { oracleClockFrom } from '../../tools/oracle/clock.js';
import { Oracle } from '../../tools/oracle/oracle.js';
import { startServer, type RunningServer } from '../../tools/oracle/server.js';
import { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import type { VerifierRunnerOptions } from '../../tools/oracle/verifier/runner.js';
import { SimAir } from '../air/sim-air.js';
import { collisionModel } from '../air/collisions.js';
import type { PathLossSpec } from '../air/path-loss.js';
import { streamSeed } from '../air/shadowing.js';
import { emulateBoardRadio } from '../chips/board-radio.js';
import { VirtualClock } from '../kernel/virtual-clock.js';
import { NodeHttp } from '../net/node-http.js';
import { MirrorStore } from '../oracle/mirror-store.js';
import { RemoteJudge } from '../oracle/remote-judge.js';
import { StoreThread } from '../oracle/store-thread.js';
import { InProcessOracleHttp } from '../net/oracle-in-process.js';
import { CountingLog } from '../ports/counting-log.js';
import { SimFlash } from '../ports/flash.js';
import { MemoryKeyValue } from '../ports/memory-key-value.js';
import { SeededRng } from '../ports/seeded-rng.js';
import type { AirSettings, Scenario, ScenarioNode } from '../scenario/index.js';
import type { InFlight } from './driver.js';
import { createWalker, WALK_DEFAULTS, type WalkerNode, type WalkSettings } from '../walk/walker.js';
import { TappedAir, type Hearing } from './tapped-air.js';
import { databasePath, lockDatabase } from './database-lock.js';
import { NodeLink, type SimNode } from './sim-node.js';
import { SignatureLedger } from './signature-ledger.js';
import { CachingVerifier } from './verify-cache.js';

/**
 * Flash for each hotspot's receipt queue: 4 sectors of 4 KiB, room for about a hundred receipts. A device's data
 * partition is larger, but a hotspot that uploads within a second holds a few, and an outage of hours a
 * few dozen; 10,000 hotspots with 128 KiB each would need more memory than the rest of the run.
 */
const QUEUE_FLASH_BYTES = 4 * 4096;
const HEALTH_CHECK_MS = 60 * 60_000;
/** Items the simulated oracle writes per commit. */
const HELD_ITEMS = 50_000;

export interface WorldOptions {
  readonly scenario: Scenario;
  /** A coverage walk to replay beside the hotspots. */
  readonly walk?: WalkSettings;
  /** Where the oracle's database goes (replaced if present). */
  readonly outDir: string;
  /** Every packet a hotspot received. */
  readonly onHearing: (hearing: Hearing) => void;
}

export class SimWorld {
  readonly clock: VirtualClock;
  readonly air: SimAir;
  readonly tapped: TappedAir;
  readonly store: SqliteStore | MirrorStore;
  readonly oracle: Oracle;
  readonly dbPath: string;
  readonly nodes: SimNode[] = [];
  /** The mapper carried along the walk, if there is one: a node beside the scenario's hotspots. */
  walker: { readonly node: SimNode; readonly walk: WalkerNode; readonly settings: WalkSettings } | undefined;
  /** More listeners to every packet a hotspot received (faults that follow what was heard). */
  readonly onHearingExtra: ((hearing: Hearing) => void)[] = [];
  /**
   * Shared by the hotspots: each beacon's signature is checked once for all who hear it. libsodium, not
   * the oracle's native verifier: so few checks are left that the native one's speed does not show,
   * and its prepared keys (7.5 KiB a hotspot, here and in the oracle) would cost a day of 10,000
   * hotspots 150 MB.
   */
  private readonly verifier = new CachingVerifier(new SodiumVerifier());
  /** What the hotspots signed, so the oracle need not check it again, nor the hotspots a beacon (signature-ledger.ts). */
  readonly ledger = new SignatureLedger({ beaconChecks: this.verifier });
  /** The hotspots sign with the C signer where it is built (simulated keys only; native-ed25519.ts says why). */
  private readonly createSigner = this.ledger.recording(simulationSigner);
  private readonly releaseLock: () => void;
  private server: RunningServer | undefined;
  private oracleClosed: Promise<void> | undefined;
  /** The verifier on the database thread (in-process ingest). */
  private remoteJudge: RemoteJudge | undefined;
  private transport: (Http & InFlight) | undefined;

  private constructor(
    readonly scenario: Scenario, database: { readonly path: string; readonly release: () => void }, thread: StoreThread | undefined,
    onHearing: (hearing: Hearing) => void,
  ) {
    this.clock = new VirtualClock(0, scenario.startMs);
    this.air = new SimAir(this.clock, {
      seed: scenario.seed,
      pathLoss: pathLossSpec(scenario.air),
      collisions: { ...collisionModel(scenario.air.collisions === 'simple' ? 'lorasim-simple' : 'full'), captureThresholdDb: scenario.air.captureDb },
      clutterLossDb: scenario.air.clutterLossDb,
    });
    this.tapped = new TappedAir(this.air, () => this.clock.now(), (hearing) => {
      onHearing(hearing);
      for (const listener of this.onHearingExtra) listener(hearing);
    });
    this.dbPath = database.path;
    this.releaseLock = database.release;
    // In-process, the database and the verifier run on a thread of their own (store-thread.ts). Over HTTP
    // the oracle is the one `covey oracle` runs, with commits held for 50,000 items rather than made per
    // upload (sqlite-store.ts holdCommitsFor): a simulated oracle need not survive a power cut, and the
    // results are read after flush().
    this.store = thread === undefined
      ? SqliteStore.open(this.dbPath, { backgroundCheckpoints: true, holdCommitsFor: HELD_ITEMS })
      : new MirrorStore(thread);
    const seedBytes = (label: string) => sha256(asciiBytes(`covey sim ${scenario.seed} ${label}`));
    this.oracle = new Oracle({
      store: this.store,
      signer: createSodiumSigner(seedBytes('oracle key')),
      clock: oracleClockFrom(this.clock),
      config: { ...scenario.oracle },
      verifier: this.ledger.verifier(new SodiumVerifier()),
      entropyData: (epoch) => seedBytes(`entropy ${epoch}`),
      ...(thread === undefined ? {} : { judge: (options: VerifierRunnerOptions) => (this.remoteJudge = new RemoteJudge(thread, options)) }),
    });
  }

  /** Builds the world and starts its oracle's transport (not the hotspots: start() does). */
  static async create(options: WorldOptions): Promise<SimWorld> {
    const { scenario } = options;
    const path = databasePath(options.outDir, scenario.name, scenario.seed);
    const release = lockDatabase(path);
    let thread: StoreThread | undefined;
    try {
      for (const suffix of ['', '-wal', '-shm', '.key']) rmSync(`${path}${suffix}`, { force: true });
      // Not waited for: messages wait until the thread has started, and meanwhile the hotspots are
      // answered from memory. Should it fail to open the database, the run fails when it next waits for it.
      if (scenario.ingest === 'in-process') thread = StoreThread.start({ dbPath: path, holdCommitsFor: HELD_ITEMS });
    } catch (error) {
      release();
      throw error;
    }
    const world = new SimWorld(scenario, { path, release }, thread, options.onHearing);
    try {
      await world.openTransport();
      // One buffer for every hotspot's queue flash (see SimFlashOptions.storage).
      const flashes = new Uint8Array(QUEUE_FLASH_BYTES * scenario.nodes.length);
      scenario.nodes.forEach((spec, i) => world.nodes.push(world.buildNode(spec, flashes.subarray(i * QUEUE_FLASH_BYTES, (i + 1) * QUEUE_FLASH_BYTES))));
      if (options.walk !== undefined) world.addWalker(options.walk);
    } catch (error) {
      await world.close().catch(() => undefined);
      throw error;
    }
    return world;
  }

  /** What must be answered before virtual time moves on. */
  get inFlight(): readonly InFlight[] {
    return this.transport === undefined ? [] : [this.transport];
  }

  /** Starts the oracle and boots every hotspot; the walker is switched on when its walk begins. */
  start(): void {
    this.oracle.start();
    for (const node of this.nodes) this.powerOn(node);
    const walker = this.walker;
    if (walker !== undefined) {
      this.clock.setTimer(() => {
        walker.walk.start();
        this.powerOn(walker.node);
      }, walker.settings.startAfterMs ?? WALK_DEFAULTS.startAfterMs);
    }
  }

  /** Boots the node's firmware (again, after a power cut: the key and the queue are where it left them). */
  powerOn(node: SimNode): void {
    if (node.hotspot !== undefined || node.board === undefined) return;
    const hotspot = new Hotspot({ ports: node.board.ports, settings: node.settings });
    node.hotspot = hotspot;
    node.boots.push({ publicKey: hotspot.identity.publicKey, status: () => hotspot.status() });
    hotspot.start();
  }

  powerOff(node: SimNode): void {
    node.hotspot?.stop();
    node.hotspot = undefined;
  }

  /** Stops every hotspot (the oracle keeps running, to judge and close epochs). */
  stopHotspots(): void {
    for (const node of this.nodes) this.powerOff(node);
    if (this.walker !== undefined) {
      this.walker.walk.stop();
      this.powerOff(this.walker.node);
    }
  }

  /**
   * Stops every hotspot for good and lets go of all but what the report reads of them: each boot's key
   * and last counters are kept, the firmware, drivers, emulated chips and flash (about 25 KB a hotspot)
   * are not, nor the hotspots' beacon-check cache. A day of 10,000 hotspots frees some 250 MB this way
   * before the oracle's last work, which is where the run's memory peaks. Nothing can power a node on
   * again after this.
   */
  retireHotspots(): void {
    this.stopHotspots();
    const nodes = this.walker === undefined ? this.nodes : [...this.nodes, this.walker.node];
    for (const node of nodes) {
      for (let i = 0; i < node.boots.length; i++) {
        const { publicKey } = node.boots[i];
        const status = node.boots[i].status();
        node.boots[i] = { publicKey, status: () => status };
      }
      node.board?.detachRadio();
      node.board = undefined;
    }
    this.verifier.forget();
  }

  /**
   * Brings the oracle's database and verifier back to this thread (in-process ingest; nothing to do over
   * HTTP), everything written, and ends their thread. Once the hotspots have stopped, the verifier's last
   * runs close the run's reward epochs, the oracle's largest piece of work: it then uses this thread's
   * heap, where the hotspots' garbage makes room for it, rather than a second heap on top.
   */
  async takeOverOracle(): Promise<void> {
    if (!(this.store instanceof MirrorStore) || this.remoteJudge === undefined) return;
    // The worker's small page cache here too: what is left to do reads each item about once.
    const local = await this.store.takeOver(() => SqliteStore.open(this.dbPath, { backgroundCheckpoints: true, holdCommitsFor: HELD_ITEMS, cacheMiB: 16 }));
    this.remoteJudge.takeOver(local);
  }

  /** Stops the oracle and closes its database, everything written; the world's other parts stay. Once is enough. */
  closeOracle(): Promise<void> {
    this.oracleClosed ??= (async () => {
      await this.server?.close();
      await this.oracle.stop();
      await this.store.close();
    })();
    return this.oracleClosed;
  }

  async close(): Promise<void> {
    this.stopHotspots();
    try {
      await this.closeOracle();
    } finally {
      if (this.transport instanceof NodeHttp) this.transport.close();
      this.releaseLock();
    }
  }

  private async openTransport(): Promise<void> {
    if (this.scenario.ingest === 'in-process') {
      this.transport = new InProcessOracleHttp(this.oracle);
      return;
    }
    this.server = await startServer(this.oracle, { host: '127.0.0.1', port: 0 });
    this.transport = new NodeHttp();
  }

  private oracleUrl(): string {
    return this.server?.url ?? 'http://oracle.sim';
  }

  private addWalker(settings: WalkSettings): void {
    const { area } = this.scenario;
    if (area === null) throw new RangeError('a walk needs a scenario with hotspots, not a LoRaSim experiment');
    const name = WALK_DEFAULTS.name;
    const walk = createWalker(settings, {
      clock: this.clock, seed: this.scenario.seed, region: this.scenario.region, centre: area.centre, index: this.nodes.length,
      move: (position) => this.air.move(name, position),
    });
    if (this.nodes.some((node) => node.spec.name === name)) throw new RangeError(`a walk adds a node called ${name}; the scenario has one already`);
    const node = this.buildNode(walk.spec, undefined, { gps: walk.gps, role: 'mapper' });
    this.walker = { node, walk, settings };
  }

  private buildNode(spec: ScenarioNode, flashStorage?: Uint8Array, mapper?: { readonly gps: Gps; readonly role: 'mapper' }): SimNode {
    const { clock, scenario } = this;
    const board = boardById(spec.board);
    this.air.place(spec.name, { xM: spec.xM, yM: spec.yM, heightM: spec.heightM, antennaGainDbi: spec.antennaGainDbi });
    // The drivers' health check (every 10 s on a device) reads chip registers to catch a radio that hung;
    // emulated chips never hang, so an hourly check exercises it at a 360th of the cost. (Every 15 min,
    // the checks were a third of a day's events.)
    // No command log on the emulated SX1262s: tests read it; a day of a thousand chips would hold millions.
    const emulated = emulateBoardRadio(board, { air: this.tapped, clock, name: spec.name, commandLogLength: 0 });
    const radio = openRadio(board, emulated.io, { clock, healthCheckMs: HEALTH_CHECK_MS });
    const link = new NodeLink(this.transport as Http);
    const rng = new SeededRng(streamSeed(scenario.seed, 'hotspot', spec.name));
    const ports: HotspotPorts = {
      radio, clock, http: link, rng, log: new CountingLog(), verifier: this.verifier, createSigner: this.createSigner,
      flash: new SimFlash({
        size: QUEUE_FLASH_BYTES, sectorSize: 4096, rng: new SeededRng(streamSeed(scenario.seed, 'flash', spec.name)), storage: flashStorage,
      }),
      kv: new MemoryKeyValue(),
      ...(mapper === undefined ? {} : { gps: mapper.gps }),
    };
    const settings = parseSettings({
      region: scenario.region,
      oracleUrl: this.oracleUrl(),
      oraclePublicKey: this.oracle.publicKey,
      antennaGainDbi: spec.antennaGainDbi,
      location: { lat: spec.asserted.lat, lon: spec.asserted.lon },
      txPowerDbm: spec.txPowerDbm,
      logLevel: 'warn',
      // The status line is for people watching a device; a simulated one has nobody watching.
      statusIntervalMs: 0,
      ...(mapper === undefined ? {} : { role: mapper.role }),
    });
    return { spec, board: { ports, detachRadio: () => emulated.chip.detach() }, settings, link, hotspot: undefined, boots: [] };
  }
}

function pathLossSpec(air: AirSettings): PathLossSpec {
  if (air.model === 'okumura-hata') return { name: 'okumura-hata', environment: air.params.environment, sigmaDb: air.shadowingSigmaDb };
  return { name: 'log-distance', d0M: air.params.d0M, pl0Db: air.params.pl0Db, exponent: air.params.exponent, sigmaDb: air.shadowingSigmaDb };
}
