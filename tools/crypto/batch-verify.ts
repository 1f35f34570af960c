/**
 * Checking many signatures in one call, for verifiers that can (native-ed25519.ts), with every other
 * Verifier checking them one by one: the same answers either way. Kept apart from the native verifier
 * so that code that only hands signatures over (ingest-prepare.ts) does not load it.
 */
import type { Verifier } from '../../proofs/index.js';

/** One signature to check: what Verifier.verify takes. */
export interface SignatureJob {
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** A Verifier that can also check many signatures in one call, with the same answers. */
export interface BatchVerifier extends Verifier {
  verifyMany(jobs: readonly SignatureJob[]): boolean[];
}

/** verifier.verifyMany(jobs) where it has that, else verify() one job at a time. */
export function verifyAll(verifier: Verifier, jobs: readonly SignatureJob[]): boolean[] {
  if ('verifyMany' in verifier && typeof verifier.verifyMany === 'function') return (verifier as BatchVerifier).verifyMany(jobs);
  return jobs.map((job) => verifier.verify(job.signature, job.message, job.publicKey));
}
