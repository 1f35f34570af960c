/** DeviceCertificate (proofs/attestation.ts): a vendor's signed statement about one device key. */
import fc from 'fast-check';
import {
  decodeDeviceCertificate, DecodeError, DecodeFailure, encodeCbor, encodeDeviceCertificate, MAX_CERTIFICATE_BYTES,
  MAX_TIME_MS, MODEL_PATTERN, SERIAL_PATTERN, signDeviceCertificate, SignatureDomain, verifyDeviceCertificate,
  type CborValue, type DeviceCertificate, type DeviceCertificateFields,
} from '../../proofs/index.js';
import { bytes, timeMs } from '../support/arbitraries.js';
import { hostVerifier, signerFor, VERIFIERS } from '../support/keys.js';
import { describeSignedMessage } from '../support/signed-message-suite.js';

const DEVICE = signerFor('attestation device').publicKey;

/** A Heltec V3 made on 2026-02-14T10:00:00Z. */
const sample = (vendor: Uint8Array): DeviceCertificateFields => ({
  vendor,
  device: DEVICE,
  model: 'Heltec WiFi LoRa 32 V3',
  serial: 'HT3-2026-000123',
  issuedMs: Date.UTC(2026, 1, 14, 10),
});

const model = fc.stringMatching(MODEL_PATTERN);
const serial = fc.stringMatching(SERIAL_PATTERN);

describeSignedMessage<DeviceCertificateFields, DeviceCertificate>({
  name: 'DeviceCertificate',
  typeCode: 11,
  domain: SignatureDomain.DeviceCertificate,
  fieldNames: ['vendor', 'device', 'model', 'serial', 'issued', 'signature'],
  sampleFields: sample,
  arbitraryFields: (vendor) => fc.record({ vendor: fc.constant(vendor), device: bytes(32), model, serial, issuedMs: timeMs }),
  invalidFields: (vendor) => ({ ...sample(vendor), serial: 'has spaces' }),
  sign: signDeviceCertificate,
  encode: encodeDeviceCertificate,
  decode: decodeDeviceCertificate,
  verify: (certificate, _key, verifier) => verifyDeviceCertificate(certificate, verifier),
  toArray: (c) => [11, 1, c.vendor, c.device, c.model, c.serial, c.issuedMs, c.signature],
  fieldErrors: [
    { what: 'a 31-byte vendor key', index: 2, value: new Uint8Array(31), code: DecodeFailure.WrongLength },
    { what: 'a vendor key given as text', index: 2, value: 'cv...', code: DecodeFailure.WrongType },
    { what: 'a 33-byte device key', index: 3, value: new Uint8Array(33), code: DecodeFailure.WrongLength },
    { what: 'a device key given as an integer', index: 3, value: 7, code: DecodeFailure.WrongType },
    { what: 'an empty model', index: 4, value: '', code: DecodeFailure.OutOfRange },
    { what: 'a 24-character model', index: 4, value: 'M'.repeat(24), code: DecodeFailure.OutOfRange },
    { what: 'a model with a leading space', index: 4, value: ' Heltec', code: DecodeFailure.OutOfRange },
    { what: 'a model with a trailing space', index: 4, value: 'Heltec ', code: DecodeFailure.OutOfRange },
    { what: 'a model with a line feed', index: 4, value: 'Heltec\nV3', code: DecodeFailure.OutOfRange },
    { what: 'a model outside ASCII', index: 4, value: 'Héltec', code: DecodeFailure.OutOfRange },
    { what: 'a model given as bytes', index: 4, value: Uint8Array.of(0x48), code: DecodeFailure.WrongType },
    { what: 'an empty serial', index: 5, value: '', code: DecodeFailure.OutOfRange },
    { what: 'a 24-character serial', index: 5, value: 'S'.repeat(24), code: DecodeFailure.OutOfRange },
    { what: 'a serial with a space', index: 5, value: 'HT3 0001', code: DecodeFailure.OutOfRange },
    { what: 'a serial starting with a dash', index: 5, value: '-0001', code: DecodeFailure.OutOfRange },
    { what: 'a serial given as an integer', index: 5, value: 123, code: DecodeFailure.WrongType },
    { what: 'issued time -1', index: 6, value: -1, code: DecodeFailure.OutOfRange },
    { what: 'issued time MAX_TIME_MS + 1', index: 6, value: MAX_TIME_MS + 1, code: DecodeFailure.OutOfRange },
    { what: 'issued time given as text', index: 6, value: '2026', code: DecodeFailure.WrongType },
  ],
  fieldEdges: [
    { what: 'a one-character model', index: 4, value: 'X' },
    { what: 'a 23-character model with spaces inside', index: 4, value: 'A model of 23 character' },
    { what: 'a one-character serial', index: 5, value: '7' },
    { what: 'a 23-character serial with every allowed sign', index: 5, value: 'Ab0._:/-Ab0._:/-Ab0._:/' },
    { what: 'issued time 0', index: 6, value: 0 },
    { what: 'issued time MAX_TIME_MS', index: 6, value: MAX_TIME_MS },
  ],
});

describe('DeviceCertificate: tampering', () => {
  const vendor = signerFor('attestation vendor');
  const certificate = signDeviceCertificate(sample(vendor.publicKey), vendor);
  const other = signerFor('attestation other device').publicKey;
  const changes: [string, Partial<DeviceCertificateFields>][] = [
    ['the device key', { device: other }],
    ['the model', { model: 'Heltec WiFi LoRa 32 V2' }],
    ['the serial', { serial: 'HT3-2026-000124' }],
    ['the issued time', { issuedMs: certificate.issuedMs + 1 }],
  ];

  test.each(changes)('a changed %s no longer verifies, with any verifier', (_, change) => {
    const tampered = decodeDeviceCertificate(encodeDeviceCertificate({ ...certificate, ...change }));
    for (const [, verifier] of VERIFIERS) expect(verifyDeviceCertificate(tampered, verifier)).toBe(false);
  });

  test('another vendor key in place of the signer\'s no longer verifies', () => {
    const claimed = { ...certificate, vendor: signerFor('attestation trusted vendor').publicKey };
    expect(verifyDeviceCertificate(claimed, hostVerifier)).toBe(false);
  });

  test('the signature made by another key over the same fields does not verify', () => {
    const forged = signDeviceCertificate(sample(vendor.publicKey), signerFor('attestation forger'));
    expect(verifyDeviceCertificate(forged, hostVerifier)).toBe(false);
  });
});

describe('DeviceCertificate: size', () => {
  const vendor = signerFor('attestation vendor');

  test('is 185 bytes with the sample\'s model and serial', () => {
    expect(encodeDeviceCertificate(signDeviceCertificate(sample(vendor.publicKey), vendor))).toHaveLength(185);
  });

  test('is at most MAX_CERTIFICATE_BYTES (194) with the longest model, serial and time', () => {
    const longest = { ...sample(vendor.publicKey), model: 'M'.repeat(23), serial: 'S'.repeat(23), issuedMs: MAX_TIME_MS };
    expect(MAX_CERTIFICATE_BYTES).toBe(194);
    expect(encodeDeviceCertificate(signDeviceCertificate(longest, vendor))).toHaveLength(MAX_CERTIFICATE_BYTES);
  });

  test('never exceeds MAX_CERTIFICATE_BYTES (property)', () => {
    fc.assert(fc.property(bytes(32), model, serial, timeMs, (device, m, s, t) => {
      const fields = { vendor: vendor.publicKey, device, model: m, serial: s, issuedMs: t };
      expect(encodeDeviceCertificate(signDeviceCertificate(fields, vendor)).length).toBeLessThanOrEqual(MAX_CERTIFICATE_BYTES);
    }), { numRuns: 200 });
  });
});

describe('DeviceCertificate: garbage', () => {
  test('random bytes are refused with a DecodeError, never another exception (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 260 }), (input) => {
      expect(() => decodeDeviceCertificate(input)).toThrow(DecodeError);
    }), { numRuns: 500 });
  });

  test('well-formed CBOR of any other shape is refused with a DecodeError (property)', () => {
    const value: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string(), bytes(32), fc.array(tie('v'), { maxLength: 8 })),
    })).v;
    fc.assert(fc.property(value, (v) => {
      expect(() => decodeDeviceCertificate(encodeCbor(v))).toThrow(DecodeError);
    }), { numRuns: 300 });
  });

  test('an Onboard request is not a certificate (WrongType)', () => {
    expect(() => decodeDeviceCertificate(encodeCbor([7, 1, DEVICE, 0, 0, 0, 'EU868', 0, new Uint8Array(64)])))
      .toThrow(expect.objectContaining({ code: DecodeFailure.WrongType }) as Error);
  });
});
