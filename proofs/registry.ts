/**
 * The message type registry. The first item of every covey CBOR message is its type code and the
 * second its version; the on-air beacon frame carries both in its header byte (see beacon.ts).
 * Codes are never reused: a retired type keeps its number.
 */
export const MessageType = {
  Entropy: 1,
  Beacon: 2,
  BeaconReport: 3,
  WitnessReceipt: 4,
  UploadBatch: 5,
  UploadAck: 6,
  Onboard: 7,
  /** The mapper role's GPS-tagged air frame (header 0xE9, mapper-uplink.ts). */
  MapperUplink: 8,
  MapperReport: 9,
  MapperReceipt: 10,
  /** A vendor's signed statement that a device key belongs to a device it made (attestation.ts). */
  DeviceCertificate: 11,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * The version of each type this build writes by default and reads. Onboard also reads and writes
 * version 2, which carries a DeviceCertificate (onboard.ts).
 */
export const CURRENT_VERSION: Readonly<Record<MessageType, number>> = {
  [MessageType.Entropy]: 1,
  [MessageType.Beacon]: 1,
  [MessageType.BeaconReport]: 1,
  [MessageType.WitnessReceipt]: 1,
  [MessageType.UploadBatch]: 1,
  [MessageType.UploadAck]: 1,
  [MessageType.Onboard]: 1,
  [MessageType.MapperUplink]: 1,
  [MessageType.MapperReport]: 1,
  [MessageType.MapperReceipt]: 1,
  [MessageType.DeviceCertificate]: 1,
};

const NAMES: Readonly<Record<number, string>> = {
  1: 'Entropy',
  2: 'Beacon',
  3: 'BeaconReport',
  4: 'WitnessReceipt',
  5: 'UploadBatch',
  6: 'UploadAck',
  7: 'Onboard',
  8: 'MapperUplink',
  9: 'MapperReport',
  10: 'MapperReceipt',
  11: 'DeviceCertificate',
};

export function isMessageType(code: unknown): code is MessageType {
  return typeof code === 'number' && NAMES[code] !== undefined;
}

export function messageTypeName(code: number): string {
  return NAMES[code] ?? `unknown(${code})`;
}
