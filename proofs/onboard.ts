/**
 * Onboard: a hotspot's signed request to join the oracle's registry, with the location and antenna
 * it asserts. The oracle's distance and RSSI checks are only as good as these values.
 *
 * CBOR: [7, 1, hotspot: bstr .size 32, lat: int (1e-7 degree), lon: int (1e-7 degree),
 *        gain: int (0.1 dBi), region: tstr, time: uint (ms), signature: bstr .size 64]
 */
import { readBytes, readInt, readText } from './fields.js';
import {
  decodeSigned, encodeSigned, signWith, verifySigned, KEY_BYTES, type Signed, type SignedLayout,
} from './envelope.js';
import { MessageType } from './registry.js';
import { SignatureDomain, type Signer, type Verifier } from './signing.js';
import { readGain, readTime } from './units.js';

/** Region identifiers are upper-case names such as EU868 or AS923_1 (radio.md §3). */
export const REGION_PATTERN = /^[A-Z][A-Z0-9_]{1,14}$/;
/** Coordinates are degrees × 10^7 (about 1.1 cm at the equator), as in u-blox UBX-NAV-PVT. */
export const COORDINATE_SCALE = 1e7;

export interface OnboardFields {
  readonly hotspot: Uint8Array;
  readonly latE7: number;
  readonly lonE7: number;
  readonly gainDdbi: number;
  readonly region: string;
  readonly timeMs: number;
}
export type Onboard = Signed<OnboardFields>;

const layout: SignedLayout<OnboardFields> = {
  type: MessageType.Onboard,
  domain: SignatureDomain.Onboard,
  fieldCount: 6,
  toFields: (m) => [m.hotspot, m.latE7, m.lonE7, m.gainDdbi, m.region, m.timeMs],
  fromFields: (f) => ({
    hotspot: readBytes(f[0], 'hotspot', KEY_BYTES),
    latE7: readInt(f[1], 'lat', -90 * COORDINATE_SCALE, 90 * COORDINATE_SCALE),
    lonE7: readInt(f[2], 'lon', -180 * COORDINATE_SCALE, 180 * COORDINATE_SCALE),
    gainDdbi: readGain(f[3]),
    region: readText(f[4], 'region', REGION_PATTERN),
    timeMs: readTime(f[5]),
  }),
};

export const signOnboard = (fields: OnboardFields, hotspot: Signer): Onboard => signWith(layout, fields, hotspot);
export const encodeOnboard = (m: Onboard): Uint8Array => encodeSigned(layout, m);
export const decodeOnboard = (bytes: Uint8Array): Onboard => decodeSigned(layout, bytes);
/** Checks the signature against the key the request itself names. */
export const verifyOnboard = (m: Onboard, verifier: Verifier): boolean => verifySigned(layout, m, m.hotspot, verifier);
