/**
 * MapperReport: the mapper's own signed record of an uplink it sent, with the radio settings it used. It
 * is the mapper's log of where it has been: the oracle joins MapperReceipts to it by the uplink digest, so
 * an uplink nobody heard still marks its place as walked and not heard.
 *
 * CBOR: [9, 1, frame: bstr .size 113, frequency: uint (Hz), dataRate: uint, txPower: int (0.1 dBm),
 *        time: uint (ms), signature: bstr .size 64], signed by the key in the frame. The same fields as a
 * BeaconReport (beacon-report.ts), under its own type and tag.
 */
import { frameReportLayout, type BeaconReportFields } from './beacon-report.js';
import { decodeSigned, encodeSigned, fromValue, signWith, toValue, verifySigned, type Signed } from './envelope.js';
import { decodeMapperUplink, MAPPER_UPLINK_BYTES, type MapperUplink } from './mapper-uplink.js';
import { MessageType } from './registry.js';
import { SignatureDomain, type Signer, type Verifier } from './signing.js';

/** frame: the mapper uplink exactly as transmitted; timeMs: when the transmission ended (TxDone). */
export type MapperReportFields = BeaconReportFields;
export type MapperReport = Signed<MapperReportFields>;

export const mapperReportLayout = frameReportLayout(
  MessageType.MapperReport, SignatureDomain.MapperReport, MAPPER_UPLINK_BYTES, decodeMapperUplink,
);

/** The uplink inside a report. */
export const reportedUplink = (report: MapperReportFields): MapperUplink => decodeMapperUplink(report.frame);

export const signMapperReport = (fields: MapperReportFields, mapper: Signer): MapperReport =>
  signWith(mapperReportLayout, fields, mapper);
export const encodeMapperReport = (r: MapperReport): Uint8Array => encodeSigned(mapperReportLayout, r);
export const decodeMapperReport = (bytes: Uint8Array): MapperReport => decodeSigned(mapperReportLayout, bytes);
export const mapperReportToValue = (r: MapperReport) => toValue(mapperReportLayout, r);
export const mapperReportFromValue = (v: unknown): MapperReport => fromValue(mapperReportLayout, v);

/** Checks the report's signature against the mapper named in its frame. */
export function verifyMapperReport(report: MapperReport, verifier: Verifier): boolean {
  return verifySigned(mapperReportLayout, report, reportedUplink(report).mapper, verifier);
}
