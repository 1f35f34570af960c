/**
 * Deterministic CBOR (RFC 8949 §4.2), restricted to what covey messages use: unsigned and negative
 * integers, byte strings, text strings and arrays. No maps, tags, floats or indefinite lengths.
 *
 * Encoding and the reading of well-formed messages are done by proofs/cbor-subset.ts, which writes and
 * accepts only the deterministic encoding of such values, with little stack (the device's scarcest
 * resource) and no shared buffer.
 *
 * Decoding is strict, and every refusal is named. Input that is not a deterministic encoding of the
 * subset is decoded leniently by cbor-x and re-encoded: the way it fails says why (a map or a tag is
 * WrongType; a non-shortest integer, an indefinite length, or a float holding an integer is NonCanonical,
 * since with only shortest forms and definite lengths every value has exactly one encoding).
 */
import { Decoder } from 'cbor-x';
import { equalBytes } from './bytes.js';
import { decodeSubset, encodeSubset, type CborValue } from './cbor-subset.js';
import { DecodeError, DecodeFailure } from './errors.js';

export type { CborValue };

// useRecords: false keeps cbor-x's eval-based record extension out.
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });

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
 * checked before cbor-x's recursive decoder runs, which would otherwise overflow the device's 8 KB
 * stack on a hostile input of thousands of nested arrays.
 */
export const MAX_NESTING = 4;

/** Decodes exactly one deterministic CBOR item that fills `bytes`. */
export function decodeCbor(bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  if (bytes.length === 0) throw new DecodeError(DecodeFailure.Malformed, 'empty input');
  const end = scanItem(bytes, MAX_NESTING);
  if (end !== bytes.length) throw new DecodeError(DecodeFailure.TrailingBytes, 'bytes remain after the message');
  // Every message covey accepts is read here; only input that will be refused goes on to cbor-x.
  const value = decodeSubset(bytes, MAX_NESTING);
  return value !== undefined ? value : decodeOutsideSubset(bytes);
}

/** Decodes input that is not a deterministic encoding of the subset, to name what is wrong with it. */
function decodeOutsideSubset(bytes: Uint8Array): CborValue {
  let value: unknown;
  try {
    value = decoder.decode(bytes);
  } catch (error) {
    throw new DecodeError(DecodeFailure.Malformed, error instanceof Error ? error.message : String(error));
  }
  let again: Uint8Array;
  try {
    again = encodeCbor(normalize(value));
  } catch {
    throw new DecodeError(
      DecodeFailure.WrongType,
      'holds a value covey messages never use (a map, tag, float, or integer beyond 2^53)',
    );
  }
  if (!equalBytes(again, bytes)) {
    throw new DecodeError(DecodeFailure.NonCanonical, 'not in deterministic encoding (RFC 8949 §4.2.1)');
  }
  return normalize(value);
}

const malformed = (detail: string) => new DecodeError(DecodeFailure.Malformed, detail);
const INDEFINITE = Infinity;

/**
 * Walks the item heads (RFC 8949 §3) of the first data item without building any values, iteratively,
 * and returns the offset where that item ends. Throws Malformed when the input is cut short, uses a
 * reserved head, or nests deeper than `maxDepth`.
 */
function scanItem(bytes: Uint8Array, maxDepth: number): number {
  let pos = 0;
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
    } else if (info >= 28 && (info !== 31 || major < 2 || major === 6)) {
      throw malformed(`reserved item head 0x${head.toString(16)}`);
    }
    const indefinite = info === 31;
    if (major === 2 || major === 3) {
      if (indefinite) open.push(INDEFINITE);
      else if (pos + argument > bytes.length) throw malformed('input ends inside a string');
      else pos += argument;
    } else if (major === 4) open.push(indefinite ? INDEFINITE : argument);
    else if (major === 5) open.push(indefinite ? INDEFINITE : argument * 2);
    else if (major === 6) open.push(1);
    if (open.length > maxDepth + 1) throw malformed(`nested deeper than ${maxDepth} levels`);
  }
  return pos;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Turns cbor-x's Node Buffers into plain Uint8Arrays, so host and device see the same values. */
function normalize(value: unknown): CborValue {
  if (value instanceof Uint8Array) return value.constructor === Uint8Array ? value : new Uint8Array(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'number' || typeof value === 'string') return value;
  // cbor-x reads every 8-byte argument as a BigInt; covey's integers stay within 2^53.
  if (typeof value === 'bigint' && value >= -MAX_SAFE && value <= MAX_SAFE) return Number(value);
  throw new TypeError('unsupported CBOR value');
}
