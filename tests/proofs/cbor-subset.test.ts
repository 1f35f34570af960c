/**
 * proofs/cbor-subset.ts, the lean writer and reader of covey's CBOR subset, against the cbor-x codec it
 * replaced on the accepting path: the same bytes for every value, the same value for every message, and,
 * for damaged messages, the same verdict as the cbor-x path (which now only names refusals).
 */
import { Decoder, Encoder } from 'cbor-x';
import fc from 'fast-check';
import { decodeSubset, encodeSubset } from '../../proofs/cbor-subset.js';
import { DecodeError, decodeCbor, encodeCbor, fromHex, MAX_NESTING, toHex, type CborValue } from '../../proofs/index.js';

/** The encoding as proofs/cbor.ts made it before: cbor-x, integers beyond 32 bits widened to BigInt. */
const referenceEncoder = new Encoder({ useRecords: false, tagUint8Array: false, useFloat32: 0 });
const referenceDecoder = new Decoder({ useRecords: false, mapsAsObjects: false });
function widen(value: CborValue): unknown {
  if (typeof value === 'number') return value > 0xffffffff || value < -0x100000000 ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(widen);
  return value;
}
const referenceEncode = (value: CborValue) => new Uint8Array(referenceEncoder.encode(widen(value)));

/** Values of the subset; `text` decides which strings (well-formed ones, or any UTF-16 with lone surrogates). */
function values(text: fc.Arbitrary<string>): fc.Arbitrary<CborValue> {
  const scalar = fc.oneof(
    fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: -70_000, max: 70_000 }),
    fc.uint8Array({ maxLength: 300 }),
    text,
  );
  return fc.letrec<{ v: CborValue }>((tie) => ({
    v: fc.oneof({ depthSize: 'small', maxDepth: MAX_NESTING - 1 }, scalar, fc.array(tie('v'), { maxLength: 6 })),
  })).v;
}
const value = values(fc.string({ unit: 'grapheme', maxLength: 40 }));

/** What decodeCbor says: the value as hex-tagged JSON, or the refusal's code. */
function verdict(bytes: Uint8Array): string {
  try {
    return JSON.stringify(decodeCbor(bytes), (_, v) => (v instanceof Uint8Array ? `h'${toHex(v)}'` : v));
  } catch (error) {
    return error instanceof DecodeError ? error.code : `threw ${String(error)}`;
  }
}

test('writes every value of the subset exactly as the cbor-x encoder did', () => {
  const anyText = values(fc.string({ unit: 'binary', maxLength: 40 }));
  fc.assert(fc.property(anyText, (v) => toHex(encodeSubset(v)) === toHex(referenceEncode(v))), { numRuns: 2_000 });
});

test('reads back every value it writes, on its own and through decodeCbor', () => {
  fc.assert(
    fc.property(value, (v) => {
      const bytes = encodeCbor(v);
      expect(decodeSubset(bytes, MAX_NESTING)).toEqual(v);
      expect(decodeCbor(bytes)).toEqual(v);
    }),
    { numRuns: 1_000 },
  );
});

test('writes heads at every size boundary in their shortest form', () => {
  const cases: [number, string][] = [
    [23, '17'], [24, '1818'], [255, '18ff'], [256, '190100'], [65_535, '19ffff'], [65_536, '1a00010000'],
    [0xffffffff, '1affffffff'], [0x100000000, '1b0000000100000000'], [Number.MAX_SAFE_INTEGER, '1b001fffffffffffff'],
    [-24, '37'], [-25, '3818'], [-0x100000001, '3b0000000100000000'], [-Number.MAX_SAFE_INTEGER, '3b001ffffffffffffe'],
  ];
  for (const [n, hex] of cases) expect(toHex(encodeSubset(n))).toBe(hex);
});

test('writes a lone surrogate as U+FFFD, as a UTF-8 encoder must', () => {
  expect(toHex(encodeSubset('a\ud800'))).toBe('6461efbfbd');
});

test('leaves to the strict path everything outside the deterministic subset', () => {
  const outside = [
    '1817', // 23 with a 1-byte argument
    '1b0020000000000000', // 2^53
    '3b001fffffffffffff', // -2^53
    '9f01ff', // indefinite-length array
    'a0', // map
    'c24101', // tag 2
    'f4', // false
    'fb3ff0000000000000', // 1.0 as a float64
    '62c080', // overlong UTF-8
    '63eda080', // a UTF-8 surrogate
    '8201', // an array cut short
    '0000', // trailing bytes
  ];
  for (const hex of outside) expect(decodeSubset(fromHex(hex), MAX_NESTING)).toBeUndefined();
});

/** decodeCbor as it was, after the scan: cbor-x decodes, the value is normalised, re-encoded and compared. */
function referenceVerdict(bytes: Uint8Array): string {
  let decoded: unknown;
  try {
    decoded = referenceDecoder.decode(bytes);
  } catch {
    return 'Malformed';
  }
  const normalize = (v: unknown): CborValue => {
    if (v instanceof Uint8Array) return new Uint8Array(v);
    if (Array.isArray(v)) return v.map(normalize);
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'bigint' && v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
    throw new TypeError('not encodable');
  };
  let normalized: CborValue;
  try {
    normalized = normalize(decoded);
  } catch {
    return 'WrongType';
  }
  if (toHex(referenceEncode(normalized)) !== toHex(bytes)) return 'NonCanonical';
  return JSON.stringify(normalized, (_, v) => (v instanceof Uint8Array ? `h'${toHex(v)}'` : v));
}

const REFUSALS = ['Malformed', 'WrongType', 'NonCanonical', 'TrailingBytes'];

/**
 * Accepts exactly what cbor-x decoding with a re-encoding check accepts, with the same value. Refusal
 * codes are not compared: covey names a float or a simple value WrongType even where it holds an integer,
 * and an indefinite-length string NonCanonical (tests/vectors/rfc8949-appendix-a.json, codeRule).
 */
test('accepts exactly the damaged messages cbor-x decoding with a re-encoding check accepts', () => {
  const damaged = fc
    .tuple(value, fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([v, at, byte]) => {
      const bytes = encodeCbor(v);
      bytes[at % bytes.length] = byte;
      return bytes;
    });
  let compared = 0;
  fc.assert(
    fc.property(damaged, (bytes) => {
      const ours = verdict(bytes);
      if (ours === 'Malformed' || ours === 'TrailingBytes') return; // the scan both paths share decided it
      compared++;
      const reference = referenceVerdict(bytes);
      expect(REFUSALS.includes(ours)).toBe(REFUSALS.includes(reference));
      if (!REFUSALS.includes(reference)) expect(ours).toBe(reference);
    }),
    { numRuns: 3_000 },
  );
  expect(compared).toBeGreaterThan(1_000);
});
