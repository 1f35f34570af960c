/**
 * NMEA 0183 bytes in, the Gps port (src/ports.ts) out: sentence framing, checksums, and the assembly of
 * each epoch's RMC and GGA into one fix. What the fields mean is in nmea-fields.ts.
 *
 * Framing is NMEA 0183's sentence format: a sentence starts with '$', ends with CR LF, holds at most 82
 * characters with both, and carries "*hh", the XOR of the characters between '$' and '*'. Sentences are
 * rebuilt across chunk boundaries in one fixed buffer; a sentence that fails any check is counted under
 * the reason and dropped. Nothing here throws at the caller: a receiver's noise is data, not an error.
 *
 * A fix is published when one epoch (one UTC time of day) has brought both a valid RMC (status A, mode
 * not N) and a valid GGA (quality above 0), in either order: GGA gives position, altitude, satellites and
 * HDOP; RMC gives the date. An RMC with status V or a GGA with quality 0 clears the fix at once. A fix also
 * goes stale once it is more than `maxAgeMs` older than the newest sentence time, or than the injected
 * clock's reading when it arrived, so a receiver that falls silent does not leave its last fix standing.
 */
import type { Clock, Gps, GpsFix } from '../../../src/ports.js';
import { type Dop, type FixMode, type GgaPart, type RmcPart, parseGga, parseGsa, parseRmc } from './nmea-fields.js';

/**
 * Longest sentence kept, counting what follows the '$' up to the end of the checksum: NMEA allows 79 (82
 * with '$' and CR LF); the rest is room for receivers that exceed it in sentences skipped anyway.
 */
export const MAX_SENTENCE_LENGTH = 120;

/** Default age after which a fix is reported as none, ms: five epochs of a 1 Hz receiver. */
export const DEFAULT_MAX_AGE_MS = 5_000;

/** Sentences dropped, by reason. */
export interface NmeaBadCounts {
  /** The "*hh" did not match the sentence, or was not two hex digits. */
  readonly checksum: number;
  /** The line ended with no '*'. */
  readonly missingChecksum: number;
  /** An RMC, GGA or GSA with a missing, out-of-range or unknown field; or any sentence with a control or non-ASCII byte. */
  readonly malformed: number;
  /** Longer than MAX_SENTENCE_LENGTH (or the configured limit). */
  readonly tooLong: number;
  /** Cut short by the next '$' before its line ended. */
  readonly truncated: number;
}

export interface NmeaStats {
  /** RMC, GGA and GSA sentences that passed every check. */
  readonly parsed: number;
  /** Well-formed sentences of other types (GSV, VTG, GLL, TXT, proprietary), skipped on purpose. */
  readonly ignored: number;
  readonly bad: NmeaBadCounts;
  /** Bytes outside any sentence: start-up noise, binary protocol messages, a wrong baud rate. */
  readonly skippedBytes: number;
  /** Fixes published. */
  readonly fixes: number;
}

export interface NmeaReceiverOptions {
  /** A fix older than this is reported as none, ms. Default DEFAULT_MAX_AGE_MS. */
  readonly maxAgeMs?: number;
  /** Dates each fix on arrival, so that silence from the receiver ages it too. */
  readonly clock?: Pick<Clock, 'now'>;
  /** Default MAX_SENTENCE_LENGTH. */
  readonly maxSentenceLength?: number;
}

const DAY_MS = 86_400_000;
const DOLLAR = 0x24;
const STAR = 0x2a;
const COMMA = 0x2c;
const P = 0x50;
const CR = 0x0d;
const LF = 0x0a;

const hexDigit = (byte: number): number =>
  byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x41 && byte <= 0x46 ? byte - 0x37 : byte >= 0x61 && byte <= 0x66 ? byte - 0x57 : -1;

/** Framing states: outside a sentence, inside one, or dropping the rest of a bad one until its line ends. */
const IDLE = 0;
const SENTENCE = 1;
const DISCARD = 2;
type Framing = typeof IDLE | typeof SENTENCE | typeof DISCARD;

/** NMEA bytes in, the Gps port out. Feed it with `push` as bytes arrive, in chunks of any size. */
export class NmeaReceiver implements Gps {
  /** The sentence being rebuilt: what follows its '$', `length` bytes of it so far. */
  private readonly line: Uint8Array;
  private readonly maxAgeMs: number;
  private readonly clock: Pick<Clock, 'now'> | undefined;
  private framing: Framing;
  private length: number;
  private readonly bad: { checksum: number; missingChecksum: number; malformed: number; tooLong: number; truncated: number };
  private readonly counts: { parsed: number; ignored: number; skippedBytes: number; fixes: number };
  /** The epoch being assembled: its time of day (−1 before the first), the valid parts seen so far, and whether it was published. */
  private epochMs: number;
  private rmc: RmcPart | undefined;
  private gga: GgaPart | undefined;
  private published: boolean;
  /** Time of day of the newest valid RMC or GGA. */
  private latestMs: number;
  /** The latest fix published, with its time of day and the clock's reading (0 without a clock) when it arrived. */
  private latestFix: GpsFix | undefined;
  private fixTimeOfDayMs: number;
  private fixArrivedMs: number;
  /** From the latest valid GSA. */
  private mode: FixMode | undefined;
  private latestDop: Dop | undefined;

  constructor(options: NmeaReceiverOptions = {}) {
    const { maxAgeMs = DEFAULT_MAX_AGE_MS, maxSentenceLength = MAX_SENTENCE_LENGTH } = options;
    if (!(maxAgeMs >= 0)) throw new RangeError('maxAgeMs must be 0 or more');
    if (!Number.isInteger(maxSentenceLength) || maxSentenceLength < 8) throw new RangeError('maxSentenceLength must be an integer of 8 or more');
    this.line = new Uint8Array(maxSentenceLength);
    this.maxAgeMs = maxAgeMs;
    this.clock = options.clock;
    // Assigned here rather than as field initializers: device code keeps to plain constructor
    // assignments (docs/protocol.md §3, "Class fields must be lowered for XS").
    this.framing = IDLE;
    this.length = 0;
    this.bad = { checksum: 0, missingChecksum: 0, malformed: 0, tooLong: 0, truncated: 0 };
    this.counts = { parsed: 0, ignored: 0, skippedBytes: 0, fixes: 0 };
    this.epochMs = -1;
    this.rmc = undefined;
    this.gga = undefined;
    this.published = false;
    this.latestMs = 0;
    this.latestFix = undefined;
    this.fixTimeOfDayMs = 0;
    this.fixArrivedMs = 0;
    this.mode = undefined;
    this.latestDop = undefined;
  }

  /** The latest fix, unless it was lost or is older than `maxAgeMs`. */
  fix(): GpsFix | undefined {
    const fix = this.latestFix;
    if (fix === undefined) return undefined;
    if (this.clock !== undefined && this.clock.now() - this.fixArrivedMs > this.maxAgeMs) return undefined;
    const behindMs = (this.latestMs - this.fixTimeOfDayMs + DAY_MS) % DAY_MS;
    return behindMs > this.maxAgeMs ? undefined : fix;
  }

  /** The latest GSA's mode, whatever RMC and GGA say. */
  get fixMode(): FixMode | undefined {
    return this.mode;
  }

  get dop(): Dop | undefined {
    return this.latestDop;
  }

  get stats(): NmeaStats {
    return { ...this.counts, bad: { ...this.bad } };
  }

  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte === DOLLAR) {
        if (this.framing === SENTENCE) this.bad.truncated += 1;
        this.framing = SENTENCE;
        this.length = 0;
      } else if (byte === CR || byte === LF) {
        if (this.framing === SENTENCE) this.finish();
        this.framing = IDLE;
      } else if (this.framing === IDLE) {
        this.counts.skippedBytes += 1;
      } else if (this.framing === SENTENCE) {
        if (byte < 0x20 || byte > 0x7e || this.length === this.line.length) {
          if (this.length === this.line.length) this.bad.tooLong += 1;
          else this.bad.malformed += 1;
          this.framing = DISCARD;
        } else {
          this.line[this.length++] = byte;
        }
      }
    }
  }

  /** Checks a complete sentence's checksum and hands it on. */
  private finish(): void {
    const line = this.line;
    let sum = 0;
    let star = 0;
    while (star < this.length && line[star] !== STAR) sum ^= line[star++];
    if (star === this.length) {
      this.bad.missingChecksum += 1;
    } else if (this.length !== star + 3 || ((hexDigit(line[star + 1]) << 4) | hexDigit(line[star + 2])) !== sum) {
      // A character that is not a hex digit reads as −1, which makes the value negative: never a sum.
      this.bad.checksum += 1;
    } else {
      this.sentence(star);
    }
  }

  /**
   * Reads the sentence in `line[0, end)`. The type is read from the bytes, so the sentences skipped (GSV
   * alone is several a second) cost no strings; the fields of the rest are decoded one by one, which
   * keeps the arguments of each fromCharCode call (XS stack slots) to one field's length.
   */
  private sentence(end: number): void {
    const line = this.line;
    const typed = end >= 5 && line[0] !== P && (end === 5 || line[5] === COMMA);
    const type = typed ? String.fromCharCode(line[2], line[3], line[4]) : '';
    if (type !== 'RMC' && type !== 'GGA' && type !== 'GSA') {
      this.counts.ignored += 1;
      return;
    }
    const fields: string[] = [];
    for (let start = 0, i = 0; i <= end; i++) {
      if (i < end && line[i] !== COMMA) continue;
      fields.push(String.fromCharCode(...line.subarray(start, i)));
      start = i + 1;
    }
    const parsed = type === 'RMC' ? parseRmc(fields) : type === 'GGA' ? parseGga(fields) : parseGsa(fields);
    if (parsed === undefined) {
      this.bad.malformed += 1;
      return;
    }
    this.counts.parsed += 1;
    if ('mode' in parsed) {
      this.mode = parsed.mode;
      this.latestDop = parsed.dop;
    } else if (!parsed.fix) {
      this.latestFix = undefined;
      this.rmc = this.gga = undefined;
      this.published = false;
    } else {
      if (parsed.timeOfDayMs !== this.epochMs) {
        this.rmc = this.gga = undefined;
        this.published = false;
      }
      this.epochMs = this.latestMs = parsed.timeOfDayMs;
      if ('dateMs' in parsed) this.rmc = parsed;
      else this.gga = parsed;
      this.publish();
    }
  }

  /** Publishes the epoch's fix once it has both halves; later duplicates of either do not count again. */
  private publish(): void {
    const rmc = this.rmc;
    const gga = this.gga;
    if (rmc === undefined || gga === undefined || this.published) return;
    const { latE7, lonE7, altitudeM, hdop, satellites } = gga;
    this.latestFix = Object.freeze({ latE7, lonE7, altitudeM, hdop, satellites, timeMs: rmc.dateMs + this.epochMs });
    this.fixTimeOfDayMs = this.epochMs;
    this.fixArrivedMs = this.clock?.now() ?? 0;
    this.counts.fixes += 1;
    this.published = true;
  }
}
