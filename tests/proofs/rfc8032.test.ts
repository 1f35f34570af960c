/** RFC 8032 §7.1 Ed25519 test vectors through every signer and verifier covey has. */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import * as nobleEd25519 from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { createPortableSigner, fromHex, publicKeyFromSeed, toHex } from '../../proofs/index.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { VERIFIERS } from '../support/keys.js';
import { readVectors } from '../support/vectors.js';

nobleEd25519.hashes.sha512 = sha512;

interface Rfc8032Vector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}
const { vectors } = readVectors<{ vectors: Rfc8032Vector[] }>('rfc8032-ed25519.json');

const SIGNERS = [
  ['portable', createPortableSigner],
  ['host', createHostSigner],
] as const;

describe.each(vectors)('RFC 8032 $name', (vector) => {
  const [secretKey, publicKey, message, signature] =
    [vector.secretKey, vector.publicKey, vector.message, vector.signature].map(fromHex);

  test.each(SIGNERS)('the %s signer derives the public key', (_, create) => {
    expect(toHex(create(secretKey).publicKey)).toBe(vector.publicKey);
  });

  test.each(SIGNERS)('the %s signer reproduces the signature', (_, create) => {
    expect(toHex(create(secretKey).sign(message))).toBe(vector.signature);
  });

  test.each(VERIFIERS)('the %s verifier accepts it', (_, verifier) => {
    expect(verifier.verify(signature, message, publicKey)).toBe(true);
  });

  test.each(VERIFIERS)('the %s verifier refuses it for a changed message', (_, verifier) => {
    const changed = Uint8Array.from([...message, 0]);
    expect(verifier.verify(signature, changed, publicKey)).toBe(false);
  });

  test('node:crypto accepts it on its own', () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') };
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    expect(nodeVerify(null, message, key, signature)).toBe(true);
  });

  test('@noble/ed25519 agrees on key, signature and verdict', () => {
    expect(toHex(nobleEd25519.getPublicKey(secretKey))).toBe(vector.publicKey);
    expect(toHex(nobleEd25519.sign(message, secretKey))).toBe(vector.signature);
    expect(nobleEd25519.verify(signature, message, publicKey)).toBe(true);
  });

  test('publicKeyFromSeed gives the public key', () => {
    expect(toHex(publicKeyFromSeed(secretKey))).toBe(vector.publicKey);
  });
});

test('the message of TEST SHA(abc) is SHA-512("abc")', () => {
  const abc = vectors.find((vector) => vector.name === 'TEST SHA(abc)');
  expect(abc?.message).toBe(createHash('sha512').update('abc').digest('hex'));
});
