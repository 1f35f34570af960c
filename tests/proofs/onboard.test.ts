import fc from 'fast-check';
import {
  decodeOnboard, DecodeFailure, encodeOnboard, MAX_TIME_MS, signOnboard, SignatureDomain, verifyOnboard,
  type Onboard, type OnboardFields,
} from '../../proofs/index.js';
import { gainDdbi, region, timeMs } from '../support/arbitraries.js';
import { describeSignedMessage } from '../support/signed-message-suite.js';

/** Amsterdam (52.3676° N, 4.9041° E), a 3.0 dBi antenna, EU868, 2026-03-01T09:30:00Z. */
const sample = (hotspot: Uint8Array): OnboardFields => ({
  hotspot,
  latE7: 523_676_000,
  lonE7: 49_041_000,
  gainDdbi: 30,
  region: 'EU868',
  timeMs: Date.UTC(2026, 2, 1, 9, 30, 0),
});

describeSignedMessage<OnboardFields, Onboard>({
  name: 'Onboard',
  typeCode: 7,
  // Version 2 is the attested request (tests/proofs/attestation-onboard.test.ts).
  unknownVersion: 3,
  domain: SignatureDomain.Onboard,
  fieldNames: ['hotspot', 'lat', 'lon', 'gain', 'region', 'time', 'signature'],
  sampleFields: sample,
  arbitraryFields: (hotspot) =>
    fc.record({
      hotspot: fc.constant(hotspot),
      latE7: fc.integer({ min: -900_000_000, max: 900_000_000 }),
      lonE7: fc.integer({ min: -1_800_000_000, max: 1_800_000_000 }),
      gainDdbi,
      region,
      timeMs,
    }),
  invalidFields: (hotspot) => ({ ...sample(hotspot), region: 'eu868' }),
  sign: signOnboard,
  encode: encodeOnboard,
  decode: decodeOnboard,
  verify: (message, _key, verifier) => verifyOnboard(message, verifier),
  toArray: (m) => [7, 1, m.hotspot, m.latE7, m.lonE7, m.gainDdbi, m.region, m.timeMs, m.signature],
  fieldErrors: [
    { what: 'a 31-byte hotspot key', index: 2, value: new Uint8Array(31), code: DecodeFailure.WrongLength },
    { what: 'a hotspot key given as text', index: 2, value: 'cv...', code: DecodeFailure.WrongType },
    { what: 'latitude above 90°', index: 3, value: 900_000_001, code: DecodeFailure.OutOfRange },
    { what: 'latitude below -90°', index: 3, value: -900_000_001, code: DecodeFailure.OutOfRange },
    { what: 'longitude above 180°', index: 4, value: 1_800_000_001, code: DecodeFailure.OutOfRange },
    { what: 'longitude below -180°', index: 4, value: -1_800_000_001, code: DecodeFailure.OutOfRange },
    { what: 'latitude given as text', index: 3, value: '52.3676', code: DecodeFailure.WrongType },
    { what: 'gain -101', index: 5, value: -101, code: DecodeFailure.OutOfRange },
    { what: 'gain 301', index: 5, value: 301, code: DecodeFailure.OutOfRange },
    { what: 'region in lower case', index: 6, value: 'eu868', code: DecodeFailure.OutOfRange },
    { what: 'a one-character region', index: 6, value: 'E', code: DecodeFailure.OutOfRange },
    { what: 'a 16-character region', index: 6, value: 'ABCDEFGHIJKLMNOP', code: DecodeFailure.OutOfRange },
    { what: 'a region starting with a digit', index: 6, value: '868EU', code: DecodeFailure.OutOfRange },
    { what: 'an empty region', index: 6, value: '', code: DecodeFailure.OutOfRange },
    { what: 'a region given as bytes', index: 6, value: Uint8Array.of(0x45, 0x55), code: DecodeFailure.WrongType },
    { what: 'time -1', index: 7, value: -1, code: DecodeFailure.OutOfRange },
    { what: 'time MAX_TIME_MS + 1', index: 7, value: MAX_TIME_MS + 1, code: DecodeFailure.OutOfRange },
  ],
  fieldEdges: [
    { what: 'latitude 90°', index: 3, value: 900_000_000 },
    { what: 'latitude -90°', index: 3, value: -900_000_000 },
    { what: 'longitude 180°', index: 4, value: 1_800_000_000 },
    { what: 'longitude -180°', index: 4, value: -1_800_000_000 },
    { what: 'gain -100', index: 5, value: -100 },
    { what: 'gain 300', index: 5, value: 300 },
    { what: 'a two-character region', index: 6, value: 'EU' },
    { what: 'a 15-character region with digits and underscores', index: 6, value: 'AS923_1_ABCDEFG' },
    { what: 'time MAX_TIME_MS, the end of the Date range', index: 7, value: MAX_TIME_MS },
  ],
});
