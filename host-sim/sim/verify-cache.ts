/**
 * A verifier that remembers its answers. In the simulator every hotspot that hears a beacon checks the
 * beaconer's signature on the same frame, and every hotspot checks the same entropy: the same
 * (signature, message, key) always gets the same answer, so it is worked out once and looked up after
 * that. It cannot change a result, only the time a run takes.
 */
import { createHash } from 'node:crypto';
import type { Verifier } from '../../src/ports.js';

/** Answers kept; the oldest go first beyond this (a beacon is heard within a second of being sent). */
const CAPACITY = 65_536;

export class CachingVerifier implements Verifier {
  private readonly answers = new Map<string, boolean>();
  hits = 0;
  misses = 0;

  constructor(private readonly inner: Verifier) {}

  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    const key = createHash('sha256').update(signature).update(publicKey).update(message).digest('base64');
    const known = this.answers.get(key);
    if (known !== undefined) {
      this.hits++;
      return known;
    }
    this.misses++;
    const answer = this.inner.verify(signature, message, publicKey);
    if (this.answers.size >= CAPACITY) this.answers.delete(this.answers.keys().next().value as string);
    this.answers.set(key, answer);
    return answer;
  }
}
