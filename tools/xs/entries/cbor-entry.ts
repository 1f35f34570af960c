/**
 * XS entry that loads only the CBOR codec (proofs/cbor.ts and proofs/cbor-subset.ts) and serves the memory probe's
 * `sign` command with one encode and one strict decode, so the codec's own import cost can be told apart
 * from the signer's.
 */
import { decodeCbor, encodeCbor } from '../../../proofs/cbor.js';
import { serveCommands } from './serve.js';

serveCommands({
  sign: (args) => {
    if (!(args.message instanceof Uint8Array)) throw new TypeError('message must be bytes');
    const encoded = encodeCbor([4, 1, args.message, -1200, 1_795_000_000_000]);
    decodeCbor(encoded);
    return { publicKey: encoded, signature: encoded };
  },
});
