import fc from 'fast-check';
import {
  decodeBeaconReport, DecodeFailure, encodeBeaconReport, MAX_TIME_MS, reportedBeacon, signBeacon, signBeaconReport,
  SignatureDomain, toHex, verifyBeaconReport, type BeaconReport, type BeaconReportFields, type Signer,
} from '../../proofs/index.js';
import { beaconFrame, dataRate, frequencyHz, timeMs, txPowerDdbm } from '../support/arbitraries.js';
import { hostVerifier, signerFor } from '../support/keys.js';
import { describeSignedMessage } from '../support/signed-message-suite.js';

const beaconer = signerFor('BeaconReport signer');

function frameBy(signer: Signer): Uint8Array {
  const fields = {
    beaconer: signer.publicKey,
    entropyEpoch: 29_558_160,
    entropyTag: Uint8Array.of(1, 2, 3, 4),
    nonce: Uint8Array.of(5, 6, 7, 8),
  };
  return signBeacon(fields, signer).frame;
}

/** Sent on 868.1 MHz at SF12BW125 with 14 dBm, TxDone at 2026-03-14T12:00:23.871Z. */
const sample = (): BeaconReportFields => ({
  frame: frameBy(beaconer),
  frequencyHz: 868_100_000,
  dataRate: 0,
  txPowerDdbm: 140,
  timeMs: Date.UTC(2026, 2, 14, 12, 0, 23, 871),
});

const withHeader = (header: number) => {
  const frame = frameBy(beaconer);
  frame[0] = header;
  return frame;
};

describeSignedMessage<BeaconReportFields, BeaconReport>({
  name: 'BeaconReport',
  typeCode: 3,
  domain: SignatureDomain.BeaconReport,
  fieldNames: ['frame', 'frequency', 'dataRate', 'txPower', 'time', 'signature'],
  sampleFields: sample,
  arbitraryFields: () =>
    fc.record({ frame: beaconFrame(beaconer), frequencyHz, dataRate, txPowerDdbm, timeMs }),
  invalidFields: () => ({ ...sample(), txPowerDdbm: 999 }),
  sign: signBeaconReport,
  encode: encodeBeaconReport,
  decode: decodeBeaconReport,
  verify: (report, _key, verifier) => verifyBeaconReport(report, verifier),
  toArray: (r) => [3, 1, r.frame, r.frequencyHz, r.dataRate, r.txPowerDdbm, r.timeMs, r.signature],
  fieldErrors: [
    { what: 'a 108-byte frame', index: 2, value: new Uint8Array(108), code: DecodeFailure.WrongLength },
    { what: 'a 110-byte frame', index: 2, value: new Uint8Array(110), code: DecodeFailure.WrongLength },
    { what: 'a frame given as text', index: 2, value: 'frame', code: DecodeFailure.WrongType },
    // A bad frame inside a known report is a bad field value, not an unknown report type or version.
    { what: 'a frame that is not a covey frame', index: 2, value: withHeader(0x40), code: DecodeFailure.OutOfRange },
    { what: 'a frame of another kind', index: 2, value: withHeader(0xe9), code: DecodeFailure.OutOfRange },
    { what: 'a frame of beacon version 2', index: 2, value: withHeader(0xe2), code: DecodeFailure.OutOfRange },
    { what: 'frequency 136999999 Hz', index: 3, value: 136_999_999, code: DecodeFailure.OutOfRange },
    { what: 'frequency 1020000001 Hz', index: 3, value: 1_020_000_001, code: DecodeFailure.OutOfRange },
    { what: 'data rate 18', index: 4, value: 18, code: DecodeFailure.OutOfRange },
    { what: 'data rate given as text', index: 4, value: 'SF12BW125', code: DecodeFailure.WrongType },
    { what: 'tx power -91 (below -9.0 dBm)', index: 5, value: -91, code: DecodeFailure.OutOfRange },
    { what: 'tx power 401 (above 40.0 dBm)', index: 5, value: 401, code: DecodeFailure.OutOfRange },
    { what: 'tx power given as bytes', index: 5, value: Uint8Array.of(140), code: DecodeFailure.WrongType },
    { what: 'time -1', index: 6, value: -1, code: DecodeFailure.OutOfRange },
    { what: 'time MAX_TIME_MS + 1', index: 6, value: MAX_TIME_MS + 1, code: DecodeFailure.OutOfRange },
  ],
  fieldEdges: [
    { what: 'tx power -90', index: 5, value: -90 },
    { what: 'tx power 400', index: 5, value: 400 },
    { what: 'data rate 0', index: 4, value: 0 },
    { what: 'time MAX_TIME_MS, the end of the Date range', index: 6, value: MAX_TIME_MS },
  ],
});

test('reportedBeacon is the beacon inside the report', () => {
  const report = signBeaconReport(sample(), beaconer);
  const beacon = reportedBeacon(report);
  expect(toHex(beacon.beaconer)).toBe(toHex(beaconer.publicKey));
  expect(toHex(beacon.frame)).toBe(toHex(report.frame));
});

test('verification uses the key named in the frame', () => {
  const someoneElse = signerFor('BeaconReport someone else');
  const theirFrame = { ...sample(), frame: frameBy(someoneElse) };
  expect(verifyBeaconReport(signBeaconReport(theirFrame, beaconer), hostVerifier)).toBe(false);
  expect(verifyBeaconReport(signBeaconReport(theirFrame, someoneElse), hostVerifier)).toBe(true);
});
