/**
 * The simulator's caching verifier gives libsodium's answer to every check, real or altered, and asks
 * libsodium again only for what it has not seen in exactly that form.
 */
import fc from 'fast-check';
import type { Verifier } from '../../proofs/index.js';
import { CachingVerifier } from '../../host-sim/sim/verify-cache.js';
import { keyOf } from '../../host-sim/sim/signature-ledger.js';
import { createSodiumSigner, SodiumVerifier } from '../../tools/crypto/sodium-ed25519.js';

/** The real verifier, counting the checks that reach it. */
function counting(): Verifier & { calls: number } {
  const inner = new SodiumVerifier();
  const counter = { calls: 0, verify: (s: Uint8Array, m: Uint8Array, k: Uint8Array) => (counter.calls++, inner.verify(s, m, k)) };
  return counter;
}

const signers = [1, 2, 3].map((n) => createSodiumSigner(new Uint8Array(32).fill(n)));
const messages = [Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4), Uint8Array.of(9)];

describe('CachingVerifier', () => {
  it('checks a beacon heard by many hotspots once', () => {
    const real = counting();
    const verifier = new CachingVerifier(real);
    const signature = signers[0].sign(messages[0]);
    for (let i = 0; i < 5; i++) expect(verifier.verify(signature, messages[0], signers[0].publicKey)).toBe(true);
    expect([real.calls, verifier.hits, verifier.misses]).toEqual([1, 4, 1]);
  });

  it('does not lend an answer to another message, key or signature', () => {
    const real = counting();
    const verifier = new CachingVerifier(real);
    const signature = signers[0].sign(messages[0]);
    expect(verifier.verify(signature, messages[0], signers[0].publicKey)).toBe(true);
    expect(verifier.verify(signature, messages[1], signers[0].publicKey)).toBe(false);
    expect(verifier.verify(signature, messages[0], signers[1].publicKey)).toBe(false);
    const altered = Uint8Array.from(signature);
    altered[0] ^= 1;
    expect(verifier.verify(altered, messages[0], signers[0].publicKey)).toBe(false);
    expect(real.calls).toBe(4);
    // The genuine check answered again, from libsodium (its entry was replaced), and still true.
    expect(verifier.verify(signature, messages[0], signers[0].publicKey)).toBe(true);
    expect(real.calls).toBe(5);
  });

  it('does not lend an answer to a signature filed under the same bits', () => {
    const real = counting();
    const verifier = new CachingVerifier(real);
    const signature = signers[0].sign(messages[0]);
    verifier.file(signature, messages[0], signers[0].publicKey);
    const twin = Uint8Array.from(signature);
    twin[3] ^= 0x80;
    expect(keyOf(twin)).toBe(keyOf(signature));
    expect(verifier.verify(twin, messages[0], signers[0].publicKey)).toBe(false);
    expect(verifier.verify(twin, messages[0], signers[0].publicKey)).toBe(false);
    expect([real.calls, verifier.hits]).toEqual([1, 1]);
    // The twin's answer took the key: the genuine signature is checked for real, and is still good.
    expect(verifier.verify(signature, messages[0], signers[0].publicKey)).toBe(true);
    expect(real.calls).toBe(2);
  });

  it('keeps what it filed from changes to the caller\'s buffers', () => {
    const verifier = new CachingVerifier(counting());
    const message = Uint8Array.from(messages[0]);
    const signature = signers[0].sign(message);
    expect(verifier.verify(signature, message, signers[0].publicKey)).toBe(true);
    message[0] ^= 1;
    expect(verifier.verify(signature, message, signers[0].publicKey)).toBe(false);
  });

  it('answers a signature filed as made without libsodium, and only for that message and key', () => {
    const real = counting();
    const verifier = new CachingVerifier(real);
    const message = Uint8Array.from(messages[0]);
    const signature = signers[0].sign(message);
    verifier.file(signature, message, signers[0].publicKey);
    message[0] ^= 1; // the filer's buffer changes afterwards
    expect(verifier.verify(signature, messages[0], signers[0].publicKey)).toBe(true);
    expect(real.calls).toBe(0);
    expect(verifier.verify(signature, messages[1], signers[0].publicKey)).toBe(false);
    expect(verifier.verify(signature, messages[0], signers[1].publicKey)).toBe(false);
    expect(real.calls).toBe(2);
  });

  it('forgets every answer when asked, and checks again after', () => {
    const real = counting();
    const verifier = new CachingVerifier(real);
    const signature = signers[0].sign(messages[0]);
    expect(verifier.verify(signature, messages[0], signers[0].publicKey)).toBe(true);
    verifier.forget();
    expect(verifier.verify(signature, messages[0], signers[0].publicKey)).toBe(true);
    expect([real.calls, verifier.hits]).toEqual([2, 0]);
  });

  it('answers any sequence of checks as libsodium does', () => {
    const real = new SodiumVerifier();
    const signatures = signers.flatMap((signer) => messages.map((message) => signer.sign(message)));
    const check = fc.record({ signature: fc.nat(signatures.length - 1), message: fc.nat(messages.length - 1), key: fc.nat(signers.length - 1), flip: fc.boolean() });
    fc.assert(fc.property(fc.array(check, { maxLength: 40 }), (checks) => {
      const verifier = new CachingVerifier(real);
      for (const { signature, message, key, flip } of checks) {
        const bytes = Uint8Array.from(signatures[signature]);
        if (flip) bytes[63] ^= 0x40;
        const expected = real.verify(bytes, messages[message], signers[key].publicKey);
        expect(verifier.verify(bytes, messages[message], signers[key].publicKey)).toBe(expected);
      }
      expect(verifier.hits + verifier.misses).toBe(checks.length);
    }), { numRuns: 60 });
  });
});
