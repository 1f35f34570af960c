/**
 * Deterministic CBOR (RFC 8949 §4.2) over cbor-x, restricted to what covey messages use: unsigned and
 * negative integers, byte strings, text strings and arrays. No maps, tags, floats or indefinite lengths.
 *
 * Decoding is strict. cbor-x itself is lenient (it accepts non-shortest integers, floats, tags), so a
 * decoded value is re-encoded and must reproduce the input byte for byte: with only shortest forms and
 * definite lengths allowed, every value has exactly one encoding, and any other spelling of it is
 * rejected as NonCanonical.
 */
import { Decoder, Encoder } from 'cbor-x';
import { equalBytes } from './bytes.js';
import { DecodeError, DecodeFailure } from './errors.js';

/** The values a covey message is built from. */
export type CborValue = number | Uint8Array | string | readonly CborValue[];

// useRecords: false keeps cbor-x's eval-based record extension out of both directions;
// tagUint8Array: false writes byte strings as plain major type 2 (no tag 64).
const encoder = new Encoder({ useRecords: false, tagUint8Array: false, useFloat32: 0 });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });

/** Encodes a value in its one deterministic form. */
export function encodeCbor(value: CborValue): Uint8Array {
  assertEncodable(value);
  // cbor-x may hand back a view of its shared buffer (or a Node Buffer); copy to a plain Uint8Array.
  return new Uint8Array(encoder.encode(value));
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

/** Decodes exactly one deterministic CBOR item that fills `bytes`. */
export function decodeCbor(bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  if (bytes.length === 0) throw new DecodeError(DecodeFailure.Malformed, 'empty input');
  let value: unknown;
  try {
    value = decoder.decode(bytes);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (text.includes('end of buffer not reached')) {
      throw new DecodeError(DecodeFailure.TrailingBytes, 'bytes remain after the message');
    }
    throw new DecodeError(DecodeFailure.Malformed, text);
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

/** Turns cbor-x's Node Buffers into plain Uint8Arrays, so host and device see the same values. */
function normalize(value: unknown): CborValue {
  if (value instanceof Uint8Array) return value.constructor === Uint8Array ? value : new Uint8Array(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new TypeError('unsupported CBOR value');
}
