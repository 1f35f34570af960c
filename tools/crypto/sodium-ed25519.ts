/**
 * ed25519 on libsodium (sodium-native): the oracle's verifier, and the simulator's signer. On this project's machines libsodium
 * verifies about twice as fast as OpenSSL 3 through node:crypto (about 25,000 against 12,000 per second
 * on one core), and the oracle verifies every uploaded item once, so this is its bottleneck.
 *
 * libsodium's crypto_sign_verify_detached uses the cofactorless equation and compares R byte for byte;
 * covey's encoding rules (proofs/ed25519-rules.ts) run first, so the accept/reject decision is the same as
 * the portable and node:crypto verifiers' on every input (tests/proofs/signature-agreement.test.ts).
 */
import sodium from 'sodium-native';
import { assertBytes, encodingViolation, type Signer, type Verifier } from '../../proofs/index.js';

export class SodiumVerifier implements Verifier {
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    if (encodingViolation(signature, publicKey) !== null) return false;
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  }
}

/**
 * A Signer over a 32-byte seed on libsodium: the simulator's hotspots sign with it, several times
 * faster than the portable signer. ed25519 signatures are deterministic (RFC 8032 §5.1.6), so it signs
 * byte for byte as the device does (tests/proofs/signature-agreement.test.ts).
 */
export function createSodiumSigner(seed: Uint8Array): Signer {
  assertBytes(seed, 32, 'seed');
  const publicKey = new Uint8Array(32);
  const secretKey = new Uint8Array(64);
  sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed);
  return {
    publicKey,
    sign: (message: Uint8Array) => {
      const signature = new Uint8Array(64);
      sodium.crypto_sign_detached(signature, assertBytes(message, undefined, 'message'), secretKey);
      return signature;
    },
  };
}
