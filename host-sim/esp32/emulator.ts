/**
 * An ESP32 / ESP32-S3 as a flasher sees it through a USB-serial bridge: reset and boot-mode strapping
 * from DTR/RTS, the ROM's boot messages, the ROM serial loader and the flasher stub, SPI NOR flash, and a
 * UART that only understands bytes sent at its own baud rate. Output reaches listeners asynchronously
 * (setImmediate), in order, as a wire would deliver it; nothing depends on wall-clock time.
 *
 * Firmware. Given a `firmware` runner, a normal boot runs it instead of printing the banner, if the app
 * partition (APP_OFFSET) starts with an image header (0xE9); otherwise the ROM prints "invalid header"
 * as an ESP32 with erased flash does, and nothing runs. The running firmware owns UART0 at 115,200 baud:
 * what the host writes reaches its `input`, what it writes leaves through the same port. Any reset (EN
 * through DTR/RTS, the RST button, a software reboot) or `powerOff()` stops it first, like cutting its
 * power: what it had not yet written to flash is gone, and output it sends after that is dropped.
 */
import { BootStraps } from './boot.js';
import { CHIP_PROFILES, type ChipProfile, type EmulatedChip } from './chips.js';
import { DEFAULT_FLASH_BYTES, NorFlash } from './flash.js';
import { LoaderSession, type Effect } from './loader.js';
import { loadStubImage, type StubImage } from './ram-loader.js';
import { RegisterFile } from './registers.js';
import { SlipDecoder, slipEncode } from './slip.js';
import { ROM_BAUD, transmit } from './uart.js';

export interface LoaderEmulatorOptions {
  chip: EmulatedChip;
  /** Flash size in bytes, a power of two; default 4 MiB, erased (0xFF). */
  flashBytes?: number;
  /** 6 bytes; default a fixed Espressif-range address. */
  mac?: Uint8Array;
  /** Default true: DTR/RTS drive EN/GPIO0 as on Heltec and LilyGO boards; false: the lines reach nothing. */
  autoReset?: boolean;
  /** The BOOT button is held: download mode after any reset (and at power-on). */
  bootHeld?: boolean;
  /** What the running firmware prints after a normal boot (when there is no `firmware` runner). */
  firmwareBanner?: string;
  /** Runs the firmware at each normal boot (see the top of this file); default: only the banner. */
  firmware?: FirmwareRunner;
}

/** What a firmware run gets from the chip. */
export interface FirmwareContext {
  /** The whole emulated flash, live: read the partitions, write to them as the firmware would. */
  readonly flash: Uint8Array;
  /** Firmware → host on UART0; dropped once this run was stopped. */
  write(bytes: Uint8Array): void;
}

/** A firmware run, as the chip controls it. */
export interface RunningFirmware {
  /** Host → firmware on UART0. */
  input(bytes: Uint8Array): void;
  /** Power cut: stop at once; nothing of this run may touch the flash or the port afterwards. */
  stop(): void;
}

export type FirmwareRunner = (context: FirmwareContext) => RunningFirmware;

/** Where the 2nd-stage bootloader looks for the factory app (tools/build/partitions.csv). */
export const APP_OFFSET = 0x10000;
/** First byte of an ESP-IDF image header. */
export const IMAGE_MAGIC = 0xe9;
/** The firmware's console speed. */
export const FIRMWARE_BAUD = 115_200;

export type ChipState = 'in-reset' | 'download' | 'firmware' | 'hung';

const hex32 = (bytes: Uint8Array, offset: number): string =>
  `0x${(((bytes[offset + 3] << 24) | (bytes[offset + 2] << 16) | (bytes[offset + 1] << 8) | bytes[offset]) >>> 0).toString(16).padStart(8, '0')}`;

const DEFAULT_MAC = Uint8Array.of(0x24, 0x0a, 0xc4, 0x5e, 0x11, 0x07);
const DEFAULT_BANNER = 'I (325) covey: firmware running\r\n';

export class Esp32LoaderEmulator {
  readonly flash: Uint8Array;
  readonly log: readonly string[];
  readonly profile: ChipProfile;
  readonly #log: string[] = [];
  readonly #norFlash: NorFlash;
  readonly #registers: RegisterFile;
  readonly #straps: BootStraps;
  readonly #banner: string;
  readonly #firmware: FirmwareRunner | undefined;
  #running: RunningFirmware | undefined;
  readonly #listeners = new Set<(bytes: Uint8Array) => void>();
  readonly #decoder = new SlipDecoder();
  readonly #stubImage: () => Promise<StubImage | undefined>;
  #state: ChipState;
  #session: LoaderSession | undefined;
  #chipBaud = ROM_BAUD;
  #hostBaud = ROM_BAUD;
  /** Bumped at every reset, so work queued before it is dropped. */
  #epoch = 0;
  #work: Promise<void> = Promise.resolve();
  #outbox: Uint8Array[] = [];
  #flushScheduled = false;

  constructor(options: LoaderEmulatorOptions) {
    this.profile = CHIP_PROFILES[options.chip];
    if (this.profile === undefined) throw new RangeError(`unknown chip "${String(options.chip)}"`);
    const mac = options.mac ?? DEFAULT_MAC;
    if (mac.length !== 6) throw new RangeError(`mac must be 6 bytes, got ${mac.length}`);
    this.#norFlash = new NorFlash(options.flashBytes ?? DEFAULT_FLASH_BYTES);
    this.flash = this.#norFlash.bytes;
    this.#registers = new RegisterFile(options.chip, mac, this.#norFlash);
    this.#straps = new BootStraps({ autoReset: options.autoReset ?? true, bootHeld: options.bootHeld ?? false });
    this.#banner = options.firmwareBanner ?? DEFAULT_BANNER;
    this.#firmware = options.firmware;
    this.log = this.#log;
    let stub: Promise<StubImage | undefined> | undefined;
    this.#stubImage = () => (stub ??= loadStubImage(this.profile.name));
    // Powered on before the host opened the port: whatever it printed then is gone.
    this.#state = this.#straps.bootMode() === 'boot-download' ? 'download' : 'firmware';
    if (this.#state === 'download') this.#session = this.#newSession();
  }

  get state(): ChipState {
    return this.#state;
  }

  /** True while the flasher stub (not the ROM) is answering. */
  get stubRunning(): boolean {
    return this.#session?.stubRunning ?? false;
  }

  /** True while a `firmware` run is going (booted, not reset or powered off since). */
  get firmwareRunning(): boolean {
    return this.#running !== undefined;
  }

  /** Host → chip. Bytes sent at a baud rate other than the chip's arrive garbled. */
  write(bytes: Uint8Array): void {
    if (this.#state === 'firmware') {
      this.#running?.input(transmit(bytes, this.#hostBaud, this.#chipBaud));
      return;
    }
    if (this.#state !== 'download') return;
    const received = transmit(bytes, this.#hostBaud, this.#chipBaud);
    const epoch = this.#epoch;
    for (const packet of this.#decoder.push(received)) {
      this.#work = this.#work.then(() => this.#process(packet, epoch));
    }
  }

  /** Chip → host. Returns the function that removes the listener. */
  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The USB bridge's modem lines. */
  setSignals(signals: { dtr?: boolean; rts?: boolean }): void {
    const event = this.#straps.setLines(signals);
    if (event === 'enter-reset') {
      this.#stopFirmware();
      this.#epoch++;
      this.#state = 'in-reset';
      this.#session = undefined;
      this.#log.push('reset: EN low');
    } else if (event === 'boot-download' || event === 'boot-firmware') {
      this.#boot(event);
    }
  }

  /** The host side's baud rate (the port was opened or updated). */
  setBaudRate(baud: number): void {
    this.#hostBaud = baud;
  }

  /** Presses and releases the RST button (EN), for boards without the auto-reset circuit. */
  pressReset(): void {
    this.#stopFirmware();
    this.#epoch++;
    this.#log.push('reset: RST button');
    this.#boot(this.#straps.bootMode());
  }

  /** Cuts the power: a running firmware stops, the chip stays in reset until the next reset or RST press. */
  powerOff(): void {
    this.#stopFirmware();
    this.#epoch++;
    this.#state = 'in-reset';
    this.#session = undefined;
    this.#log.push('power: off');
  }

  #boot(mode: 'boot-download' | 'boot-firmware'): void {
    this.#stopFirmware();
    this.#epoch++;
    this.#chipBaud = ROM_BAUD;
    this.#registers.setBaudRate(ROM_BAUD);
    this.#decoder.reset();
    const rom = this.profile.romHeader;
    if (mode === 'boot-download') {
      this.#state = 'download';
      this.#session = this.#newSession();
      this.#log.push('boot: download mode');
      this.#emitText(rom + this.profile.downloadBootLine);
    } else {
      this.#runFirmware(rom + this.profile.flashBootLine);
    }
  }

  #runFirmware(prefix: string): void {
    this.#stopFirmware();
    this.#state = 'firmware';
    this.#session = undefined;
    this.#log.push('boot: firmware');
    const runner = this.#firmware;
    if (runner === undefined) {
      this.#emitText(prefix + this.#banner);
      return;
    }
    if (this.flash[APP_OFFSET] !== IMAGE_MAGIC) {
      // What the boot chain prints when there is no image where it looks: nothing runs.
      this.#log.push('boot: invalid header');
      this.#emitText(`${prefix}invalid header: ${hex32(this.flash, APP_OFFSET)}\r\n`);
      return;
    }
    if (prefix !== '') this.#emitText(prefix);
    this.#chipBaud = FIRMWARE_BAUD;
    const epoch = this.#epoch;
    this.#running = runner({
      flash: this.flash,
      write: (bytes) => {
        if (epoch === this.#epoch && this.#state === 'firmware') this.#emit(bytes);
      },
    });
  }

  #stopFirmware(): void {
    const running = this.#running;
    this.#running = undefined;
    if (running === undefined) return;
    this.#log.push('firmware: stopped');
    running.stop();
  }

  #newSession(): LoaderSession {
    return new LoaderSession({
      profile: this.profile,
      flash: this.#norFlash,
      registers: this.#registers,
      stubImage: this.#stubImage,
      log: (entry) => this.#log.push(entry),
    });
  }

  async #process(packet: Uint8Array, epoch: number): Promise<void> {
    const session = this.#session;
    if (epoch !== this.#epoch || session === undefined || this.#state !== 'download') return;
    const reply = await session.handle(packet);
    if (epoch !== this.#epoch) return;
    for (const out of reply.packets) this.#emit(slipEncode(out));
    if (reply.effect !== undefined) this.#apply(reply.effect);
  }

  #apply(effect: Effect): void {
    switch (effect.kind) {
      case 'baud':
        this.#chipBaud = effect.baud;
        this.#decoder.reset();
        this.#log.push(`uart: ${effect.baud} baud`);
        break;
      case 'run-firmware':
        this.#epoch++;
        this.#runFirmware('');
        break;
      case 'reboot':
        this.#log.push('reset: software');
        this.#boot(this.#straps.bootMode());
        break;
      case 'hang':
        this.#stopFirmware();
        this.#epoch++;
        this.#state = 'hung';
        this.#session = undefined;
        break;
    }
  }

  #emitText(text: string): void {
    this.#emit(new TextEncoder().encode(text));
  }

  #emit(bytes: Uint8Array): void {
    this.#outbox.push(transmit(bytes, this.#chipBaud, this.#hostBaud));
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      const chunks = this.#outbox;
      this.#outbox = [];
      for (const chunk of chunks) for (const listener of this.#listeners) listener(chunk);
    });
  }
}
