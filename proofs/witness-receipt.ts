/**
 * WitnessReceipt: a hotspot's signed statement that it heard a beacon, with how well.
 *
 * CBOR: [4, 1, beacon: bstr .size 16, rssi: int (0.1 dBm), snr: int (0.1 dB), frequency: uint (Hz),
 *        dataRate: uint, time: uint (ms), signature: bstr .size 64]
 *
 * The witness's key is not in the receipt: receipts travel in an UploadBatch that names its uploader
 * once, and a hotspot uploads only its own receipts. The signature is made with that key, so a receipt
 * and its batch's key verify on their own. With realistic values a receipt is 106 bytes (bench).
 */
import { BEACON_DIGEST_BYTES } from './digest.js';
import { readBytes } from './fields.js';
import {
  decodeSigned, encodeSigned, fromValue, signWith, toValue, verifySigned, type Signed, type SignedLayout,
} from './envelope.js';
import { MessageType } from './registry.js';
import { SignatureDomain, type Signer, type Verifier } from './signing.js';
import { readDataRate, readFrequency, readRssi, readSnr, readTime } from './units.js';

export interface WitnessReceiptFields {
  /** beaconDigest() of the frame as received. */
  readonly beaconDigest: Uint8Array;
  /** Packet RSSI in 0.1 dBm. */
  readonly rssiDdbm: number;
  /** Packet SNR in 0.1 dB. */
  readonly snrDdb: number;
  /** The frequency received on, Hz (the channel plus the chip's measured frequency error). */
  readonly frequencyHz: number;
  readonly dataRate: number;
  /** When the frame was received (RxDone), ms since the Unix epoch. */
  readonly timeMs: number;
}
export type WitnessReceipt = Signed<WitnessReceiptFields>;

/**
 * The layout of a signed hearing: a WitnessReceipt (a beacon heard) and a MapperReceipt (a mapper
 * uplink heard, mapper-receipt.ts) carry the same fields under their own type and signature tag.
 */
export function hearingLayout(type: MessageType, domain: SignatureDomain, frameName: string): SignedLayout<WitnessReceiptFields> {
  return {
    type,
    domain,
    fieldCount: 6,
    toFields: (m) => [m.beaconDigest, m.rssiDdbm, m.snrDdb, m.frequencyHz, m.dataRate, m.timeMs],
    fromFields: (f) => ({
      beaconDigest: readBytes(f[0], frameName, BEACON_DIGEST_BYTES),
      rssiDdbm: readRssi(f[1]),
      snrDdb: readSnr(f[2]),
      frequencyHz: readFrequency(f[3]),
      dataRate: readDataRate(f[4]),
      timeMs: readTime(f[5]),
    }),
  };
}

export const witnessReceiptLayout = hearingLayout(MessageType.WitnessReceipt, SignatureDomain.WitnessReceipt, 'beacon');

export const signWitnessReceipt = (fields: WitnessReceiptFields, witness: Signer): WitnessReceipt =>
  signWith(witnessReceiptLayout, fields, witness);
export const encodeWitnessReceipt = (r: WitnessReceipt): Uint8Array => encodeSigned(witnessReceiptLayout, r);
export const decodeWitnessReceipt = (bytes: Uint8Array): WitnessReceipt => decodeSigned(witnessReceiptLayout, bytes);
export const witnessReceiptToValue = (r: WitnessReceipt) => toValue(witnessReceiptLayout, r);
export const witnessReceiptFromValue = (v: unknown): WitnessReceipt => fromValue(witnessReceiptLayout, v);
export const verifyWitnessReceipt = (r: WitnessReceipt, witnessKey: Uint8Array, verifier: Verifier): boolean =>
  verifySigned(witnessReceiptLayout, r, witnessKey, verifier);
