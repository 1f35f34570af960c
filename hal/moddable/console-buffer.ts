/**
 * The byte side of the serial console (hal/moddable/console.ts), kept apart so that each part can be read
 * and tested on its own:
 *
 * - LineAssembler rebuilds lines from what the UART delivers in chunks of any size. CR, LF and CR LF all
 *   end a line (terminals send CR for Enter, `covey walk import` sends LF); empty lines are skipped. A line
 *   longer than the buffer is dropped whole and counted, never cut into pieces that could each look like
 *   a command.
 * - OutputRing holds bytes waiting for the UART, UTF-8, in one Uint8Array.
 * - FifoWriter puts whole lines into the ring and feeds the UART's transmit FIFO from it, never more than
 *   the FIFO has room for: Moddable's ESP32 Serial writes straight into the 128-byte hardware FIFO and
 *   throws "output full" rather than take part of a buffer (modules/io/serial/esp32/serial.c), and
 *   `onWritable(count)` reports the room once the FIFO has drained below its threshold.
 *
 * Each allocates its buffer once in the constructor and never grows it, so the console's memory does not
 * depend on what it reads or is asked to write.
 */

import { utf8Length } from '../runtime.js';

/** The ECMA-419 Serial instance the console uses (format "buffer"). */
export interface ConsoleSerial {
  /** What the receive FIFO holds, or undefined when it is empty (a number only in format "number"). */
  read(): ArrayBuffer | number | undefined;
  /** All of `buffer` or nothing: throws when the transmit FIFO cannot take it. */
  write(buffer: ArrayBuffer): void;
  close(): void;
}

export interface ConsoleSerialOptions {
  readonly port: number;
  readonly receive: number;
  readonly transmit: number;
  readonly baud: number;
  readonly format: 'buffer';
  readonly onReadable: (count: number) => void;
  readonly onWritable: (count: number) => void;
}

export type ConsoleSerialClass = new (options: ConsoleSerialOptions) => ConsoleSerial;

const LF = 0x0a;
const CR = 0x0d;

export class LineAssembler {
  private readonly bytes: Uint8Array;
  private length: number;
  /** Inside a line that already overflowed: its bytes are skipped up to the next line end. */
  private skipping: boolean;
  /** Lines dropped for being longer than the buffer. */
  overlong: number;

  constructor(maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError('maxLineBytes must be a positive integer');
    this.bytes = new Uint8Array(maxLineBytes);
    this.length = 0;
    this.skipping = false;
    this.overlong = 0;
  }

  /** Feeds received bytes; calls `line` with each complete, non-empty line, line ending removed. */
  push(chunk: Uint8Array, line: (text: string) => void): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === LF || byte === CR) {
        const wasSkipping = this.skipping;
        const length = this.length;
        this.length = 0;
        this.skipping = false;
        if (!wasSkipping && length > 0) line(this.text(length));
      } else if (this.skipping) {
        continue;
      } else if (this.length === this.bytes.length) {
        this.skipping = true;
        this.length = 0;
        this.overlong++;
      } else {
        this.bytes[this.length++] = byte;
      }
    }
  }

  /**
   * The line as text, one character per byte. Commands are ASCII; any other byte becomes the Latin-1
   * character of the same code, which no command matches.
   */
  private text(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += String.fromCharCode(this.bytes[i]);
    return text;
  }
}

export class OutputRing {
  private readonly bytes: Uint8Array;
  private head: number;
  private used: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.bytes = new Uint8Array(capacity);
    this.head = 0;
    this.used = 0;
  }

  get capacity(): number {
    return this.bytes.length;
  }

  /** Bytes waiting. */
  get size(): number {
    return this.used;
  }

  /** Appends `text` as UTF-8; the caller has checked that `byteLength` (its UTF-8 length) fits. */
  append(text: string, byteLength: number): void {
    if (this.used + byteLength > this.bytes.length) throw new RangeError('output ring overflow');
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low < 0xe000) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      // RFC 3629 §3: 1 to 4 bytes by the code point's range (a lone surrogate goes out as 3 bytes).
      if (code < 0x80) this.put(code);
      else if (code < 0x800) this.put2(0xc0 | (code >> 6), code);
      else if (code < 0x10000) this.put3(0xe0 | (code >> 12), code >> 6, code);
      else this.put4(code);
    }
  }

  /**
   * A copy of up to `max` waiting bytes, from the oldest, as a new ArrayBuffer: Moddable's ESP32 Serial
   * takes an ArrayBuffer for `write` in every SDK version (older ones refuse a view). Nothing is removed
   * until `consume`.
   */
  peek(max: number): ArrayBuffer {
    const end = Math.min(this.head + Math.min(max, this.used), this.bytes.length);
    return this.bytes.slice(this.head, end).buffer;
  }

  /** Removes `count` bytes from the front, after they were written. */
  consume(count: number): void {
    const n = Math.min(count, this.used);
    this.head = (this.head + n) % this.bytes.length;
    this.used -= n;
    if (this.used === 0) this.head = 0;
  }

  private put(byte: number): void {
    this.bytes[(this.head + this.used) % this.bytes.length] = byte;
    this.used++;
  }

  private put2(first: number, code: number): void {
    this.put(first);
    this.put(0x80 | (code & 0x3f));
  }

  private put3(first: number, middle: number, code: number): void {
    this.put(first);
    this.put(0x80 | (middle & 0x3f));
    this.put(0x80 | (code & 0x3f));
  }

  private put4(code: number): void {
    this.put(0xf0 | (code >> 18));
    this.put3(0x80 | ((code >> 12) & 0x3f), code >> 6, code);
  }
}

/** Bytes tried when no onWritable is due: before the first one, or after a write was refused. */
const PROBE_BYTES = 16;

export class FifoWriter {
  private readonly ring: OutputRing;
  /** Room in the transmit FIFO, as of the last onWritable less what was written since. */
  private room: number;
  /** A write went through since the last onWritable, so the Serial will call onWritable again. */
  private writableDue: boolean;
  /** Writes the Serial refused. */
  writeErrors: number;

  constructor(capacity: number) {
    this.ring = new OutputRing(capacity);
    this.room = 0;
    this.writableDue = false;
    this.writeErrors = 0;
  }

  get capacity(): number {
    return this.ring.capacity;
  }

  /** Bytes waiting. */
  get size(): number {
    return this.ring.size;
  }

  /** Queues `line` and a newline if the ring then holds at most `limit` bytes; false (nothing queued) if not. */
  offer(line: string, limit: number): boolean {
    const length = utf8Length(line) + 1;
    if (this.ring.size + length > limit) return false;
    this.ring.append(`${line}\n`, length);
    return true;
  }

  /** The Serial's onWritable: the FIFO has room for `count` bytes. */
  writable(count: number): void {
    this.room = count;
    this.writableDue = false;
  }

  /** Moves bytes from the ring into the FIFO through `write`, as many as it has room for. */
  drain(write: (buffer: ArrayBuffer) => void): void {
    while (this.ring.size > 0) {
      // With no onWritable due, nothing would call back: a small piece starts one.
      const room = this.room > 0 ? this.room : this.writableDue ? 0 : PROBE_BYTES;
      if (room === 0) return;
      const piece = this.ring.peek(room);
      try {
        write(piece);
      } catch {
        this.writeErrors++;
        this.room = 0;
        return;
      }
      this.ring.consume(piece.byteLength);
      this.room = Math.max(0, this.room - piece.byteLength);
      this.writableDue = true;
    }
  }

  /** Drops everything waiting. */
  clear(): void {
    this.ring.consume(this.ring.size);
  }
}
