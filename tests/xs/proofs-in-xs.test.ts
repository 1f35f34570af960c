/**
 * The protocol core inside the real XS engine agrees with Node byte for byte: what XS signs is what the
 * host signs with the same seeds, and XS accepts and rejects exactly what the host does. The host side
 * signs with node:crypto (tools/crypto/node-ed25519.ts), so both the code and the crypto differ.
 */
import { fileURLToPath } from 'node:url';
import {
  beaconDigest, dataRateCode, decodeBeacon, decodeEntropy, decodeUploadBatch, decodeWitnessReceipt,
  DecodeFailure, encodeEntropy, encodeUploadBatch, encodeWitnessReceipt, isDecodeError, Reason, signBeacon,
  signBeaconReport, signEntropy, signWitnessReceipt, toHex, verifyBatchItem, verifyBeacon, verifyEntropy,
  verifyWitnessReceipt, type BeaconFields, type BeaconReportFields, type EntropyFields, type WitnessReceiptFields,
} from '../../proofs/index.js';
import { createHostSigner, HostVerifier } from '../../tools/crypto/node-ed25519.js';
import { XsCommandError, XsWorker } from '../../tools/xs/xs-runner.js';

const ENTRY = fileURLToPath(new URL('./entries/proofs-entry.ts', import.meta.url));
const NOW_MS = Date.UTC(2026, 10, 21, 12, 0, 0);

const seed = (byte: number) => new Uint8Array(32).fill(byte);
const WITNESS_SEED = seed(0x11);
const BEACONER_SEED = seed(0x22);
const ORACLE_SEED = seed(0x33);
const witness = createHostSigner(WITNESS_SEED);
const beaconer = createHostSigner(BEACONER_SEED);
const oracle = createHostSigner(ORACLE_SEED);
const hostVerifier = new HostVerifier();

const entropyFields: EntropyFields = {
  epoch: Math.floor(NOW_MS / 60_000),
  data: Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 5) & 0xff),
  timeMs: NOW_MS,
};
const beaconFields: BeaconFields = {
  beaconer: beaconer.publicKey,
  entropyEpoch: entropyFields.epoch,
  entropyTag: entropyFields.data.slice(0, 4),
  nonce: Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
};
const beaconFrame = signBeacon(beaconFields, beaconer).frame;
const receiptFields: WitnessReceiptFields = {
  beaconDigest: beaconDigest(beaconFrame),
  rssiDdbm: -1105,
  snrDdb: -75,
  frequencyHz: 868_100_213,
  dataRate: dataRateCode({ spreadingFactor: 9, bandwidthKHz: 125 }),
  timeMs: NOW_MS + 1_234,
};
/** The batch's uploader (the witness) also reports a beacon of its own. */
const ownBeaconFrame = signBeacon({ ...beaconFields, beaconer: witness.publicKey }, witness).frame;
const reportFields: BeaconReportFields = {
  frame: ownBeaconFrame,
  frequencyHz: 868_100_000,
  dataRate: receiptFields.dataRate,
  txPowerDdbm: 140,
  timeMs: NOW_MS + 60_000,
};
const batchReceipts = [receiptFields, { ...receiptFields, rssiDdbm: -1201, timeMs: NOW_MS + 2_000 }];

const hostReceipt = encodeWitnessReceipt(signWitnessReceipt(receiptFields, witness));
const hostEntropy = encodeEntropy(signEntropy(entropyFields, oracle));
const hostBatch = encodeUploadBatch({
  uploader: witness.publicKey,
  items: [
    ...batchReceipts.map((fields) => ({ kind: 'witness' as const, receipt: signWitnessReceipt(fields, witness) })),
    { kind: 'beacon' as const, report: signBeaconReport(reportFields, witness) },
  ],
});

let worker: XsWorker;

beforeAll(async () => {
  worker = await XsWorker.start({ name: 'covey-xs-proofs' });
  await worker.load(ENTRY);
});

afterAll(async () => {
  await worker?.close();
});

async function xs<T>(op: string, args: Record<string, unknown>): Promise<T> {
  return (await worker.call<T>(op, args)).value;
}

describe('XS signs exactly what Node signs', () => {
  test('the public key of a seed', async () => {
    expect(toHex(await xs<Uint8Array>('publicKey', { seed: WITNESS_SEED }))).toBe(toHex(witness.publicKey));
  });

  test('a WitnessReceipt', async () => {
    const bytes = await xs<Uint8Array>('signWitnessReceipt', { seed: WITNESS_SEED, fields: receiptFields });
    expect(toHex(bytes)).toBe(toHex(hostReceipt));
  });

  test('a Beacon frame', async () => {
    const frame = await xs<Uint8Array>('signBeacon', { seed: BEACONER_SEED, fields: beaconFields });
    expect(toHex(frame)).toBe(toHex(beaconFrame));
  });

  test('an Entropy message', async () => {
    const bytes = await xs<Uint8Array>('signEntropy', { seed: ORACLE_SEED, fields: entropyFields });
    expect(toHex(bytes)).toBe(toHex(hostEntropy));
  });

  test('an UploadBatch of receipts and a beacon report', async () => {
    const bytes = await xs<Uint8Array>('signUploadBatch', {
      seed: WITNESS_SEED,
      receipts: batchReceipts,
      reports: [reportFields],
    });
    expect(toHex(bytes)).toBe(toHex(hostBatch));
  });
});

/**
 * How a copy of a message fares: "accepted", "invalid" (decoded, signature refused) or the DecodeError
 * code. Anything else thrown is a defect in the decoder, so it is not caught.
 */
type Verdict = string;

function verdictOf(run: () => boolean): Verdict {
  try {
    return run() ? 'accepted' : 'invalid';
  } catch (error) {
    if (isDecodeError(error)) return error.code;
    throw error;
  }
}

async function xsVerdictOf(run: () => Promise<boolean>): Promise<Verdict> {
  try {
    return (await run()) ? 'accepted' : 'invalid';
  } catch (error) {
    if (error instanceof XsCommandError && error.remoteName === 'DecodeError' && error.code) return error.code;
    throw error;
  }
}

interface Kind {
  readonly name: string;
  readonly bytes: Uint8Array;
  host(bytes: Uint8Array): boolean;
  inXs(bytes: Uint8Array): Promise<boolean>;
}

const batchAccepted = (items: readonly { error?: unknown; reason?: number }[]) =>
  items.every((item) => item.error === undefined && item.reason === Reason.none);

const KINDS: readonly Kind[] = [
  {
    name: 'WitnessReceipt',
    bytes: hostReceipt,
    host: (bytes) => verifyWitnessReceipt(decodeWitnessReceipt(bytes), witness.publicKey, hostVerifier),
    inXs: async (bytes) => (await xs<{ valid: boolean }>('decodeWitnessReceipt', { bytes, key: witness.publicKey })).valid,
  },
  {
    name: 'Beacon',
    bytes: beaconFrame,
    host: (bytes) => verifyBeacon(decodeBeacon(bytes), hostVerifier),
    inXs: async (bytes) => (await xs<{ valid: boolean }>('decodeBeacon', { bytes })).valid,
  },
  {
    name: 'Entropy',
    bytes: hostEntropy,
    host: (bytes) => verifyEntropy(decodeEntropy(bytes), oracle.publicKey, hostVerifier),
    inXs: async (bytes) => (await xs<{ valid: boolean }>('decodeEntropy', { bytes, key: oracle.publicKey })).valid,
  },
  {
    name: 'UploadBatch',
    bytes: hostBatch,
    host: (bytes) => {
      const batch = decodeUploadBatch(bytes);
      return batchAccepted(
        batch.items.map((d) => (d.item ? { reason: verifyBatchItem(batch.uploader, d.item, hostVerifier) } : d)),
      );
    },
    inXs: async (bytes) => batchAccepted((await xs<{ items: { error?: string; reason?: number }[] }>('decodeUploadBatch', { bytes })).items),
  },
];

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[bit >> 3] ^= 0x80 >> (bit & 7);
  return copy;
}

/** About `count` bit positions spread over the message; an odd stride visits every bit of a byte. */
function sampleBits(byteLength: number, count: number): number[] {
  const total = byteLength * 8;
  const stride = Math.max(1, Math.floor(total / count)) | 1;
  const bits: number[] = [];
  for (let bit = 0; bit < total; bit += stride) bits.push(bit);
  return [...bits, total - 1];
}

describe.each(KINDS)('XS judges a $name as Node does', (kind) => {
  test('accepts the one Node made', async () => {
    expect(verdictOf(() => kind.host(kind.bytes))).toBe('accepted');
    expect(await xsVerdictOf(() => kind.inXs(kind.bytes))).toBe('accepted');
  });

  test('rejects every sampled one-bit flip, with the same verdict as Node', async () => {
    const named = new Set<string>(Object.values(DecodeFailure));
    for (const bit of sampleBits(kind.bytes.length, 40)) {
      const tampered = flipBit(kind.bytes, bit);
      const host = verdictOf(() => kind.host(tampered));
      const device = await xsVerdictOf(() => kind.inXs(tampered));
      expect({ bit, device }).toEqual({ bit, device: host });
      expect(device === 'invalid' || named.has(device)).toBe(true);
    }
  });
});

test('XS returns the fields Node decodes', async () => {
  const { receipt } = await xs<{ receipt: unknown }>('decodeWitnessReceipt', { bytes: hostReceipt, key: witness.publicKey });
  expect(receipt).toEqual({ ...decodeWitnessReceipt(hostReceipt) });
  const { beacon } = await xs<{ beacon: unknown }>('decodeBeacon', { bytes: beaconFrame });
  expect(beacon).toEqual({ ...decodeBeacon(beaconFrame) });
});

test('XS names the defect: a receipt whose type code is flipped is WrongType', async () => {
  // Byte 1 is the type code 4 (WitnessReceipt); its low bit makes it 5 (UploadBatch).
  const tampered = flipBit(hostReceipt, 15);
  await expect(worker.call('decodeWitnessReceipt', { bytes: tampered, key: witness.publicKey })).rejects.toMatchObject({
    remoteName: 'DecodeError',
    code: DecodeFailure.WrongType,
  });
});
