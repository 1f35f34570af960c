/**
 * The serial console on the device: the USB serial port read as lines, each handed to a responder
 * (`hotspot.answerConsole`, which answers `covey walk-log`, src/walk-log.ts), its answer written back.
 * The UART is an ECMA-419 Serial (`device.io.Serial`, reference/moddable.md §2) passed in, as radio.ts
 * takes SPI: port 0 on the MCU's console pins, or another UART routed to those pins (consolePorts).
 *
 * Writing. Moddable's ESP32 Serial writes straight into the UART's 128-byte transmit FIFO, all or
 * nothing; a walk-log line is 414 bytes and an answer can have a few hundred. Lines therefore go into a
 * fixed ring (4 KB by default) and leave it in pieces as the FIFO drains (FifoWriter, console-buffer.ts).
 * The responder writes its whole answer in one synchronous call and cannot be paused, so, to keep memory
 * flat, the console keeps from each call only the lines that fit, and once the ring has drained calls the
 * responder again with the same command, skipping the lines already sent (a "pass"). The walk log only
 * reads the queue, so a second call gives the same lines, plus any report appended since. If the queue
 * lost records in between (acknowledged by the oracle, or dropped for room), the last line sent is no
 * longer where it was: the answer then stops without its end line and the console logs why;
 * `covey walk import` reports it as cut short and the user asks again. The price: every pass reads the
 * whole queue again, about one pass per 6 to 8 lines of answer (docs/firmware.md, "On the device").
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
import type { ConsoleResponder } from '../../src/walk-log.js';
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
/** Longest input line kept; the only command is 14 characters. */
export const DEFAULT_MAX_LINE_BYTES = 128;
/** Size of the output ring. */
export const DEFAULT_OUTPUT_BYTES = 4096;
/** Part of the ring answers leave free for log lines. */
export const LOG_RESERVE_BYTES = 512;

export interface SerialConsoleOptions {
  readonly serial: { readonly io: ConsoleSerialClass; readonly port: number; readonly receive: number; readonly transmit: number; readonly baud: number };
  /** Answers one line through `write`; returns false, having written nothing, for a line it does not know. */
  readonly respond: ConsoleResponder;
  /** Default DEFAULT_MAX_LINE_BYTES. */
  readonly maxLineBytes?: number;
  /** Default DEFAULT_OUTPUT_BYTES; must exceed LOG_RESERVE_BYTES by more than the longest answer line. */
  readonly outputBytes?: number;
}

export interface ConsoleStats {
  /** Input lines handed to the responder. */
  readonly lines: number;
  /** Of those, lines the responder did not know (no answer). */
  readonly ignored: number;
  /** Answers written to the end. */
  readonly answered: number;
  /** Answers stopped before their end: the queue changed under them, or the responder threw. */
  readonly cutShort: number;
  /** Responder calls, first ones and resumptions. */
  readonly passes: number;
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

/** An answer being written: the command to ask again, the lines sent so far and the last of them. */
interface Answer {
  readonly command: string;
  sent: number;
  last: string | undefined;
}

/** What one responder call gave: lines seen, whether the ring filled, whether sent lines moved. */
interface Pass {
  answered: boolean;
  seen: number;
  readonly sentBefore: number;
  full: boolean;
  moved: boolean;
}

export class SerialConsole {
  /** The UART it opened. */
  readonly port: number;
  private serial: ConsoleSerial | undefined;
  private readonly respond: ConsoleResponder;
  private readonly input: LineAssembler;
  private readonly output: FifoWriter;
  /** The ring's room for answer lines. */
  private readonly answerBytes: number;
  private readonly counts: Counts;
  private answer: Answer | undefined;
  /** Log lines dropped and not yet reported on the console. */
  private unreportedDrops: number;
  private pumping: boolean;

  constructor(options: SerialConsoleOptions) {
    const outputBytes = options.outputBytes ?? DEFAULT_OUTPUT_BYTES;
    if (!Number.isInteger(outputBytes) || outputBytes <= 2 * LOG_RESERVE_BYTES) {
      throw new RangeError(`outputBytes must be an integer above ${2 * LOG_RESERVE_BYTES}`);
    }
    this.respond = options.respond;
    this.input = new LineAssembler(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.output = new FifoWriter(outputBytes);
    this.answerBytes = outputBytes - LOG_RESERVE_BYTES;
    this.counts = { lines: 0, ignored: 0, answered: 0, cutShort: 0, passes: 0, overlong: 0, busy: 0, logLinesDropped: 0, readErrors: 0, writeErrors: 0 };
    this.answer = undefined;
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
    this.answer = { command: line, sent: 0, last: undefined };
    this.pass();
    this.pump();
  }

  /**
   * One call of the responder for the current answer: skips the lines already sent (checking that the
   * last of them is where it was), then takes lines while they fit in the answers' part of the ring.
   */
  private pass(): void {
    const answer = this.answer as Answer;
    this.counts.passes++;
    const pass: Pass = { answered: false, seen: 0, sentBefore: answer.sent, full: false, moved: false };
    try {
      pass.answered = this.respond(answer.command, (line) => {
        const index = pass.seen++;
        if (pass.moved || pass.full) return;
        if (index < pass.sentBefore) {
          pass.moved = index === pass.sentBefore - 1 && line !== answer.last;
        } else if (this.output.offer(line, this.answerBytes)) {
          answer.sent++;
          answer.last = line;
        } else {
          pass.full = true;
        }
      });
    } catch (error) {
      this.cutShort(`the responder failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.endPass(answer, pass);
  }

  private endPass(answer: Answer, pass: Pass): void {
    if (!pass.answered && pass.sentBefore === 0) {
      this.counts.ignored++;
      this.answer = undefined;
    } else if (!pass.answered || pass.moved || pass.seen < pass.sentBefore) {
      this.cutShort('the queue changed while the answer was being written (records uploaded or dropped): ask again');
    } else if (!pass.full) {
      this.counts.answered++;
      this.answer = undefined;
    } else if (answer.sent === pass.sentBefore && this.output.size === 0) {
      this.cutShort(`an answer line does not fit in the console's ${this.answerBytes}-byte buffer`);
    }
  }

  private cutShort(reason: string): void {
    this.answer = undefined;
    this.counts.cutShort++;
    this.log(formatLogLine('warn', 'console answer cut short', { reason }));
  }

  /** Writes what the FIFO takes, resuming the answer whenever the ring has drained to a quarter. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        this.reportDrops();
        this.output.drain((piece) => (this.serial as ConsoleSerial).write(piece));
        if (this.answer === undefined || this.output.size > this.answerBytes / 4) break;
        const before = this.output.size;
        this.pass();
        if (this.output.size === before && this.answer !== undefined) break;
      }
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
export function openConsole(board: Board, Serial: ConsoleSerialClass, respond: ConsoleResponder, options: OpenConsoleOptions = {}): SerialConsole {
  const { transmit, receive } = CONSOLE_PINS[board.mcu];
  const baud = options.baud ?? CONSOLE_BAUD;
  const refusals: string[] = [];
  for (const port of options.ports ?? consolePorts(board)) {
    try {
      return new SerialConsole({
        serial: { io: Serial, port, receive, transmit, baud }, respond, maxLineBytes: options.maxLineBytes, outputBytes: options.outputBytes,
      });
    } catch (error) {
      refusals.push(`port ${port}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`no UART opened on pins ${transmit} and ${receive} (${refusals.join('; ')})`);
}
