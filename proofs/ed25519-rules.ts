/**
 * The signature acceptance rules every covey verifier applies, on the device and in the oracle.
 *
 * Ed25519 implementations disagree at the edges (Chalkias et al., "Taming the many EdDSAs", 2020):
 * ZIP-215 verifiers (noble's default) accept non-canonical point encodings and use the cofactored
 * equation; OpenSSL uses the cofactorless one. A device and the oracle must never disagree about a
 * beacon or a receipt, so covey fixes one rule set and checks the encodings itself before any
 * library sees the signature:
 *
 *   1. S is canonical: S < L (RFC 8032 §5.1.7 step 1). Rejects malleated signatures.
 *   2. A and R are canonical encodings: y < p (RFC 8032 §5.1.3 step 1).
 *   3. Neither A nor R is one of the eight points of small order.
 *   4. The cofactorless equation holds: encode([S]B − [k]A) == R, byte for byte.
 *
 * Rules 1–3 are cheap byte comparisons and live here; rule 4 is the verifier's job (node:crypto does
 * exactly this; the portable verifier does it with noble's point arithmetic).
 */
import { assertBytes } from './bytes.js';

/** Why a signature fails the encoding rules, or null if it passes them. */
export type EncodingViolation = 'non-canonical-s' | 'non-canonical-point' | 'small-order-point' | null;

// Little-endian 32-byte constants.
// L = 2^252 + 27742317777372353535851937790883648493, the order of the base point (RFC 8032 §5.1).
const L_LE = hexLE('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
// p = 2^255 − 19.
const P_LE = hexLE('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');

// y coordinates (sign bit clear) of the eight small-order points; each y holds two of them (±x),
// except y = 1 (identity) and y = p − 1 (order 2). Computed as the multiples of an order-8 point;
// tests/proofs/ed25519-rules.test.ts recomputes them with noble's point arithmetic.
const SMALL_ORDER_Y = [
  hexLE('0100000000000000000000000000000000000000000000000000000000000000'),
  hexLE('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
  hexLE('0000000000000000000000000000000000000000000000000000000000000000'),
  hexLE('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'),
  hexLE('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'),
];

function hexLE(hex: string): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Compares two 32-byte little-endian numbers; `mask` clears the top bit of `a` first. */
function lessThanLE(a: Uint8Array, offset: number, b: Uint8Array, maskTopBit: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    const ai = i === 31 && maskTopBit ? a[offset + i] & 0x7f : a[offset + i];
    if (ai !== b[i]) return ai < b[i];
  }
  return false;
}

function sameY(a: Uint8Array, offset: number, y: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const ai = i === 31 ? a[offset + i] & 0x7f : a[offset + i];
    if (ai !== y[i]) return false;
  }
  return true;
}

function pointViolation(bytes: Uint8Array, offset: number): EncodingViolation {
  if (!lessThanLE(bytes, offset, P_LE, true)) return 'non-canonical-point';
  for (const y of SMALL_ORDER_Y) if (sameY(bytes, offset, y)) return 'small-order-point';
  return null;
}

/** Applies rules 1–3 to a 64-byte signature and a 32-byte public key. */
export function encodingViolation(signature: Uint8Array, publicKey: Uint8Array): EncodingViolation {
  assertBytes(signature, 64, 'signature');
  assertBytes(publicKey, 32, 'publicKey');
  if (!lessThanLE(signature, 32, L_LE, false)) return 'non-canonical-s';
  return pointViolation(publicKey, 0) ?? pointViolation(signature, 0);
}

/** True when a public key could ever pass rules 2 and 3 (used when a key is registered). */
export function isAcceptablePublicKey(publicKey: Uint8Array): boolean {
  return publicKey instanceof Uint8Array && publicKey.length === 32 && pointViolation(publicKey, 0) === null;
}
