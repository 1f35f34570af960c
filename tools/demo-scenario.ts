/**
 * One round of proof-of-coverage, end to end, with real keys and real encodings: the oracle publishes
 * entropy, hotspot A beacons with it, hotspot B hears the beacon and signs a receipt, both upload a batch,
 * and the oracle acknowledges. Every message is encoded, decoded and verified on the way, by the host
 * verifier (node:crypto) and the portable one the device runs (noble); each result is recorded as a check.
 */
import {
  AckStatus, batchItemId, beaconDigest, createPortableSigner, dataRateCode, dataRateName, decodeBeacon,
  decodeBeaconReport, decodeEntropy, decodeUploadAck, decodeUploadBatch, decodeWitnessReceipt, encodeBeaconReport,
  encodeEntropy, encodeUploadAck, encodeUploadBatch, encodeWitnessReceipt, entropyEpochAt, ENTROPY_PERIOD_MS,
  ENTROPY_TAG_BYTES, equalBytes, PortableVerifier, Reason, signBeacon, signBeaconReport, signEntropy,
  signWitnessReceipt, verifyBatchItem, verifyBeacon, verifyBeaconReport, verifyEntropy, verifyWitnessReceipt,
  type BatchItem, type Beacon, type BeaconReport, type Entropy, type Signer, type Verifier, type WitnessReceipt,
} from '../proofs/index.js';
import { createHostSigner, HostVerifier } from './crypto/node-ed25519.js';

/** Where the demo's secrets and nonces come from: `random(label, n)` gives n ≤ 32 bytes. */
export type DemoRandom = (label: string, length: number) => Uint8Array;

export interface Check {
  readonly label: string;
  readonly ok: boolean;
}

export interface Step {
  readonly title: string;
  readonly checks: readonly Check[];
}

export interface ScenarioResult {
  readonly oracle: Uint8Array;
  readonly hotspotA: Uint8Array;
  readonly hotspotB: Uint8Array;
  readonly steps: readonly Step[];
  /** Each encoded message under a file name, in the order they were made. */
  readonly messages: ReadonlyMap<string, Uint8Array>;
}

/** The radio side of the story: EU868's PoC channel at the slowest data rate, a weak but clean link. */
export const DEMO_RADIO = {
  frequencyHz: 868_100_000,
  dataRate: dataRateCode({ spreadingFactor: 12, bandwidthKHz: 125 }),
  txPowerDdbm: 140, // 14 dBm: the EU868 g1 sub-band limit is 25 mW ERP (ETSI EN 300 220-2)
  rssiDdbm: -1085,
  snrDdb: -72,
  // 109-byte frame at SF12BW125, CR 4/5, 8-symbol preamble, explicit header, CRC, low data rate
  // optimisation: 12.25 + 118 symbols of 32.768 ms (Semtech AN1200.13 §4).
  airtimeMs: 4268,
} as const;

const host = new HostVerifier();
const portable = new PortableVerifier();

/** Collects the steps of the round and the messages it makes. */
class Round {
  readonly steps: Step[] = [];
  readonly messages = new Map<string, Uint8Array>();

  record(title: string, checks: Check[]): void {
    this.steps.push({ title, checks });
  }

  keep(file: string, bytes: Uint8Array): void {
    this.messages.set(file, bytes);
  }
}

/** The same signature judged by both verifiers; they must agree. */
function signatureChecks(what: string, verify: (verifier: Verifier) => boolean): Check[] {
  return [
    { label: `${what} signature valid (host verifier, node:crypto)`, ok: verify(host) },
    { label: `${what} signature valid (portable verifier, noble: the device's)`, ok: verify(portable) },
  ];
}

const roundTrip = (bytes: Uint8Array, again: Uint8Array): Check => ({
  label: `decoded; re-encodes to the same ${bytes.length} bytes`,
  ok: equalBytes(bytes, again),
});

/** Plays the round at `nowMs`, drawing keys and nonces from `random`. */
export function playScenario(random: DemoRandom, nowMs: number): ScenarioResult {
  const seedB = random('hotspot B key', 32);
  const oracle = createHostSigner(random('oracle key', 32));
  const hotspotA = createHostSigner(random('hotspot A key', 32));
  const hotspotB = createHostSigner(seedB);
  const round = new Round();

  const entropy = publishEntropy(round, oracle, random('entropy', 32), nowMs);
  const beacon = transmitBeacon(round, hotspotA, entropy, random('beacon nonce', 4));
  const txDoneMs = nowMs + 1200 + DEMO_RADIO.airtimeMs;
  const receipt = witnessBeacon(round, hotspotB, seedB, beacon, txDoneMs + 2);
  const receiptUpload = upload(round, 'hotspot B uploads its receipt', 'upload-batch-b.cbor', hotspotB, {
    kind: 'witness', receipt,
  });
  const report = reportBeacon(round, hotspotA, beacon, txDoneMs);
  upload(round, 'hotspot A uploads its beacon report', 'upload-batch-a.cbor', hotspotA, { kind: 'beacon', report });
  acknowledge(round, receiptUpload);

  return {
    oracle: oracle.publicKey,
    hotspotA: hotspotA.publicKey,
    hotspotB: hotspotB.publicKey,
    steps: round.steps,
    messages: round.messages,
  };
}

/** The oracle's entropy for the period that holds `nowMs`. */
function publishEntropy(round: Round, oracle: Signer, data: Uint8Array, nowMs: number): Entropy {
  const epoch = entropyEpochAt(nowMs);
  const bytes = encodeEntropy(signEntropy({ epoch, data, timeMs: epoch * ENTROPY_PERIOD_MS }, oracle));
  const entropy = decodeEntropy(bytes);
  round.keep('entropy.cbor', bytes);
  round.record(`oracle publishes entropy for epoch ${epoch} (${new Date(entropy.timeMs).toISOString()})`, [
    roundTrip(bytes, encodeEntropy(entropy)),
    ...signatureChecks('oracle', (v) => verifyEntropy(entropy, oracle.publicKey, v)),
  ]);
  return entropy;
}

/** Hotspot A's beacon, quoting the entropy so that it cannot predate it. */
function transmitBeacon(round: Round, beaconer: Signer, entropy: Entropy, nonce: Uint8Array): Beacon {
  const entropyTag = entropy.data.slice(0, ENTROPY_TAG_BYTES);
  const sent = signBeacon({ beaconer: beaconer.publicKey, entropyEpoch: entropy.epoch, entropyTag, nonce }, beaconer);
  const heard = decodeBeacon(sent.frame);
  round.keep('beacon.bin', sent.frame);
  round.record(`hotspot A transmits a beacon on ${radioText()}`, [
    roundTrip(sent.frame, heard.frame),
    ...signatureChecks('beacon', (v) => verifyBeacon(heard, v)),
    { label: 'quotes the entropy the oracle published', ok: equalBytes(heard.entropyTag, entropyTag) },
  ]);
  return heard;
}

/** Hotspot B's receipt for the frame it heard, named by the frame's digest. */
function witnessBeacon(round: Round, witness: Signer, seed: Uint8Array, heard: Beacon, timeMs: number): WitnessReceipt {
  const { frequencyHz, dataRate, rssiDdbm, snrDdb } = DEMO_RADIO;
  const fields = { beaconDigest: beaconDigest(heard.frame), rssiDdbm, snrDdb, frequencyHz, dataRate, timeMs };
  const signed = signWitnessReceipt(fields, witness);
  const bytes = encodeWitnessReceipt(signed);
  const receipt = decodeWitnessReceipt(bytes);
  round.keep('witness-receipt.cbor', bytes);
  round.record('hotspot B hears it (RSSI -108.5 dBm, SNR -7.2 dB) and signs a witness receipt', [
    roundTrip(bytes, encodeWitnessReceipt(receipt)),
    ...signatureChecks('witness', (v) => verifyWitnessReceipt(receipt, witness.publicKey, v)),
    {
      label: 'the device signer (portable) makes the same signature byte for byte',
      ok: equalBytes(signWitnessReceipt(fields, createPortableSigner(seed)).signature, signed.signature),
    },
  ]);
  return receipt;
}

/** Hotspot A's own signed record of the beacon it sent. */
function reportBeacon(round: Round, beaconer: Signer, sent: Beacon, txDoneMs: number): BeaconReport {
  const { frequencyHz, dataRate, txPowerDdbm } = DEMO_RADIO;
  const fields = { frame: sent.frame, frequencyHz, dataRate, txPowerDdbm, timeMs: txDoneMs };
  const signed = signBeaconReport(fields, beaconer);
  const bytes = encodeBeaconReport(signed);
  const report = decodeBeaconReport(bytes);
  round.keep('beacon-report.cbor', bytes);
  round.record('hotspot A signs a beacon report: what it sent, when, and how loud', [
    roundTrip(bytes, encodeBeaconReport(report)),
    ...signatureChecks('beacon report', (v) => verifyBeaconReport(report, v)),
  ]);
  return report;
}

/** A one-item batch, decoded as the oracle would and checked against its uploader; returns the item's id. */
function upload(round: Round, title: string, file: string, uploader: Signer, item: BatchItem): Uint8Array {
  const bytes = encodeUploadBatch({ uploader: uploader.publicKey, items: [item] });
  const decoded = decodeUploadBatch(bytes);
  const first = decoded.items[0];
  const read = decoded.items.length === 1 ? first.item : undefined;
  const id = batchItemId(uploader.publicKey, item);
  round.keep(file, bytes);
  round.record(`${title}: an UploadBatch of 1 item`, [
    roundTrip(bytes, read === undefined ? new Uint8Array(0) : encodeUploadBatch({ ...decoded, items: [read] })),
    { label: `item id ${shortHex(first.id)}… matches the uploader's own`, ok: equalBytes(first.id, id) },
    ...signatureChecks('item', (v) => read !== undefined && verifyBatchItem(decoded.uploader, read, v) === Reason.none),
  ]);
  return id;
}

/** The oracle stores the item and answers with its id, so the hotspot may drop it from its queue. */
function acknowledge(round: Round, id: Uint8Array): void {
  const bytes = encodeUploadAck({ results: [{ id, status: AckStatus.Stored, reason: Reason.none }] });
  const ack = decodeUploadAck(bytes);
  const [result] = ack.results;
  round.keep('upload-ack.cbor', bytes);
  round.record("oracle stores hotspot B's receipt and acknowledges it", [
    roundTrip(bytes, encodeUploadAck(ack)),
    {
      label: "the ack names the receipt's id, stored: B may delete it from its queue",
      ok: ack.results.length === 1 && equalBytes(result.id, id) && result.status === AckStatus.Stored,
    },
  ]);
}

function radioText(): string {
  const { frequencyHz, dataRate, txPowerDdbm } = DEMO_RADIO;
  return `${frequencyHz / 1e6} MHz at ${dataRateName(dataRate)}, ${(txPowerDdbm / 10).toFixed(1)} dBm`;
}

function shortHex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
}
