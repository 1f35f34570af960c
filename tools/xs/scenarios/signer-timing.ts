/**
 * Times the device signer (proofs/ed25519-portable.ts) inside covey-xs: each turn makes one signature or
 * verifies the one just made, alternately, timed with the host's performance.now(). The host meters each
 * turn's computation too, so the Node side gets both milliseconds on this host and computrons, which do
 * not depend on the host. Device code.
 */
import { createPortableSigner, PortableVerifier, type Signer } from '../../../proofs/index.js';
import type { MeteredScenario, ScenarioArgs } from './metered-scenario.js';

/** The clock the host provides (covey-xs and Node both have performance.now()). */
function nowMs(): number {
  return (globalThis as unknown as { performance: { now(): number } }).performance.now();
}

const MESSAGE = Uint8Array.from({ length: 120 }, (_, i) => (i * 29 + 7) & 0xff);

export function createSignerTiming(): MeteredScenario {
  let iterations = 10;
  let signer: Signer | undefined;
  const verifier = new PortableVerifier();
  let signature: Uint8Array = new Uint8Array(64);
  const counters = { signatures: 0, verifications: 0, verified: 0 };
  let signMs = 0;
  let verifyMs = 0;
  return {
    prepare(args: ScenarioArgs) {
      const given = args.iterations ?? iterations;
      if (!Number.isInteger(given) || (given as number) < 1) throw new RangeError('iterations must be a positive integer');
      iterations = given as number;
    },
    start() {
      signer = createPortableSigner(new Uint8Array(32).fill(7));
      verifier.verify(signer.sign(MESSAGE), MESSAGE, signer.publicKey); // warm: nothing lazy left in the timed turns
    },
    turn() {
      const own = signer as Signer;
      const startedMs = nowMs();
      if (counters.signatures === counters.verifications) {
        signature = own.sign(MESSAGE);
        signMs += nowMs() - startedMs;
        counters.signatures++;
      } else {
        if (verifier.verify(signature, MESSAGE, own.publicKey)) counters.verified++;
        verifyMs += nowMs() - startedMs;
        counters.verifications++;
      }
      return counters.verifications < iterations;
    },
    counters: () => ({ ...counters }),
    report: () => ({ signMs: signMs / counters.signatures, verifyMs: verifyMs / counters.verifications }),
  };
}
