/**
 * XS entry for the bundled dependencies: the device's signer, verifier and digest (proofs/), whose
 * @noble/* imports the test resolves to build/deps as the manifest maps them, not to node_modules.
 */
import { sha256 } from '../../../proofs/digest.js';
import { createPortableSigner, PortableVerifier } from '../../../proofs/ed25519-portable.js';
import { serveCommands } from '../../../tools/xs/entries/serve.js';

function bytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be bytes`);
  return value;
}

serveCommands({
  sign: (args) => {
    const signer = createPortableSigner(bytes(args.seed, 'seed'));
    const message = bytes(args.message, 'message');
    const signature = signer.sign(message);
    return { publicKey: signer.publicKey, signature, verified: new PortableVerifier().verify(signature, message, signer.publicKey) };
  },
  sha256: (args) => sha256(bytes(args.data, 'data')),
});
