/**
 * Writes tests/vectors/golden-messages.json: one of each covey message, made from fixed seeds and
 * realistic values, so that tests/proofs/golden.test.ts can hold the wire format still. Host code,
 * run once: `npx tsx tests/vectors/generate-golden.ts`.
 *
 * The bytes are written from the layouts documented in proofs/ (the CDDL in each module header and
 * the frame table in beacon.ts) with the independent writer in tests/support/cbor-spelling.ts, not
 * with covey's encoder; signatures are made over those bytes and must come out the same from the
 * portable and the host signer. The script reports any message where covey's encoder disagrees.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import {
  AckStatus, concatBytes, createPortableSigner, encodeBeaconReport, encodeDeviceCertificate, encodeEntropy, encodeOnboard,
  encodeUploadAck, encodeUploadBatch, encodeWitnessReceipt, Reason, signBeacon, signedBytes, SignatureDomain, toHex,
  writeU32BE,
} from '../../proofs/index.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { Raw, spell, type Spelling } from '../support/cbor-spelling.js';

const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest());

const seeds = {
  oracle: sha256('covey golden seed: oracle'),
  beaconer: sha256('covey golden seed: beaconer'),
  witness: sha256('covey golden seed: witness'),
  vendor: sha256('covey golden seed: vendor'),
};
type Role = keyof typeof seeds;
const key = (role: Role) => createPortableSigner(seeds[role]).publicKey;

/** Signs with the portable signer and insists that the host signer makes the same signature. */
function sign(role: Role, domain: SignatureDomain, body: Uint8Array): Uint8Array {
  const message = signedBytes(domain, body);
  const portable = createPortableSigner(seeds[role]).sign(message);
  if (toHex(createHostSigner(seeds[role]).sign(message)) !== toHex(portable)) throw new Error('the signers disagree');
  return portable;
}

type Fields = Record<string, Spelling>;

/** [type, version, ...fields, signature], the signature over the encoding of [type, version, ...fields]. */
function signedMessage(role: Role, type: number, domain: SignatureDomain, fields: Fields, version = 1) {
  const values = Object.values(fields);
  const signature = sign(role, domain, spell([type, version, ...values]));
  return { role, fields, signature, bytes: spell([type, version, ...values, signature]) };
}

/** The 109-byte beacon frame of proofs/beacon.ts, laid out by hand. */
function beaconFrame(role: Role, entropyEpoch: number, entropyTag: Uint8Array, nonce: Uint8Array) {
  const fields = { beaconer: key(role), entropyEpoch, entropyTag, nonce };
  const unsigned = new Uint8Array(45);
  unsigned[0] = 0xe1;
  unsigned.set(fields.beaconer, 1);
  writeU32BE(unsigned, 33, entropyEpoch);
  unsigned.set(entropyTag, 37);
  unsigned.set(nonce, 41);
  const signature = sign(role, SignatureDomain.Beacon, unsigned);
  return { role, fields, signature, bytes: concatBytes(unsigned, signature) };
}

// The oracle's entropy for 2026-03-14T12:00:00Z.
const entropyTime = Date.UTC(2026, 2, 14, 12, 0, 0);
const entropyData = sha256('covey golden entropy, 2026-03-14T12:00Z');
const entropy = signedMessage('oracle', 1, SignatureDomain.Entropy, {
  epoch: entropyTime / 60_000,
  data: entropyData,
  timeMs: entropyTime,
});

const nonce = Uint8Array.of(0x5a, 0x3c, 0x9e, 0x01);
const beacon = beaconFrame('beaconer', entropyTime / 60_000, entropyData.slice(0, 4), nonce);

// The EU868 PoC channel, 868.1 MHz, at SF12BW125 (data rate 0) with 14 dBm conducted.
const report = signedMessage('beaconer', 3, SignatureDomain.BeaconReport, {
  frame: beacon.bytes,
  frequencyHz: 868_100_000,
  dataRate: 0,
  txPowerDdbm: 140,
  timeMs: entropyTime + 23_871,
});

// Heard at -120.0 dBm with an SNR of -12.5 dB, near the SF12 floor, 1 ms after TxDone.
const receipt = signedMessage('witness', 4, SignatureDomain.WitnessReceipt, {
  beaconDigest: sha256(beacon.bytes).slice(0, 16),
  rssiDdbm: -1200,
  snrDdb: -125,
  frequencyHz: 868_100_000,
  dataRate: 0,
  timeMs: entropyTime + 23_872,
});

// Amsterdam (52.3676 N, 4.9041 E), a 3.0 dBi antenna, onboarded 2026-03-01T09:30:00Z.
const onboard = signedMessage('witness', 7, SignatureDomain.Onboard, {
  hotspot: key('witness'),
  latE7: 523_676_000,
  lonE7: 49_041_000,
  gainDdbi: 30,
  region: 'EU868',
  timeMs: Date.UTC(2026, 2, 1, 9, 30, 0),
});

// The witness's vendor certifies its key: a Heltec V3 with serial HV3-000123, issued 2026-02-20T08:00:00Z.
const certificate = signedMessage('vendor', 11, SignatureDomain.DeviceCertificate, {
  vendor: key('vendor'),
  device: key('witness'),
  model: 'Heltec V3',
  serial: 'HV3-000123',
  issuedMs: Date.UTC(2026, 1, 20, 8, 0, 0),
});

// The same onboarding as version 2, carrying that certificate.
const onboardAttested = signedMessage('witness', 7, SignatureDomain.OnboardAttested, {
  ...onboard.fields,
  certificate: certificate.bytes,
}, 2);

// The witness uploads its receipt and the report of its own beacon, sent in the next entropy epoch.
const ownBeacon = beaconFrame('witness', entropyTime / 60_000 + 1,
  sha256('covey golden entropy, 2026-03-14T12:01Z').slice(0, 4), Uint8Array.of(0xc4, 0x07, 0x21, 0x9b));
const ownReport = signedMessage('witness', 3, SignatureDomain.BeaconReport, {
  frame: ownBeacon.bytes,
  frequencyHz: 868_100_000,
  dataRate: 0,
  txPowerDdbm: 140,
  timeMs: entropyTime + 84_112,
});
const uploader = key('witness');
const batchItems = [{ kind: 'witness', message: receipt }, { kind: 'beacon', message: ownReport }] as const;
const itemIds = batchItems.map(({ message }) => sha256(concatBytes(uploader, message.bytes)).slice(0, 16));
const batch = spell([5, 1, uploader, batchItems.map(({ message }) => new Raw(message.bytes))]);

const ackResults = [
  { id: itemIds[0], status: AckStatus.Stored, reason: Reason.none },
  { id: itemIds[1], status: AckStatus.Rejected, reason: Reason.too_late },
];
const ack = spell([6, 1, ackResults.map((r) => [r.id, r.status, r.reason])]);

/** Byte strings as hex, for JSON. */
const hexed = (fields: object) =>
  Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [name, value instanceof Uint8Array ? toHex(value) : value]),
  );

type Made = { role: Role; fields: object; signature: Uint8Array; bytes: Uint8Array };
const record = (made: Made) => ({
  signer: made.role,
  fields: hexed(made.fields),
  signature: toHex(made.signature),
  bytes: made.bytes.length,
  hex: toHex(made.bytes),
});

const messages = {
  entropy: record(entropy),
  beacon: record(beacon),
  beaconReport: record(report),
  witnessReceipt: record(receipt),
  onboard: record(onboard),
  deviceCertificate: record(certificate),
  onboardAttested: record(onboardAttested),
  uploadBatch: {
    uploader: 'witness',
    items: batchItems.map(({ kind, message }) => {
      const { signer, fields, signature } = record(message);
      return { kind, signer, fields, signature };
    }),
    itemIds: itemIds.map(toHex),
    bytes: batch.length,
    hex: toHex(batch),
  },
  uploadAck: { results: ackResults.map(hexed), bytes: ack.length, hex: toHex(ack) },
};

const file = {
  source: [
    'Generated once by tests/vectors/generate-golden.ts from the seeds below (SHA-256 of "covey golden seed: <role>")',
    'and fixed realistic values: EU868 PoC channel 868.1 MHz, SF12BW125 (data rate 0), 14 dBm (140), RSSI -120.0 dBm',
    '(-1200), SNR -12.5 dB (-125), times in ms in February and March 2026; the vendor certificate is the one the',
    'attested Onboard (version 2) carries. Bytes follow the layouts documented in proofs/ (CDDL in',
    'each module header, the frame table in beacon.ts), written with the independent CBOR writer',
    'tests/support/cbor-spelling.ts in RFC 8949 §4.2.1 deterministic encoding (integers as major type 0/1 with the',
    "shortest argument), not with covey's encoder. Signatures are ed25519 (RFC 8032) over tag ‖ 0x00 ‖ body",
    '(proofs/signing.ts), identical from the portable and the host signer. Byte strings are hex.',
  ].join(' '),
  seeds: hexed(seeds),
  publicKeys: hexed({ oracle: key('oracle'), beaconer: key('beaconer'), witness: key('witness'), vendor: key('vendor') }),
  messages,
};
writeFileSync(new URL('./golden-messages.json', import.meta.url), `${JSON.stringify(file, null, 2)}\n`);

// Report where covey's own encoder disagrees with the documented layout (golden.test.ts fails there).
const asSigned = (made: Made) => ({ ...made.fields, signature: made.signature }) as never;
const coveyBytes = {
  entropy: encodeEntropy(asSigned(entropy)),
  beacon: signBeacon(beacon.fields, createPortableSigner(seeds.beaconer)).frame,
  beaconReport: encodeBeaconReport(asSigned(report)),
  witnessReceipt: encodeWitnessReceipt(asSigned(receipt)),
  onboard: encodeOnboard(asSigned(onboard)),
  deviceCertificate: encodeDeviceCertificate(asSigned(certificate)),
  onboardAttested: encodeOnboard(asSigned(onboardAttested)),
  uploadBatch: encodeUploadBatch({
    uploader,
    items: [{ kind: 'witness', receipt: asSigned(receipt) }, { kind: 'beacon', report: asSigned(ownReport) }],
  }),
  uploadAck: encodeUploadAck({ results: ackResults }),
};
for (const [name, bytes] of Object.entries(coveyBytes)) {
  const agrees = toHex(bytes) === messages[name as keyof typeof messages].hex;
  console.log(`${name.padEnd(15)} ${agrees ? 'covey agrees' : 'covey differs'}`);
}
