/**
 * The fields of each covey message as a tree of leaves. A leaf holds the JSON value `covey inspect --json`
 * prints and the text its readable form prints: wire integers next to human units, so that a reader
 * never has to remember that RSSI travels in 0.1 dBm or which code SF12BW125 is.
 */
import {
  AckStatus, beaconDigest, COORDINATE_SCALE, dataRateName, decodeBeacon, ENTROPY_PERIOD_MS, hotspotAddress,
  messageTypeName, MessageType, reasonName, shortName, toHex,
  type AckResult, type Beacon, type BeaconReport, type DecodedBatch, type Entropy, type Onboard, type UploadAck,
  reportedUplink, type DeviceCertificate, type MapperReceipt, type MapperReport, type MapperUplink,
  type WitnessReceipt,
} from '../proofs/index.js';

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** One printed value: its JSON form and its readable form. */
export class Leaf {
  constructor(
    readonly json: Json,
    readonly text: string,
  ) {}
}

/** Named leaves and sub-trees; an array is a list of like items (batch items, ack results). */
export interface Tree {
  readonly [key: string]: Leaf | Tree | readonly Tree[];
}

/** The largest time a JavaScript Date can show (ECMA-262 §21.4.1.22: ±8.64e15 ms). */
const MAX_DATE_MS = 8.64e15;

const hex = (bytes: Uint8Array) => new Leaf(toHex(bytes), toHex(bytes));
const text = (value: string) => new Leaf(value, value);
const oneDecimal = (tenths: number) => (tenths / 10).toFixed(1);

function isoTime(ms: number): string | null {
  return ms <= MAX_DATE_MS ? new Date(ms).toISOString() : null;
}

export function timeLeaf(ms: number): Leaf {
  const iso = isoTime(ms);
  return new Leaf({ ms, iso }, `${iso ?? 'beyond the range of a date'} (${ms} ms)`);
}

export function keyTree(publicKey: Uint8Array): Tree {
  return { address: text(hotspotAddress(publicKey)), shortName: text(shortName(publicKey)), hex: hex(publicKey) };
}

const epochLeaf = (epoch: number) =>
  new Leaf(epoch, `${epoch} (from ${isoTime(epoch * ENTROPY_PERIOD_MS) ?? '?'})`);
const frequencyLeaf = (hz: number) => new Leaf({ Hz: hz, MHz: hz / 1e6 }, `${hz / 1e6} MHz (${hz} Hz)`);
const dataRateLeaf = (code: number) =>
  new Leaf({ code, name: dataRateName(code) }, `${dataRateName(code)} (code ${code})`);
const dBmLeaf = (ddbm: number) =>
  new Leaf({ ddBm: ddbm, dBm: ddbm / 10 }, `${oneDecimal(ddbm)} dBm (${ddbm} in 0.1 dBm)`);
const dBLeaf = (ddb: number) => new Leaf({ ddB: ddb, dB: ddb / 10 }, `${oneDecimal(ddb)} dB (${ddb} in 0.1 dB)`);
const dBiLeaf = (ddbi: number) =>
  new Leaf({ ddBi: ddbi, dBi: ddbi / 10 }, `${oneDecimal(ddbi)} dBi (${ddbi} in 0.1 dBi)`);
const degreesLeaf = (e7: number) =>
  new Leaf({ e7, degrees: e7 / COORDINATE_SCALE }, `${e7 / COORDINATE_SCALE}° (${e7} in 1e-7°)`);

export function entropyFields(entropy: Entropy): Tree {
  return {
    epoch: epochLeaf(entropy.epoch),
    data: hex(entropy.data),
    time: timeLeaf(entropy.timeMs),
    signature: hex(entropy.signature),
  };
}

export function beaconFields(beacon: Beacon): Tree {
  const header = beacon.frame[0];
  return {
    header: new Leaf(header, `0x${header.toString(16)} (LoRaWAN proprietary, beacon v${header & 0b111})`),
    beaconer: keyTree(beacon.beaconer),
    entropyEpoch: epochLeaf(beacon.entropyEpoch),
    entropyTag: hex(beacon.entropyTag),
    nonce: hex(beacon.nonce),
    signature: hex(beacon.signature),
    digest: new Leaf(toHex(beaconDigest(beacon.frame)), `${toHex(beaconDigest(beacon.frame))} (what receipts quote)`),
  };
}

export function beaconReportFields(report: BeaconReport): Tree {
  return { beacon: beaconFields(decodeBeacon(report.frame)), ...sentFields(report) };
}

/** What a transmitter's report says beside its frame: how and when it was sent. */
function sentFields(report: BeaconReport | MapperReport): Tree {
  return {
    frequency: frequencyLeaf(report.frequencyHz),
    dataRate: dataRateLeaf(report.dataRate),
    txPower: dBmLeaf(report.txPowerDdbm),
    time: timeLeaf(report.timeMs),
    signature: hex(report.signature),
  };
}

export function witnessReceiptFields(receipt: WitnessReceipt): Tree {
  return {
    beaconDigest: hex(receipt.beaconDigest),
    rssi: dBmLeaf(receipt.rssiDdbm),
    snr: dBLeaf(receipt.snrDdb),
    frequency: frequencyLeaf(receipt.frequencyHz),
    dataRate: dataRateLeaf(receipt.dataRate),
    time: timeLeaf(receipt.timeMs),
    signature: hex(receipt.signature),
  };
}

export function mapperUplinkFields(uplink: MapperUplink): Tree {
  const header = uplink.frame[0];
  const digest = toHex(beaconDigest(uplink.frame));
  return {
    header: new Leaf(header, `0x${header.toString(16)} (LoRaWAN proprietary, mapper uplink v${header & 0b111})`),
    mapper: keyTree(uplink.mapper),
    lat: degreesLeaf(uplink.latE7),
    lon: degreesLeaf(uplink.lonE7),
    altitude: new Leaf(uplink.altitudeM, `${uplink.altitudeM} m`),
    hdop: new Leaf(uplink.hdopDeci / 10, `${oneDecimal(uplink.hdopDeci)} (${uplink.hdopDeci} in 0.1)`),
    satellites: new Leaf(uplink.satellites, String(uplink.satellites)),
    counter: new Leaf(uplink.counter, String(uplink.counter)),
    signature: hex(uplink.signature),
    digest: new Leaf(digest, `${digest} (what receipts quote)`),
  };
}

/** A hotspot's hearing of a mapper uplink: the same fields as a witness receipt, quoting the uplink. */
export function mapperReceiptFields(receipt: MapperReceipt): Tree {
  const { beaconDigest: uplink, ...rest } = witnessReceiptFields(receipt);
  return { uplink, ...rest };
}

export function deviceCertificateFields(certificate: DeviceCertificate): Tree {
  return {
    vendor: keyTree(certificate.vendor),
    device: keyTree(certificate.device),
    model: text(certificate.model),
    serial: text(certificate.serial),
    issued: timeLeaf(certificate.issuedMs),
    signature: hex(certificate.signature),
  };
}

export function mapperReportFields(report: MapperReport): Tree {
  return { uplink: mapperUplinkFields(reportedUplink(report)), ...sentFields(report) };
}

export function onboardFields(onboard: Onboard): Tree {
  return {
    hotspot: keyTree(onboard.hotspot),
    lat: degreesLeaf(onboard.latE7),
    lon: degreesLeaf(onboard.lonE7),
    gain: dBiLeaf(onboard.gainDdbi),
    region: text(onboard.region),
    time: timeLeaf(onboard.timeMs),
    ...(onboard.certificate === undefined ? {} : { certificate: hex(onboard.certificate) }),
    signature: hex(onboard.signature),
  };
}

export function batchItemFields(batch: DecodedBatch): Tree {
  const items = batch.items.map((decoded): Tree => {
    if (decoded.item === undefined) return { id: hex(decoded.id), error: text(decoded.error.message) };
    const id = hex(decoded.id);
    const item = decoded.item;
    switch (item.kind) {
      case 'witness':
        return { id, type: text(messageTypeName(MessageType.WitnessReceipt)), ...witnessReceiptFields(item.receipt) };
      case 'beacon':
        return { id, type: text(messageTypeName(MessageType.BeaconReport)), ...beaconReportFields(item.report) };
      case 'mapper':
        return { id, type: text(messageTypeName(MessageType.MapperReport)), ...mapperReportFields(item.report) };
      case 'mapper-witness': {
        const { beaconDigest: digest, ...rest } = witnessReceiptFields(item.receipt);
        return { id, type: text(messageTypeName(MessageType.MapperReceipt)), uplinkDigest: digest, ...rest };
      }
    }
  });
  return { uploader: keyTree(batch.uploader), items };
}

const STATUS_NAMES: Record<number, string> = {
  [AckStatus.Stored]: 'stored',
  [AckStatus.Duplicate]: 'duplicate',
  [AckStatus.Rejected]: 'rejected',
};

function resultFields(result: AckResult): Tree {
  const status = STATUS_NAMES[result.status];
  const reason = reasonName(result.reason);
  return {
    id: hex(result.id),
    status: new Leaf({ code: result.status, name: status }, `${status} (${result.status})`),
    reason: new Leaf({ code: result.reason, name: reason }, `${reason} (${result.reason})`),
  };
}

export function ackFields(ack: UploadAck): Tree {
  return { results: ack.results.map(resultFields) };
}
