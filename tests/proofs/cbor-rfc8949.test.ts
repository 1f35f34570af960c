/** proofs/cbor.ts against RFC 8949 Appendix A, and its strictness beyond the appendix. */
import fc from 'fast-check';
import {
  DecodeError, decodeCbor, DecodeFailure, encodeCbor, fromHex, MAX_NESTING, toHex, type CborValue,
} from '../../proofs/index.js';
import { spell } from '../support/cbor-spelling.js';
import { expectDecodeError } from '../support/decode-error.js';
import { readVectors } from '../support/vectors.js';

type JsonValue = number | string | { bytes: string } | JsonValue[];
interface Accepted { diagnostic: string; value: JsonValue; hex: string }
interface Refused { diagnostic: string; hex: string; code: DecodeFailure }
interface Rfc8949Vectors {
  accept: Accepted[];
  reject: Refused[];
  nonShortest: { cases: Refused[] };
  safeIntegers: { accept: Accepted[]; reject: Refused[] };
}
const vectors = readVectors<Rfc8949Vectors>('rfc8949-appendix-a.json');

/** [[...[0]...]], `depth` arrays deep. */
const nested = (depth: number): CborValue => (depth === 0 ? 0 : [nested(depth - 1)]);

function toCbor(value: JsonValue): CborValue {
  if (Array.isArray(value)) return value.map(toCbor);
  if (typeof value === 'object') return fromHex(value.bytes);
  return value;
}

function describeAccepted(items: Accepted[]): void {
  for (const { diagnostic, value, hex } of items) {
    test(`encodes ${diagnostic} as ${hex}`, () => {
      expect(toHex(encodeCbor(toCbor(value)))).toBe(hex);
    });
    test(`decodes ${hex} to ${diagnostic}`, () => {
      expect(decodeCbor(fromHex(hex))).toEqual(toCbor(value));
    });
  }
}

function describeRefused(items: Refused[]): void {
  for (const { diagnostic, hex, code } of items) {
    test(`refuses ${diagnostic} (${hex}) as ${code}`, () => {
      expectDecodeError(() => decodeCbor(fromHex(hex)), code);
    });
  }
}

describe('RFC 8949 Appendix A: the items covey messages use', () => describeAccepted(vectors.accept));
describe('RFC 8949 Appendix A: the items covey refuses', () => describeRefused(vectors.reject));
describe('RFC 8949 §4.2.1: longer heads than necessary', () => describeRefused(vectors.nonShortest.cases));
describe('integers at the 32-bit and 53-bit edges', () => {
  describeAccepted(vectors.safeIntegers.accept);
  describeRefused(vectors.safeIntegers.reject);
});

describe('decodeCbor', () => {
  test('returns byte strings as plain Uint8Arrays, not Node Buffers', () => {
    const value = decodeCbor(fromHex('4401020304'));
    expect(Object.getPrototypeOf(value)).toBe(Uint8Array.prototype);
  });

  test('refuses empty input (Malformed)', () => {
    expectDecodeError(() => decodeCbor(new Uint8Array(0)), DecodeFailure.Malformed);
  });

  test('refuses a byte after the item (TrailingBytes)', () => {
    expectDecodeError(() => decodeCbor(fromHex('0000')), DecodeFailure.TrailingBytes);
  });

  test('refuses a byte string cut short (Malformed)', () => {
    expectDecodeError(() => decodeCbor(fromHex('43010203').subarray(0, 3)), DecodeFailure.Malformed);
  });

  test('refuses a reserved additional-information value 28 (Malformed)', () => {
    expectDecodeError(() => decodeCbor(fromHex('1c')), DecodeFailure.Malformed);
  });

  test('refuses a text string that is not valid UTF-8', () => {
    expect(() => decodeCbor(fromHex('62c328'))).toThrow(DecodeError);
  });

  test(`accepts arrays nested MAX_NESTING (${MAX_NESTING}) deep`, () => {
    expect(decodeCbor(fromHex(`${'81'.repeat(MAX_NESTING)}00`))).toEqual(nested(MAX_NESTING));
  });

  test('refuses arrays nested one level deeper than MAX_NESTING (Malformed)', () => {
    expectDecodeError(() => decodeCbor(fromHex(`${'81'.repeat(MAX_NESTING + 1)}00`)), DecodeFailure.Malformed);
  });

  test('refuses 100,000 nested arrays as Malformed, without exhausting the stack', () => {
    const deep = new Uint8Array(100_001).fill(0x81);
    deep[100_000] = 0;
    expectDecodeError(() => decodeCbor(deep), DecodeFailure.Malformed);
  });

  test('throws TypeError for input that is not a Uint8Array', () => {
    expect(() => decodeCbor([0] as unknown as Uint8Array)).toThrow(TypeError);
  });

  test('answers any bytes with a DecodeError or with the value they are the one encoding of (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let value: unknown;
        try {
          value = decodeCbor(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError);
          return;
        }
        expect(toHex(encodeCbor(value as CborValue))).toBe(toHex(bytes));
      }),
      { numRuns: 3000 },
    );
  });
});

/**
 * CBOR values as covey uses them: integers within ±2^32 (beyond that, see cbor-int64.test.ts), and
 * arrays nested at most MAX_NESTING deep.
 */
const { value: cborValue } = fc.letrec<{ value: CborValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true, maxDepth: MAX_NESTING, depthIdentifier: 'cbor-value' },
    fc.integer({ min: -(2 ** 32), max: 2 ** 32 - 1 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 5 }),
  ),
}));

describe('encodeCbor', () => {
  test('round-trips through decodeCbor (property)', () => {
    fc.assert(fc.property(cborValue, (value) => {
      expect(decodeCbor(encodeCbor(value))).toEqual(value);
    }), { numRuns: 500 });
  });

  test('writes what the independent reference writer writes (property)', () => {
    fc.assert(fc.property(cborValue, (value) => {
      expect(toHex(encodeCbor(value))).toBe(toHex(spell(value)));
    }), { numRuns: 500 });
  });

  const notSafeIntegers = [1.5, 2 ** 53, -(2 ** 53), Number.NaN, Number.POSITIVE_INFINITY];
  test.each(notSafeIntegers)('refuses %s with a RangeError', (value) => {
    expect(() => encodeCbor(value)).toThrow(RangeError);
  });

  test.each([
    ['true', true],
    ['null', null],
    ['an object', { a: 1 }],
    ['a BigInt', 1n],
    ['an array holding undefined', [undefined]],
  ])('refuses %s with a TypeError', (_, value) => {
    expect(() => encodeCbor(value as unknown as CborValue)).toThrow(TypeError);
  });
});
