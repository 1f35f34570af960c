/**
 * An emulated covey board on a USB cable: the ESP32 / ESP32-S3 ROM serial loader (host-sim/esp32) of the
 * board's MCU, with covey's real firmware (firmware-run.ts) as what it boots. The host tools talk to it
 * through a serialport binding exactly as to a board on /dev/ttyUSB0: `covey flash` writes its flash
 * through the ROM loader and resets it, the firmware then boots from that flash, and `covey provision
 * --port`, `covey monitor` and `covey id` talk to the firmware's console on the same port.
 *
 *   host ── emulatedBoardBinding ── Esp32LoaderEmulator ─┬─ download mode: SLIP, ROM loader, stub, NOR flash
 *                                                         └─ firmware: FirmwareRun on that flash
 *                                                              nvs partition ─ Preference (NvsPreference)
 *                                                              covey partition ─ Flash("covey") (NorRegion)
 *                                                              UART0 ─ the console
 *
 * The firmware runs only with an app image at 0x10000 (an ESP-IDF header, 0xE9; the bytes after it are
 * not executed: the firmware is covey's, built for the board id given here). Partition offsets come from
 * tools/build/partitions.csv. A reset of any kind is a power cut for the firmware: its RAM is gone, its
 * flash stays. `close()` powers the board off so that a test ends with nothing running.
 */
import { boardById, type Board } from '../../hal/boards/index.js';
import { coveyPartition, type Partition } from '../../tools/build/partitions.js';
import type { AccessPoint } from '../../tools/xs/moddable-fakes/fake-network.js';
import { emulatorBinding, Esp32LoaderEmulator, type EmulatorBindingOptions, type RunningFirmware } from '../esp32/index.js';
import { FirmwareRun, type BoardFaults, type BoardHttpHandler } from './firmware-run.js';

export interface EmulatedBoardOptions {
  /** A board id from hal/boards (heltec_v2, heltec_v3, tbeam_v1, t3s3). */
  readonly board: string;
  /** Faults built into the board's chips. */
  readonly faults?: BoardFaults;
  /** Virtual milliseconds per turn of the event loop while the firmware runs, at most. Default 20. */
  readonly msPerTurn?: number;
  /** How much faster than real time the firmware's clock may run. Default 20. */
  readonly speed?: number;
  /** Seeds the hardware RNG; each boot draws differently. Default 1. */
  readonly randomSeed?: number;
  /** Answers the device's HTTP requests. Default: 503 for everything. */
  readonly http?: BoardHttpHandler;
  /** The Wi-Fi network in reach. Default: none. */
  readonly accessPoint?: AccessPoint;
  /** The SNTP server's answer, Unix seconds. Default: the host's clock. */
  readonly sntpSeconds?: () => number | undefined;
  /** The BOOT button is held (download mode after every reset). */
  readonly bootHeld?: boolean;
}

export class EmulatedBoard {
  readonly board: Board;
  readonly loader: Esp32LoaderEmulator;
  /** Firmware boots so far. */
  boots = 0;
  private readonly options: EmulatedBoardOptions;
  private readonly nvs: Partition;
  private readonly receipts: Partition;
  private current: FirmwareRun | undefined;
  private readonly probes = new Set<(bytes: Uint8Array) => void>();

  constructor(options: EmulatedBoardOptions) {
    this.options = options;
    this.board = boardById(options.board);
    this.nvs = coveyPartition('nvs');
    this.receipts = coveyPartition('covey');
    this.loader = new Esp32LoaderEmulator({
      chip: this.board.mcu,
      bootHeld: options.bootHeld,
      firmware: ({ flash, write }) => this.start(flash, write),
    });
  }

  /** The firmware run now, if any. */
  get firmware(): FirmwareRun | undefined {
    return this.current?.running === true ? this.current : undefined;
  }

  /** The board's flash, live. */
  get flash(): Uint8Array {
    return this.loader.flash;
  }

  /** The nvs partition's bytes (a copy), e.g. for readNvsImage. */
  nvsImage(): Uint8Array {
    return this.loader.flash.slice(this.nvs.offset, this.nvs.offset + this.nvs.size);
  }

  /**
   * What the firmware sends on UART0, as a probe on the pin sees it, whatever speed the host's port is
   * set to (the ROM's own messages are not included). Returns the function that removes the listener.
   */
  onConsole(listener: (bytes: Uint8Array) => void): () => void {
    this.probes.add(listener);
    return () => this.probes.delete(listener);
  }

  /** Presses RST: the firmware stops and the board boots again (into the firmware unless BOOT is held). */
  pressReset(): void {
    this.loader.pressReset();
  }

  /** Powers the board off: nothing runs until the next reset. */
  close(): void {
    this.loader.powerOff();
  }

  private start(flash: Uint8Array, write: (bytes: Uint8Array) => void): RunningFirmware {
    const { options } = this;
    this.boots++;
    const probes = this.probes;
    const run = new FirmwareRun({
      board: this.board, flash,
      write: (bytes) => {
        write(bytes);
        for (const probe of probes) probe(bytes);
      },
      nvs: this.nvs, receipts: this.receipts,
      msPerTurn: options.msPerTurn ?? 20, speed: options.speed ?? 20,
      randomSeed: ((options.randomSeed ?? 1) * 7919 + this.boots) >>> 0,
      faults: options.faults, http: options.http, accessPoint: options.accessPoint,
      sntpSeconds: options.sntpSeconds ?? (() => Math.floor(Date.now() / 1000)),
    });
    this.current = run;
    return {
      input: (bytes) => run.consoleInput(bytes),
      stop: () => run.stop(),
    };
  }
}

/** A serialport binding whose ports are these boards: `{ '/dev/ttyUSB0': board }`. */
export function emulatedBoardBinding(boards: Readonly<Record<string, EmulatedBoard>>, options?: EmulatorBindingOptions): ReturnType<typeof emulatorBinding> {
  const loaders: Record<string, Esp32LoaderEmulator> = {};
  for (const [path, board] of Object.entries(boards)) loaders[path] = board.loader;
  return emulatorBinding(loaders, options);
}
