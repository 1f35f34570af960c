/**
 * Integers beyond 32 bits: every timestamp covey sends is one. RFC 8949 §3.1 writes them as major type
 * 0 or 1 with an 8-byte argument; §4.2.1 allows no other spelling. cbor-x alone would write them as
 * float64, so proofs/cbor.ts hands them to it as BigInts.
 */
import fc from 'fast-check';
import {
  decodeCbor, DecodeFailure, decodeWitnessReceipt, encodeCbor, encodeWitnessReceipt, fromHex, toHex,
} from '../../proofs/index.js';
import { spell } from '../support/cbor-spelling.js';
import { expectDecodeError } from '../support/decode-error.js';

/** 2026-03-14T12:00:23.872Z in ms, as a float64 (what cbor-x writes) and as a uint (what RFC 8949 writes). */
const TIME = 1_773_489_623_872;
const TIME_AS_FLOAT64 = 'fb4279cec381340000';
const TIME_AS_UINT = '1b0000019cec381340';

test('the two spellings of the timestamp are what this file says they are', () => {
  expect(toHex(spell(TIME))).toBe(TIME_AS_UINT);
  expect(new DataView(fromHex(TIME_AS_FLOAT64).buffer).getFloat64(1)).toBe(TIME);
});

test('encodes a timestamp as major type 0 with an 8-byte argument', () => {
  expect(toHex(encodeCbor(TIME))).toBe(TIME_AS_UINT);
});

test('decodes a timestamp written as major type 0', () => {
  expect(decodeCbor(fromHex(TIME_AS_UINT))).toBe(TIME);
});

test('refuses a timestamp written as a float64 (WrongType: covey never uses floats)', () => {
  expectDecodeError(() => decodeCbor(fromHex(TIME_AS_FLOAT64)), DecodeFailure.WrongType);
});

test('refuses a 4-byte integer written with an 8-byte argument (NonCanonical)', () => {
  expectDecodeError(() => decodeCbor(fromHex('1b0000000033be27a0')), DecodeFailure.NonCanonical);
});

test('writes a receipt time as major type 0', () => {
  const receipt = {
    beaconDigest: new Uint8Array(16), rssiDdbm: -1200, snrDdb: -125, frequencyHz: 868_100_000, dataRate: 0,
    timeMs: TIME, signature: new Uint8Array(64),
  };
  expect(toHex(encodeWitnessReceipt(receipt))).toContain(TIME_AS_UINT);
});

test('decodes a receipt whose time is written as RFC 8949 says', () => {
  const receipt = [4, 1, new Uint8Array(16), -1200, -125, 868_100_000, 0, TIME, new Uint8Array(64)];
  expect(decodeWitnessReceipt(spell(receipt)).timeMs).toBe(TIME);
});

test('encodes every safe integer as the reference writer does (property)', () => {
  fc.assert(fc.property(fc.maxSafeInteger(), (n) => {
    expect(toHex(encodeCbor(n))).toBe(toHex(spell(n)));
  }));
});
