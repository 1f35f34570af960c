/**
 * BeaconReport: the beaconer's own signed record of a beacon it transmitted, with the radio settings
 * it used. The oracle joins witness receipts to it by the beacon digest.
 *
 * CBOR: [3, 1, frame: bstr .size 109, frequency: uint (Hz), dataRate: uint, txPower: int (0.1 dBm),
 *        time: uint (ms), signature: bstr .size 64], signed by the key in the frame.
 */
import { decodeBeacon, BEACON_FRAME_BYTES, type Beacon } from './beacon.js';
import { DecodeError, DecodeFailure } from './errors.js';
import { readBytes } from './fields.js';
import {
  decodeSigned, encodeSigned, fromValue, signWith, toValue, verifySigned, type Signed, type SignedLayout,
} from './envelope.js';
import { MessageType } from './registry.js';
import { SignatureDomain, type Signer, type Verifier } from './signing.js';
import { readDataRate, readFrequency, readTime, readTxPower } from './units.js';

export interface BeaconReportFields {
  /** The frame exactly as transmitted. */
  readonly frame: Uint8Array;
  readonly frequencyHz: number;
  readonly dataRate: number;
  /** Conducted power in 0.1 dBm, as the radio was set: the oracle's RSSI check depends on it being true. */
  readonly txPowerDdbm: number;
  /** When the transmission ended (TxDone), ms since the Unix epoch. */
  readonly timeMs: number;
}
export type BeaconReport = Signed<BeaconReportFields>;

/**
 * The layout of a transmitter's report of a frame it sent: a BeaconReport, and a MapperReport
 * (mapper-report.ts) carry the same fields under their own type and signature tag. `decodeFrame` checks
 * that the frame is itself well formed.
 */
export function frameReportLayout(
  type: MessageType, domain: SignatureDomain, frameBytes: number, decodeFrame: (frame: Uint8Array) => unknown,
): SignedLayout<BeaconReportFields> {
  const readFrame = (value: unknown): Uint8Array => {
    const frame = readBytes(value, 'frame', frameBytes);
    try {
      decodeFrame(frame);
    } catch (error) {
      // Say it is the frame, not the report, whose type or version is unknown.
      if (error instanceof DecodeError) throw new DecodeError(DecodeFailure.OutOfRange, `frame: ${error.message}`);
      throw error;
    }
    return frame;
  };
  return {
    type,
    domain,
    fieldCount: 5,
    toFields: (m) => [m.frame, m.frequencyHz, m.dataRate, m.txPowerDdbm, m.timeMs],
    fromFields: (f) => ({
      frame: readFrame(f[0]),
      frequencyHz: readFrequency(f[1]),
      dataRate: readDataRate(f[2]),
      txPowerDdbm: readTxPower(f[3]),
      timeMs: readTime(f[4]),
    }),
  };
}

export const beaconReportLayout = frameReportLayout(MessageType.BeaconReport, SignatureDomain.BeaconReport, BEACON_FRAME_BYTES, decodeBeacon);

/** The beacon inside a report. */
export const reportedBeacon = (report: BeaconReportFields): Beacon => decodeBeacon(report.frame);

export const signBeaconReport = (fields: BeaconReportFields, beaconer: Signer): BeaconReport =>
  signWith(beaconReportLayout, fields, beaconer);
export const encodeBeaconReport = (r: BeaconReport): Uint8Array => encodeSigned(beaconReportLayout, r);
export const decodeBeaconReport = (bytes: Uint8Array): BeaconReport => decodeSigned(beaconReportLayout, bytes);
export const beaconReportToValue = (r: BeaconReport) => toValue(beaconReportLayout, r);
export const beaconReportFromValue = (v: unknown): BeaconReport => fromValue(beaconReportLayout, v);

/** Checks the report's signature against the beaconer named in its frame. */
export function verifyBeaconReport(report: BeaconReport, verifier: Verifier): boolean {
  return verifySigned(beaconReportLayout, report, reportedBeacon(report).beaconer, verifier);
}
