/**
 * The wire format held still: tests/vectors/golden-messages.json has one of each message, written from
 * the layouts documented in proofs/ by an independent CBOR writer (tests/vectors/generate-golden.ts).
 * Encoding the same inputs must give exactly those bytes, and decoding them must give the inputs back.
 */
import {
  batchItemId, concatBytes, createPortableSigner, decodeBeacon, decodeBeaconReport, decodeDeviceCertificate,
  decodeEntropy, decodeOnboard, decodeUploadAck, decodeUploadBatch, decodeWitnessReceipt, encodeBeaconReport,
  encodeDeviceCertificate, encodeEntropy, encodeOnboard, encodeUploadAck, encodeUploadBatch, encodeWitnessReceipt,
  fromHex, signBeacon, signedBytes, SignatureDomain, toHex, verifyBeacon, verifyDeviceCertificate, verifyOnboard,
  type AckStatus, type BatchItem, type BeaconFields, type BeaconReport, type DeviceCertificate, type Entropy,
  type Onboard, type WitnessReceipt,
} from '../../proofs/index.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { VERIFIERS } from '../support/keys.js';
import { readVectors } from '../support/vectors.js';

type Role = 'oracle' | 'beaconer' | 'witness' | 'vendor';
type Fields = Record<string, string | number>;
interface SignedGolden { signer: Role; fields: Fields; signature: string; hex: string }
type BatchGolden = SignedGolden & { kind: 'witness' | 'beacon' };
interface Golden {
  seeds: Record<Role, string>;
  messages: {
    entropy: SignedGolden;
    beacon: SignedGolden;
    beaconReport: SignedGolden;
    witnessReceipt: SignedGolden;
    onboard: SignedGolden;
    deviceCertificate: SignedGolden;
    onboardAttested: SignedGolden;
    uploadBatch: { uploader: Role; items: BatchGolden[]; itemIds: string[]; hex: string };
    uploadAck: { results: { id: string; status: number; reason: number }[]; hex: string };
  };
}
const golden = readVectors<Golden>('golden-messages.json');
const { messages } = golden;
const seed = (role: Role) => fromHex(golden.seeds[role]);
const publicKey = (role: Role) => createPortableSigner(seed(role)).publicKey;

/** The golden fields with the named byte-string fields turned from hex into bytes. */
function withBytes<T>(fields: Fields, byteFields: readonly string[]): T {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) =>
    [name, byteFields.includes(name) ? fromHex(String(value)) : value])) as T;
}
const signed = <T>(golden: SignedGolden, byteFields: readonly string[]) =>
  ({ ...withBytes<T>(golden.fields, byteFields), signature: fromHex(golden.signature) });

const entropy = signed<Entropy>(messages.entropy, ['data']);
const beaconFields = withBytes<BeaconFields>(messages.beacon.fields, ['beaconer', 'entropyTag', 'nonce']);
const report = signed<BeaconReport>(messages.beaconReport, ['frame']);
const receipt = signed<WitnessReceipt>(messages.witnessReceipt, ['beaconDigest']);
const onboard = signed<Onboard>(messages.onboard, ['hotspot']);
const certificate = signed<DeviceCertificate>(messages.deviceCertificate, ['vendor', 'device']);
const onboardAttested = signed<Onboard>(messages.onboardAttested, ['hotspot', 'certificate']);
const batchItems = messages.uploadBatch.items.map((item): BatchItem =>
  item.kind === 'witness'
    ? { kind: 'witness', receipt: signed<WitnessReceipt>(item, ['beaconDigest']) }
    : { kind: 'beacon', report: signed<BeaconReport>(item, ['frame']) });
const batch = { uploader: publicKey(messages.uploadBatch.uploader), items: batchItems };
const ackResults = messages.uploadAck.results;
const ack = { results: ackResults.map((r) => ({ id: fromHex(r.id), status: r.status as AckStatus, reason: r.reason })) };

/**
 * `[type, version, ...fields]` cut from a golden `[type, version, ...fields, signature]`: the last 66
 * bytes are the signature item (0x58 0x40 and 64 bytes) and the array head loses one item.
 */
function unsignedBody(hex: string, signature: string): Uint8Array {
  const bytes = fromHex(hex);
  expect(toHex(bytes.subarray(bytes.length - 66))).toBe(`5840${signature}`);
  return concatBytes(Uint8Array.of(bytes[0] - 1), bytes.subarray(1, bytes.length - 66));
}

const SIGNED_CBOR = [
  ['Entropy', messages.entropy, SignatureDomain.Entropy],
  ['BeaconReport', messages.beaconReport, SignatureDomain.BeaconReport],
  ['WitnessReceipt', messages.witnessReceipt, SignatureDomain.WitnessReceipt],
  ['Onboard', messages.onboard, SignatureDomain.Onboard],
  ['DeviceCertificate', messages.deviceCertificate, SignatureDomain.DeviceCertificate],
  ['Onboard version 2', messages.onboardAttested, SignatureDomain.OnboardAttested],
] as const;

describe('golden signatures', () => {
  test.each(SIGNED_CBOR)('%s: both signers make the golden signature over the golden body', (_, message, domain) => {
    const toSign = signedBytes(domain, unsignedBody(message.hex, message.signature));
    expect(toHex(createPortableSigner(seed(message.signer)).sign(toSign))).toBe(message.signature);
    expect(toHex(createHostSigner(seed(message.signer)).sign(toSign))).toBe(message.signature);
  });

  test.each(SIGNED_CBOR)('%s: the golden signature verifies with both verifiers', (_, message, domain) => {
    const toSign = signedBytes(domain, unsignedBody(message.hex, message.signature));
    for (const [, verifier] of VERIFIERS) {
      expect(verifier.verify(fromHex(message.signature), toSign, publicKey(message.signer))).toBe(true);
    }
  });
});

describe('golden Beacon frame', () => {
  test('signing the golden fields gives the golden frame', () => {
    expect(toHex(signBeacon(beaconFields, createPortableSigner(seed('beaconer'))).frame)).toBe(messages.beacon.hex);
  });

  test('decoding the golden frame gives the golden fields', () => {
    const decoded = decodeBeacon(fromHex(messages.beacon.hex));
    const frame = fromHex(messages.beacon.hex);
    expect(decoded).toEqual({ ...beaconFields, signature: fromHex(messages.beacon.signature), frame });
  });

  test.each(VERIFIERS)('the golden frame verifies with the %s verifier', (_, verifier) => {
    expect(verifyBeacon(decodeBeacon(fromHex(messages.beacon.hex)), verifier)).toBe(true);
  });

  test('the golden report carries the golden frame', () => {
    expect(toHex(report.frame)).toBe(messages.beacon.hex);
  });
});

const CBOR_MESSAGES = [
  ['Entropy', messages.entropy.hex, () => encodeEntropy(entropy), decodeEntropy, entropy],
  ['BeaconReport', messages.beaconReport.hex, () => encodeBeaconReport(report), decodeBeaconReport, report],
  ['WitnessReceipt', messages.witnessReceipt.hex, () => encodeWitnessReceipt(receipt), decodeWitnessReceipt, receipt],
  ['Onboard', messages.onboard.hex, () => encodeOnboard(onboard), decodeOnboard, onboard],
  ['DeviceCertificate', messages.deviceCertificate.hex, () => encodeDeviceCertificate(certificate), decodeDeviceCertificate, certificate],
  ['Onboard version 2', messages.onboardAttested.hex, () => encodeOnboard(onboardAttested), decodeOnboard, onboardAttested],
] as const;

describe('golden vendor attestation', () => {
  test.each(VERIFIERS)('the certificate verifies under its vendor key with the %s verifier, and names the witness', (_, verifier) => {
    expect(verifyDeviceCertificate(certificate, verifier)).toBe(true);
    expect(certificate.vendor).toEqual(publicKey('vendor'));
    expect(certificate.device).toEqual(publicKey('witness'));
  });

  test.each(VERIFIERS)('the version 2 Onboard verifies with the %s verifier and carries the golden certificate', (_, verifier) => {
    expect(verifyOnboard(onboardAttested, verifier)).toBe(true);
    expect(toHex(onboardAttested.certificate as Uint8Array)).toBe(messages.deviceCertificate.hex);
    expect(fromHex(messages.onboardAttested.hex)[2]).toBe(2);
  });

  test('version 1 and version 2 of the same request differ only by the certificate and their tags', () => {
    const { certificate: _carried, ...base } = messages.onboardAttested.fields;
    expect(base).toEqual(messages.onboard.fields);
    expect(messages.onboardAttested.signature).not.toBe(messages.onboard.signature);
  });
});

for (const [name, hex, encode, decode, value] of CBOR_MESSAGES) {
  describe(`golden ${name}`, () => {
    test('encoding the golden inputs gives the golden bytes', () => {
      expect(toHex(encode())).toBe(hex);
    });

    test('decoding the golden bytes gives the golden inputs', () => {
      expect(decode(fromHex(hex))).toEqual(value);
    });
  });
}

describe('golden UploadBatch', () => {
  test('encoding the golden inputs gives the golden bytes', () => {
    expect(toHex(encodeUploadBatch(batch))).toBe(messages.uploadBatch.hex);
  });

  test('decoding the golden bytes gives the golden items', () => {
    const decoded = decodeUploadBatch(fromHex(messages.uploadBatch.hex));
    expect(decoded.items.map((entry) => entry.item)).toEqual(batchItems);
  });

  test('the golden item ids are what batchItemId gives', () => {
    expect(batchItems.map((item) => toHex(batchItemId(batch.uploader, item)))).toEqual(messages.uploadBatch.itemIds);
  });

  test('the golden batch holds the golden receipt', () => {
    expect(messages.uploadBatch.hex).toContain(messages.witnessReceipt.hex);
  });
});

describe('golden UploadAck', () => {
  test('encoding the golden results gives the golden bytes', () => {
    expect(toHex(encodeUploadAck(ack))).toBe(messages.uploadAck.hex);
  });

  test('decoding the golden bytes gives the golden results', () => {
    expect(decodeUploadAck(fromHex(messages.uploadAck.hex))).toEqual(ack);
  });

  test('the golden ack answers the golden batch items by id', () => {
    expect(messages.uploadAck.results.map((r) => r.id)).toEqual(messages.uploadBatch.itemIds);
  });
});
