/**
 * XS entry for tests/xs/proofs-in-xs.test.ts: signs, encodes, decodes and verifies covey's messages
 * with the protocol core exactly as the device bundles it. Device code: no Node built-ins.
 *
 * Signing commands take the same fields the host test uses and return the encoding; decoding commands
 * take bytes and return the decoded fields with the verdict. A DecodeError crosses back with its code
 * (tools/xs/entries/serve.ts).
 */
import {
  createPortableSigner, decodeBeacon, decodeEntropy, decodeUploadBatch, decodeWitnessReceipt, encodeEntropy,
  encodeUploadBatch, encodeWitnessReceipt, PortableVerifier, signBeacon, signBeaconReport, signEntropy,
  signWitnessReceipt, verifyBatchItem, verifyBeacon, verifyEntropy, verifyWitnessReceipt,
  type BatchItem, type BeaconFields, type BeaconReportFields, type EntropyFields, type WitnessReceiptFields,
} from '../../../proofs/index.js';
import { serveCommands } from '../../../tools/xs/entries/serve.js';

type Args = Readonly<Record<string, unknown>>;

const verifier = new PortableVerifier();

function bytesArg(args: Args, name: string): Uint8Array {
  const value = args[name];
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be bytes`);
  return value;
}

/** Fields arrive as plain JSON objects; the proofs functions check every one of them. */
function fieldsArg<T>(args: Args, name = 'fields'): T {
  const value = args[name];
  if (value === null || typeof value !== 'object') throw new TypeError(`${name} must be an object`);
  return value as T;
}

const signerOf = (args: Args) => createPortableSigner(bytesArg(args, 'seed'));

serveCommands({
  publicKey: (args) => signerOf(args).publicKey,

  signWitnessReceipt: (args) =>
    encodeWitnessReceipt(signWitnessReceipt(fieldsArg<WitnessReceiptFields>(args), signerOf(args))),

  signBeacon: (args) => signBeacon(fieldsArg<BeaconFields>(args), signerOf(args)).frame,

  signEntropy: (args) => encodeEntropy(signEntropy(fieldsArg<EntropyFields>(args), signerOf(args))),

  /** A batch of the given receipts and beacon reports, all signed inside XS by the uploader's key. */
  signUploadBatch: (args) => {
    const signer = signerOf(args);
    const receipts = args.receipts as readonly WitnessReceiptFields[];
    const reports = args.reports as readonly BeaconReportFields[];
    const items: BatchItem[] = [
      ...receipts.map((fields): BatchItem => ({ kind: 'witness', receipt: signWitnessReceipt(fields, signer) })),
      ...reports.map((fields): BatchItem => ({ kind: 'beacon', report: signBeaconReport(fields, signer) })),
    ];
    return encodeUploadBatch({ uploader: signer.publicKey, items });
  },

  decodeWitnessReceipt: (args) => {
    const receipt = decodeWitnessReceipt(bytesArg(args, 'bytes'));
    return { receipt, valid: verifyWitnessReceipt(receipt, bytesArg(args, 'key'), verifier) };
  },

  decodeBeacon: (args) => {
    const beacon = decodeBeacon(bytesArg(args, 'bytes'));
    return { beacon, valid: verifyBeacon(beacon, verifier) };
  },

  decodeEntropy: (args) => {
    const entropy = decodeEntropy(bytesArg(args, 'bytes'));
    return { entropy, valid: verifyEntropy(entropy, bytesArg(args, 'key'), verifier) };
  },

  /** Each item's id and kind with its verdict (a Reason code), or the code of its DecodeError. */
  decodeUploadBatch: (args) => {
    const batch = decodeUploadBatch(bytesArg(args, 'bytes'));
    const items = batch.items.map((decoded) =>
      decoded.item === undefined
        ? { id: decoded.id, error: decoded.error.code }
        : { id: decoded.id, kind: decoded.item.kind, reason: verifyBatchItem(batch.uploader, decoded.item, verifier) },
    );
    return { uploader: batch.uploader, items };
  },
});
