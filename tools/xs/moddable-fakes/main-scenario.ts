/**
 * The device entry point (hal/moddable/main.ts) booting inside XS, on fakes of Moddable's modules: the
 * scenario for tests/xs/moddable-main-in-xs.test.ts, run in covey-xs.
 *
 * prepare(args) builds the world around the device and installs it as the fake Moddable modules
 * (./world.ts): one clock for everything (TurnClock, with the true wall time), the board's radio chip
 * emulated on a test air behind `device.io`, a 64 KB "covey" partition on a simulated NOR flash, the
 * NVS (with the provisioned settings, or empty), an access point (or none), an SNTP server that tells the
 * true time, and HTTP answered from the Node side (hostCall: the oracle of tools/xs/oracle-answerer.ts).
 * `Date.now` becomes the ESP32's system clock (1970 at power-on until SNTP sets it) and `Math.random` a
 * seeded stream, so a run replays exactly. Then what a Moddable build leaves: no TextEncoder, TextDecoder
 * or crypto globals (covey-xs's XS has the first two built in; they are removed), and the built-ins frozen
 * (xsl freezes them after preload, reference/moddable.md §5).
 *
 * start() is the device powering on: Moddable calls main's default export. turn() runs the next instant
 * of timers until `minutes` have passed. The report holds every console line and what the world saw.
 * Device-legal code, for covey-xs.
 */
import main from '../../../hal/moddable/main.js';
import type { BootOutcome } from '../../../hal/moddable/boot.js';
import { boardById } from '../../../hal/boards/index.js';
import { openRadio } from '../../../hal/drivers/open-radio.js';
import { TestAir } from '../../../host-sim/air/test-air.js';
import { Axp192Chip } from '../../../host-sim/chips/axp192.js';
import { emulateBoardRadio } from '../../../host-sim/chips/board-radio.js';
import { Sx1276 } from '../../../host-sim/chips/sx1276.js';
import { SimFlash } from '../../../host-sim/ports/flash.js';
import { SeededRng } from '../../../host-sim/ports/seeded-rng.js';
import { fromHex, toHex } from '../../../proofs/bytes.js';
import { signBeacon } from '../../../proofs/beacon.js';
import { createPortableSigner } from '../../../proofs/ed25519-portable.js';
import { pocChannelOf, tuneRadio } from '../../../src/poc-channel.js';
import type { HttpRequest, HttpResponse } from '../../../src/ports.js';
import type { HttpAnswer, HttpCall } from '../scenarios/host-call-http.js';
import { SCENARIO_ORACLE_URL, WALL_AT_START_MS } from '../scenarios/hotspot-scenario.js';
import { xsHost, type MeteredScenario, type ScenarioArgs } from '../scenarios/metered-scenario.js';
import { TurnClock } from '../scenarios/turn-clock.js';
import { fakeNetworkEnvironment, fakeRequest, fakeSntp, fakeWiFi, type FakeNetworkEnvironment } from './fake-network.js';
import { FakePreference, fakeFlash } from './fake-storage.js';
import { fakeTime, fakeTimer, SystemTime, type FakeTimerModule } from './fake-time.js';
import { installWorld } from './world.js';

export interface MainScenarioArgs {
  readonly board: string;
  /** Minutes of device time to run. */
  readonly minutes: number;
  /** Settings in NVS. */
  readonly provisioned: boolean;
  /** The access point named in the settings is in reach. */
  readonly accessPoint: boolean;
  /** The oracle's public key, 64 hex digits. */
  readonly oracleKey: string;
  readonly beaconIntervalMs: number;
  readonly statusIntervalMs: number;
  /** A neighbour beacons at these times (ms of device time), on the PoC channel. */
  readonly neighbourBeaconsAtMs: readonly number[];
}

const DEFAULTS: Omit<MainScenarioArgs, 'oracleKey'> = {
  board: 'heltec_v2', minutes: 6, provisioned: true, accessPoint: true, beaconIntervalMs: 120_000, statusIntervalMs: 60_000,
  neighbourBeaconsAtMs: [90_000, 210_000],
};

export const TEST_NETWORK = { ssid: 'covey-test', password: 'correct horse battery' } as const;

/** The console lines kept for the report (a run logs a few dozen). */
const MAX_LINES = 400;

/** Freezes the built-in constructors and prototypes, as xsl does after a Moddable preload. */
function freezeBuiltIns(): string[] {
  const global = globalThis as unknown as Record<string, unknown>;
  const frozen: string[] = [];
  const freeze = (name: string, value: unknown): void => {
    if ((typeof value !== 'function' && typeof value !== 'object') || value === null) return;
    Object.freeze(value);
    const prototype = (value as { prototype?: unknown }).prototype;
    if (typeof prototype === 'object' && prototype !== null) Object.freeze(prototype);
    frozen.push(name);
  };
  for (const name of Object.getOwnPropertyNames(global)) {
    if (/^[A-Z]/.test(name) && name !== 'NaN' && name !== 'Infinity') freeze(name, global[name]);
  }
  freeze('%TypedArray%', Object.getPrototypeOf(Uint8Array));
  return frozen;
}

/**
 * A neighbour on the same air that sends a signed beacon at each of `times` (its own emulated SX1276
 * and driver, tuned to the region's PoC channel): what the device's receiver hears. Returns how many it sent.
 */
function neighbourBeacons(clock: TurnClock, air: TestAir, region: string, times: readonly number[]): { sent: number } {
  const chip = emulateBoardRadio(boardById('heltec_v2'), { air, clock, name: 'neighbour' });
  const radio = openRadio(boardById('heltec_v2'), chip.io, { clock });
  tuneRadio(radio, pocChannelOf({ region, antennaGainDbi: 2.15 }).settings);
  const signer = createPortableSigner(Uint8Array.from({ length: 32 }, (_, i) => 0x4e ^ i));
  const counts = { sent: 0 };
  times.forEach((atMs, i) => {
    clock.setTimer(() => {
      const nonce = Uint8Array.of(0, 0, 0, i);
      const { frame } = signBeacon({ beaconer: signer.publicKey, entropyEpoch: 1, entropyTag: new Uint8Array(4), nonce }, signer);
      radio.transmit(frame).then(() => counts.sent++, () => undefined);
    }, atMs);
  });
  return counts;
}

/** HTTP answered by the Node side through covey-xs's hostCall, at the world's time. */
function hostCallHttp(clock: TurnClock): (request: HttpRequest) => HttpResponse {
  return (request) => {
    const host = xsHost();
    if (host === undefined) throw new Error('the main scenario needs covey-xs');
    const call: HttpCall = {
      kind: 'http', method: request.method, url: request.url, headers: request.headers ?? {},
      bodyHex: request.body === undefined ? '' : toHex(request.body), timeoutMs: 0, atMs: clock.now(), wallMs: clock.wallMs(),
    };
    const answer = JSON.parse(host.hostCall(JSON.stringify(call))) as HttpAnswer;
    if ('error' in answer) throw new Error(answer.error);
    return { status: answer.status, headers: answer.headers, body: fromHex(answer.bodyHex) };
  };
}

interface Run {
  readonly args: MainScenarioArgs;
  readonly clock: TurnClock;
  readonly env: FakeNetworkEnvironment;
  readonly system: SystemTime;
  readonly preference: FakePreference;
  readonly flash: SimFlash;
  readonly chip: ReturnType<typeof emulateBoardRadio>['chip'];
  readonly lines: string[];
  readonly frozen: string[];
  readonly neighbour: { sent: number };
  readonly timer: FakeTimerModule;
  readonly power: Axp192Chip | undefined;
  outcome: BootOutcome | undefined;
}

export function createMainScenario(): MeteredScenario {
  let run: Run | undefined;
  const current = (): Run => {
    if (run === undefined) throw new Error('prepare() first');
    return run;
  };
  return {
    prepare(given: ScenarioArgs) {
      const args = { ...DEFAULTS, ...given } as MainScenarioArgs;
      if (!/^[0-9a-f]{64}$/.test(args.oracleKey)) throw new TypeError('main scenario: oracleKey must be 64 hex digits');
      const board = boardById(args.board);
      const clock = new TurnClock(0, WALL_AT_START_MS);
      const air = new TestAir(clock, { defaultLossDb: 100 });
      const radio = emulateBoardRadio(board, { air, clock, name: board.id, commandLogLength: 0 });
      const neighbour = neighbourBeacons(clock, air, 'EU868', args.neighbourBeaconsAtMs);
      const power = board.powerChip === undefined ? undefined : new Axp192Chip({ wiring: board.i2c, address: board.powerChip.address });
      const env = fakeNetworkEnvironment(clock, hostCallHttp(clock));
      if (args.accessPoint) env.accessPoint = TEST_NETWORK;
      env.sntpSeconds = () => Math.floor((clock.wallMs() as number) / 1000);
      const system = new SystemTime(clock);
      const flash = new SimFlash({ size: 16 * 4096 });
      const preference = new FakePreference();
      if (args.provisioned) {
        preference.set('covey', 'settings', JSON.stringify({
          region: 'EU868', oracleUrl: SCENARIO_ORACLE_URL, oraclePublicKey: args.oracleKey, wifi: TEST_NETWORK,
          beaconIntervalMs: args.beaconIntervalMs, statusIntervalMs: args.statusIntervalMs, location: { lat: 52.52, lon: 13.4 },
        }));
      }
      const lines: string[] = [];
      const timer = fakeTimer(clock, (ms) => clock.inner.runUntil(clock.now() + ms));
      installWorld({
        Timer: timer,
        Time: fakeTime(clock, system),
        Preference: preference,
        Flash: fakeFlash({ covey: { flash } }),
        Request: fakeRequest(env),
        SNTP: fakeSntp(env),
        WiFi: fakeWiFi(env),
        io: { SPI: radio.io.SPI, Digital: radio.io.Digital, I2C: power?.I2C ?? noI2c },
        config: { board: board.id, file: { root: '/' } },
      });
      // A manifest build has no such globals (they are modules there: reference/moddable.md §4); XS 13.3
      // has the first two built in.
      for (const name of ['TextEncoder', 'TextDecoder', 'crypto']) delete (globalThis as Record<string, unknown>)[name];
      const random = new SeededRng(0x5eed);
      Object.defineProperty(Date, 'now', { value: () => system.now() });
      Object.defineProperty(Math, 'random', { value: () => random.nextUint32() / 2 ** 32 });
      (globalThis as { trace?: unknown }).trace = (text: string) => {
        if (lines.length < MAX_LINES) lines.push(text);
      };
      run = { args, clock, env, system, preference, flash, chip: radio.chip, lines, frozen: freezeBuiltIns(), neighbour, timer, power, outcome: undefined };
    },
    start() {
      current().outcome = main();
    },
    turn() {
      const { clock, args } = current();
      const next = clock.nextDueMs();
      return next !== undefined && next <= args.minutes * 60_000 && clock.runNext();
    },
    counters() {
      const { lines, env, outcome, neighbour } = current();
      const status = outcome?.state === 'running' ? outcome.hotspot.status() : undefined;
      return {
        consoleLines: lines.length,
        statusLines: lines.filter((line) => line.startsWith('info status ')).length,
        httpRequests: env.stats.httpRequests,
        wifiAttempts: env.stats.wifiAttempts,
        sntpQueries: env.stats.sntpQueries,
        beaconsSent: status?.beacons.sent ?? 0,
        neighbourBeaconsSent: neighbour.sent,
        framesHeard: status?.frames.heard ?? 0,
        receiptsMade: status?.frames.receipts ?? 0,
        noTime: status?.frames.noTime ?? 0,
        receiptsUploaded: status?.receipts.uploaded ?? 0,
      };
    },
    report() {
      const { lines, outcome, env, system, preference, flash, chip, frozen, clock, timer, power } = current();
      const global = globalThis as Record<string, unknown>;
      return {
        state: outcome?.state ?? 'not started',
        reason: outcome !== undefined && outcome.state !== 'running' ? outcome.reason : undefined,
        hotspot: outcome?.state === 'running' ? outcome.hotspot.identity.publicKey : undefined,
        networkState: outcome?.state === 'running' ? outcome.network.state : undefined,
        deviceWallMs: outcome?.clock.wallMs(),
        trueWallMs: clock.wallMs(),
        lines,
        timeSets: system.sets,
        timerDelays: timer.delays,
        loraRailOn: power?.railOn('ldo2') ?? null,
        wifiModes: env.stats.modeSets,
        nvsKeys: preference.keys('covey'),
        flash: flash.counters,
        // SX1276 RegOpMode (DS §6.4): 0x85 is LoRa, continuous receive.
        chipOpMode: chip instanceof Sx1276 ? chip.registers[0x01] : undefined,
        chipSpiTransactions: chip instanceof Sx1276 ? chip.spiTransactions : undefined,
        frozenBuiltIns: frozen.length,
        errorPrototypeFrozen: Object.isFrozen(Error.prototype),
        absentGlobals: ['TextEncoder', 'TextDecoder', 'crypto', 'setTimeout'].filter((name) => global[name] === undefined),
      };
    },
  };
}

/** The I2C of a board with no I2C part on the bus: nothing acknowledges. */
const noI2c = function NoI2c(): never {
  throw new Error('I2C: no device acknowledged');
} as unknown as typeof Axp192Chip.prototype.I2C;
