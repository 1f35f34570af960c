/**
 * XS entry for the memory probe's control: @noble/ed25519 3.x as shipped, which builds its W=8
 * base-point table (4,224 points) on the first signature. The probe must see that table, or a low
 * figure for covey's signer would prove nothing. Device code: no Node built-ins.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { serveCommands } from '../../../tools/xs/entries/serve.js';

// noble's default hash is async (crypto.subtle), which XS lacks; the sync one is required here.
ed.hashes.sha512 = sha512;

serveCommands({
  sign: (args) => {
    const seed = args.seed as Uint8Array;
    return { publicKey: ed.getPublicKey(seed), signature: ed.sign(args.message as Uint8Array, seed) };
  },
});
