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
 * Memory stays flat: the queue is read one record at a time and each line is written before the next
 * record is read. Device code with no IO of its own: the caller hands in the console's write.
 */
import { toHex } from '../proofs/bytes.js';
import { CURRENT_VERSION, MessageType } from '../proofs/registry.js';
import type { QueuedRecord } from './components.js';

export const WALK_LOG_COMMAND = 'covey walk-log';
/** Prefix of each report line; the hex follows the single space. */
export const WALK_LINE_PREFIX = 'covey-walk ';
/** Prefix of the closing line; the decimal count follows the single space. */
export const WALK_END_PREFIX = 'covey-walk-end ';

/** A read-only view of the queue's records, visited oldest first one at a time (ReceiptQueue has it). */
export interface StoredRecords {
  forEachRecord(visit: (record: QueuedRecord) => void): void;
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

/** The console responder for `covey walk-log` over `records`. A `write` that throws ends the answer there. */
export function walkLogResponder(records: StoredRecords): ConsoleResponder {
  return (line, write) => {
    if (typeof line !== 'string' || !COMMAND.test(line)) return false;
    let count = 0;
    records.forEachRecord((record) => {
      if (!isMapperReport(record.bytes)) return;
      write(WALK_LINE_PREFIX + toHex(record.bytes));
      count++;
    });
    write(WALK_END_PREFIX + String(count));
    return true;
  };
}
