/** What a fake oracle stored, decoded and checked the way the oracle's verifier would. */
import {
  decodeBeacon, decodeBeaconReport, decodeWitnessReceipt, MessageType, toHex, verifyBeaconReport, verifyWitnessReceipt,
  type BeaconReport, type WitnessReceipt,
} from '../../proofs/index.js';
import type { FakeOracle } from '../../host-sim/oracle/fake-oracle.js';
import { hostVerifier } from './keys.js';

export interface UploaderRecords {
  readonly reports: BeaconReport[];
  readonly receipts: WitnessReceipt[];
  /** Stored items that are neither (none expected). */
  other: number;
  /** Items whose signature does not verify under the uploader's key. */
  badSignatures: number;
}

/** The items `oracle` stored from the uploader `key`, decoded, in the order stored. */
export function recordsOf(oracle: FakeOracle, key: Uint8Array): UploaderRecords {
  const records: UploaderRecords = { reports: [], receipts: [], other: 0, badSignatures: 0 };
  const keyHex = toHex(key);
  for (const item of oracle.stored.filter((s) => s.uploaderHex === keyHex)) {
    if (item.bytes[1] === MessageType.BeaconReport) {
      const report = decodeBeaconReport(item.bytes);
      if (!verifyBeaconReport(report, hostVerifier) || toHex(decodeBeacon(report.frame).beaconer) !== keyHex) records.badSignatures++;
      records.reports.push(report);
    } else if (item.bytes[1] === MessageType.WitnessReceipt) {
      const receipt = decodeWitnessReceipt(item.bytes);
      if (!verifyWitnessReceipt(receipt, key, hostVerifier)) records.badSignatures++;
      records.receipts.push(receipt);
    } else {
      records.other++;
    }
  }
  return records;
}

/** True when the report's beacon cites entropy the oracle issued, at most `maxAgeEpochs` entropy periods before it was sent. */
export function citesIssuedEntropy(oracle: FakeOracle, report: BeaconReport, entropyEpochOfSending: number, maxAgeEpochs = 2): boolean {
  const beacon = decodeBeacon(report.frame);
  const age = entropyEpochOfSending - beacon.entropyEpoch;
  const issued = oracle.entropyOf(beacon.entropyEpoch).data.subarray(0, 4);
  return age >= 0 && age <= maxAgeEpochs && toHex(issued) === toHex(beacon.entropyTag);
}

/** True when no id was stored twice. */
export function storedOnce(oracle: FakeOracle): boolean {
  return new Set(oracle.stored.map((s) => s.idHex)).size === oracle.stored.length;
}
