/**
 * Signature verdicts for `covey inspect`. A signature is valid, INVALID, or not checked because the key
 * it needs is not in the message and was not given.
 */
import {
  equalBytes, hotspotAddress, Reason, reasonName, reportedBeacon, verifyBatchItem, verifyBeacon,
  type BatchItem, type Verifier,
} from '../proofs/index.js';

export type Verdict = 'valid' | 'invalid' | 'unchecked';

export interface SignatureCheck {
  /** What was signed, e.g. "witness receipt" or "items[0] beacon report". */
  readonly what: string;
  /** The key checked against; absent when none was available. */
  readonly signer?: Uint8Array;
  readonly verdict: Verdict;
  /** Why it is INVALID or unchecked. */
  readonly detail?: string;
}

/** Checks one signature with `key`, or records that it could not be checked. */
export function checkSignature(
  what: string,
  key: Uint8Array | undefined,
  verify: (key: Uint8Array) => boolean,
  missing = 'no key',
): SignatureCheck {
  if (key === undefined) return { what, verdict: 'unchecked', detail: missing };
  return { what, signer: key, verdict: verify(key) ? 'valid' : 'invalid' };
}

/**
 * When the caller names the key they expect (--key) and the message names its own signer, a valid
 * signature by somebody else is still not what was asked about: record the comparison as a check.
 */
export function expectSigner(
  checks: SignatureCheck[],
  role: string,
  actual: Uint8Array,
  expected: Uint8Array | undefined,
): void {
  if (expected === undefined) return;
  const what = `${role} matches --key`;
  if (equalBytes(actual, expected)) checks.push({ what, verdict: 'valid' });
  else checks.push({ what, verdict: 'invalid', detail: `${role} is ${hotspotAddress(actual)}` });
}

/**
 * An item of an UploadBatch is signed by the batch's uploader (batch.ts verifyBatchItem); a beacon
 * report also carries the beacon frame with its own signature.
 */
export function checkBatchItem(
  label: string,
  uploader: Uint8Array,
  item: BatchItem,
  verifier: Verifier,
): SignatureCheck[] {
  const what = `${label} ${item.kind === 'witness' ? 'witness receipt' : 'beacon report'}`;
  const reason = verifyBatchItem(uploader, item, verifier);
  const checks: SignatureCheck[] = [
    reason === Reason.none
      ? { what, signer: uploader, verdict: 'valid' }
      : { what, signer: uploader, verdict: 'invalid', detail: reasonName(reason) },
  ];
  if (item.kind === 'beacon') {
    const beacon = reportedBeacon(item.report);
    checks.push({
      what: `${label} beacon in the report`,
      signer: beacon.beaconer,
      verdict: verifyBeacon(beacon, verifier) ? 'valid' : 'invalid',
    });
  }
  return checks;
}

/** True when nothing is wrong: no signature INVALID and no part unreadable. Unchecked is not wrong. */
export function isSound(description: {
  readonly signatures: readonly SignatureCheck[];
  readonly problems: readonly string[];
}): boolean {
  return description.problems.length === 0 && description.signatures.every((s) => s.verdict !== 'invalid');
}
