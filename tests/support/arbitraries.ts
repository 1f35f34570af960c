/** fast-check arbitraries for valid message fields, within the ranges of proofs/units.ts. */
import fc from 'fast-check';
import {
  DATA_RATE_CODES, FREQUENCY_HZ, GAIN_DDBI, MAX_TIME_MS, REGION_PATTERN, RSSI_DDBM, signBeacon, SNR_DDB,
  TX_POWER_DDBM, type BeaconFields, type Signer,
} from '../../proofs/index.js';

export const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
export const uint32 = fc.integer({ min: 0, max: 0xffffffff });
export const timeMs = fc.integer({ min: 0, max: MAX_TIME_MS });
export const frequencyHz = fc.integer({ min: FREQUENCY_HZ.min, max: FREQUENCY_HZ.max });
export const dataRate = fc.integer({ min: 0, max: DATA_RATE_CODES - 1 });
export const rssiDdbm = fc.integer({ min: RSSI_DDBM.min, max: RSSI_DDBM.max });
export const snrDdb = fc.integer({ min: SNR_DDB.min, max: SNR_DDB.max });
export const txPowerDdbm = fc.integer({ min: TX_POWER_DDBM.min, max: TX_POWER_DDBM.max });
export const gainDdbi = fc.integer({ min: GAIN_DDBI.min, max: GAIN_DDBI.max });
export const region = fc.stringMatching(REGION_PATTERN);

export function beaconFields(beaconer: Uint8Array): fc.Arbitrary<BeaconFields> {
  return fc.record({ beaconer: fc.constant(beaconer), entropyEpoch: uint32, entropyTag: bytes(4), nonce: bytes(4) });
}

/** A signed beacon frame from `signer`, with arbitrary contents. */
export function beaconFrame(signer: Signer): fc.Arbitrary<Uint8Array> {
  return beaconFields(signer.publicKey).map((fields) => signBeacon(fields, signer).frame);
}
