/**
 * Signer and Verifier ports, and domain separation.
 *
 * Every covey signature covers `tag ‖ 0x00 ‖ body`, where the tag names the message type and version
 * (e.g. "covey/witness/v1") and the body is the message's canonical encoding without its signature.
 * Tags are printable ASCII and never contain 0x00, so the split between tag and body is unambiguous,
 * and a signature made for one message type can never verify as another.
 */
import { asciiBytes, concatBytes } from './bytes.js';

/** Holds a secret key and signs with it. The secret never leaves the implementation. */
export interface Signer {
  /** The 32-byte ed25519 public key: the hotspot (or oracle) id. */
  readonly publicKey: Uint8Array;
  /** A 64-byte ed25519 signature over `message`. */
  sign(message: Uint8Array): Uint8Array;
}

/** Checks signatures under covey's acceptance rules (see ed25519-rules.ts). */
export interface Verifier {
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/** The domain tags, one per signed message type and version. */
export const SignatureDomain = {
  Entropy: 'covey/entropy/v1',
  Beacon: 'covey/beacon/v1',
  BeaconReport: 'covey/beacon-report/v1',
  WitnessReceipt: 'covey/witness/v1',
  Onboard: 'covey/onboard/v1',
  /** Onboard version 2: the request with a device certificate. */
  OnboardAttested: 'covey/onboard/v2',
  MapperUplink: 'covey/mapper-uplink/v1',
  MapperReport: 'covey/mapper-report/v1',
  MapperReceipt: 'covey/mapper-witness/v1',
  DeviceCertificate: 'covey/device-certificate/v1',
} as const;
export type SignatureDomain = (typeof SignatureDomain)[keyof typeof SignatureDomain];

const SEPARATOR = new Uint8Array([0]);
const domainBytes = new Map<string, Uint8Array>();

/** The exact bytes a signature of `domain` covers for `body`. */
export function signedBytes(domain: SignatureDomain, body: Uint8Array): Uint8Array {
  let tag = domainBytes.get(domain);
  if (tag === undefined) {
    tag = asciiBytes(domain);
    domainBytes.set(domain, tag);
  }
  return concatBytes(tag, SEPARATOR, body);
}
