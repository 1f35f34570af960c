/** UploadAck (proofs/batch.ts): the oracle's answer for each uploaded item, and the reason registry. */
import fc from 'fast-check';
import {
  AckStatus, concatBytes, DecodeFailure, decodeUploadAck, encodeCbor, encodeUploadAck, Reason, reasonName, toHex,
  type AckResult, type CborValue,
} from '../../proofs/index.js';
import { bytes } from '../support/arbitraries.js';
import { expectDecodeError } from '../support/decode-error.js';

describe('UploadAck', () => {
  const results: AckResult[] = [
    { id: new Uint8Array(16).fill(1), status: AckStatus.Stored, reason: Reason.none },
    { id: new Uint8Array(16).fill(2), status: AckStatus.Duplicate, reason: Reason.none },
    { id: new Uint8Array(16).fill(3), status: AckStatus.Rejected, reason: Reason.too_late },
  ];
  const ack = encodeUploadAck({ results });
  const ackOf = (value: CborValue) => encodeCbor([6, 1, value]);

  test('round-trips stored, duplicate and rejected results', () => {
    expect(decodeUploadAck(ack)).toEqual({ results });
  });

  test('is [6, 1, [[id, status, reason], ...]]', () => {
    expect(toHex(ack)).toBe(toHex(ackOf(results.map((r) => [r.id, r.status, r.reason]))));
  });

  test('round-trips an empty result list', () => {
    expect(decodeUploadAck(encodeUploadAck({ results: [] }))).toEqual({ results: [] });
  });

  test('round-trips any results (property)', () => {
    const result = fc.record({
      id: bytes(16),
      status: fc.constantFrom(AckStatus.Stored, AckStatus.Duplicate, AckStatus.Rejected),
      reason: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(fc.array(result, { maxLength: 20 }), (list) => {
        expect(decodeUploadAck(encodeUploadAck({ results: list }))).toEqual({ results: list });
      }),
      { numRuns: 100 },
    );
  });

  const id = new Uint8Array(16);
  test.each([
    { what: 'status 3', input: ackOf([[id, 3, 0]]), code: DecodeFailure.OutOfRange },
    { what: 'status -1', input: ackOf([[id, -1, 0]]), code: DecodeFailure.OutOfRange },
    { what: 'reason 256', input: ackOf([[id, 2, 256]]), code: DecodeFailure.OutOfRange },
    { what: 'a 15-byte id', input: ackOf([[new Uint8Array(15), 0, 0]]), code: DecodeFailure.WrongLength },
    { what: 'an id given as text', input: ackOf([['id', 0, 0]]), code: DecodeFailure.WrongType },
    { what: 'a result with two items', input: ackOf([[id, 0]]), code: DecodeFailure.WrongLength },
    { what: 'a result that is not an array', input: ackOf([0]), code: DecodeFailure.WrongType },
    { what: 'results that are not an array', input: ackOf(0), code: DecodeFailure.WrongType },
    { what: 'an unknown version', input: encodeCbor([6, 2, []]), code: DecodeFailure.UnknownVersion },
    { what: 'an unknown type code', input: encodeCbor([60, 1, []]), code: DecodeFailure.UnknownType },
    { what: 'an UploadBatch', input: encodeCbor([5, 1, new Uint8Array(32), []]), code: DecodeFailure.WrongType },
    { what: 'trailing bytes', input: concatBytes(ack, Uint8Array.of(0)), code: DecodeFailure.TrailingBytes },
    { what: 'a truncated ack', input: ack.subarray(0, ack.length - 1), code: DecodeFailure.Malformed },
  ])('refuses $what ($code)', ({ input, code }) => {
    expectDecodeError(() => decodeUploadAck(input), code);
  });
});

describe('Reason', () => {
  test('names each code, and prints unknown codes from a newer oracle as reason_<code>', () => {
    expect(reasonName(Reason.too_late)).toBe('too_late');
    expect(reasonName(0)).toBe('none');
    expect(reasonName(200)).toBe('reason_200');
  });

  test('codes are distinct', () => {
    const codes = Object.values(Reason);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
