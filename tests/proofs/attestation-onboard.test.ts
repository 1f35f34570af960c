/** Onboard version 2 (proofs/onboard.ts): the request of a hotspot that carries a vendor's certificate. */
import fc from 'fast-check';
import {
  decodeDeviceCertificate, decodeOnboard, DecodeFailure, encodeCbor, encodeDeviceCertificate, encodeOnboard,
  MAX_CERTIFICATE_BYTES, signDeviceCertificate, signedBytes, signOnboard, SignatureDomain, verifyOnboard,
  type Onboard, type OnboardFields,
} from '../../proofs/index.js';
import { expectDecodeError } from '../support/decode-error.js';
import { gainDdbi, region, timeMs } from '../support/arbitraries.js';
import { hostVerifier, signerFor } from '../support/keys.js';
import { describeSignedMessage } from '../support/signed-message-suite.js';

const vendor = signerFor('attested onboard vendor');
const certificateFor = (device: Uint8Array) => encodeDeviceCertificate(signDeviceCertificate({
  vendor: vendor.publicKey, device, model: 'T-Beam v1.1', serial: 'TB-0042', issuedMs: Date.UTC(2026, 0, 5),
}, vendor));

const sample = (hotspot: Uint8Array): OnboardFields => ({
  hotspot, latE7: 523_676_000, lonE7: 49_041_000, gainDdbi: 30, region: 'EU868', timeMs: Date.UTC(2026, 2, 1, 9, 30),
  certificate: certificateFor(hotspot),
});

describeSignedMessage<OnboardFields, Onboard>({
  name: 'Onboard v2',
  typeCode: 7,
  version: 2,
  domain: SignatureDomain.OnboardAttested,
  fieldNames: ['hotspot', 'lat', 'lon', 'gain', 'region', 'time', 'certificate', 'signature'],
  sampleFields: sample,
  arbitraryFields: (hotspot) => fc.record({
    hotspot: fc.constant(hotspot),
    latE7: fc.integer({ min: -900_000_000, max: 900_000_000 }),
    lonE7: fc.integer({ min: -1_800_000_000, max: 1_800_000_000 }),
    gainDdbi, region, timeMs,
    certificate: fc.uint8Array({ minLength: 1, maxLength: MAX_CERTIFICATE_BYTES }),
  }),
  invalidFields: (hotspot) => ({ ...sample(hotspot), certificate: new Uint8Array(0) }),
  sign: signOnboard,
  encode: encodeOnboard,
  decode: decodeOnboard,
  verify: (message, _key, verifier) => verifyOnboard(message, verifier),
  toArray: (m) => [7, 2, m.hotspot, m.latE7, m.lonE7, m.gainDdbi, m.region, m.timeMs, m.certificate as Uint8Array, m.signature],
  fieldErrors: [
    { what: 'an empty certificate', index: 8, value: new Uint8Array(0), code: DecodeFailure.WrongLength },
    { what: 'a certificate over MAX_CERTIFICATE_BYTES', index: 8, value: new Uint8Array(MAX_CERTIFICATE_BYTES + 1), code: DecodeFailure.WrongLength },
    { what: 'a certificate given as an array', index: 8, value: [11, 1], code: DecodeFailure.WrongType },
    { what: 'a region in lower case', index: 6, value: 'eu868', code: DecodeFailure.OutOfRange },
    { what: 'a 31-byte hotspot key', index: 2, value: new Uint8Array(31), code: DecodeFailure.WrongLength },
  ],
  fieldEdges: [
    { what: 'a one-byte certificate (judged by the oracle, not the decoder)', index: 8, value: Uint8Array.of(0) },
    { what: 'a certificate of MAX_CERTIFICATE_BYTES', index: 8, value: new Uint8Array(MAX_CERTIFICATE_BYTES) },
  ],
});

describe('Onboard versions side by side', () => {
  const hotspot = signerFor('attested onboard hotspot');
  const fields = sample(hotspot.publicKey);
  const { certificate, ...plain } = fields;

  test('signs version 1 without a certificate and version 2 with one, and reads both', () => {
    const v1 = encodeOnboard(signOnboard(plain, hotspot));
    const v2 = encodeOnboard(signOnboard(fields, hotspot));
    expect([v1[1], v1[2], v2[1], v2[2]]).toEqual([7, 1, 7, 2]);
    expect(decodeOnboard(v1).certificate).toBeUndefined();
    expect(decodeOnboard(v2).certificate).toEqual(certificate);
    expect(decodeDeviceCertificate(decodeOnboard(v2).certificate as Uint8Array).device).toEqual(hotspot.publicKey);
  });

  test('carries the certificate inside the signature: removing it breaks the request', () => {
    const v2 = signOnboard(fields, hotspot);
    const stripped: Onboard = { ...plain, signature: v2.signature };
    expect(verifyOnboard(stripped, hostVerifier)).toBe(false);
    const swapped: Onboard = { ...v2, certificate: certificateFor(signerFor('attested onboard other').publicKey) };
    expect(verifyOnboard(swapped, hostVerifier)).toBe(false);
  });

  test('a version 2 signature is over "covey/onboard/v2", never over the version 1 tag', () => {
    const v2 = signOnboard(fields, hotspot);
    const body = encodeCbor([7, 2, fields.hotspot, fields.latE7, fields.lonE7, fields.gainDdbi, fields.region, fields.timeMs, certificate as Uint8Array]);
    expect(hostVerifier.verify(v2.signature, signedBytes(SignatureDomain.OnboardAttested, body), hotspot.publicKey)).toBe(true);
    expect(hostVerifier.verify(v2.signature, signedBytes(SignatureDomain.Onboard, body), hotspot.publicKey)).toBe(false);
  });

  test('version 1 with a seventh field, or version 2 without one, is refused (WrongLength)', () => {
    const v1 = signOnboard(plain, hotspot);
    const base = [fields.hotspot, fields.latE7, fields.lonE7, fields.gainDdbi, fields.region, fields.timeMs];
    expectDecodeError(() => decodeOnboard(encodeCbor([7, 1, ...base, certificate as Uint8Array, v1.signature])), DecodeFailure.WrongLength);
    expectDecodeError(() => decodeOnboard(encodeCbor([7, 2, ...base, v1.signature])), DecodeFailure.WrongLength);
  });

  test('an attested request with a typical certificate is 298 bytes (166 of them the certificate)', () => {
    expect(certificate).toHaveLength(166);
    expect(encodeOnboard(signOnboard(fields, hotspot))).toHaveLength(298);
  });
});
