/**
 * The portable signer's cost inside XS: slots its modules hold once loaded, slots one signature leaves
 * behind, and time per sign and verify. Used by tests/xs/signer-memory.test.ts and by the benchmarks.
 *
 * Slot counts are XS's `currentHeapCount` after `gc()`: 16-byte slots, the unit of the ESP32's
 * 4,928-slot heap. They leave out the chunk heap (BigInt digits, string and buffer bodies). On a device
 * the modules are preloaded into flash, so the import figure is an upper bound for RAM; what a
 * signature retains is RAM on any build. Each reading includes the one slot that xsnap-worker keeps per
 * evaluated script (XsWorker.collectGarbage), so an ideal signer reads 1 or 2, not 0.
 */
import { fileURLToPath } from 'node:url';
import { withXsWorker, type XsWorker } from './xs-runner.js';

/** The entry that loads the signer and nothing else. */
export const SIGNER_ENTRY = fileURLToPath(new URL('./entries/signer-entry.ts', import.meta.url));

/** The entry that loads all of proofs/ and signs and encodes one witness receipt. */
export const RECEIPT_ENTRY = fileURLToPath(new URL('./entries/receipt-entry.ts', import.meta.url));

/** The entry that loads only the CBOR codec and encodes and decodes once. */
export const CBOR_ENTRY = fileURLToPath(new URL('./entries/cbor-entry.ts', import.meta.url));

/** A fixed seed and message: the figures must not depend on the run. */
export const PROBE_SEED = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
export const PROBE_MESSAGE = Uint8Array.from({ length: 64 }, (_, i) => 255 - i);

export interface XsSignerMemory {
  /** Live slots in a worker that has loaded nothing. */
  readonly emptySlots: number;
  /** Live slots once the signer's modules are loaded: the baseline. */
  readonly loadedSlots: number;
  /** Live slots after creating a signer and making one signature. */
  readonly afterSignSlots: number;
  /** loadedSlots − emptySlots. */
  readonly importSlots: number;
  /** afterSignSlots − loadedSlots: lazily built tables and caches that a signature leaves behind. */
  readonly retainedSlots: number;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface XsSignerFigures {
  readonly xsSignerImportSlots: number;
  readonly xsSignRetainedSlots: number;
  /** Mean wall-clock ms per signature, timed inside XS with performance.now(). */
  readonly xsSignMs: number;
  /** Mean wall-clock ms per verification, timed the same way. */
  readonly xsVerifyMs: number;
}

/**
 * Measures memory in `worker`, which must be fresh: nothing loaded, nothing signed. A signer must not
 * have signed before the baseline is read, or a lazily built table would hide inside it. `entry` must
 * serve a `sign({seed, message})` command that creates its signer and signs once, as SIGNER_ENTRY does.
 */
export async function measureSignerMemoryIn(worker: XsWorker, entry = SIGNER_ENTRY): Promise<XsSignerMemory> {
  const emptySlots = (await worker.collectGarbage()).currentHeapCount;
  await worker.load(entry);
  const loadedSlots = (await worker.collectGarbage()).currentHeapCount;
  const { value } = await worker.call<{ publicKey: Uint8Array; signature: Uint8Array }>('sign', {
    seed: PROBE_SEED,
    message: PROBE_MESSAGE,
  });
  const afterSignSlots = (await worker.collectGarbage()).currentHeapCount;
  return {
    emptySlots,
    loadedSlots,
    afterSignSlots,
    importSlots: loadedSlots - emptySlots,
    retainedSlots: afterSignSlots - loadedSlots,
    ...value,
  };
}

/** Memory figures from a fresh worker. */
export function measureSignerMemory(entry = SIGNER_ENTRY): Promise<XsSignerMemory> {
  return withXsWorker((worker) => measureSignerMemoryIn(worker, entry), { name: 'covey-xs-signer-memory' });
}

/**
 * All figures, from one fresh worker: memory first (it needs a worker that has never signed), then
 * `iterations` signatures and as many verifications, timed inside XS so that neither bundling nor the
 * pipe to the worker is counted. XS here runs on the host CPU: the times compare builds, not devices.
 */
export function measureXsSigner(iterations = 10): Promise<XsSignerFigures> {
  return withXsWorker(
    async (worker) => {
      const memory = await measureSignerMemoryIn(worker);
      const { value } = await worker.call<{ signMs: number; verifyMs: number; verified: number }>('time', {
        seed: PROBE_SEED,
        count: iterations,
      });
      if (value.verified !== iterations) throw new Error(`only ${value.verified}/${iterations} signatures verified in XS`);
      return {
        xsSignerImportSlots: memory.importSlots,
        xsSignRetainedSlots: memory.retainedSlots,
        xsSignMs: value.signMs,
        xsVerifyMs: value.verifyMs,
      };
    },
    { name: 'covey-xs-signer' },
  );
}
