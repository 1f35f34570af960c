/**
 * Entropy: 32 unpredictable bytes the oracle publishes, signed, every ENTROPY_PERIOD_MS. A beacon
 * quotes the epoch and the first bytes of its entropy, which proves the beacon was made after the
 * entropy existed; the oracle rejects beacons whose entropy is older than its lifespan (poc.md §3:
 * Helium allowed 180 s).
 *
 * CBOR: [1, 1, epoch: uint32, data: bstr .size 32, time: uint (ms), signature: bstr .size 64]
 */
import { readBytes, readInt } from './fields.js';
import {
  decodeSigned, encodeSigned, signWith, verifySigned, type Signed, type SignedLayout,
} from './envelope.js';
import { MessageType } from './registry.js';
import { SignatureDomain, type Signer, type Verifier } from './signing.js';
import { readTime } from './units.js';

export const ENTROPY_BYTES = 32;
/** How often the oracle publishes fresh entropy. */
export const ENTROPY_PERIOD_MS = 60_000;

export interface EntropyFields {
  /** The oracle's counter, one per period: floor(time / ENTROPY_PERIOD_MS). */
  readonly epoch: number;
  readonly data: Uint8Array;
  /** When this entropy became valid, ms since the Unix epoch. */
  readonly timeMs: number;
}
export type Entropy = Signed<EntropyFields>;

const layout: SignedLayout<EntropyFields> = {
  type: MessageType.Entropy,
  domain: SignatureDomain.Entropy,
  fieldCount: 3,
  toFields: (m) => [m.epoch, m.data, m.timeMs],
  fromFields: (f) => ({
    epoch: readInt(f[0], 'epoch', 0, 0xffffffff),
    data: readBytes(f[1], 'data', ENTROPY_BYTES),
    timeMs: readTime(f[2], 'time'),
  }),
};

/** The entropy epoch that covers `timeMs`. */
export function entropyEpochAt(timeMs: number): number {
  return Math.floor(timeMs / ENTROPY_PERIOD_MS);
}

export const signEntropy = (fields: EntropyFields, oracle: Signer): Entropy => signWith(layout, fields, oracle);
export const encodeEntropy = (entropy: Entropy): Uint8Array => encodeSigned(layout, entropy);
export const decodeEntropy = (bytes: Uint8Array): Entropy => decodeSigned(layout, bytes);
export const verifyEntropy = (entropy: Entropy, oracleKey: Uint8Array, verifier: Verifier): boolean =>
  verifySigned(layout, entropy, oracleKey, verifier);
export { layout as entropyLayout };
