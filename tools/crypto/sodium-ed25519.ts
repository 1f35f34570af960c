/**
 * The oracle's ed25519 verifier, on libsodium (sodium-native). On this project's machines libsodium
 * verifies about twice as fast as OpenSSL 3 through node:crypto (about 25,000 against 12,000 per second
 * on one core), and the oracle verifies every uploaded item once, so this is its bottleneck.
 *
 * libsodium's crypto_sign_verify_detached uses the cofactorless equation and compares R byte for byte;
 * covey's encoding rules (proofs/ed25519-rules.ts) run first, so the accept/reject decision is the same as
 * the portable and node:crypto verifiers' on every input (tests/proofs/signature-agreement.test.ts).
 */
import sodium from 'sodium-native';
import { encodingViolation, type Verifier } from '../../proofs/index.js';

export class SodiumVerifier implements Verifier {
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    if (encodingViolation(signature, publicKey) !== null) return false;
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  }
}
