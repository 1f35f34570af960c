import fc from 'fast-check';
import {
  decodeWitnessReceipt, DecodeFailure, encodeWitnessReceipt, MAX_TIME_MS, SignatureDomain, signWitnessReceipt,
  verifyWitnessReceipt, type WitnessReceipt, type WitnessReceiptFields,
} from '../../proofs/index.js';
import { bytes, dataRate, frequencyHz, rssiDdbm, snrDdb, timeMs } from '../support/arbitraries.js';
import { describeSignedMessage } from '../support/signed-message-suite.js';

/** Heard at −120.0 dBm, SNR −12.5 dB, on 868.1 MHz at SF12BW125, 2026-03-14T12:00:23.872Z. */
const sample = (): WitnessReceiptFields => ({
  beaconDigest: new Uint8Array(16).fill(0x3c),
  rssiDdbm: -1200,
  snrDdb: -125,
  frequencyHz: 868_100_000,
  dataRate: 0,
  timeMs: Date.UTC(2026, 2, 14, 12, 0, 23, 872),
});

describeSignedMessage<WitnessReceiptFields, WitnessReceipt>({
  name: 'WitnessReceipt',
  typeCode: 4,
  domain: SignatureDomain.WitnessReceipt,
  fieldNames: ['beacon', 'rssi', 'snr', 'frequency', 'dataRate', 'time', 'signature'],
  sampleFields: sample,
  arbitraryFields: () =>
    fc.record({ beaconDigest: bytes(16), rssiDdbm, snrDdb, frequencyHz, dataRate, timeMs }),
  invalidFields: () => ({ ...sample(), rssiDdbm: -3000 }),
  sign: signWitnessReceipt,
  encode: encodeWitnessReceipt,
  decode: decodeWitnessReceipt,
  verify: verifyWitnessReceipt,
  toArray: (r) => [4, 1, r.beaconDigest, r.rssiDdbm, r.snrDdb, r.frequencyHz, r.dataRate, r.timeMs, r.signature],
  fieldErrors: [
    { what: 'a 15-byte beacon digest', index: 2, value: new Uint8Array(15), code: DecodeFailure.WrongLength },
    { what: 'a 17-byte beacon digest', index: 2, value: new Uint8Array(17), code: DecodeFailure.WrongLength },
    { what: 'a beacon digest given as text', index: 2, value: 'digest', code: DecodeFailure.WrongType },
    { what: 'rssi -2001 (below -200.0 dBm)', index: 3, value: -2001, code: DecodeFailure.OutOfRange },
    { what: 'rssi 201 (above +20.0 dBm)', index: 3, value: 201, code: DecodeFailure.OutOfRange },
    { what: 'rssi given as bytes', index: 3, value: new Uint8Array(2), code: DecodeFailure.WrongType },
    { what: 'snr -401', index: 4, value: -401, code: DecodeFailure.OutOfRange },
    { what: 'snr 401', index: 4, value: 401, code: DecodeFailure.OutOfRange },
    { what: 'snr given as text', index: 4, value: '-12.5', code: DecodeFailure.WrongType },
    { what: 'frequency 136999999 Hz', index: 5, value: 136_999_999, code: DecodeFailure.OutOfRange },
    { what: 'frequency 1020000001 Hz', index: 5, value: 1_020_000_001, code: DecodeFailure.OutOfRange },
    { what: 'frequency given as an array', index: 5, value: [868_100_000], code: DecodeFailure.WrongType },
    { what: 'data rate 18', index: 6, value: 18, code: DecodeFailure.OutOfRange },
    { what: 'data rate -1', index: 6, value: -1, code: DecodeFailure.OutOfRange },
    { what: 'data rate given as text', index: 6, value: 'SF12BW125', code: DecodeFailure.WrongType },
    { what: 'time -1', index: 7, value: -1, code: DecodeFailure.OutOfRange },
    { what: 'time MAX_TIME_MS + 1', index: 7, value: MAX_TIME_MS + 1, code: DecodeFailure.OutOfRange },
    { what: 'time given as text', index: 7, value: '2026-03-14', code: DecodeFailure.WrongType },
  ],
  fieldEdges: [
    { what: 'rssi -2000', index: 3, value: -2000 },
    { what: 'rssi 200', index: 3, value: 200 },
    { what: 'snr -400', index: 4, value: -400 },
    { what: 'snr 400', index: 4, value: 400 },
    { what: 'frequency 137000000 Hz', index: 5, value: 137_000_000 },
    { what: 'frequency 1020000000 Hz', index: 5, value: 1_020_000_000 },
    { what: 'data rate 17 (SF7BW500)', index: 6, value: 17 },
    { what: 'time 0', index: 7, value: 0 },
    { what: 'time MAX_TIME_MS, the end of the Date range', index: 7, value: MAX_TIME_MS },
  ],
});

test('a receipt with realistic values is 106 bytes, as the module header says', () => {
  const receipt = { ...sample(), signature: new Uint8Array(64) };
  expect(encodeWitnessReceipt(receipt)).toHaveLength(106);
});
