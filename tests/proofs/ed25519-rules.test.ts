/** covey's encoding rules (proofs/ed25519-rules.ts), recomputed from the curve with @noble/curves. */
import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { concatBytes, encodingViolation, isAcceptablePublicKey, toHex } from '../../proofs/index.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { signerFor } from '../support/keys.js';

type EdPoint = InstanceType<typeof ed25519.Point>;
const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const P = Point.Fp.ORDER;

const toLE = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const withSignBit = (bytes: Uint8Array) => Uint8Array.from(bytes, (byte, i) => (i === 31 ? byte | 0x80 : byte));

/** [L]Q: the torsion part of Q, since [L] clears the prime-order part. */
const torsionOf = (q: EdPoint) => q.multiplyUnsafe(L - 1n).add(q);

/** A point of order 8, found as the torsion part of the curve point with the smallest suitable y. */
function orderEightPoint(): EdPoint {
  for (let y = 2n; ; y++) {
    let q: EdPoint;
    try {
      q = Point.fromBytes(toLE(y));
    } catch {
      continue;
    }
    const t = torsionOf(q);
    if (!t.double().double().is0()) return t;
  }
}

const T8 = orderEightPoint();
const SMALL_ORDER: EdPoint[] = [Point.ZERO];
for (let i = 1; i < 8; i++) SMALL_ORDER.push(SMALL_ORDER[i - 1].add(T8));
const ENCODINGS = SMALL_ORDER.map((point) => point.toBytes());

const signer = signerFor('rules');
const message = Uint8Array.of(1, 2, 3);
const signature = signer.sign(message);
const withS = (s: bigint) => concatBytes(signature.subarray(0, 32), toLE(s));

describe('the eight points of small order, recomputed', () => {
  test('are eight distinct points with eight distinct canonical encodings', () => {
    expect(new Set(ENCODINGS.map(toHex)).size).toBe(8);
  });

  test('each has order 1, 2, 4 or 8, and noble calls each small-order', () => {
    for (const point of SMALL_ORDER) {
      expect(point.multiplyUnsafe(8n).is0()).toBe(true);
      expect(point.isSmallOrder()).toBe(true);
    }
  });

  const numbered = ENCODINGS.map((bytes, i) => [i, bytes] as const);

  test.each(numbered)('[%i]T8 is refused as a public key', (_, bytes) => {
    expect(isAcceptablePublicKey(bytes)).toBe(false);
    expect(encodingViolation(signature, bytes)).toBe('small-order-point');
  });

  test.each(numbered)('[%i]T8 is refused as R', (_, bytes) => {
    expect(encodingViolation(concatBytes(bytes, signature.subarray(32)), signer.publicKey)).toBe('small-order-point');
  });

  test.each(numbered)('[%i]T8 with the sign bit set is refused as a public key', (_, bytes) => {
    expect(isAcceptablePublicKey(withSignBit(bytes))).toBe(false);
  });
});

describe('public keys', () => {
  test('every key made from a seed is acceptable, and its signatures pass the encoding rules (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const host = createHostSigner(seed);
        expect(isAcceptablePublicKey(host.publicKey)).toBe(true);
        expect(encodingViolation(host.sign(message), host.publicKey)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  test('a mixed-order key (valid key plus T8) is acceptable: only small-order keys are blocked', () => {
    const mixed = Point.fromBytes(signer.publicKey).add(T8).toBytes();
    expect(isAcceptablePublicKey(mixed)).toBe(true);
  });

  test.each([
    ['y = p', toLE(P)],
    ['y = p + 1', toLE(P + 1n)],
    ['y = 2^255 - 1', toLE((1n << 255n) - 1n)],
  ])('%s is refused as non-canonical', (_, bytes) => {
    expect(encodingViolation(signature, bytes)).toBe('non-canonical-point');
    expect(encodingViolation(concatBytes(bytes, signature.subarray(32)), signer.publicKey)).toBe('non-canonical-point');
  });

  test('y = p - 2 passes the encoding rules (whether it is a curve point is for the equation)', () => {
    expect(encodingViolation(signature, toLE(P - 2n))).toBeNull();
  });

  test('isAcceptablePublicKey is false for a 31-byte key and for something that is not bytes', () => {
    expect(isAcceptablePublicKey(new Uint8Array(31))).toBe(false);
    expect(isAcceptablePublicKey([...signer.publicKey] as unknown as Uint8Array)).toBe(false);
  });
});

describe('the scalar S', () => {
  test.each([
    ['S = 0', 0n],
    ['S = L - 1', L - 1n],
  ])('%s passes', (_, s) => {
    expect(encodingViolation(withS(s), signer.publicKey)).toBeNull();
  });

  test.each([
    ['S = L', L],
    ['S = L + 1', L + 1n],
    ['S = 2^256 - 1', (1n << 256n) - 1n],
  ])('%s is refused as non-canonical', (_, s) => {
    expect(encodingViolation(withS(s), signer.publicKey)).toBe('non-canonical-s');
  });

  test('is checked before the points', () => {
    expect(encodingViolation(withS(L), ENCODINGS[0])).toBe('non-canonical-s');
  });
});

describe('encodingViolation input checks', () => {
  test('throws RangeError for a 63-byte signature', () => {
    expect(() => encodingViolation(new Uint8Array(63), signer.publicKey)).toThrow(RangeError);
  });

  test('throws TypeError for a key that is not a Uint8Array', () => {
    expect(() => encodingViolation(signature, [...signer.publicKey] as unknown as Uint8Array)).toThrow(TypeError);
  });
});
