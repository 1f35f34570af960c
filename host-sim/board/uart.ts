/**
 * An ECMA-419 Serial (the device's console UART) that keeps the rules of Moddable's ESP32 implementation
 * (modules/io/serial/esp32/serial.c) that the console depends on:
 * - `write` takes an ArrayBuffer into a 128-byte transmit FIFO, all of it or nothing: a buffer larger than
 *   the room left throws "output full";
 * - the FIFO empties onto the wire at a set rate, and `onWritable(room)` is called once it has drained to
 *   10 bytes or fewer after a write, and once after construction (the TX interrupt starts enabled with the
 *   FIFO empty);
 * - `onReadable` comes on a later turn after bytes arrive, and `read()` returns all of them as an
 *   ArrayBuffer, or undefined when there are none;
 * - a UART can be refused at construction ("port in use"), as Moddable does when ESP-IDF's driver holds it.
 * Every callback runs on the given VirtualClock. What leaves the FIFO is kept (`wire`, for tests that read
 * it) and/or handed to `onTransmit` (the emulated board's USB bridge); `receive` puts the host's bytes on
 * the line. tests/moddable/ re-exports it as its fake UART.
 */
import type { ConsoleSerialOptions } from '../../hal/moddable/console.js';
import type { VirtualClock } from '../kernel/virtual-clock.js';

export const FIFO_BYTES = 128;
const EMPTY_THRESHOLD = 10;

export interface FakeUartOptions {
  readonly clock: VirtualClock;
  /** Bytes the wire takes each millisecond; 11 is about 115,200 baud. */
  readonly bytesPerMs?: number;
  /** Ports whose construction throws "port in use". */
  readonly refusedPorts?: readonly number[];
  /** Told each run of bytes as it leaves the FIFO onto the wire. */
  readonly onTransmit?: (bytes: Uint8Array) => void;
  /** Keep everything sent in `wire` (default true; false for a long-running board). */
  readonly keepWire?: boolean;
}

export class FakeUart {
  readonly options: ConsoleSerialOptions;
  /** Everything that left the FIFO, in order. */
  readonly wire: number[];
  readonly writes: number[];
  /** Writes refused with "output full". */
  refusals: number;
  closed: boolean;
  private readonly clock: VirtualClock;
  private readonly bytesPerMs: number;
  private readonly onTransmit: ((bytes: Uint8Array) => void) | undefined;
  private readonly keepWire: boolean;
  private fifo: number[];
  private received: number[];
  private draining: boolean;
  private writableArmed: boolean;

  constructor(options: ConsoleSerialOptions, fake: FakeUartOptions) {
    if (fake.refusedPorts?.includes(options.port)) throw new RangeError('port in use');
    if (options.format !== 'buffer') throw new RangeError('the console asks for format "buffer"');
    this.options = options;
    this.wire = [];
    this.writes = [];
    this.refusals = 0;
    this.closed = false;
    this.clock = fake.clock;
    this.bytesPerMs = fake.bytesPerMs ?? 11;
    this.onTransmit = fake.onTransmit;
    this.keepWire = fake.keepWire ?? true;
    this.fifo = [];
    this.received = [];
    this.draining = false;
    this.writableArmed = false;
    this.clock.setTimer(() => this.callWritable(), 0);
  }

  /** The wire as text. */
  get text(): string {
    return Buffer.from(this.wire).toString('utf8');
  }

  /** The wire as lines, each without its newline; a last unfinished line is left out. */
  get lines(): string[] {
    const parts = this.text.split('\n');
    parts.pop();
    return parts;
  }

  /** Bytes arriving from the host in these chunks, each on its own turn of the event loop. */
  type(text: string, chunkSizes: readonly number[] = [text.length]): void {
    const bytes = Uint8Array.from(Buffer.from(text, 'utf8'));
    for (let offset = 0, i = 0; offset < bytes.length; i++) {
      const chunk = bytes.subarray(offset, offset + chunkSizes[i % chunkSizes.length]);
      offset += chunk.length;
      this.receive(chunk, i);
    }
  }

  /** Bytes arriving from the host, `delayMs` from now (0: on the clock's next turn). */
  receive(bytes: Uint8Array, delayMs = 0): void {
    const chunk = [...bytes];
    this.clock.setTimer(() => {
      if (this.closed) return;
      this.received.push(...chunk);
      this.options.onReadable(this.received.length);
    }, delayMs);
  }

  read(): ArrayBuffer | undefined {
    if (this.closed) throw new Error('closed');
    if (this.received.length === 0) return undefined;
    const bytes = Uint8Array.from(this.received);
    this.received = [];
    return bytes.buffer;
  }

  write(buffer: ArrayBuffer): void {
    if (this.closed) throw new Error('closed');
    if (!(buffer instanceof ArrayBuffer)) throw new TypeError('this fake takes an ArrayBuffer, as older SDKs require');
    if (buffer.byteLength > FIFO_BYTES - this.fifo.length) {
      this.refusals++;
      throw new Error('output full');
    }
    this.fifo.push(...new Uint8Array(buffer));
    this.writes.push(buffer.byteLength);
    this.writableArmed = true;
    if (!this.draining) {
      this.draining = true;
      this.clock.setTimer(() => this.tick(), 1);
    }
  }

  close(): void {
    this.closed = true;
  }

  private tick(): void {
    const sent = this.fifo.splice(0, this.bytesPerMs);
    if (this.keepWire) this.wire.push(...sent);
    this.onTransmit?.(Uint8Array.from(sent));
    if (this.writableArmed && this.fifo.length <= EMPTY_THRESHOLD) {
      this.writableArmed = false;
      this.callWritable();
    }
    if (this.fifo.length > 0) this.clock.setTimer(() => this.tick(), 1);
    else this.draining = false;
  }

  private callWritable(): void {
    if (!this.closed) this.options.onWritable(FIFO_BYTES - this.fifo.length);
  }
}

/** A Serial class whose instances are FakeUarts on `fake`'s clock; `opened` lists them. */
export function fakeSerialClass(fake: FakeUartOptions): { Serial: new (options: ConsoleSerialOptions) => FakeUart; opened: FakeUart[] } {
  const opened: FakeUart[] = [];
  const Serial = function Serial(options: ConsoleSerialOptions) {
    const uart = new FakeUart(options, fake);
    opened.push(uart);
    return uart;
  } as unknown as new (options: ConsoleSerialOptions) => FakeUart;
  return { Serial, opened };
}
