/**
 * The beacon: the frame a hotspot transmits on the PoC channel. Unlike covey's other messages it is a
 * fixed byte layout, not CBOR: on air every byte is airtime (at SF12BW125 with CR 4/5 every 5 more
 * bytes cost 5 more symbols, about 164 ms; radio.md §1), and a fixed layout parses without a decoder.
 * The CBOR form of the same fields would be 112 bytes.
 *
 *   offset  size  field
 *   0       1     header: 0b111 (LoRaWAN MType "proprietary", so LoRaWAN network servers ignore it),
 *                 then 2 bits frame kind (0 = beacon) and 3 bits version (1)  → 0xE1
 *   1       32    beaconer: ed25519 public key
 *   33      4     entropy epoch, uint32 big-endian
 *   37      4     entropy tag: the first 4 bytes of that epoch's entropy data
 *   41      4     nonce: 4 random bytes from the beaconer
 *   45      64    signature over "covey/beacon/v1" ‖ 0x00 ‖ bytes 0..44
 *   total   109
 */
import { assertBytes, concatBytes, readU32BE, writeU32BE } from './bytes.js';
import { DecodeError, DecodeFailure } from './errors.js';
import { signedBytes, SignatureDomain, type Signer, type Verifier } from './signing.js';

export const BEACON_FRAME_BYTES = 109;
export const BEACON_SIGNED_BYTES = 45;
export const ENTROPY_TAG_BYTES = 4;
export const NONCE_BYTES = 4;

/** Header bits 7..5: LoRaWAN MType 0b111, proprietary (LoRaWAN 1.0.4 §4.2.1). */
const PROPRIETARY = 0b111 << 5;
export const FrameKind = { Beacon: 0, MapperUplink: 1 } as const;
export const BEACON_VERSION = 1;
export const BEACON_HEADER = PROPRIETARY | (FrameKind.Beacon << 3) | BEACON_VERSION;

export interface BeaconFields {
  readonly beaconer: Uint8Array;
  readonly entropyEpoch: number;
  readonly entropyTag: Uint8Array;
  readonly nonce: Uint8Array;
}
export interface Beacon extends BeaconFields {
  readonly signature: Uint8Array;
  /** The exact frame bytes (what the beacon digest is computed over). */
  readonly frame: Uint8Array;
}

function unsignedFrame(fields: BeaconFields): Uint8Array {
  const out = new Uint8Array(BEACON_SIGNED_BYTES);
  out[0] = BEACON_HEADER;
  out.set(assertBytes(fields.beaconer, 32, 'beaconer'), 1);
  writeU32BE(out, 33, fields.entropyEpoch);
  out.set(assertBytes(fields.entropyTag, ENTROPY_TAG_BYTES, 'entropyTag'), 37);
  out.set(assertBytes(fields.nonce, NONCE_BYTES, 'nonce'), 41);
  return out;
}

/** Builds and signs a beacon frame. The signer must hold the beaconer's key. */
export function signBeacon(fields: BeaconFields, signer: Signer): Beacon {
  const unsigned = unsignedFrame(fields);
  const signature = signer.sign(signedBytes(SignatureDomain.Beacon, unsigned));
  return { ...fields, signature, frame: concatBytes(unsigned, signature) };
}

/** True when the frame's header says it is a covey frame of any kind or version. */
export function isCoveyFrame(frame: Uint8Array): boolean {
  return frame.length > 0 && (frame[0] & 0xe0) === PROPRIETARY;
}

/** Parses a received frame strictly: header, kind, version and exact length. */
export function decodeBeacon(frame: Uint8Array): Beacon {
  assertBytes(frame, undefined, 'frame');
  if (frame.length === 0) throw new DecodeError(DecodeFailure.WrongLength, 'empty frame');
  if (!isCoveyFrame(frame)) throw new DecodeError(DecodeFailure.UnknownType, 'not a covey frame (header)');
  const kind = (frame[0] >> 3) & 0b11;
  const version = frame[0] & 0b111;
  if (kind !== FrameKind.Beacon) throw new DecodeError(DecodeFailure.UnknownType, `frame kind ${kind}`);
  if (version !== BEACON_VERSION) throw new DecodeError(DecodeFailure.UnknownVersion, `beacon version ${version}`);
  if (frame.length < BEACON_FRAME_BYTES) {
    throw new DecodeError(DecodeFailure.WrongLength, `beacon is ${BEACON_FRAME_BYTES} bytes, got ${frame.length}`);
  }
  if (frame.length > BEACON_FRAME_BYTES) throw new DecodeError(DecodeFailure.TrailingBytes, 'bytes after the beacon');
  const copy = Uint8Array.from(frame);
  return {
    beaconer: copy.slice(1, 33),
    entropyEpoch: readU32BE(copy, 33),
    entropyTag: copy.slice(37, 41),
    nonce: copy.slice(41, 45),
    signature: copy.slice(45, BEACON_FRAME_BYTES),
    frame: copy,
  };
}

/** Checks the beaconer's signature over the frame. */
export function verifyBeacon(beacon: Beacon, verifier: Verifier): boolean {
  const unsigned = beacon.frame.subarray(0, BEACON_SIGNED_BYTES);
  return verifier.verify(beacon.signature, signedBytes(SignatureDomain.Beacon, unsigned), beacon.beaconer);
}
