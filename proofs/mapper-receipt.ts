/**
 * MapperReceipt: a hotspot's signed statement that it heard a mapper uplink, with how well. Hotspots make
 * it exactly as they make a WitnessReceipt for a beacon (witness-receipt.ts), under its own type and
 * signature tag, so that a receipt for a mapper can never be counted as a proof-of-coverage witness.
 *
 * CBOR: [10, 1, uplink: bstr .size 16, rssi: int (0.1 dBm), snr: int (0.1 dB), frequency: uint (Hz),
 *        dataRate: uint, time: uint (ms), signature: bstr .size 64]
 *
 * `beaconDigest` holds the uplink digest: beaconDigest() of the 113-byte frame as received.
 */
import { decodeSigned, encodeSigned, fromValue, signWith, toValue, verifySigned, type Signed } from './envelope.js';
import { MessageType } from './registry.js';
import { SignatureDomain, type Signer, type Verifier } from './signing.js';
import { hearingLayout, type WitnessReceiptFields } from './witness-receipt.js';

export type MapperReceiptFields = WitnessReceiptFields;
export type MapperReceipt = Signed<MapperReceiptFields>;

export const mapperReceiptLayout = hearingLayout(MessageType.MapperReceipt, SignatureDomain.MapperReceipt, 'uplink');

export const signMapperReceipt = (fields: MapperReceiptFields, witness: Signer): MapperReceipt =>
  signWith(mapperReceiptLayout, fields, witness);
export const encodeMapperReceipt = (r: MapperReceipt): Uint8Array => encodeSigned(mapperReceiptLayout, r);
export const decodeMapperReceipt = (bytes: Uint8Array): MapperReceipt => decodeSigned(mapperReceiptLayout, bytes);
export const mapperReceiptToValue = (r: MapperReceipt) => toValue(mapperReceiptLayout, r);
export const mapperReceiptFromValue = (v: unknown): MapperReceipt => fromValue(mapperReceiptLayout, v);
export const verifyMapperReceipt = (r: MapperReceipt, witnessKey: Uint8Array, verifier: Verifier): boolean =>
  verifySigned(mapperReceiptLayout, r, witnessKey, verifier);
