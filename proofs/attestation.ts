/**
 * DeviceCertificate: a hardware vendor's signed statement that a device public key belongs to a device it
 * made, of a given model and serial number. The vendor writes it into the device's key-value store at the
 * factory (key `attest`); the device sends it with its Onboard request (onboard.ts, version 2), and an
 * oracle that trusts the vendor's key records the hotspot as attested rather than DIY (docs/oracle.md).
 *
 * CBOR: [11, 1, vendor: bstr .size 32, device: bstr .size 32, model: tstr, serial: tstr,
 *        issued: uint (ms), signature: bstr .size 64]
 *
 * The signature is the vendor's, under its own tag, so it can never be taken for any other covey
 * signature. Model and serial are short printable ASCII, which keeps the whole certificate at most
 * MAX_CERTIFICATE_BYTES (it travels inside every attested Onboard request and sits in NVS).
 */
import { readBytes, readText } from './fields.js';
import {
  decodeSigned, encodeSigned, signWith, verifySigned, KEY_BYTES, type Signed, type SignedLayout,
} from './envelope.js';
import { MessageType } from './registry.js';
import { SignatureDomain, type Signer, type Verifier } from './signing.js';
import { readTime } from './units.js';

/*
 * Model and serial are at most 23 characters: the longest text whose CBOR head is one byte (RFC 8949
 * §3.1, lengths 0–23 are in the head itself).
 */
/** 1–23 printable ASCII characters, neither starting nor ending with a space: "Heltec WiFi LoRa 32 V3". */
export const MODEL_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]{0,21}[\x21-\x7e])?$/;
/** 1–23 characters: letters, digits and . _ : / -, starting with a letter or digit: "HT3-2026-000123". */
export const SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,22}$/;
/**
 * The largest encoding: array head 1, type 1, version 1, two keys 2 × 34, model and serial at most
 * 2 × 24, time at most 9, signature 66.
 */
export const MAX_CERTIFICATE_BYTES = 194;

export interface DeviceCertificateFields {
  /** The vendor's ed25519 public key, which signs the certificate. */
  readonly vendor: Uint8Array;
  /** The device's ed25519 public key: the hotspot id. */
  readonly device: Uint8Array;
  readonly model: string;
  readonly serial: string;
  /** When the vendor issued it, ms since the Unix epoch. */
  readonly issuedMs: number;
}
export type DeviceCertificate = Signed<DeviceCertificateFields>;

const layout: SignedLayout<DeviceCertificateFields> = {
  type: MessageType.DeviceCertificate,
  domain: SignatureDomain.DeviceCertificate,
  fieldCount: 5,
  toFields: (c) => [c.vendor, c.device, c.model, c.serial, c.issuedMs],
  fromFields: (f) => ({
    vendor: readBytes(f[0], 'vendor', KEY_BYTES),
    device: readBytes(f[1], 'device', KEY_BYTES),
    model: readText(f[2], 'model', MODEL_PATTERN),
    serial: readText(f[3], 'serial', SERIAL_PATTERN),
    issuedMs: readTime(f[4], 'issued'),
  }),
};

/** Signs with the vendor's key; `fields.vendor` should be its public key, or nothing will verify it. */
export const signDeviceCertificate = (fields: DeviceCertificateFields, vendor: Signer): DeviceCertificate =>
  signWith(layout, fields, vendor);
export const encodeDeviceCertificate = (c: DeviceCertificate): Uint8Array => encodeSigned(layout, c);
export const decodeDeviceCertificate = (bytes: Uint8Array): DeviceCertificate => decodeSigned(layout, bytes);
/**
 * Checks the signature against the vendor key the certificate names. Whether that vendor is trusted is
 * the reader's decision (the oracle's list of trusted vendors), not the certificate's.
 */
export const verifyDeviceCertificate = (c: DeviceCertificate, verifier: Verifier): boolean =>
  verifySigned(layout, c, c.vendor, verifier);
