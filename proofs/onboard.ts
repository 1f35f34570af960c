/**
 * Onboard: a hotspot's signed request to join the oracle's registry, with the location and antenna
 * it asserts. The oracle's distance and RSSI checks are only as good as these values.
 *
 * CBOR, version 1: [7, 1, hotspot: bstr .size 32, lat: int (1e-7 degree), lon: int (1e-7 degree),
 *                   gain: int (0.1 dBi), region: tstr, time: uint (ms), signature: bstr .size 64]
 * version 2:       [7, 2, the same six fields, certificate: bstr (an encoded DeviceCertificate),
 *                   signature: bstr .size 64]
 *
 * A hotspot that holds a vendor's certificate (attestation.ts) sends version 2, any other version 1.
 * Version 2 carries the certificate as the vendor's bytes, not decoded: the hotspot signs over them
 * unchanged, and an oracle judges the certificate on its own, so one it cannot read (damaged, or of a
 * newer version) costs the hotspot its attestation, never its registration.
 */
import { MAX_CERTIFICATE_BYTES } from './attestation.js';
import { decodeCbor } from './cbor.js';
import { readBytes, readBytesBetween, readInt, readText } from './fields.js';
import {
  encodeSigned, fromValue, signWith, verifySigned, KEY_BYTES, type Signed, type SignedLayout,
} from './envelope.js';
import { MessageType } from './registry.js';
import { SignatureDomain, type Signer, type Verifier } from './signing.js';
import { readGain, readTime } from './units.js';

/** Region identifiers are upper-case names such as EU868 or AS923_1 (radio.md §3). */
export const REGION_PATTERN = /^[A-Z][A-Z0-9_]{1,14}$/;
/** Coordinates are degrees × 10^7 (about 1.1 cm at the equator), as in u-blox UBX-NAV-PVT. */
export const COORDINATE_SCALE = 1e7;
/** The Onboard version that carries a device certificate. */
export const ATTESTED_ONBOARD_VERSION = 2;

export interface OnboardFields {
  readonly hotspot: Uint8Array;
  readonly latE7: number;
  readonly lonE7: number;
  readonly gainDdbi: number;
  readonly region: string;
  readonly timeMs: number;
  /** An encoded DeviceCertificate (version 2); absent in version 1. */
  readonly certificate?: Uint8Array;
}
export type Onboard = Signed<OnboardFields>;

const baseFields = (m: OnboardFields) => [m.hotspot, m.latE7, m.lonE7, m.gainDdbi, m.region, m.timeMs];
const readBase = (f: readonly unknown[]): OnboardFields => ({
  hotspot: readBytes(f[0], 'hotspot', KEY_BYTES),
  latE7: readInt(f[1], 'lat', -90 * COORDINATE_SCALE, 90 * COORDINATE_SCALE),
  lonE7: readInt(f[2], 'lon', -180 * COORDINATE_SCALE, 180 * COORDINATE_SCALE),
  gainDdbi: readGain(f[3]),
  region: readText(f[4], 'region', REGION_PATTERN),
  timeMs: readTime(f[5]),
});

const layoutV1: SignedLayout<OnboardFields> = {
  type: MessageType.Onboard,
  version: 1,
  domain: SignatureDomain.Onboard,
  fieldCount: 6,
  toFields: baseFields,
  fromFields: readBase,
};

const layoutV2: SignedLayout<OnboardFields> = {
  type: MessageType.Onboard,
  version: ATTESTED_ONBOARD_VERSION,
  domain: SignatureDomain.OnboardAttested,
  fieldCount: 7,
  toFields: (m) => [...baseFields(m), m.certificate as Uint8Array],
  fromFields: (f) => ({
    ...readBase(f),
    certificate: readBytesBetween(f[6], 'certificate', 1, MAX_CERTIFICATE_BYTES),
  }),
};

const layoutOf = (m: OnboardFields) => (m.certificate === undefined ? layoutV1 : layoutV2);

/** Signs version 1, or version 2 when `fields.certificate` is given. */
export const signOnboard = (fields: OnboardFields, hotspot: Signer): Onboard => signWith(layoutOf(fields), fields, hotspot);
export const encodeOnboard = (m: Onboard): Uint8Array => encodeSigned(layoutOf(m), m);
/** Reads either version; another version is refused as UnknownVersion. */
export function decodeOnboard(bytes: Uint8Array): Onboard {
  const value = decodeCbor(bytes);
  const version = Array.isArray(value) ? value[1] : undefined;
  return fromValue(version === ATTESTED_ONBOARD_VERSION ? layoutV2 : layoutV1, value);
}
/** Checks the signature against the key the request itself names. */
export const verifyOnboard = (m: Onboard, verifier: Verifier): boolean => verifySigned(layoutOf(m), m, m.hotspot, verifier);
