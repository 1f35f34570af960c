/**
 * Figures for the protocol core: message sizes with realistic values, signing and verification rates
 * on the host, and costs inside the XS engine: the signer's import and what one signature retains
 * (the budgeted figure), the CBOR codec's import, and the whole core's import and first receipt.
 * Import costs are live slots in xsnap; on a device, modules preloaded into flash do not take them
 * from the RAM heap (Moddable documentation/xs/preload.md).
 */
import { performance } from 'node:perf_hooks';
import {
  beaconDigest, createPortableSigner, dataRateCode, encodeBeaconReport, encodeEntropy, encodeUploadBatch,
  encodeWitnessReceipt, entropyEpochAt, PortableVerifier, signBeacon, signBeaconReport, signEntropy,
  signWitnessReceipt, type BatchItem,
} from '../proofs/index.js';
import { createHostSigner, HostVerifier } from '../tools/crypto/node-ed25519.js';
import { CBOR_ENTRY, measureSignerMemory, measureXsSigner, RECEIPT_ENTRY } from '../tools/xs/measure.js';

/** A 2026 timestamp in ms. */
const NOW_MS = Date.UTC(2026, 10, 21, 12, 0, 0);
const BATCH_SIZE = 50;

function seed(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}

/** Operations per second of `op`, run for about `budgetMs`. */
function rate(op: () => void, budgetMs = 1000): number {
  for (let i = 0; i < 20; i++) op();
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 20; i++) op();
    count += 20;
    elapsed = performance.now() - start;
  }
  return Math.round((count * 1000) / elapsed);
}

function sizes() {
  const oracle = createHostSigner(seed(1));
  const beaconer = createHostSigner(seed(2));
  const witness = createHostSigner(seed(3));
  const entropy = signEntropy(
    { epoch: entropyEpochAt(NOW_MS), data: seed(0xa5), timeMs: entropyEpochAt(NOW_MS) * 60_000 },
    oracle,
  );
  const beacon = signBeacon(
    { beaconer: beaconer.publicKey, entropyEpoch: entropy.epoch, entropyTag: entropy.data.slice(0, 4), nonce: seed(9).slice(0, 4) },
    beaconer,
  );
  const sf12 = dataRateCode({ spreadingFactor: 12, bandwidthKHz: 125 });
  const report = signBeaconReport(
    { frame: beacon.frame, frequencyHz: 868_100_000, dataRate: sf12, txPowerDdbm: 140, timeMs: NOW_MS + 20_000 },
    beaconer,
  );
  const receipts: BatchItem[] = [];
  for (let i = 0; i < BATCH_SIZE; i++) {
    const receipt = signWitnessReceipt(
      { beaconDigest: beaconDigest(beacon.frame), rssiDdbm: -1200, snrDdb: -125, frequencyHz: 868_100_000 + i, dataRate: sf12, timeMs: NOW_MS + 21_337 + i },
      witness,
    );
    receipts.push({ kind: 'witness', receipt });
  }
  const receiptBytes = receipts.map((item) => (item.kind === 'witness' ? encodeWitnessReceipt(item.receipt).length : 0));
  const batchBytes = encodeUploadBatch({ uploader: witness.publicKey, items: receipts }).length;
  const sum = receiptBytes.reduce((a, b) => a + b, 0);
  return {
    entropyBytes: encodeEntropy(entropy).length,
    beaconFrameBytes: beacon.frame.length,
    beaconReportBytes: encodeBeaconReport(report).length,
    witnessReceiptBytes: Math.max(...receiptBytes),
    batchOverheadBytes: Number(((batchBytes - sum) / BATCH_SIZE).toFixed(2)),
  };
}

function hostRates() {
  const message = new Uint8Array(120).fill(7);
  const host = createHostSigner(seed(4));
  const portable = createPortableSigner(seed(4));
  const signature = host.sign(message);
  const hostVerifier = new HostVerifier();
  const portableVerifier = new PortableVerifier();
  return {
    signPerSecHost: rate(() => host.sign(message)),
    verifyPerSecHost: rate(() => hostVerifier.verify(signature, message, host.publicKey)),
    signPerSecPortable: rate(() => portable.sign(message)),
    verifyPerSecPortable: rate(() => portableVerifier.verify(signature, message, host.publicKey)),
  };
}

export async function runProofsBench(): Promise<Record<string, number | string>> {
  const xs = await measureXsSigner();
  const codec = await measureSignerMemory(CBOR_ENTRY);
  const core = await measureSignerMemory(RECEIPT_ENTRY);
  return {
    ...sizes(),
    ...hostRates(),
    ...xs,
    xsSignMs: Number(xs.xsSignMs.toFixed(2)),
    xsVerifyMs: Number(xs.xsVerifyMs.toFixed(2)),
    xsCborImportSlots: codec.importSlots,
    xsProofsImportSlots: core.importSlots,
    xsReceiptRetainedSlots: core.retainedSlots,
    node: process.version,
    measuredAt: new Date().toISOString(),
  };
}
