/**
 * The portable verifier (device) and the oracle's verifiers must never disagree: a beacon or a
 * receipt that one accepts and the other refuses would split the network. Checked on the edge cases of
 * tests/vectors/ed25519-edge.json and on random keys and messages.
 */
import * as nobleEd25519 from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { createPortableSigner, encodingViolation, fromHex, toHex } from '../../proofs/index.js';
import { createHostSigner, HostVerifier } from '../../tools/crypto/node-ed25519.js';
import { createSodiumSigner } from '../../tools/crypto/sodium-ed25519.js';
import { portableVerifier, signerFor, VERIFIERS } from '../support/keys.js';
import { readVectors } from '../support/vectors.js';

nobleEd25519.hashes.sha512 = sha512;

interface EdgeCase {
  name: string;
  publicKey: string;
  message: string;
  signature: string;
  covey: 'accept' | 'reject';
  coveyRule: string | null;
  zip215: 'accept' | 'reject';
}
const { cases } = readVectors<{ cases: EdgeCase[] }>('ed25519-edge.json');
const ENCODING_RULES = ['non-canonical-s', 'non-canonical-point', 'small-order-point'];
const parsed = (edge: EdgeCase) =>
  ({ key: fromHex(edge.publicKey), message: fromHex(edge.message), signature: fromHex(edge.signature) });
const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('ed25519 edge cases (tests/vectors/ed25519-edge.json)', () => {
  test.each(cases)('$name: every verifier would $covey', (edge) => {
    const { key, message, signature } = parsed(edge);
    const expected = edge.covey === 'accept';
    for (const [name, verifier] of VERIFIERS) expect([name, verifier.verify(signature, message, key)]).toEqual([name, expected]);
  });

  test.each(cases)('$name: the encoding rules answer $coveyRule', (edge) => {
    const { key, signature } = parsed(edge);
    const rule = ENCODING_RULES.includes(edge.coveyRule ?? '') ? edge.coveyRule : null;
    expect(encodingViolation(signature, key)).toBe(rule);
  });

  test.each(cases)('$name: a ZIP-215 verifier (@noble/ed25519) would $zip215', (edge) => {
    const { key, message, signature } = parsed(edge);
    expect(nobleEd25519.verify(signature, message, key)).toBe(edge.zip215 === 'accept');
  });

  test('include cases that a ZIP-215 verifier accepts and covey refuses', () => {
    expect(cases.filter((c) => c.zip215 === 'accept' && c.covey === 'reject').length).toBeGreaterThan(20);
  });
});

describe('host, sodium and portable signers', () => {
  test('derive the same public key and make byte-identical signatures (property)', () => {
    fc.assert(
      fc.property(seed, fc.uint8Array({ maxLength: 300 }), (anySeed, message) => {
        const portable = createPortableSigner(anySeed);
        for (const host of [createHostSigner(anySeed), createSodiumSigner(anySeed)]) {
          expect(toHex(portable.publicKey)).toBe(toHex(host.publicKey));
          expect(toHex(portable.sign(message))).toBe(toHex(host.sign(message)));
        }
      }),
      { numRuns: 100 },
    );
  });

  test.each([
    ['portable', createPortableSigner],
    ['host', createHostSigner],
    ['sodium', createSodiumSigner],
  ] as const)('the %s signer refuses a 31-byte seed with a RangeError', (_, create) => {
    expect(() => create(new Uint8Array(31))).toThrow(RangeError);
  });
});

describe('every verifier (portable, host, sodium, native)', () => {
  const tamper = fc.record({
    part: fc.constantFrom('signature', 'message', 'key', 'none'),
    bit: fc.nat({ max: 511 }),
  });

  test('agree on valid and tampered signatures (property)', () => {
    fc.assert(
      fc.property(seed, fc.uint8Array({ minLength: 1, maxLength: 64 }), tamper,
        (anySeed, message, { part, bit }) => {
          const signer = createHostSigner(anySeed);
          const signature = signer.sign(message);
          const key = Uint8Array.from(signer.publicKey);
          const target = part === 'signature' ? signature : part === 'message' ? message : part === 'key' ? key : null;
          if (target !== null) target[(bit >> 3) % target.length] ^= 1 << (bit & 7);
          const verdict = portableVerifier.verify(signature, message, key);
          for (const [name, verifier] of VERIFIERS) expect([name, verifier.verify(signature, message, key)]).toEqual([name, verdict]);
          expect(verdict).toBe(part === 'none');
        }),
      { numRuns: 200 },
    );
  });

  test('agree on arbitrary bytes posing as key and signature (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (key, signature) => {
          const message = Uint8Array.of(1, 2, 3);
          const verdict = portableVerifier.verify(signature, message, key);
          for (const [name, verifier] of VERIFIERS) expect([name, verifier.verify(signature, message, key)]).toEqual([name, verdict]);
        }),
      { numRuns: 300 },
    );
  });

  test.each(VERIFIERS)('the %s verifier throws RangeError for a 63-byte signature', (_, verifier) => {
    const signer = signerFor('agreement');
    expect(() => verifier.verify(new Uint8Array(63), new Uint8Array(1), signer.publicKey)).toThrow(RangeError);
  });

  test.each(VERIFIERS)('the %s verifier throws RangeError for a 31-byte key', (_, verifier) => {
    expect(() => verifier.verify(new Uint8Array(64), new Uint8Array(1), new Uint8Array(31))).toThrow(RangeError);
  });

  test('the host verifier still verifies when its key cache overflows', () => {
    const verifier = new HostVerifier(1);
    const [a, b] = [signerFor('cache a'), signerFor('cache b')];
    const message = Uint8Array.of(7);
    for (const signer of [a, b, a, b]) {
      expect(verifier.verify(signer.sign(message), message, signer.publicKey)).toBe(true);
    }
    expect(verifier.verify(a.sign(message), message, b.publicKey)).toBe(false);
  });
});
