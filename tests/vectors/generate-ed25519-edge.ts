/**
 * Writes tests/vectors/ed25519-edge.json: ed25519 signatures at the edges where implementations
 * disagree (Chalkias, Garillot, Nikolaenko, "Taming the many EdDSAs", SSR 2020; ZIP-215; Wycheproof
 * eddsa_test.json). Host code, run once: `npx tsx tests/vectors/generate-ed25519-edge.ts`.
 *
 * The cases are built with @noble/curves point arithmetic from fixed scalars, so a rerun writes the
 * same file. Each case records covey's verdict (proofs/ed25519-rules.ts: S < L, canonical A and R, no
 * small-order A or R, cofactorless equation), the rule that decides it, and, for documentation, what a
 * ZIP-215 verifier (@noble/ed25519 3.2.0 `verify` with its default options) answers.
 */
import { writeFileSync } from 'node:fs';
import * as nobleEd25519 from '@noble/ed25519';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, toHex } from '../../proofs/index.js';

nobleEd25519.hashes.sha512 = sha512;

type EdPoint = InstanceType<typeof ed25519.Point>;
const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const P = Point.Fp.ORDER;

const toLE = (n: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
};
const fromLE = (bytes: Uint8Array): bigint => {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
};
const hashScalar = (...parts: Uint8Array[]): bigint => fromLE(sha512(concatBytes(...parts))) % L;
const label = (text: string): Uint8Array => new TextEncoder().encode(text);

/** [n]Q for 0 ≤ n < 2L (noble's multiplyUnsafe takes only n < L; the torsion part needs n = L). */
function times(point: EdPoint, n: bigint): EdPoint {
  const reduced = n % L;
  const main = reduced === 0n ? Point.ZERO : point.multiplyUnsafe(reduced);
  return n >= L ? main.add(point.multiplyUnsafe(L - 1n)).add(point) : main;
}

/** A point of order exactly 8: the torsion part [L]Q of some curve point Q. */
function orderEightPoint(): EdPoint {
  for (let y = 2n; ; y++) {
    let candidate: EdPoint;
    try {
      candidate = Point.fromBytes(toLE(y));
    } catch {
      continue; // y is not the y of any curve point
    }
    const torsion = times(candidate, L);
    if (!times(torsion, 4n).is0()) return torsion;
  }
}

const T8 = orderEightPoint();
/** [i]T8 for i = 0..7: the eight points of small order, each with its canonical encoding. */
const SMALL_ORDER = Array.from({ length: 8 }, (_, i) => times(T8, BigInt(i)));
const orderOf = (point: EdPoint): number => [1, 2, 4, 8].find((n) => times(point, BigInt(n)).is0()) ?? 0;

/** Non-canonical encodings of small-order points: x = 0 with the sign bit set, and y ≥ p. */
function withSignBit(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[31] |= 0x80;
  return out;
}
const NON_CANONICAL_SMALL = [
  { name: 'identity, sign bit set (x = -0)', bytes: withSignBit(toLE(1n)) },
  { name: 'order 2 (y = p - 1), sign bit set (x = -0)', bytes: withSignBit(toLE(P - 1n)) },
  { name: 'order 4, y = p (≡ 0)', bytes: toLE(P) },
  { name: 'order 4, y = p (≡ 0), sign bit set', bytes: withSignBit(toLE(P)) },
  { name: 'identity, y = p + 1 (≡ 1)', bytes: toLE(P + 1n) },
  { name: 'identity, y = p + 1 (≡ 1), sign bit set', bytes: withSignBit(toLE(P + 1n)) },
];

/** The y an encoding names, before any reduction mod p (the sign bit cleared). */
const yOf = (bytes: Uint8Array) => fromLE(Uint8Array.from(bytes, (byte, i) => (i === 31 ? byte & 0x7f : byte)));

/** Decodes as a ZIP-215 verifier does (y taken mod p), or null when no point has that y. */
function lenientPoint(bytes: Uint8Array): EdPoint | null {
  try {
    return Point.fromBytes(bytes, true);
  } catch {
    return null;
  }
}

function equations(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) {
  const A = lenientPoint(publicKey);
  const R = lenientPoint(signature.subarray(0, 32));
  const s = fromLE(signature.subarray(32));
  if (A === null || R === null || s >= L) return { cofactorless: false, cofactored: false };
  const k = hashScalar(signature.subarray(0, 32), publicKey, message);
  const difference = times(Point.BASE, s).subtract(times(A, k)).subtract(R);
  return { cofactorless: difference.is0(), cofactored: times(difference, 8n).is0() };
}

/** Signs with secret scalar `a` under any public-key bytes (RFC 8032 §5.1.6 with a chosen nonce). */
function signWithScalar(a: bigint, publicKey: Uint8Array, message: Uint8Array, nonceLabel: string, extraR?: EdPoint) {
  const r = hashScalar(label(nonceLabel), toLE(a), message);
  const R = extraR === undefined ? times(Point.BASE, r) : times(Point.BASE, r).add(extraR);
  const encodedR = R.toBytes();
  const k = hashScalar(encodedR, publicKey, message);
  return concatBytes(encodedR, toLE((r + k * a) % L));
}

/** The first message "<prefix> <n>" for which `accept(message)` holds. */
function findMessage(prefix: string, accept: (message: Uint8Array) => boolean): Uint8Array {
  for (let n = 0; n < 10_000; n++) {
    const message = label(`${prefix} ${n}`);
    if (accept(message)) return message;
  }
  throw new Error(`no message found for ${prefix}`);
}

type CoveyRule =
  | 'non-canonical-s' | 'non-canonical-point' | 'small-order-point' | 'not-a-point' | 'cofactorless-equation' | null;

interface EdgeCase {
  name: string;
  publicKey: string;
  message: string;
  signature: string;
  covey: 'accept' | 'reject';
  /** The first covey rule that rejects, or null when all pass. */
  coveyRule: CoveyRule;
  zip215: 'accept' | 'reject';
  equations: { cofactorless: boolean; cofactored: boolean };
}

const cases: EdgeCase[] = [];

function addCase(name: string, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, rule: CoveyRule) {
  cases.push({
    name,
    publicKey: toHex(publicKey),
    message: toHex(message),
    signature: toHex(signature),
    covey: rule === null ? 'accept' : 'reject',
    coveyRule: rule,
    zip215: nobleEd25519.verify(signature, message, publicKey) ? 'accept' : 'reject',
    equations: equations(publicKey, message, signature),
  });
}

const a = hashScalar(label('covey edge-case secret scalar'));
const A = times(Point.BASE, a).toBytes();

// 1. The baseline: an ordinary valid signature.
const validMessage = label('covey edge case: valid');
const validSignature = signWithScalar(a, A, validMessage, 'valid');
addCase('valid signature', A, validMessage, validSignature, null);

// 2. S + L: the same signature with a non-reduced scalar (malleability, RFC 8032 §5.1.7 step 1).
const s = fromLE(validSignature.subarray(32));
const withS = (scalar: bigint) => concatBytes(validSignature.subarray(0, 32), toLE(scalar));
addCase('S + L (malleated S)', A, validMessage, withS(s + L), 'non-canonical-s');
addCase('S with bit 255 set', A, validMessage, withS(s + (1n << 255n)), 'non-canonical-s');

// 3. Small-order public keys, canonical encodings, with R = -[k]A and S = 0 so that even the
//    cofactorless equation holds: only the small-order rule rejects them.
const ZERO_S = new Uint8Array(32);
/** A message and a signature (R small order, S = 0) for which [0]B - [k]A == R holds. */
function smallOrderKeySignature(publicKey: Uint8Array, point: EdPoint, prefix: string) {
  for (let n = 0; n < 10_000; n++) {
    const message = label(`${prefix} ${n}`);
    for (const R of SMALL_ORDER) {
      const k = hashScalar(R.toBytes(), publicKey, message);
      if (times(point, k).negate().equals(R)) return { message, signature: concatBytes(R.toBytes(), ZERO_S) };
    }
  }
  throw new Error(`no signature found for ${prefix}`);
}
SMALL_ORDER.forEach((point, i) => {
  const publicKey = point.toBytes();
  const { message, signature } = smallOrderKeySignature(publicKey, point, `covey small-order key ${i}`);
  addCase(`small-order A: [${i}]T8, order ${orderOf(point)}`, publicKey, message, signature, 'small-order-point');
});

// 4. The same for non-canonical encodings of small-order points.
for (const { name, bytes } of NON_CANONICAL_SMALL) {
  const point = lenientPoint(bytes);
  if (point === null) throw new Error(`${name} does not decode`);
  const { message, signature } = smallOrderKeySignature(bytes, point, `covey non-canonical key ${name}`);
  const rule = yOf(bytes) >= P ? 'non-canonical-point' : 'small-order-point';
  addCase(`non-canonical A: ${name}`, bytes, message, signature, rule);
}

// 5. Small-order R under a valid key, S = k·a: [S]B - [k]A = identity, so the cofactored equation
//    always holds and the cofactorless one holds only for R = identity.
const smallR = [
  ...SMALL_ORDER.map((point, i) => ({ name: `[${i}]T8, order ${orderOf(point)}`, bytes: point.toBytes() })),
  ...NON_CANONICAL_SMALL.map(({ name, bytes }) => ({ name: `${name} (non-canonical)`, bytes })),
];
for (const { name, bytes } of smallR) {
  const message = label(`covey small-order R ${name.replace(' (non-canonical)', '')}`);
  const k = hashScalar(bytes, A, message);
  const signature = concatBytes(bytes, toLE((k * a) % L));
  const rule = yOf(bytes) >= P ? 'non-canonical-point' : 'small-order-point';
  addCase(`small-order R: ${name}`, A, message, signature, rule);
}

// 6. Mixed-order public key A' = [a]B + T8: [S]B - [k]A' = R - [k]T8. The cofactorless equation
//    holds exactly when 8 divides k; the cofactored one always holds.
const mixedKey = times(Point.BASE, a).add(T8).toBytes();
const kOf = (message: Uint8Array, signature: Uint8Array) => hashScalar(signature.subarray(0, 32), mixedKey, message);
const mixedRejected = findMessage('covey mixed-order key, 8 does not divide k', (m) =>
  kOf(m, signWithScalar(a, mixedKey, m, 'mixed')) % 8n !== 0n);
addCase('mixed-order A = aB + T8, 8 does not divide k', mixedKey, mixedRejected,
  signWithScalar(a, mixedKey, mixedRejected, 'mixed'), 'cofactorless-equation');
const mixedAccepted = findMessage('covey mixed-order key, 8 divides k', (m) =>
  kOf(m, signWithScalar(a, mixedKey, m, 'mixed')) % 8n === 0n);
addCase('mixed-order A = aB + T8, 8 divides k', mixedKey, mixedAccepted,
  signWithScalar(a, mixedKey, mixedAccepted, 'mixed'), null);

// 7. Mixed-order R = [r]B + T8 under a valid key: only the cofactored equation holds.
const mixedRMessage = label('covey mixed-order R');
const mixedRSignature = signWithScalar(a, A, mixedRMessage, 'mixed R', T8);
addCase('mixed-order R = rB + T8', A, mixedRMessage, mixedRSignature, 'cofactorless-equation');

// 8. Encodings that are canonical but name no curve point.
const offCurve = (start: bigint) => {
  for (let y = start; ; y++) if (lenientPoint(toLE(y)) === null) return toLE(y);
};
addCase('A is not on the curve', offCurve(2n), validMessage, validSignature, 'not-a-point');
const offCurveR = concatBytes(offCurve(2n), validSignature.subarray(32));
addCase('R is not on the curve', A, validMessage, offCurveR, 'not-a-point');

// 9. A wrong message under a valid signature.
addCase('valid signature, other message', A, label('covey edge case: other'), validSignature, 'cofactorless-equation');

const file = {
  source:
    'Generated by tests/vectors/generate-ed25519-edge.ts with @noble/curves 2.4.0 point arithmetic from fixed ' +
    'scalars (SHA-512 of fixed labels), in the style of ZIP-215, Wycheproof eddsa_test.json and Chalkias et al., ' +
    '"Taming the many EdDSAs" (SSR 2020). T8 is a point of order 8 found as [L]Q for the first curve point Q ' +
    '(smallest y) with a torsion part of order 8. "covey" is the verdict under proofs/ed25519-rules.ts; ' +
    '"zip215" is what @noble/ed25519 3.2.0 verify() with default options answered, for documentation; ' +
    '"equations" says whether the cofactorless ([S]B - [k]A == R) and cofactored ([8]([S]B - [k]A - R) == 0) ' +
    'equations hold on the points decoded with y mod p (false when a point does not decode or S >= L).',
  cases,
};
writeFileSync(new URL('./ed25519-edge.json', import.meta.url), `${JSON.stringify(file, null, 2)}\n`);
console.log(`wrote ${cases.length} cases`);
