/**
 * Deterministic CBOR (RFC 8949 §4.2), restricted to what covey messages use: unsigned and negative
 * integers up to 2^53, byte strings, text strings and arrays. No maps, tags, floats, simple values or
 * indefinite lengths.
 *
 * Encoding and the reading of well-formed messages are done by proofs/cbor-subset.ts, which writes and
 * accepts only the deterministic encoding of such values, with little stack (the device's scarcest
 * resource) and no shared buffer. cbor-x, a general CBOR codec, is kept out of the device: in XS its
 * encoder alone takes about 210 slots of the ESP32's 512-slot stack, and its module state could not be
 * preloaded into flash. The tests hold this codec to cbor-x's bytes (tests/proofs/cbor-subset.test.ts).
 *
 * Decoding is strict, and every refusal is named. One pass over the item heads (RFC 8949 §3), without
 * building values, finds where the item ends and what it holds:
 *   - cut short, a reserved head, a break out of place, or deeper nesting than covey uses: Malformed;
 *   - bytes after the item: TrailingBytes;
 *   - a map, a tag, a float or simple value, or an integer beyond 2^53 anywhere: WrongType (a value covey
 *     never uses);
 *   - otherwise a head longer than its shortest form or an indefinite length: NonCanonical (with only
 *     shortest forms and definite lengths, every value has exactly one encoding);
 *   - otherwise text that is not valid UTF-8: WrongType.
 */
import { decodeSubset, encodeSubset, type CborValue } from './cbor-subset.js';
import { DecodeError, DecodeFailure } from './errors.js';

export type { CborValue };

/** Encodes a value in its one deterministic form. */
export function encodeCbor(value: CborValue): Uint8Array {
  assertEncodable(value);
  return encodeSubset(value);
}

function assertEncodable(value: CborValue): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  } else if (Array.isArray(value)) {
    for (const item of value) assertEncodable(item);
  } else if (!(value instanceof Uint8Array) && typeof value !== 'string') {
    throw new TypeError('covey messages hold only integers, byte strings, text and arrays');
  }
}

/**
 * Nesting covey messages never exceed: batch → items → item, ack → results → result. The limit is
 * checked before any value is built, so a hostile input of thousands of nested arrays costs nothing.
 */
export const MAX_NESTING = 4;

/** Decodes exactly one deterministic CBOR item that fills `bytes`. */
export function decodeCbor(bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  if (bytes.length === 0) throw new DecodeError(DecodeFailure.Malformed, 'empty input');
  const scan = scanItem(bytes, MAX_NESTING);
  if (scan.end !== bytes.length) throw new DecodeError(DecodeFailure.TrailingBytes, 'bytes remain after the message');
  if (scan.foreign !== null) {
    throw new DecodeError(DecodeFailure.WrongType, `holds ${scan.foreign}, which covey messages never use`);
  }
  if (scan.nonCanonical !== null) {
    throw new DecodeError(DecodeFailure.NonCanonical, `${scan.nonCanonical} (RFC 8949 §4.2.1)`);
  }
  const value = decodeSubset(bytes, MAX_NESTING);
  if (value === undefined) throw new DecodeError(DecodeFailure.WrongType, 'holds text that is not valid UTF-8');
  return value;
}

const malformed = (detail: string) => new DecodeError(DecodeFailure.Malformed, detail);
const INDEFINITE = Infinity;
/** The smallest argument each long head form (additional information 24–27) may carry: shorter fits below. */
const SHORTEST_FROM = [24, 0x100, 0x1_0000, 0x1_0000_0000];

interface Scan {
  /** Offset where the first item ends. */
  readonly end: number;
  /** The first value found that covey never uses, described, or null. */
  readonly foreign: string | null;
  /** The first non-deterministic spelling found, described, or null. */
  readonly nonCanonical: string | null;
}

/**
 * Walks the item heads of the first data item iteratively, without building values. Throws Malformed
 * when the input is cut short, uses a reserved head, breaks out of place, or nests deeper than `maxDepth`.
 */
function scanItem(bytes: Uint8Array, maxDepth: number): Scan {
  let pos = 0;
  let foreign: string | null = null;
  let nonCanonical: string | null = null;
  const open: number[] = [1]; // items still to read at each open level
  while (open.length > 0) {
    const level = open.length - 1;
    if (open[level] === 0) {
      open.pop();
      continue;
    }
    if (pos >= bytes.length) throw malformed('input ends inside an item');
    const head = bytes[pos++];
    if (head === 0xff) {
      if (open[level] !== INDEFINITE) throw malformed('break outside an indefinite-length item');
      open.pop();
      continue;
    }
    open[level]--;
    const major = head >> 5;
    const info = head & 31;
    let argument = info;
    if (info >= 24 && info <= 27) {
      const size = 1 << (info - 24);
      if (pos + size > bytes.length) throw malformed('input ends inside an item head');
      argument = 0;
      for (let i = 0; i < size; i++) argument = argument * 256 + bytes[pos++];
      if (major === 7 && info === 24 && argument < 32) throw malformed('simple value in a two-byte head (RFC 8949 §3.3)');
      if (major !== 7 && argument < SHORTEST_FROM[info - 24]) nonCanonical ??= 'a head longer than its shortest form';
    } else if (info >= 28 && (info !== 31 || major < 2 || major === 6)) {
      throw malformed(`reserved item head 0x${head.toString(16)}`);
    }
    const indefinite = info === 31;
    if (indefinite) nonCanonical ??= 'an indefinite length';
    if (major <= 1 && argument > Number.MAX_SAFE_INTEGER - major) foreign ??= 'an integer beyond 2^53';
    else if (major === 5) foreign ??= 'a map';
    else if (major === 6) foreign ??= 'a tag';
    else if (major === 7) foreign ??= info >= 25 ? 'a float' : 'a simple value';
    if (major === 2 || major === 3) {
      if (indefinite) open.push(INDEFINITE);
      else if (pos + argument > bytes.length) throw malformed('input ends inside a string');
      else pos += argument;
    } else if (major === 4) open.push(indefinite ? INDEFINITE : argument);
    else if (major === 5) open.push(indefinite ? INDEFINITE : argument * 2);
    else if (major === 6) open.push(1);
    if (open.length > maxDepth + 1) throw malformed(`nested deeper than ${maxDepth} levels`);
  }
  return { end: pos, foreign, nonCanonical };
}
