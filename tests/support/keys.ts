/** Fixed test keys and the verifiers every signature test runs against. */
import { createHash } from 'node:crypto';
import { PortableVerifier, type Signer, type Verifier } from '../../proofs/index.js';
import { createHostSigner, HostVerifier } from '../../tools/crypto/node-ed25519.js';
import { NativeVerifier, verifierInUse } from '../../tools/crypto/native-ed25519.js';
import { SodiumVerifier } from '../../tools/crypto/sodium-ed25519.js';

/** A 32-byte seed derived from a label, so each test names its keys instead of inventing bytes. */
export function seedFor(label: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`covey test seed: ${label}`).digest());
}

/** A host (node:crypto) signer for a labelled seed: fast, and byte-identical to the portable one. */
export function signerFor(label: string): Signer {
  return createHostSigner(seedFor(label));
}

export const portableVerifier = new PortableVerifier();
export const hostVerifier = new HostVerifier();
/** The oracle's fallback verifier (libsodium). */
export const sodiumVerifier = new SodiumVerifier();
/**
 * The oracle's own verifier (tools/crypto/native/), or undefined where the C module is not built;
 * tests/tools/native-ed25519.test.ts fails in CI if it is not.
 */
export const nativeVerifier: Verifier | undefined = verifierInUse().name === 'covey-native' ? new NativeVerifier() : undefined;
export const VERIFIERS: readonly (readonly [string, Verifier])[] = [
  ['portable', portableVerifier],
  ['host', hostVerifier],
  ['sodium', sodiumVerifier],
  ...(nativeVerifier === undefined ? [] : [['native', nativeVerifier] as const]),
];

/** A Signer that counts its calls, to show that nothing was signed. */
export function countingSigner(inner: Signer): Signer & { readonly calls: number } {
  let calls = 0;
  return {
    publicKey: inner.publicKey,
    sign: (message: Uint8Array) => {
      calls++;
      return inner.sign(message);
    },
    get calls() {
      return calls;
    },
  };
}
