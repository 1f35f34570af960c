/**
 * The portable ed25519 signer and verifier: pure JavaScript (@noble/curves + @noble/hashes), the one
 * the device runs under XS.
 *
 * Memory: noble's default base-point table (a wNAF window of 6 or 8) costs tens of thousands of XS
 * slots, several times the ESP32's whole slot heap (4,928). A window of 1 keeps no table; signing
 * takes longer but the device signs a few times an hour. The figure is measured by
 * `npm run bench -- proofs` (xsSignRetainedSlots) and checked in tests/xs/.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { assertBytes, equalBytes } from './bytes.js';
import { encodingViolation } from './ed25519-rules.js';
import type { Signer, Verifier } from './signing.js';

const Point = ed25519.Point;
const ORDER = Point.Fn.ORDER;
Point.BASE.precompute(1, false);

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}

/** The public key for a 32-byte secret seed (RFC 8032 §5.1.5). */
export function publicKeyFromSeed(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(assertBytes(seed, 32, 'seed'));
}

/**
 * A Signer over a 32-byte seed held in memory. A closure rather than a class with a private field:
 * the seed is unreachable from outside, and no class-field lowering is involved.
 */
export function createPortableSigner(seed: Uint8Array): Signer {
  const secret = Uint8Array.from(assertBytes(seed, 32, 'seed'));
  const publicKey = publicKeyFromSeed(secret);
  return {
    publicKey,
    sign: (message: Uint8Array) => ed25519.sign(assertBytes(message, undefined, 'message'), secret),
  };
}

/**
 * Verifies under covey's rules: encoding checks, then the cofactorless equation
 * encode([S]B − [k]A) == R with k = SHA-512(R ‖ A ‖ M) mod L (RFC 8032 §5.1.7).
 * noble's own verify uses the cofactored equation, which accepts more than node:crypto does.
 */
export class PortableVerifier implements Verifier {
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    if (encodingViolation(signature, publicKey) !== null) return false;
    assertBytes(message, undefined, 'message');
    const encodedR = signature.subarray(0, 32);
    let A;
    try {
      A = Point.fromBytes(publicKey, false);
    } catch {
      return false; // y < p but not on the curve
    }
    const s = littleEndianToBigInt(signature.subarray(32, 64));
    const hash = sha512.create().update(encodedR).update(publicKey).update(message).digest();
    const k = littleEndianToBigInt(hash) % ORDER;
    const candidate = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
    return equalBytes(candidate.toBytes(), encodedR);
  }
}
