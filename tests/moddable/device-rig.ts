/**
 * A device to boot in Node on the fakes of Moddable's modules (tools/xs/moddable-fakes/) with its USB
 * console on a fake ESP32 UART (./fake-uart.ts), and a host that talks to that console the way
 * `covey provision` does: one command line, then the answer lines, log lines skipped.
 */
import { crc32 } from 'node:zlib';
import { boot, type BootOutcome, type DeviceModules } from '../../hal/moddable/boot.js';
import { boardById } from '../../hal/boards/index.js';
import type { ConsoleSerialOptions } from '../../hal/moddable/console.js';
import { TestAir } from '../../host-sim/air/test-air.js';
import type { SerialIoOptions } from '../../hal/drivers/gps/nmea.js';
import { Axp192Chip } from '../../host-sim/chips/axp192.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { GpsEmulator } from '../../host-sim/chips/gps-emulator.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { fakeNetworkEnvironment, fakeRequest, fakeSntp, fakeWiFi } from '../../tools/xs/moddable-fakes/fake-network.js';
import { FakePreference, fakeFlash } from '../../tools/xs/moddable-fakes/fake-storage.js';
import { fakeTime, fakeTimer, SystemTime, type FakeTimer } from '../../tools/xs/moddable-fakes/fake-time.js';
import { FakeUart } from './fake-uart.js';

export const ORACLE_KEY = '11'.repeat(32);
export const SETTINGS = { region: 'EU868', oracleUrl: 'http://oracle.test', oraclePublicKey: ORACLE_KEY, statusIntervalMs: 60_000 };

export interface DeviceRig {
  readonly world: VirtualClock;
  readonly modules: DeviceModules<FakeTimer>;
  readonly preference: FakePreference;
  /** What reached XS's `trace`. */
  readonly traced: string[];
  /** Console UARTs opened. */
  readonly consoles: FakeUart[];
  /** SPI buses opened (the radio, or the self-test's probe). */
  readonly spi: { opened: number };
  readonly env: ReturnType<typeof fakeNetworkEnvironment>;
  /** The board's power chip, where it has one. */
  readonly power: Axp192Chip | undefined;
  /** The GPS emulator on the board's GPS UART, when `gpsPosition` was given for a board with a GPS. */
  readonly gps: GpsEmulator | undefined;
  /** What each opening of the GPS UART asked for. */
  readonly gpsSerials: SerialIoOptions[];
}

export interface DeviceRigOptions {
  readonly board?: string;
  /** Settings stored before power-on. */
  readonly settings?: unknown;
  /** An NVS to boot on (a reboot): settings are then not written. */
  readonly preference?: FakePreference;
  /** Seed of the device's Math.random. */
  readonly randomSeed?: number;
  /** Where the board's GPS puts it at each ms of GNSS time: an emulated GPS on its UART, sending every second. */
  readonly gpsPosition?: (timeMs: number) => { lat: number; lon: number; altitudeM: number };
  /** GNSS time at power-on, ms. */
  readonly gpsStartMs?: number;
  /** UART ports that refuse to open, as the ESP32's UART0 does under Moddable. */
  readonly consoleRefused?: readonly number[];
  /** A device.io without Serial. */
  readonly noSerial?: boolean;
}

export function deviceRig(options: DeviceRigOptions = {}): DeviceRig {
  const board = boardById(options.board ?? 'heltec_v2');
  const world = new VirtualClock();
  const system = new SystemTime(world);
  const emulated = emulateBoardRadio(board, { air: new TestAir(world), clock: world });
  const spi = { opened: 0 };
  const RadioSpi = emulated.io.SPI;
  const SPI = function SPI(spiOptions: ConstructorParameters<typeof RadioSpi>[0]) {
    spi.opened++;
    return new RadioSpi(spiOptions);
  } as unknown as typeof RadioSpi;
  const power = board.powerChip === undefined ? undefined : new Axp192Chip({ wiring: board.i2c, address: board.powerChip.address });
  const gpsStartMs = options.gpsStartMs ?? 0;
  const position = options.gpsPosition;
  const gps = board.gps === undefined || position === undefined ? undefined : new GpsEmulator({
    position: (t) => position(t), wiring: board.gps, powered: () => power?.railOn('ldo3') ?? true,
  });
  if (gps !== undefined) world.setTimer(function tick() {
    gps.transmit(gpsStartMs + world.now());
    world.setTimer(tick, 1000);
  }, 1000);
  const consoles: FakeUart[] = [];
  const gpsSerials: SerialIoOptions[] = [];
  const Serial = function Serial(serialOptions: ConsoleSerialOptions & SerialIoOptions) {
    if (gps !== undefined && serialOptions.port === board.gps?.port) {
      gpsSerials.push(serialOptions);
      return new gps.Serial(serialOptions);
    }
    const uart = new FakeUart(serialOptions, { clock: world, refusedPorts: options.consoleRefused });
    consoles.push(uart);
    return uart;
  } as unknown as NonNullable<DeviceModules<FakeTimer>['io']['Serial']>;
  const env = fakeNetworkEnvironment(world, () => ({ status: 503, headers: {}, body: new Uint8Array(0) }));
  const preference = options.preference ?? new FakePreference();
  if (options.settings !== undefined) preference.set('covey', 'settings', JSON.stringify(options.settings));
  const random = new SeededRng(options.randomSeed ?? 21);
  const traced: string[] = [];
  const modules: DeviceModules<FakeTimer> = {
    Timer: fakeTimer(world, (ms) => world.advance(ms)),
    Time: fakeTime(world, system),
    Preference: preference,
    Flash: fakeFlash({ covey: { flash: new SimFlash({ size: 8 * 4096 }) } }),
    Request: fakeRequest(env),
    SNTP: fakeSntp(env),
    WiFi: fakeWiFi(env),
    io: { SPI, Digital: emulated.io.Digital, I2C: (power ?? new Axp192Chip()).I2C, ...(options.noSerial === true ? {} : { Serial }) },
    config: { board: board.id },
    trace: (text) => traced.push(text),
    random: () => random.nextUint32() / 2 ** 32,
    wallNow: () => system.now(),
  };
  return { world, modules, preference, traced, consoles, spi, env, power, gps, gpsSerials };
}

/** Boots the rig's device; its console is the first UART opened. */
export function bootRig(rig: DeviceRig): { outcome: BootOutcome; uart: FakeUart } {
  const outcome = boot(rig.modules);
  return { outcome, uart: rig.consoles[0] };
}

const LOG_LINE = /^(error|warn|info|debug) /;

/** Runs `ms` of device time in 10 ms steps, letting promise jobs run between them. */
export async function settle(world: VirtualClock, ms = 500): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    world.advance(10);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Types `line` on the console and returns the answer lines that came back (log lines left out). */
export function command(world: VirtualClock, uart: FakeUart, line: string, ms = 300): string[] {
  const before = uart.lines.length;
  uart.type(`${line}\r\n`);
  world.advance(ms);
  return uart.lines.slice(before).filter((text) => !LOG_LINE.test(text));
}

/** The one answer line to `line`; fails the test if there is not exactly one. */
export function answer(world: VirtualClock, uart: FakeUart, line: string): string {
  const lines = command(world, uart, line);
  if (lines.length !== 1) throw new Error(`"${line}" got ${lines.length} answer lines: ${JSON.stringify(lines)}`);
  return lines[0];
}

export const crcOf = (bytes: Uint8Array): string => crc32(bytes).toString(16).padStart(8, '0');

export interface PutOptions {
  /** The CRC to announce; default the right one. */
  readonly crc?: string;
  /** The length to announce; default the right one. */
  readonly announce?: number;
  readonly replace?: boolean;
  /** Bytes per data line; default 72 (96 base64 characters). */
  readonly chunkBytes?: number;
}

/** The whole put exchange, as a host runs it: every answer line, in order, stopping at the first error. */
export function put(world: VirtualClock, uart: FakeUart, name: string, bytes: Uint8Array, options: PutOptions = {}): string[] {
  const lines: string[] = [];
  const send = (line: string): boolean => {
    const got = answer(world, uart, line);
    lines.push(got);
    return !got.startsWith('covey-put error');
  };
  const begin = `covey put ${name} begin ${options.announce ?? bytes.length} ${options.crc ?? crcOf(bytes)}${options.replace ? ' replace' : ''}`;
  if (!send(begin)) return lines;
  const step = options.chunkBytes ?? 72;
  for (let i = 0; i < bytes.length; i += step) {
    if (!send(`covey put ${name} data ${Buffer.from(bytes.subarray(i, i + step)).toString('base64')}`)) return lines;
  }
  send(`covey put ${name} end`);
  return lines;
}

export const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
