/**
 * XS entry that loads the whole protocol core (proofs/index.ts: codec, messages, signer) and serves the
 * memory probe's `sign` command by doing what a witness does once per beacon heard: sign a witness
 * receipt and encode it. Its figures are the protocol core's import cost and what a first receipt
 * leaves behind (slot counts do not include the chunk heap: BigInt digits, buffer bodies).
 */
import { beaconDigest, createPortableSigner, encodeWitnessReceipt, signWitnessReceipt } from '../../../proofs/index.js';
import { serveCommands } from './serve.js';

serveCommands({
  sign: (args) => {
    if (!(args.seed instanceof Uint8Array) || !(args.message instanceof Uint8Array)) {
      throw new TypeError('seed and message must be bytes');
    }
    const signer = createPortableSigner(args.seed);
    const receipt = signWitnessReceipt(
      {
        beaconDigest: beaconDigest(args.message),
        rssiDdbm: -1200,
        snrDdb: -125,
        frequencyHz: 868_100_000,
        dataRate: 0,
        timeMs: 1_795_000_000_000,
      },
      signer,
    );
    encodeWitnessReceipt(receipt);
    return { publicKey: signer.publicKey, signature: receipt.signature };
  },
});
