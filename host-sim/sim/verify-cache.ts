/**
 * A verifier that remembers its answers. In the simulator every hotspot that hears a beacon checks the
 * beaconer's signature on the same frame, and every hotspot checks the same entropy: the same
 * (signature, message, key) always gets the same answer, so it is worked out once and looked up after
 * that. It cannot change a result, only the time a run takes.
 *
 * Answers are filed under a few bits of the signature (keyOf) and hold the signature, message and key they
 * were for: a lookup compares those bytes (cheaper than hashing them), and anything that differs is
 * checked for real and takes the place of what was filed. A signature can also be filed as valid when it
 * is made (`file`), so that not even the first hotspot to hear a beacon checks it.
 */
import type { Verifier } from '../../src/ports.js';
import { fileUnder, isFor, keyOf, type Signed } from './signature-ledger.js';

/** Answers kept; the oldest go first beyond this (a beacon is heard within a second of being sent). */
const CAPACITY = 65_536;

interface Answer extends Signed {
  readonly valid: boolean;
}

export class CachingVerifier implements Verifier {
  private readonly answers = new Map<number, Answer>();
  hits = 0;
  misses = 0;

  constructor(private readonly inner: Verifier) {}

  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    const key = keyOf(signature);
    const known = this.answers.get(key);
    if (known !== undefined && isFor(known, signature, message, publicKey)) {
      this.hits++;
      return known.valid;
    }
    this.misses++;
    const valid = this.inner.verify(signature, message, publicKey);
    this.keep(key, { signature: signature.slice(), publicKey: publicKey.slice(), message: message.slice(), valid });
    return valid;
  }

  /**
   * Files `signature` as valid for `message` and `publicKey` without checking it: for a signature just made
   * with that key's secret half, which always verifies (signature-ledger.ts files each beacon so).
   */
  file(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): void {
    this.keep(keyOf(signature), { signature: signature.slice(), publicKey: publicKey.slice(), message: message.slice(), valid: true });
  }

  /** Drops every answer kept (the next check of each is made again). */
  forget(): void {
    this.answers.clear();
  }

  /** Files `answer` (its buffers copied already: a caller may reuse its own) in place of any under `key`. */
  private keep(key: number, answer: Answer): void {
    fileUnder(this.answers, key, answer, CAPACITY);
  }
}
