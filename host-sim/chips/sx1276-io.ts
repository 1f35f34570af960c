/**
 * ECMA-419-shaped SPI and Digital classes wired to one emulated SX1276, so the driver opens them exactly
 * as it opens Moddable's on the device (moddable.md §2). The pin numbers decide which chip line a
 * Digital is; SPI pins must be the chip's. Interrupts reach `onReadable` through the Clock, later, as
 * an ESP32 ISR reaches JavaScript through the event loop.
 */
import type { Clock } from '../../src/ports.js';
import type { Sx1276Registers } from './sx1276-core.js';
import { boundConstructor } from './bound-constructor.js';
import { bytesOf, type ByteBuffer } from './spi-bytes.js';

export interface Sx1276Pins {
  readonly nss: number;
  readonly reset: number;
  readonly dio0: number;
  readonly dio1?: number;
  readonly sck: number;
  readonly miso: number;
  readonly mosi: number;
}

/** Counts the IO objects open on one chip, so tests can see that a driver closed everything. */
export interface IoCount {
  open: number;
}

export interface EmulatedSpiOptions {
  readonly clock: number;
  readonly in: number;
  readonly out: number;
  readonly hz: number;
  readonly mode?: number;
  readonly port?: number;
  readonly select?: number;
}

/** The SX1276's SPI: mode 0 only, up to 10 MHz (DS §4.3, Table 11); chip select comes from a Digital. */
export function spiClass(chip: Sx1276Registers, pins: Sx1276Pins, count: IoCount): new (options: EmulatedSpiOptions) => Sx1276Spi {
  return boundConstructor((options: EmulatedSpiOptions) => new Sx1276Spi(chip, pins, count, options));
}

/** Every SX1276's SPI objects are of this one class (bound-constructor.ts). */
export class Sx1276Spi {
  readonly hz: number;
  readonly mode: number;
  readonly port: number | undefined;
  readonly format = 'buffer';
  private closed = false;

  constructor(
    private readonly chip: Sx1276Registers,
    pins: Sx1276Pins,
    private readonly count: IoCount,
    options: EmulatedSpiOptions,
  ) {
    if (options.clock !== pins.sck || options.in !== pins.miso || options.out !== pins.mosi) {
      throw new RangeError(`SPI on clock ${options.clock}, in ${options.in}, out ${options.out}: the SX1276 is on ${pins.sck}, ${pins.miso}, ${pins.mosi}`);
    }
    if (options.select !== undefined) throw new RangeError('drive the SX1276 NSS with a Digital, not the SPI select (moddable.md §2)');
    if (!(options.hz >= 1 && options.hz <= 10_000_000)) throw new RangeError(`hz ${options.hz}: the SX1276 SPI runs at up to 10 MHz`);
    if ((options.mode ?? 0) !== 0) throw new RangeError('the SX1276 SPI is mode 0 (CPOL = 0, CPHA = 0)');
    this.hz = options.hz;
    this.mode = options.mode ?? 0;
    this.port = options.port;
    count.open++;
  }

  transfer(buffer: ByteBuffer): void {
    const bytes = this.open(buffer);
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.chip.exchange(bytes[i]);
  }

  write(buffer: ByteBuffer): void {
    for (const byte of this.open(buffer)) this.chip.exchange(byte);
  }

  read(target: number | ByteBuffer): ArrayBuffer | undefined {
    const bytes = typeof target === 'number' ? new Uint8Array(target) : bytesOf(target);
    this.open(bytes);
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.chip.exchange(0);
    return typeof target === 'number' ? (bytes.buffer as ArrayBuffer) : undefined;
  }

  flush(): void {
    this.open(new Uint8Array(0));
  }

  close(): void {
    if (!this.closed) this.count.open--;
    this.closed = true;
  }

  private open(buffer: ByteBuffer): Uint8Array {
    if (this.closed) throw new Error('SPI is closed');
    return bytesOf(buffer);
  }
}

export interface EmulatedDigitalOptions {
  readonly pin: number;
  readonly mode: number;
  readonly edge?: number;
  readonly onReadable?: (this: unknown) => void;
}

type Line = 'nss' | 'reset' | 'dio0' | 'dio1';

const INPUT = 0;
const OUTPUT = 8;
const OUTPUT_OPEN_DRAIN = 9;
const RISING = 1;
const FALLING = 2;

/** The modes and edges, as on the device's Digital class. */
const DIGITAL_CONSTANTS = { Input: INPUT, Output: OUTPUT, OutputOpenDrain: OUTPUT_OPEN_DRAIN, Rising: RISING, Falling: FALLING } as const;

/** Digital on the chip's NSS, NRESET, DIO0 and DIO1 lines. */
export function digitalClass(
  chip: Sx1276Registers, pins: Sx1276Pins, clock: Clock, count: IoCount,
): (new (options: EmulatedDigitalOptions) => Sx1276Digital) & typeof DIGITAL_CONSTANTS {
  const wiring: Wiring = { chip, pins, clock, count };
  return Object.assign(boundConstructor((options: EmulatedDigitalOptions) => new Sx1276Digital(wiring, options)), DIGITAL_CONSTANTS);
}

/** One chip and what its Digital objects need of it. */
interface Wiring {
  readonly chip: Sx1276Registers;
  readonly pins: Sx1276Pins;
  readonly clock: Clock;
  readonly count: IoCount;
}

/** Every SX1276's Digital objects are of this one class (bound-constructor.ts). */
export class Sx1276Digital {
  private readonly chip: Sx1276Registers;
  private readonly count: IoCount;
  private readonly line: Line;
  private readonly output: boolean;
  /** What an output drives; inputs read the line itself. */
  private level = 1;
  private closed = false;
  private stopWatching: (() => void) | null = null;

  constructor(wiring: Wiring, options: EmulatedDigitalOptions) {
    const { chip, pins, clock, count } = wiring;
    this.chip = chip;
    this.count = count;
    this.line = lineOf(pins, options.pin);
    this.output = options.mode === OUTPUT || options.mode === OUTPUT_OPEN_DRAIN;
    if (this.line.startsWith('dio') && this.output) throw new RangeError(`${this.line} is driven by the SX1276: open it as an input`);
    if (this.line === 'nss' && !this.output) throw new RangeError('NSS is driven by the host: open it as an output');
    if (options.onReadable !== undefined && options.edge === undefined) throw new TypeError('edge is required with onReadable');
    // A GPIO configured as an output starts low (ESP32).
    if (this.output) this.drive(0);
    count.open++;
    const onReadable = options.onReadable;
    const edge = options.edge ?? 0;
    if (onReadable !== undefined && this.line.startsWith('dio')) {
      const dio = this.line === 'dio0' ? 0 : 1;
      this.stopWatching = chip.onDio((changed, rising) => {
        if (changed !== dio || (edge & (rising ? RISING : FALLING)) === 0) return;
        clock.setTimer(() => {
          if (!this.closed) onReadable.call(this);
        }, 0);
      });
    }
  }

  read(): number {
    this.check();
    if (this.line === 'dio0') return this.chip.dioLevel(0);
    if (this.line === 'dio1') return this.chip.dioLevel(1);
    return this.level;
  }

  write(value: number): void {
    this.check();
    if (!this.output) throw new Error(`${this.line} is open as an input`);
    this.drive(value ? 1 : 0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.count.open--;
    this.stopWatching?.();
    // A released line floats back up: NSS and NRESET are pulled high.
    if (this.output) this.drive(1);
  }

  private drive(value: number): void {
    this.level = value;
    if (this.line === 'nss') this.chip.select(value === 0);
    else if (this.line === 'reset') this.chip.setReset(value === 0);
  }

  private check(): void {
    if (this.closed) throw new Error('Digital is closed');
  }
}

function lineOf(pins: Sx1276Pins, pin: number): Line {
  const line = (['nss', 'reset', 'dio0', 'dio1'] as const).find((name) => pins[name] === pin);
  if (line === undefined) throw new RangeError(`pin ${pin} is not wired to this SX1276`);
  return line;
}
