/**
 * The behaviour every signed CBOR message shares, `[type, version, ...fields, signature]` signed over
 * `tag ‖ 0x00 ‖ encode([type, version, ...fields])` (proofs/envelope.ts, proofs/signing.ts), as one
 * suite that each message's test file runs with its own layout, sample values and field limits.
 */
import fc from 'fast-check';
import {
  concatBytes, DecodeError, DecodeFailure, encodeCbor, signedBytes, SignatureDomain, toHex,
  type CborValue, type Signer, type Verifier,
} from '../../proofs/index.js';
import { head, Indefinite, Raw, shortestArgumentBytes, spell, Wide, type Spelling } from './cbor-spelling.js';
import { expectDecodeError } from './decode-error.js';
import { countingSigner, hostVerifier, signerFor, VERIFIERS } from './keys.js';

/** A field value a decoder must refuse, and the code it must refuse it with. */
export interface FieldError {
  readonly what: string;
  /** Position in the whole array: 0 type, 1 version, 2 the first field. */
  readonly index: number;
  readonly value: CborValue;
  readonly code: DecodeFailure;
}

/** A field value at the edge of its range, which a decoder must accept. */
export interface FieldEdge {
  readonly what: string;
  readonly index: number;
  readonly value: CborValue;
}

type SignedMessage = { readonly signature: Uint8Array };

export interface SignedMessageSpec<F, M extends SignedMessage> {
  readonly name: string;
  readonly typeCode: number;
  /** The version the spec's messages carry; default 1. */
  readonly version?: number;
  /** A version no decoder of the type reads; default version + 1. */
  readonly unknownVersion?: number;
  readonly domain: SignatureDomain;
  /** Names of the items after [type, version], the signature last. */
  readonly fieldNames: readonly string[];
  /** Realistic values; `key` is the signer's public key, for messages that name their signer. */
  sampleFields(key: Uint8Array): F;
  arbitraryFields(key: Uint8Array): fc.Arbitrary<F>;
  /** Fields that a decoder would refuse. */
  invalidFields(key: Uint8Array): F;
  sign(fields: F, signer: Signer): M;
  encode(message: M): Uint8Array;
  decode(bytes: Uint8Array): M;
  /** Checks the signature against `key`, or against the key the message itself names. */
  verify(message: M, key: Uint8Array, verifier: Verifier): boolean;
  /** The message as the CBOR array its module header documents, written out by hand. */
  toArray(message: M): CborValue[];
  readonly fieldErrors: readonly FieldError[];
  readonly fieldEdges: readonly FieldEdge[];
}

const ALL_DOMAINS = Object.values(SignatureDomain);
const LONGER: Record<number, 1 | 2 | 4 | 8> = { 0: 1, 1: 2, 2: 4, 4: 8 };

/** Item `index` of `array` spelled as `spelling`, every other item as covey encodes it. */
function respell(array: readonly CborValue[], index: number, spelling: Spelling): Uint8Array {
  const items = array.map((value, i) => (i === index ? spell(spelling) : encodeCbor(value)));
  return concatBytes(head(4, BigInt(array.length)), ...items);
}

/**
 * `value` with a head one step longer than the shortest, or null when that step would be an 8-byte
 * argument (covered in cbor-int64.test.ts) or the value is an array.
 */
function widened(value: CborValue): Wide | null {
  let argument: bigint;
  if (typeof value === 'number') argument = BigInt(value < 0 ? -1 - value : value);
  else if (value instanceof Uint8Array) argument = BigInt(value.length);
  else if (typeof value === 'string') argument = BigInt(new TextEncoder().encode(value).length);
  else return null;
  const longer = LONGER[shortestArgumentBytes(argument)];
  return longer === undefined || longer === 8 ? null : new Wide(value, longer);
}

function signatureErrors(index: number): FieldError[] {
  return [
    { what: 'a 63-byte signature', index, value: new Uint8Array(63), code: DecodeFailure.WrongLength },
    { what: 'a 65-byte signature', index, value: new Uint8Array(65), code: DecodeFailure.WrongLength },
    { what: 'a signature given as text', index, value: 'signature', code: DecodeFailure.WrongType },
    { what: 'a signature given as an integer', index, value: 0, code: DecodeFailure.WrongType },
  ];
}

export function describeSignedMessage<F, M extends SignedMessage>(spec: SignedMessageSpec<F, M>): void {
  const signer = signerFor(`${spec.name} signer`);
  const stranger = signerFor(`${spec.name} stranger`);
  const message = spec.sign(spec.sampleFields(signer.publicKey), signer);
  const bytes = spec.encode(message);
  const array = spec.toArray(message);
  const decodeValue = (value: CborValue) => spec.decode(encodeCbor(value));
  const replaced = (index: number, value: CborValue) => array.map((item, i) => (i === index ? value : item));
  const otherKnownType = spec.typeCode === 4 ? 3 : 4;
  const version = spec.version ?? 1;
  const unknownVersion = spec.unknownVersion ?? version + 1;

  describe(`${spec.name}: encoding`, () => {
    test('round-trips through encode and decode', () => {
      expect(spec.decode(bytes)).toEqual(message);
    });

    test('is the array [type, version, ...fields, signature] its CDDL documents', () => {
      expect(array.slice(0, 2)).toEqual([spec.typeCode, version]);
      expect(array).toHaveLength(2 + spec.fieldNames.length);
      expect(toHex(bytes)).toBe(toHex(encodeCbor(array)));
    });

    test('round-trips any valid field values (property)', () => {
      fc.assert(
        fc.property(spec.arbitraryFields(signer.publicKey), (fields) => {
          const signed = spec.sign(fields, signer);
          expect(spec.decode(spec.encode(signed))).toEqual(signed);
        }),
        { numRuns: 150 },
      );
    });
  });

  describe(`${spec.name}: signature`, () => {
    test.each(VERIFIERS)('verifies with the %s verifier', (_, verifier) => {
      expect(spec.verify(message, signer.publicKey, verifier)).toBe(true);
    });

    test.each(VERIFIERS)('fails with the %s verifier when made by another key', (_, verifier) => {
      const forged = spec.sign(spec.sampleFields(signer.publicKey), stranger);
      expect(spec.verify(forged, signer.publicKey, verifier)).toBe(false);
    });

    test(`covers "${spec.domain}" ‖ 0x00 ‖ the encoding without the signature`, () => {
      const body = encodeCbor(array.slice(0, -1));
      expect(hostVerifier.verify(message.signature, signedBytes(spec.domain, body), signer.publicKey)).toBe(true);
    });

    test.each(ALL_DOMAINS.filter((domain) => domain !== spec.domain))(
      'never verifies as the same body under "%s"',
      (domain) => {
        const body = encodeCbor(array.slice(0, -1));
        for (const [, verifier] of VERIFIERS) {
          expect(verifier.verify(message.signature, signedBytes(domain, body), signer.publicKey)).toBe(false);
        }
      },
    );

    test('signing refuses fields that a decoder would refuse, and signs nothing', () => {
      const counting = countingSigner(signer);
      expect(() => spec.sign(spec.invalidFields(signer.publicKey), counting)).toThrow(DecodeError);
      expect(counting.calls).toBe(0);
    });

    test('one flipped bit anywhere is refused or fails verification (property)', () => {
      fc.assert(
        fc.property(spec.arbitraryFields(signer.publicKey), fc.nat(), (fields, n) => {
          const encoded = spec.encode(spec.sign(fields, signer));
          const bit = n % (encoded.length * 8);
          const flipped = Uint8Array.from(encoded);
          flipped[bit >> 3] ^= 1 << (bit & 7);
          let decoded: M;
          try {
            decoded = spec.decode(flipped);
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError);
            return;
          }
          expect(spec.verify(decoded, signer.publicKey, hostVerifier)).toBe(false);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe(`${spec.name}: envelope`, () => {
    test('refuses an unknown type code (UnknownType)', () => {
      expectDecodeError(() => decodeValue(replaced(0, 99)), DecodeFailure.UnknownType);
    });

    test('refuses a message of another known type (WrongType)', () => {
      expectDecodeError(() => decodeValue(replaced(0, otherKnownType)), DecodeFailure.WrongType);
    });

    test('refuses an unknown version (UnknownVersion)', () => {
      expectDecodeError(() => decodeValue(replaced(1, unknownVersion)), DecodeFailure.UnknownVersion);
    });

    test('refuses a missing item (WrongLength)', () => {
      expectDecodeError(() => decodeValue(array.slice(0, -1)), DecodeFailure.WrongLength);
    });

    test('refuses an extra item (WrongLength)', () => {
      expectDecodeError(() => decodeValue([...array, 0]), DecodeFailure.WrongLength);
    });

    test('refuses a value that is not an array (WrongType)', () => {
      expectDecodeError(() => decodeValue(spec.typeCode), DecodeFailure.WrongType);
    });

    test('refuses trailing bytes (TrailingBytes)', () => {
      expectDecodeError(() => spec.decode(concatBytes(bytes, Uint8Array.of(0))), DecodeFailure.TrailingBytes);
    });

    test('refuses every truncation (Malformed)', () => {
      for (let length = 0; length < bytes.length; length++) {
        expectDecodeError(() => spec.decode(bytes.slice(0, length)), DecodeFailure.Malformed);
      }
    });
  });

  describe(`${spec.name}: non-canonical spellings (NonCanonical)`, () => {
    test('refuses the array head written with a 1-byte length', () => {
      const encoded = concatBytes(head(4, BigInt(array.length), 1), ...array.map(encodeCbor));
      expectDecodeError(() => spec.decode(encoded), DecodeFailure.NonCanonical);
    });

    test('refuses an indefinite-length array', () => {
      const encoded = spell(new Indefinite(array.map((value) => new Raw(encodeCbor(value)))));
      expectDecodeError(() => spec.decode(encoded), DecodeFailure.NonCanonical);
    });

    const widenable = ['type', 'version', ...spec.fieldNames]
      .map((what, index) => ({ what, index, spelling: widened(array[index]) }))
      .filter((entry): entry is { what: string; index: number; spelling: Wide } => entry.spelling !== null);
    test.each(widenable)('refuses $what written with a longer head', ({ index, spelling }) => {
      expectDecodeError(() => spec.decode(respell(array, index, spelling)), DecodeFailure.NonCanonical);
    });
  });

  describe(`${spec.name}: field values`, () => {
    const errors = [...spec.fieldErrors, ...signatureErrors(array.length - 1)];
    test.each(errors)('refuses $what ($code)', ({ index, value, code }) => {
      expectDecodeError(() => decodeValue(replaced(index, value)), code);
    });

    if (spec.fieldEdges.length > 0) {
      test.each(spec.fieldEdges)('accepts $what', ({ index, value }) => {
        expect(() => decodeValue(replaced(index, value))).not.toThrow();
      });
    }
  });
}
