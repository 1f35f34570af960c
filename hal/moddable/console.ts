/**
 * The serial console on the device: the USB serial port read as lines, each handed to an opener
 * (provisioning.ts: the provisioning commands, and the running hotspot's `covey walk-log`,
 * src/walk-log.ts), its answer written back. hal/moddable/boot.ts opens it at power-on, in every state.
 * The UART is an ECMA-419 Serial (`device.io.Serial`, reference/moddable.md §2) passed in, as radio.ts
 * takes SPI: port 0 on the MCU's console pins, or another UART routed to those pins (consolePorts).
 *
 * Writing. Moddable's ESP32 Serial writes straight into the UART's 128-byte transmit FIFO, all or
 * nothing; a walk-log line is 414 bytes and an answer can have a few thousand. Lines therefore go into a
 * fixed ring (4 KB by default) and leave it in pieces as the FIFO drains (FifoWriter, console-buffer.ts).
 * The answer is pulled: whenever the ring has room, the console takes the answer's next line, and the
 * walk log reads one more report from the queue to make it. Nothing is read or encoded twice, and memory
 * stays at the ring plus the one line taken that did not fit yet. The queue may change while the answer is
 * written (reports acknowledged by the oracle, dropped for room, or appended): the walk log carries on
 * after the last record it read, so a report removed before its turn is not in the answer, and the count
 * on the end line is the number of report lines written.
 *
 * Log output on the same UART. `trace` reaches the pins through ESP-IDF's UART0 driver, a whole line per
 * call, while an answer line leaves here in pieces over several turns of the event loop: a trace between
 * two pieces would land inside an answer line and spoil it. On the fallback port, UART0 no longer reaches
 * the pins at all. So once the console is open, hal/moddable/boot.ts sends covey's log lines through
 * `log()` instead of `trace`: they share the ring with answers and reach the wire whole, between answer
 * lines, where `covey walk import` skips them. LOG_RESERVE_BYTES of the ring are kept from answers so
 * that logging goes on during a long answer; a log line that still does not fit is dropped and counted,
 * and a line saying how many follows when there is room. What XS or ESP-IDF print by themselves (an
 * unhandled exception, a panic) still goes the old way.
 *
 * While an answer is being written, further input lines are counted as `busy` and not answered.
 */
import type { Board, Mcu } from '../boards/types.js';
import { formatLogLine } from '../runtime.js';
import type { ConsoleAnswer } from '../../src/walk-log.js';
import { FifoWriter, LineAssembler, type ConsoleSerial, type ConsoleSerialClass } from './console-buffer.js';

export type { ConsoleSerial, ConsoleSerialClass, ConsoleSerialOptions } from './console-buffer.js';

/**
 * UART0's pins on each MCU, where the board's USB-serial bridge is wired (ESP32 Series DS, "Pin
 * Definitions": U0TXD GPIO1, U0RXD GPIO3; ESP32-S3 Series DS, "Pin Overview": U0TXD GPIO43, U0RXD GPIO44).
 * They are the chip's, not a board's, so they live here and not in the board files.
 */
export const CONSOLE_PINS: { readonly [mcu in Mcu]: { readonly transmit: number; readonly receive: number } } = {
  esp32: { transmit: 1, receive: 3 },
  esp32s3: { transmit: 43, receive: 44 },
};

/** The console's rate in a Moddable build without the debugger (build/devices/esp32/xsProj-esp32/main/main.c). */
export const CONSOLE_BAUD = 115_200;
/** Longest input line kept: a `covey put settings data` line with its 96 base64 characters is 120. */
export const DEFAULT_MAX_LINE_BYTES = 128;
/** Size of the output ring. */
export const DEFAULT_OUTPUT_BYTES = 4096;
/** Part of the ring answers leave free for log lines. */
export const LOG_RESERVE_BYTES = 512;

/** The answer to one input line, to be pulled a line at a time; undefined for a line it does not know. */
export type ConsoleAnswerOpener = (line: string) => ConsoleAnswer | undefined;

export interface SerialConsoleOptions {
  readonly serial: { readonly io: ConsoleSerialClass; readonly port: number; readonly receive: number; readonly transmit: number; readonly baud: number };
  /** Opens the answer to an input line (Provisioning.openAnswer). */
  readonly openAnswer: ConsoleAnswerOpener;
  /** Default DEFAULT_MAX_LINE_BYTES. */
  readonly maxLineBytes?: number;
  /** Default DEFAULT_OUTPUT_BYTES; must exceed LOG_RESERVE_BYTES by more than the longest answer line. */
  readonly outputBytes?: number;
}

export interface ConsoleStats {
  /** Input lines handed to the opener. */
  readonly lines: number;
  /** Of those, lines the opener did not know (no answer). */
  readonly ignored: number;
  /** Answers written to the end. */
  readonly answered: number;
  /** Answers stopped before their end: the answer threw (a flash read failed), or a line could never fit. */
  readonly cutShort: number;
  /** Answer lines put in the ring, end lines included: one `next()` each (for the walk log, one report read). */
  readonly answerLines: number;
  /** Input lines longer than maxLineBytes, dropped. */
  readonly overlong: number;
  /** Input lines that arrived while an answer was being written, dropped. */
  readonly busy: number;
  /** Log lines dropped for want of room. */
  readonly logLinesDropped: number;
  readonly readErrors: number;
  readonly writeErrors: number;
}

type Counts = { -readonly [K in keyof ConsoleStats]: ConsoleStats[K] };

export class SerialConsole {
  /** The UART it opened. */
  readonly port: number;
  private serial: ConsoleSerial | undefined;
  private readonly openAnswer: ConsoleAnswerOpener;
  private readonly input: LineAssembler;
  private readonly output: FifoWriter;
  /** The ring's room for answer lines. */
  private readonly answerBytes: number;
  private readonly counts: Counts;
  /** The answer being written, and its line taken but not yet in the ring (it did not fit). */
  private answer: ConsoleAnswer | undefined;
  private held: string | undefined;
  /** Log lines dropped and not yet reported on the console. */
  private unreportedDrops: number;
  private pumping: boolean;

  constructor(options: SerialConsoleOptions) {
    const outputBytes = options.outputBytes ?? DEFAULT_OUTPUT_BYTES;
    if (!Number.isInteger(outputBytes) || outputBytes <= 2 * LOG_RESERVE_BYTES) {
      throw new RangeError(`outputBytes must be an integer above ${2 * LOG_RESERVE_BYTES}`);
    }
    this.openAnswer = options.openAnswer;
    this.input = new LineAssembler(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.output = new FifoWriter(outputBytes);
    this.answerBytes = outputBytes - LOG_RESERVE_BYTES;
    this.counts = { lines: 0, ignored: 0, answered: 0, cutShort: 0, answerLines: 0, overlong: 0, busy: 0, logLinesDropped: 0, readErrors: 0, writeErrors: 0 };
    this.answer = undefined;
    this.held = undefined;
    this.unreportedDrops = 0;
    this.pumping = false;
    const { io: Serial, port, receive, transmit, baud } = options.serial;
    this.port = port;
    this.serial = new Serial({
      port, receive, transmit, baud, format: 'buffer',
      onReadable: () => this.readable(),
      onWritable: (count) => this.writable(count),
    });
  }

  get stats(): ConsoleStats {
    return { ...this.counts, overlong: this.input.overlong, writeErrors: this.output.writeErrors };
  }

  /** True while an answer is being written. */
  get answering(): boolean {
    return this.answer !== undefined;
  }

  /** Bytes waiting to be written. */
  get pendingBytes(): number {
    return this.output.size;
  }

  /** Writes one log line (a trailing newline is optional); dropped and counted when there is no room. */
  log(text: string): void {
    if (this.serial === undefined) return;
    if (!this.output.offer(text.endsWith('\n') ? text.slice(0, -1) : text, this.output.capacity)) {
      this.counts.logLinesDropped++;
      this.unreportedDrops++;
    }
    this.pump();
  }

  /** Closes the UART; idempotent. Nothing is read or written afterwards, and what was waiting is dropped. */
  close(): void {
    const serial = this.serial;
    this.serial = undefined;
    this.answer = undefined;
    this.held = undefined;
    this.output.clear();
    serial?.close();
  }

  private readable(): void {
    try {
      for (let chunk = this.serial?.read(); chunk !== undefined; chunk = this.serial?.read()) {
        const bytes = typeof chunk === 'number' ? Uint8Array.of(chunk) : new Uint8Array(chunk);
        if (bytes.length === 0) break;
        this.input.push(bytes, (line) => this.received(line));
      }
    } catch {
      this.counts.readErrors++;
    }
  }

  private writable(count: number): void {
    if (this.serial === undefined) return;
    this.output.writable(count);
    this.pump();
  }

  private received(line: string): void {
    if (this.serial === undefined) return;
    if (this.answer !== undefined) {
      this.counts.busy++;
      return;
    }
    this.counts.lines++;
    let answer: ConsoleAnswer | undefined;
    try {
      answer = this.openAnswer(line);
    } catch (error) {
      this.cutShort(`the answer failed: ${messageOf(error)}`);
      return;
    }
    if (answer === undefined) {
      this.counts.ignored++;
      return;
    }
    this.answer = answer;
    this.pump();
  }

  /**
   * Moves answer lines into the answers' part of the ring while they fit; true if it moved any. A line
   * taken that does not fit is held until the ring has drained enough for it.
   */
  private fill(): boolean {
    let moved = false;
    while (this.answer !== undefined) {
      if (this.held === undefined) {
        let line: string | undefined;
        try {
          line = this.answer.next();
        } catch (error) {
          this.cutShort(`the answer failed: ${messageOf(error)}`);
          break;
        }
        if (line === undefined) {
          this.counts.answered++;
          this.answer = undefined;
          break;
        }
        this.held = line;
      }
      if (!this.output.offer(this.held, this.answerBytes)) {
        if (this.output.size === 0) this.cutShort(`an answer line does not fit in the console's ${this.answerBytes}-byte buffer`);
        break;
      }
      this.held = undefined;
      this.counts.answerLines++;
      moved = true;
    }
    return moved;
  }

  private cutShort(reason: string): void {
    this.answer = undefined;
    this.held = undefined;
    this.counts.cutShort++;
    this.log(formatLogLine('warn', 'console answer cut short', { reason }));
  }

  /** Writes what the FIFO takes, and takes answer lines whenever the ring has room for them. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      do {
        this.reportDrops();
        this.output.drain((piece) => (this.serial as ConsoleSerial).write(piece));
      } while (this.fill());
    } finally {
      this.pumping = false;
    }
  }

  private reportDrops(): void {
    if (this.unreportedDrops === 0) return;
    const note = formatLogLine('warn', 'console output full, log lines dropped', { count: this.unreportedDrops });
    if (this.output.offer(note, this.output.capacity)) this.unreportedDrops = 0;
  }
}

export interface OpenConsoleOptions {
  /** UARTs to try, in order; default consolePorts(board). */
  readonly ports?: readonly number[];
  /** Default CONSOLE_BAUD. */
  readonly baud?: number;
  readonly maxLineBytes?: number;
  readonly outputBytes?: number;
}

/**
 * The UARTs the console tries on the console pins: 0, the console UART, first; then a second one routed to
 * the same pins through the GPIO matrix, as Moddable's own heltec_lora_32 target does for its default
 * Serial (port 1, pins 3 and 1). Moddable's ESP32 host installs ESP-IDF's UART driver on UART0 at start
 * (xsProj-esp32/main/main.c) and its Serial refuses a port with a driver installed ("port in use",
 * modules/io/serial/esp32/serial.c), so port 0 may be refused. The second is never the board's GPS UART:
 * a second Serial on that UART would move its pins away from the GPS without any error.
 */
export function consolePorts(board: Board): readonly number[] {
  return [0, board.gps?.port === 1 ? 2 : 1];
}

/** Opens the console on the MCU's console pins, on the first port that opens; throws naming each refusal. */
export function openConsole(board: Board, Serial: ConsoleSerialClass, openAnswer: ConsoleAnswerOpener, options: OpenConsoleOptions = {}): SerialConsole {
  const { transmit, receive } = CONSOLE_PINS[board.mcu];
  const baud = options.baud ?? CONSOLE_BAUD;
  const refusals: string[] = [];
  for (const port of options.ports ?? consolePorts(board)) {
    try {
      return new SerialConsole({
        serial: { io: Serial, port, receive, transmit, baud }, openAnswer, maxLineBytes: options.maxLineBytes, outputBytes: options.outputBytes,
      });
    } catch (error) {
      refusals.push(`port ${port}: ${messageOf(error)}`);
    }
  }
  throw new Error(`no UART opened on pins ${transmit} and ${receive} (${refusals.join('; ')})`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
