/**
 * Readable descriptions of covey messages: what `covey inspect` prints, and what the demo and tests
 * reuse. A description holds every field twice, as the integers on the wire and in human units (dBm,
 * MHz, ISO 8601 times, data rate names, hotspot addresses), plus a verdict for each signature that can
 * be checked with the keys at hand.
 *
 * Decoding is proofs/'s strict decoding: anything it rejects is thrown as its DecodeError unchanged.
 */
import {
  CURRENT_VERSION, decodeBeacon, decodeBeaconReport, decodeCbor, decodeDeviceCertificate, decodeEntropy,
  decodeMapperReceipt, decodeMapperReport, decodeOnboard, decodeUploadAck, decodeUploadBatch, decodeWitnessReceipt,
  DecodeError, DecodeFailure, equalBytes, isCoveyFrame, isMessageType, MessageType, messageTypeName, reportedUplink,
  toHex, verifyBeacon, verifyBeaconReport, verifyDeviceCertificate, verifyEntropy, verifyMapperReceipt,
  verifyMapperReport, verifyMapperUplink, verifyOnboard, verifyWitnessReceipt, type Onboard, type Verifier,
} from '../proofs/index.js';
import {
  ackFields, batchItemFields, beaconFields, beaconReportFields, deviceCertificateFields, entropyFields,
  mapperReceiptFields, mapperReportFields, onboardFields, witnessReceiptFields, type Tree,
} from './describe-fields.js';
import { checkBatchItem, checkSignature, expectSigner, type SignatureCheck } from './describe-checks.js';

export { Leaf, type Json, type Tree } from './describe-fields.js';
export type { SignatureCheck, Verdict } from './describe-checks.js';

/** Keys that messages do not carry themselves. */
export interface DescribeOptions {
  readonly verifier: Verifier;
  /** The signer of a bare WitnessReceipt; for messages that name their signer, the key expected there. */
  readonly key?: Uint8Array;
  /** The oracle's key, which signs Entropy. */
  readonly oracleKey?: Uint8Array;
}

export interface Description {
  /** The registry name, e.g. "WitnessReceipt". */
  readonly type: string;
  readonly typeCode: number;
  readonly version: number;
  /** "frame" for the fixed-layout beacon, "cbor" for everything else. */
  readonly encoding: 'frame' | 'cbor';
  readonly size: number;
  readonly fields: Tree;
  readonly signatures: readonly SignatureCheck[];
  /** Parts that could not be read (batch items); each line names its DecodeError code. */
  readonly problems: readonly string[];
}

const NO_KEY = 'no key: pass --key <hex|address>';
const NO_ORACLE_KEY = 'no key: pass --oracle-key <hex|address>';

/**
 * Which message `bytes` hold. A first byte of 0xE0..0xFF is a beacon frame header (LoRaWAN MType
 * "proprietary", beacon.ts); as CBOR it would be major type 7 (floats and simple values), which is never
 * a covey message, so the two encodings cannot be confused. Anything else must be a CBOR array whose
 * first item is the type code (registry.ts).
 */
export function detectMessageType(bytes: Uint8Array): MessageType {
  if (isCoveyFrame(bytes)) return MessageType.Beacon;
  const value = decodeCbor(bytes);
  if (!Array.isArray(value) || value.length < 2) {
    throw new DecodeError(DecodeFailure.WrongType, 'a covey message is a CBOR array [type, version, ...]');
  }
  const code: unknown = value[0];
  if (!isMessageType(code)) throw new DecodeError(DecodeFailure.UnknownType, `message type ${String(code)}`);
  if (code === MessageType.Beacon) {
    throw new DecodeError(DecodeFailure.WrongType, 'a Beacon travels as a 109-byte frame, not as CBOR');
  }
  if (code === MessageType.MapperUplink) {
    throw new DecodeError(DecodeFailure.UnknownType, 'MapperUplink (8) is reserved and not defined yet');
  }
  return code;
}

/** What each message type contributes to its description. */
type Describer = (bytes: Uint8Array, options: DescribeOptions) => {
  readonly fields: Tree;
  readonly signatures: SignatureCheck[];
  readonly problems?: string[];
  /** The version this message was read as, where a type has more than one (Onboard). */
  readonly version?: number;
};

/**
 * An Onboard and, in version 2, the vendor certificate it carries: decoded and its vendor signature
 * checked. Whether the vendor is trusted is the oracle's list, not something a message can say.
 */
function describeOnboard(onboard: Onboard, verifier: Verifier, key: Uint8Array | undefined): ReturnType<Describer> {
  const signatures = [checkSignature('onboard request', onboard.hotspot, () => verifyOnboard(onboard, verifier))];
  expectSigner(signatures, 'hotspot', onboard.hotspot, key);
  const fields = onboardFields(onboard);
  if (onboard.certificate === undefined) return { fields, signatures, version: 1 };
  const problems: string[] = [];
  try {
    const certificate = decodeDeviceCertificate(onboard.certificate);
    signatures.push(checkSignature('device certificate', certificate.vendor, () => verifyDeviceCertificate(certificate, verifier)));
    if (!equalBytes(certificate.device, onboard.hotspot)) {
      problems.push(`certificate: it names the device ${toHex(certificate.device)}, not this hotspot`);
    }
    return { fields: { ...fields, certificate: deviceCertificateFields(certificate) }, signatures, problems, version: 2 };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    problems.push(`certificate: ${error.message}`);
    return { fields, signatures, problems, version: 2 };
  }
}

const DESCRIBERS: Partial<Record<MessageType, Describer>> = {
  [MessageType.Beacon]: (bytes, { verifier, key }) => {
    const beacon = decodeBeacon(bytes);
    const signatures = [checkSignature('beacon', beacon.beaconer, () => verifyBeacon(beacon, verifier))];
    expectSigner(signatures, 'beaconer', beacon.beaconer, key);
    return { fields: beaconFields(beacon), signatures };
  },
  [MessageType.Entropy]: (bytes, { verifier, oracleKey }) => {
    const entropy = decodeEntropy(bytes);
    const check = checkSignature('entropy', oracleKey, (k) => verifyEntropy(entropy, k, verifier), NO_ORACLE_KEY);
    return { fields: entropyFields(entropy), signatures: [check] };
  },
  [MessageType.BeaconReport]: (bytes, { verifier, key }) => {
    const report = decodeBeaconReport(bytes);
    const beacon = decodeBeacon(report.frame);
    const signatures = [
      checkSignature('beacon report', beacon.beaconer, () => verifyBeaconReport(report, verifier)),
      checkSignature('beacon in the report', beacon.beaconer, () => verifyBeacon(beacon, verifier)),
    ];
    expectSigner(signatures, 'beaconer', beacon.beaconer, key);
    return { fields: beaconReportFields(report), signatures };
  },
  [MessageType.WitnessReceipt]: (bytes, { verifier, key }) => {
    const receipt = decodeWitnessReceipt(bytes);
    const check = checkSignature('witness receipt', key, (k) => verifyWitnessReceipt(receipt, k, verifier), NO_KEY);
    return { fields: witnessReceiptFields(receipt), signatures: [check] };
  },
  [MessageType.Onboard]: (bytes, { verifier, key }) => describeOnboard(decodeOnboard(bytes), verifier, key),
  [MessageType.MapperReport]: (bytes, { verifier, key }) => {
    const report = decodeMapperReport(bytes);
    const uplink = reportedUplink(report);
    const signatures = [
      checkSignature('mapper report', uplink.mapper, () => verifyMapperReport(report, verifier)),
      checkSignature('uplink in the report', uplink.mapper, () => verifyMapperUplink(uplink, verifier)),
    ];
    expectSigner(signatures, 'mapper', uplink.mapper, key);
    return { fields: mapperReportFields(report), signatures };
  },
  [MessageType.MapperReceipt]: (bytes, { verifier, key }) => {
    const receipt = decodeMapperReceipt(bytes);
    const check = checkSignature('mapper receipt', key, (k) => verifyMapperReceipt(receipt, k, verifier), NO_KEY);
    return { fields: mapperReceiptFields(receipt), signatures: [check] };
  },
  [MessageType.DeviceCertificate]: (bytes, { verifier, key }) => {
    const certificate = decodeDeviceCertificate(bytes);
    const signatures = [checkSignature('device certificate', certificate.vendor, () => verifyDeviceCertificate(certificate, verifier))];
    expectSigner(signatures, 'vendor', certificate.vendor, key);
    return { fields: deviceCertificateFields(certificate), signatures };
  },
  [MessageType.UploadBatch]: (bytes, { verifier, key }) => {
    const batch = decodeUploadBatch(bytes);
    const signatures: SignatureCheck[] = [];
    const problems: string[] = [];
    batch.items.forEach((decoded, i) => {
      if (decoded.item === undefined) problems.push(`items[${i}]: ${decoded.error.message}`);
      else signatures.push(...checkBatchItem(`items[${i}]`, batch.uploader, decoded.item, verifier));
    });
    expectSigner(signatures, 'uploader', batch.uploader, key);
    return { fields: batchItemFields(batch), signatures, problems };
  },
  [MessageType.UploadAck]: (bytes) => ({ fields: ackFields(decodeUploadAck(bytes)), signatures: [] }),
};

/** Decodes `bytes` strictly and describes the message, checking every signature it can. */
export function describeMessage(bytes: Uint8Array, options: DescribeOptions): Description {
  const type = detectMessageType(bytes);
  const describe = DESCRIBERS[type];
  if (describe === undefined) throw new DecodeError(DecodeFailure.UnknownType, `message type ${type}`);
  const { fields, signatures, problems = [], version = CURRENT_VERSION[type] } = describe(bytes, options);
  return {
    type: messageTypeName(type),
    typeCode: type,
    version,
    encoding: type === MessageType.Beacon ? 'frame' : 'cbor',
    size: bytes.length,
    fields,
    signatures,
    problems,
  };
}

export { isSound } from './describe-checks.js';
export { describeJson, describeText } from './describe-render.js';
