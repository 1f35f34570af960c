/**
 * One boot of covey's firmware on an emulated board: the real entry point (hal/moddable/boot.ts `boot`)
 * on Moddable's modules as tests/moddable/device-rig.ts fakes them, but with the board's own parts:
 *
 *   Preference ─ NvsPreference on the flash's nvs partition       Flash("covey") ─ NorRegion on the flash
 *   device.io.Serial ─ console UART0 ─ the loader emulator's port  (a GPS board: the GPS UART ─ GpsEmulator)
 *   device.io.SPI/Digital ─ the radio chip emulator (faults applied)      I2C ─ the AXP192 emulator
 *   Timer, Time ─ a VirtualClock pumped N ms per turn of Node's event loop
 *   Request ─ board-http.ts (the test's handler), WiFi and SNTP ─ tools/xs/moddable-fakes/fake-network.ts
 *
 * Virtual time runs while the firmware runs: every turn of the event loop advances the clock by up to
 * `msPerTurn` (never faster than `speed` times real time) and lets promise jobs and the host's I/O in
 * between. `stop()` is the power cut: the clock
 * stops, nothing more reaches the port, and the storage refuses every access (what was written stays).
 * A firmware exception that escapes a timer ends the run like a crash; `crash` holds it.
 */
import { boot, type BootOutcome, type DeviceModules } from '../../hal/moddable/boot.js';
import { CONSOLE_BAUD, CONSOLE_PINS } from '../../hal/moddable/console.js';
import type { ConsoleSerialOptions } from '../../hal/moddable/console.js';
import type { SerialIoOptions } from '../../hal/drivers/gps/nmea.js';
import type { Board } from '../../hal/boards/index.js';
import type { HttpRequest, HttpResponse } from '../../src/ports.js';
import { fakeNetworkEnvironment, fakeSntp, fakeWiFi, type AccessPoint } from '../../tools/xs/moddable-fakes/fake-network.js';
import { fakeFlash } from '../../tools/xs/moddable-fakes/fake-storage.js';
import { fakeTime, fakeTimer, SystemTime, type FakeTimer } from '../../tools/xs/moddable-fakes/fake-time.js';
import { TestAir } from '../air/test-air.js';
import { Axp192Chip } from '../chips/axp192.js';
import { emulateBoardRadio } from '../chips/board-radio.js';
import { GpsEmulator } from '../chips/gps-emulator.js';
import { Sx1262 } from '../chips/sx1262.js';
import { transmit } from '../esp32/uart.js';
import { VirtualClock } from '../kernel/virtual-clock.js';
import { SeededRng } from '../ports/seeded-rng.js';
import { boardRequest } from './board-http.js';
import { NorRegion } from './nor-region.js';
import { NvsPreference } from './nvs-preference.js';
import { FakeUart } from './uart.js';

/** Faults built into the board's chips (the self-test's fault matrix, tests/selftest/). */
export interface BoardFaults {
  /** No radio on the SPI bus: MISO reads this level. */
  readonly radioRemoved?: 0x00 | 0xff;
  /** One MISO data bit stuck at a level. */
  readonly misoBitStuck?: { readonly bit: number; readonly level: 0 | 1 };
  /** SX126x only: BUSY never falls. */
  readonly busyStuckHigh?: boolean;
  /** GPS boards: every NMEA sentence with a wrong checksum. */
  readonly gpsBadChecksums?: boolean;
  /** GPS boards: the module sends nothing. */
  readonly gpsSilent?: boolean;
}

/** Answers the device's HTTP requests (the URL is the one the device asked for); may be async. */
export type BoardHttpHandler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

export interface FirmwareRunOptions {
  readonly board: Board;
  /** The board's whole flash (the loader emulator's). */
  readonly flash: Uint8Array;
  readonly nvs: { readonly offset: number; readonly size: number };
  readonly receipts: { readonly offset: number; readonly size: number };
  /** UART0 towards the host. */
  readonly write: (bytes: Uint8Array) => void;
  readonly msPerTurn: number;
  /** Virtual ms per real ms, at most. */
  readonly speed: number;
  readonly randomSeed: number;
  readonly faults?: BoardFaults;
  readonly http?: BoardHttpHandler;
  readonly accessPoint?: AccessPoint;
  /** The SNTP server's answer, Unix seconds (undefined: no answer). */
  readonly sntpSeconds?: () => number | undefined;
  /** Where the GPS says the board is. */
  readonly position?: { readonly lat: number; readonly lon: number; readonly altitudeM: number };
}

const GNSS_START_MS = Date.UTC(2026, 4, 9, 7, 30);
const NOT_FOUND: HttpResponse = { status: 503, headers: {}, body: new Uint8Array(0) };

export class FirmwareRun {
  readonly world = new VirtualClock();
  /** The device's Date.now(), which SNTP sets. */
  readonly system = new SystemTime(this.world);
  readonly preference: NvsPreference;
  readonly modules: DeviceModules<FakeTimer>;
  readonly chip: ReturnType<typeof emulateBoardRadio>['chip'];
  readonly env: ReturnType<typeof fakeNetworkEnvironment>;
  readonly outcome: BootOutcome;
  /** A firmware exception that ended the run. */
  crash: unknown;
  /** Console UARTs the firmware opened, the open one last. */
  private readonly consoles: FakeUart[] = [];
  private live = true;

  constructor(options: FirmwareRunOptions) {
    const { board, flash, faults = {} } = options;
    const world = this.world;
    const live = () => this.live;
    const system = this.system;
    const radio = emulateBoardRadio(board, { air: new TestAir(world), clock: world, name: board.id, commandLogLength: 0 });
    this.chip = radio.chip;
    if (faults.radioRemoved !== undefined) radio.chip.removeFromBus(faults.radioRemoved);
    if (faults.misoBitStuck !== undefined) radio.chip.stickMisoBit(faults.misoBitStuck.bit, faults.misoBitStuck.level);
    if (faults.busyStuckHigh === true && radio.chip instanceof Sx1262) radio.chip.holdBusyHigh();
    const power = board.powerChip === undefined ? new Axp192Chip() : new Axp192Chip({ wiring: board.i2c, address: board.powerChip.address });
    const Timer = fakeTimer(world, (ms) => world.advance(ms));
    const consolePins = CONSOLE_PINS[board.mcu];
    const gps = board.gps === undefined ? undefined : new GpsEmulator({
      position: () => options.position ?? { lat: 52.52, lon: 13.4, altitudeM: 34 },
      wiring: { port: board.gps.port, receive: board.gps.receive, baud: board.gps.baud },
      powered: () => board.powerChip === undefined || power.railOn('ldo3'),
      badChecksums: faults.gpsBadChecksums === true,
    });
    if (gps !== undefined && faults.gpsSilent !== true) {
      // GNSS time runs from 2026-05-09T07:30:00Z at power-on, one epoch a second.
      const tick = (): void => {
        gps.transmit(GNSS_START_MS + world.now());
        world.setTimer(tick, 1000);
      };
      world.setTimer(tick, 1000);
    }
    const consoles = this.consoles;
    const Serial = function Serial(serialOptions: ConsoleSerialOptions & SerialIoOptions) {
      if (serialOptions.receive === consolePins.receive) {
        const uart = new FakeUart(serialOptions, {
          clock: world, keepWire: false,
          onTransmit: (bytes) => live() && options.write(transmit(bytes, serialOptions.baud, CONSOLE_BAUD)),
        });
        consoles.push(uart);
        return uart;
      }
      if (gps !== undefined) return new gps.Serial(serialOptions);
      throw new Error(`UART ${serialOptions.port}: nothing wired to pin ${serialOptions.receive}`);
    } as unknown as NonNullable<DeviceModules<FakeTimer>['io']['Serial']>;
    const env = fakeNetworkEnvironment(world, () => NOT_FOUND);
    env.accessPoint = options.accessPoint;
    env.sntpSeconds = options.sntpSeconds ?? (() => undefined);
    this.env = env;
    this.preference = new NvsPreference({ flash, ...options.nvs }, live);
    const receipts = new NorRegion(flash, options.receipts.offset, options.receipts.size, live);
    const random = new SeededRng(options.randomSeed);
    const text = new TextEncoder();
    this.modules = {
      Timer,
      Time: fakeTime(world, system),
      Preference: this.preference,
      Flash: fakeFlash({ covey: { flash: receipts } }),
      Request: boardRequest(env, options.http ?? (() => NOT_FOUND), live),
      SNTP: fakeSntp(env),
      WiFi: fakeWiFi(env),
      io: { SPI: radio.io.SPI, Digital: radio.io.Digital, I2C: power.I2C, Serial },
      config: { board: board.id, receiptPartition: 'covey' },
      // XS's trace goes to UART0 too, as it does on the device without xsbug.
      trace: (message) => live() && options.write(text.encode(message)),
      random: () => random.nextUint32() / 2 ** 32,
      wallNow: () => system.now(),
    };
    this.outcome = boot(this.modules);
    void this.pump(options.msPerTurn, options.speed);
  }

  get running(): boolean {
    return this.live;
  }

  /** Host → the console UART at 115,200 baud; lost when the firmware has no console open. */
  consoleInput(bytes: Uint8Array): void {
    const uart = this.consoles.at(-1);
    if (!this.live || uart === undefined || uart.closed) return;
    uart.receive(transmit(bytes, CONSOLE_BAUD, uart.options.baud));
  }

  /** The power cut. */
  stop(): void {
    this.live = false;
  }

  /**
   * Advances the clock at most `msPerTurn` a turn, and no further than `speed` times the real time since
   * the boot, so that the firmware's time keeps a fixed ratio to the host's timeouts; a turn with nothing
   * to advance waits a real millisecond instead of spinning.
   */
  private async pump(msPerTurn: number, speed: number): Promise<void> {
    const started = performance.now();
    const origin = this.world.now();
    while (this.live) {
      const due = Math.floor((performance.now() - started) * speed) - (this.world.now() - origin);
      const step = Math.min(msPerTurn, due);
      if (step > 0) {
        try {
          this.world.advance(step);
        } catch (error) {
          this.crash = error;
          this.live = false;
          return;
        }
      }
      await new Promise((resolve) => (step > 0 ? setImmediate(resolve) : setTimeout(resolve, 1)));
    }
  }
}
