import { createPortableSigner, toHex } from '../../proofs/index.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';

test('portable and host signers derive the same public key', () => {
  const seed = new Uint8Array(32).fill(5);
  expect(toHex(createPortableSigner(seed).publicKey)).toBe(toHex(createHostSigner(seed).publicKey));
});
