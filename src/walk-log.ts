/**
 * The walk log: a mapper's record of where it has been, read over the serial console. A field tester
 * whose mapper had no network on the walk plugs it into a laptop, and `covey walk import` asks for the
 * MapperReports still waiting in the receipt queue, so the walk can be mapped (and uploaded) from there.
 *
 * The exchange, one line each way (the device entry point strips the line ending it reads and adds one to
 * each line it writes):
 *
 *   > covey walk-log
 *   < covey-walk <lowercase hex of one MapperReport's canonical CBOR, as queued and as uploaded>
 *   < … one line per MapperReport in the queue, oldest first …
 *   < covey-walk-end <how many covey-walk lines came before>
 *
 * Any other input line gets no answer from here. The walk log only reads: the reports stay queued and the
 * uploader still sends them (the oracle's ids make a second copy harmless, docs/protocol.md §4.5).
 *
 * The answer is pulled a line at a time (`walkLogAnswer`): each `next()` reads the queue from just after
 * the last record it read, up to the next MapperReport, so every record is read from flash and encoded
 * once, and memory stays flat whatever the queue holds. The queue may change between two lines: a report
 * acknowledged (or dropped for room) before its turn is left out, one appended meanwhile is included, and
 * the count always equals the report lines given. Device code with no IO of its own.
 */
import { CURRENT_VERSION, MessageType } from '../proofs/registry.js';
import type { QueuedRecord } from './components.js';

export const WALK_LOG_COMMAND = 'covey walk-log';
/** Prefix of each report line; the hex follows the single space. */
export const WALK_LINE_PREFIX = 'covey-walk ';
/** Prefix of the closing line; the decimal count follows the single space. */
export const WALK_END_PREFIX = 'covey-walk-end ';

/**
 * A read-only view of the queue's records, oldest first, read one at a time (ReceiptQueue has it). `visit`
 * returning false ends the walk; `afterSeq` starts it after that sequence number.
 */
export interface StoredRecords {
  forEachRecord(visit: (record: QueuedRecord) => boolean | void, afterSeq?: number): void;
}

/** An answer to one console line, pulled a line at a time: undefined once it has been given whole. */
export interface ConsoleAnswer {
  next(): string | undefined;
}

/**
 * Answers one line read from the console, writing its answer line by line through `write`. Returns true
 * when the line was its command, false (having written nothing) for any other line.
 */
export type ConsoleResponder = (line: string, write: (line: string) => void) => boolean;

/** The command, with any spacing around and between its two words and any line ending. */
const COMMAND = /^\s*covey\s+walk-log\s*$/;

/** The head of a MapperReport's encoding: an array of 8 items (RFC 8949 §3.1, major type 4), type 9, version 1. */
const REPORT_HEAD = [0x88, MessageType.MapperReport, CURRENT_VERSION[MessageType.MapperReport]] as const;

/**
 * True when `bytes` is a queued MapperReport. The queue holds only batch items this firmware encoded
 * (and checked by CRC), so their first three bytes tell them apart without decoding them.
 */
export function isMapperReport(bytes: Uint8Array): boolean {
  return bytes.length > REPORT_HEAD.length && bytes[0] === REPORT_HEAD[0] && bytes[1] === REPORT_HEAD[1] && bytes[2] === REPORT_HEAD[2];
}

/** The ASCII codes of the lowercase hex digits. */
const HEX_DIGITS = Uint8Array.of(0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66);
/** Bytes turned into one string at a time: each piece goes through the XS stack as 32 arguments. */
const PIECE_BYTES = 16;

/**
 * `prefix` followed by the lowercase hex of `bytes`. In XS every `+=` of a string copies the whole string
 * so far, so building 402 digits two at a time (as proofs' toHex does) makes about 800 temporary strings
 * and 60 KB of chunk garbage for one report. Here the digits are written as ASCII codes into a small
 * buffer and turned into a string 32 at a time (String.fromCharCode): about 4 KB of chunks and 8 slots
 * for a report line in the XS memory host, for about 40 more stack slots at the deepest point
 * (tests/xs/walk-log-in-xs.test.ts).
 */
export function prefixedHex(prefix: string, bytes: Uint8Array): string {
  const piece = new Uint8Array(2 * PIECE_BYTES);
  let out = prefix;
  for (let start = 0; start < bytes.length; start += PIECE_BYTES) {
    const end = Math.min(start + PIECE_BYTES, bytes.length);
    let length = 0;
    for (let i = start; i < end; i++) {
      piece[length++] = HEX_DIGITS[bytes[i] >> 4];
      piece[length++] = HEX_DIGITS[bytes[i] & 15];
    }
    out += Reflect.apply(String.fromCharCode, undefined, length === piece.length ? piece : piece.subarray(0, length)) as string;
  }
  return out;
}

/**
 * One `covey walk-log` answer in progress. It keeps the sequence number of the last record it read and
 * how many report lines it has given; the queue's own order does the rest (ReceiptQueue.forEachRecord).
 */
class WalkLogAnswer implements ConsoleAnswer {
  private readonly records: StoredRecords;
  private readonly visit: (record: QueuedRecord) => boolean;
  /** The last record read; the next line starts after it. 0 before the first (sequence numbers start at 1). */
  private lastSeq: number;
  private count: number;
  /** The line the current walk found, if any. */
  private found: string | undefined;
  private ended: boolean;

  constructor(records: StoredRecords) {
    this.records = records;
    this.lastSeq = 0;
    this.count = 0;
    this.found = undefined;
    this.ended = false;
    // Made once per answer, not once per line. Records that are not MapperReports are passed over in
    // the same walk, and lastSeq moves past them too, so none is read twice.
    this.visit = (record) => {
      if (isMapperReport(record.bytes)) this.found = prefixedHex(WALK_LINE_PREFIX, record.bytes);
      this.lastSeq = record.seq;
      return this.found === undefined;
    };
  }

  next(): string | undefined {
    if (this.ended) return undefined;
    this.found = undefined;
    this.records.forEachRecord(this.visit, this.lastSeq);
    const line = this.found;
    this.found = undefined;
    if (line !== undefined) {
      this.count++;
      return line;
    }
    this.ended = true;
    return WALK_END_PREFIX + String(this.count);
  }
}

/**
 * The answer to `line` if it is `covey walk-log`, to be pulled a line at a time; undefined for any other
 * line. Nothing is read until the first `next()`. A `next()` that throws (the flash failed) may be called
 * again: it retries from the same place.
 */
export function walkLogAnswer(records: StoredRecords, line: string): ConsoleAnswer | undefined {
  if (typeof line !== 'string' || !COMMAND.test(line)) return undefined;
  return new WalkLogAnswer(records);
}

/** Pulls `answer` to its end, handing each line to `write`. A `write` that throws ends it there. */
export function writeAnswer(answer: ConsoleAnswer, write: (line: string) => void): void {
  for (let line = answer.next(); line !== undefined; line = answer.next()) write(line);
}

/** The console responder for `covey walk-log` over `records`: the whole answer in one call. */
export function walkLogResponder(records: StoredRecords): ConsoleResponder {
  return (line, write) => {
    const answer = walkLogAnswer(records, line);
    if (answer === undefined) return false;
    writeAnswer(answer, write);
    return true;
  };
}
