/**
 * The host ed25519 signer and verifier on node:crypto (OpenSSL): several times faster than the portable
 * one, for the oracle, the simulator and tools. It must agree with proofs/ed25519-portable.ts byte for
 * byte when signing (ed25519 signatures are deterministic, RFC 8032 §5.1.6) and on every accept/reject
 * decision, which tests/proofs/signature-agreement.test.ts checks.
 *
 * OpenSSL already uses the cofactorless equation and compares R byte for byte; the shared encoding
 * rules (proofs/ed25519-rules.ts) run first so that small-order and non-canonical keys are judged the
 * same way on both sides whatever the OpenSSL version.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { assertBytes, encodingViolation, type Signer, type Verifier } from '../../proofs/index.js';

/** PKCS #8 wrapping of a 32-byte Ed25519 seed (RFC 8410 §7): the seed follows these 16 bytes. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url(publicKey) }, format: 'jwk' });
}

/** A Signer over a 32-byte seed, backed by OpenSSL. */
export function createHostSigner(seed: Uint8Array): Signer {
  assertBytes(seed, 32, 'seed');
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const exported = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(exported.subarray(exported.length - 32));
  return {
    publicKey,
    sign: (message: Uint8Array) => new Uint8Array(sign(null, assertBytes(message, undefined, 'message'), privateKey)),
  };
}

/** Verifies under covey's rules with OpenSSL; caches key objects for the hotspots it sees often. */
export class HostVerifier implements Verifier {
  private readonly keys = new Map<string, KeyObject>();

  constructor(private readonly cacheSize = 4096) {}

  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    if (encodingViolation(signature, publicKey) !== null) return false;
    const id = base64url(publicKey);
    let key = this.keys.get(id);
    if (key === undefined) {
      try {
        key = publicKeyObject(publicKey);
      } catch {
        return false; // not a point on the curve
      }
      if (this.keys.size >= this.cacheSize) this.keys.delete(this.keys.keys().next().value as string);
      this.keys.set(id, key);
    }
    return verify(null, message, key, signature);
  }
}
