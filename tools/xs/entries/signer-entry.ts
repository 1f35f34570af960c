/**
 * XS entry that loads only the portable signer (proofs/ed25519-portable.ts and what it imports), so
 * that the slot count after loading it is the signer's own import cost and anything a signature leaves
 * behind shows up as the difference after one `sign`.
 *
 * Seeds come from the host: xsnap-worker has no crypto.getRandomValues, and the device injects its Rng.
 */
import { createPortableSigner, PortableVerifier } from '../../../proofs/ed25519-portable.js';
import { serveCommands } from './serve.js';

declare const performance: { now(): number };

function seedOf(args: Readonly<Record<string, unknown>>): Uint8Array {
  if (!(args.seed instanceof Uint8Array)) throw new TypeError('seed must be bytes');
  return args.seed;
}

/** A distinct 64-byte message per iteration, so no run can reuse an earlier result. */
function messageFor(index: number): Uint8Array {
  const message = new Uint8Array(64);
  for (let i = 0; i < message.length; i++) message[i] = (index * 31 + i) & 0xff;
  return message;
}

serveCommands({
  /** Creates a signer (one base-point multiply) and makes one signature: the memory probe. */
  sign: (args) => {
    if (!(args.message instanceof Uint8Array)) throw new TypeError('message must be bytes');
    const signer = createPortableSigner(seedOf(args));
    return { publicKey: signer.publicKey, signature: signer.sign(args.message) };
  },
  /** Mean wall-clock ms per sign and per verify over `count` of each, timed inside XS. */
  time: (args) => {
    const count = Number(args.count);
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
    const signer = createPortableSigner(seedOf(args));
    const verifier = new PortableVerifier();
    const signatures: Uint8Array[] = [];
    const signStart = performance.now();
    for (let i = 0; i < count; i++) signatures.push(signer.sign(messageFor(i)));
    const verifyStart = performance.now();
    let verified = 0;
    for (let i = 0; i < count; i++) if (verifier.verify(signatures[i], messageFor(i), signer.publicKey)) verified++;
    const end = performance.now();
    return { signMs: (verifyStart - signStart) / count, verifyMs: (end - verifyStart) / count, verified };
  },
});
