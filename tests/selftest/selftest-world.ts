/**
 * A device for the self-test on emulated parts, with one fault injected or none: the board's radio chip
 * (host-sim/chips), its AXP192 and GPS where it has them, the receipt partition on a simulated NOR flash,
 * NVS with a seed, and Math.random, all handed over as Moddable's modules (DeviceModules, on the fakes of
 * tools/xs/moddable-fakes/). Device-legal (no Node APIs): the fault-matrix tests run it in Node and
 * tests/xs/selftest-in-xs.test.ts inside XS.
 */
import { boardById, type Board } from '../../hal/boards/index.js';
import type { SerialIoOptions } from '../../hal/drivers/gps/nmea.js';
import type { DeviceModules } from '../../hal/moddable/boot.js';
import { PreferenceKeyValue } from '../../hal/moddable/key-value.js';
import type { SelftestItem } from '../../hal/selftest/report.js';
import { TestAir } from '../../host-sim/air/test-air.js';
import { Axp192Chip } from '../../host-sim/chips/axp192.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { GpsEmulator } from '../../host-sim/chips/gps-emulator.js';
import { Sx1262 } from '../../host-sim/chips/sx1262.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import type { Flash } from '../../src/ports.js';
import { fakeNetworkEnvironment, fakeRequest, fakeSntp, fakeWiFi } from '../../tools/xs/moddable-fakes/fake-network.js';
import { FakePreference, fakeFlash } from '../../tools/xs/moddable-fakes/fake-storage.js';
import { fakeTime, fakeTimer, SystemTime, type FakeTimer } from '../../tools/xs/moddable-fakes/fake-time.js';

/** The faults the matrix injects, each with the item it must make FAIL and where it applies. */
export const SELFTEST_FAULTS = {
  'radio absent, MISO low': { item: 'radio' },
  'radio absent, MISO high': { item: 'radio' },
  'SPI data bit 7 stuck low': { item: 'spi' },
  'SPI data bit 0 stuck low': { item: 'spi' },
  'SX126x BUSY stuck high': { item: 'radio', family: 'sx126x' },
  'flash erase fails': { item: 'flash' },
  'flash program fails': { item: 'flash' },
  'flash reads back wrong': { item: 'flash' },
  'no seed in NVS': { item: 'key' },
  'corrupt seed in NVS': { item: 'key' },
  'RNG stuck at a constant': { item: 'rng' },
  'GPS silent': { item: 'gps', gps: true },
  'GPS sends only bad checksums': { item: 'gps', gps: true },
} as const satisfies Record<string, { item: SelftestItem; family?: 'sx126x'; gps?: true }>;

export type SelftestFault = keyof typeof SELFTEST_FAULTS;

/** The faults that apply to a board (BUSY only on an SX126x, the GPS ones only with a GPS). */
export function faultsFor(board: Board): SelftestFault[] {
  return (Object.keys(SELFTEST_FAULTS) as SelftestFault[]).filter((fault) => {
    const spec = SELFTEST_FAULTS[fault] as { readonly family?: string; readonly gps?: boolean };
    return (spec.family === undefined || spec.family === board.radio.family) && (spec.gps !== true || board.gps !== undefined);
  });
}

/** The seed every healthy world has in NVS. */
export const WORLD_SEED = Uint8Array.from({ length: 32 }, (_, i) => (0x5a + 7 * i) & 0xff);

/** A Flash port over `inner` with a fault: erase or program throws as ESP-IDF's refusal does, or bit 1 never programs. */
function faultyFlash(inner: SimFlash, fault: SelftestFault | undefined): Flash {
  return {
    size: inner.size,
    sectorSize: inner.sectorSize,
    read: (offset, length) => inner.read(offset, length),
    program(offset, bytes) {
      if (fault === 'flash program fails') throw new Error('write failed');
      // Cells whose bit 1 no longer programs: every byte keeps it at 1.
      inner.program(offset, fault === 'flash reads back wrong' ? bytes.map((byte) => byte | 0x02) : bytes);
    },
    erase(sector) {
      if (fault === 'flash erase fails') throw new Error('erase failed');
      inner.erase(sector);
    },
  };
}

export interface SelftestWorld {
  readonly board: Board;
  readonly world: VirtualClock;
  readonly modules: DeviceModules<FakeTimer>;
  readonly kv: PreferenceKeyValue;
  readonly flash: SimFlash;
  readonly chip: ReturnType<typeof emulateBoardRadio>['chip'];
  readonly power: Axp192Chip | undefined;
  readonly gps: GpsEmulator | undefined;
  /** What the device wrote through trace. */
  readonly lines: string[];
}

/** I2C on a board with no I2C part: nothing acknowledges. */
const NoI2c = function NoI2c(): never {
  throw new Error('I2C: no device acknowledged');
} as unknown as Axp192Chip['I2C'];

export function selftestWorld(boardId: string, fault?: SelftestFault, flash = new SimFlash({ size: 16 * 4096 })): SelftestWorld {
  const board = boardById(boardId);
  const world = new VirtualClock();
  const system = new SystemTime(world);
  const radio = emulateBoardRadio(board, { air: new TestAir(world), clock: world, name: board.id, commandLogLength: 0 });
  const chip = radio.chip;
  if (fault === 'radio absent, MISO low') chip.removeFromBus(0x00);
  if (fault === 'radio absent, MISO high') chip.removeFromBus(0xff);
  if (fault === 'SPI data bit 7 stuck low') chip.stickMisoBit(7, 0);
  if (fault === 'SPI data bit 0 stuck low') chip.stickMisoBit(0, 0);
  if (fault === 'SX126x BUSY stuck high' && chip instanceof Sx1262) chip.holdBusyHigh();
  const power = board.powerChip === undefined ? undefined : new Axp192Chip({ wiring: board.i2c, address: board.powerChip.address });
  const preference = new FakePreference();
  if (fault === 'corrupt seed in NVS') preference.set('covey', 'seed', 'not a seed');
  else if (fault !== 'no seed in NVS') preference.set('covey', 'seed', WORLD_SEED.slice().buffer);
  const Timer = fakeTimer(world, (ms) => world.advance(ms));
  let gps: GpsEmulator | undefined;
  let Serial: unknown;
  if (board.gps !== undefined) {
    const wiring = { port: board.gps.port, receive: board.gps.receive, baud: board.gps.baud };
    const emulator = new GpsEmulator({
      position: () => ({ lat: 52.52, lon: 13.4, altitudeM: 34 }),
      wiring,
      powered: () => power?.railOn('ldo3') ?? true,
      badChecksums: fault === 'GPS sends only bad checksums',
    });
    gps = emulator;
    // GNSS time of the first epoch: 2026-05-09T07:30:00Z; a silent module sends nothing at all.
    let epoch = 0;
    if (fault !== 'GPS silent') Timer.repeat(() => emulator.transmit(Date.UTC(2026, 4, 9, 7, 30) + 1000 * epoch++), 1000);
    Serial = function Serial(options: SerialIoOptions) {
      if (options.port !== wiring.port) throw new Error(`UART ${options.port} is not wired here`);
      return new emulator.Serial(options);
    };
  }
  const random = new SeededRng(0x5e1f);
  const env = fakeNetworkEnvironment(world, () => ({ status: 503, headers: {}, body: new Uint8Array(0) }));
  const lines: string[] = [];
  const modules: DeviceModules<FakeTimer> = {
    Timer,
    Time: fakeTime(world, system),
    Preference: preference,
    Flash: fakeFlash({ covey: { flash: faultyFlash(flash, fault) } }),
    Request: fakeRequest(env),
    SNTP: fakeSntp(env),
    WiFi: fakeWiFi(env),
    io: { SPI: radio.io.SPI, Digital: radio.io.Digital, I2C: power?.I2C ?? NoI2c, ...(Serial === undefined ? {} : { Serial }) } as DeviceModules<FakeTimer>['io'],
    config: { board: board.id, receiptPartition: 'covey' },
    trace: (text) => lines.push(text),
    random: fault === 'RNG stuck at a constant' ? () => 0.5 : () => random.nextUint32() / 2 ** 32,
    wallNow: () => system.now(),
  };
  return { board, world, modules, kv: new PreferenceKeyValue(preference), flash, chip, power, gps, lines };
}
