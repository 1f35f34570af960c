/**
 * The mapper uplink: the frame a mapper (a covey node walked or driven around by a field tester) sends on
 * the PoC channel to say "I am here". Hotspots that hear it sign a MapperReceipt for it, exactly as they
 * sign WitnessReceipts for beacons, and the mapper keeps a MapperReport of every uplink it sent, so the
 * oracle can tell a place walked and heard from a place walked and heard by nobody.
 *
 * A fixed layout like the beacon (beacon.ts): every byte on air is airtime.
 *
 *   offset  size  field
 *   0       1     header: 0b111 (LoRaWAN proprietary), frame kind 1 (mapper uplink), version 1 → 0xE9
 *   1       32    mapper: ed25519 public key
 *   33      4     latitude, degrees × 10^7, int32 big-endian (WGS 84; 1e-7° is about 1.1 cm)
 *   37      4     longitude, degrees × 10^7, int32 big-endian
 *   41      2     altitude above mean sea level, metres, int16 big-endian (clamped to −32768..32767)
 *   43      1     HDOP × 10, uint8 (0.0–25.5; 255 means 25.5 or worse)
 *   44      1     satellites used in the fix, uint8 (clamped to 255)
 *   45      4     counter, uint32 big-endian: 0, 1, 2, … per mapper key, never reused
 *   49      64    signature over "covey/mapper-uplink/v1" ‖ 0x00 ‖ bytes 0..48
 *   total   113
 *
 * The uplink digest is beaconDigest() of the 113 bytes: the same 16-byte SHA-256 prefix beacons use.
 */
import { assertBytes, concatBytes, readU32BE, writeU32BE } from './bytes.js';
import { FrameKind, isCoveyFrame } from './beacon.js';
import { DecodeError, DecodeFailure } from './errors.js';
import { signedBytes, SignatureDomain, type Signer, type Verifier } from './signing.js';

export const MAPPER_UPLINK_BYTES = 113;
export const MAPPER_UPLINK_SIGNED_BYTES = 49;
export const MAPPER_UPLINK_VERSION = 1;
export const MAPPER_UPLINK_HEADER = (0b111 << 5) | (FrameKind.MapperUplink << 3) | MAPPER_UPLINK_VERSION;

/** The largest HDOP the frame can say, in 0.1 units: 25.5 or worse. */
export const MAX_HDOP_DECI = 255;
const LAT_E7 = 900_000_000;
const LON_E7 = 1_800_000_000;

export interface MapperUplinkFields {
  readonly mapper: Uint8Array;
  readonly latE7: number;
  readonly lonE7: number;
  readonly altitudeM: number;
  /** HDOP × 10, 0–255. */
  readonly hdopDeci: number;
  readonly satellites: number;
  readonly counter: number;
}
export interface MapperUplink extends MapperUplinkFields {
  readonly signature: Uint8Array;
  /** The exact frame bytes (what the uplink digest is computed over). */
  readonly frame: Uint8Array;
}

/** HDOP as the frame carries it: × 10, rounded, clamped to 0–255. */
export function hdopToDeci(hdop: number): number {
  if (!Number.isFinite(hdop) || hdop < 0) throw new RangeError(`hdop must be a number ≥ 0, not ${hdop}`);
  return Math.min(MAX_HDOP_DECI, Math.round(hdop * 10));
}

function checkInt(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${what} must be an integer ${min}..${max}, not ${value}`);
  return value;
}

function writeI32BE(target: Uint8Array, offset: number, value: number): void {
  writeU32BE(target, offset, value >>> 0);
}

function readI32BE(source: Uint8Array, offset: number): number {
  return readU32BE(source, offset) | 0;
}

function unsignedFrame(fields: MapperUplinkFields): Uint8Array {
  const out = new Uint8Array(MAPPER_UPLINK_SIGNED_BYTES);
  out[0] = MAPPER_UPLINK_HEADER;
  out.set(assertBytes(fields.mapper, 32, 'mapper'), 1);
  writeI32BE(out, 33, checkInt(fields.latE7, -LAT_E7, LAT_E7, 'latE7'));
  writeI32BE(out, 37, checkInt(fields.lonE7, -LON_E7, LON_E7, 'lonE7'));
  if (typeof fields.altitudeM !== 'number' || Number.isNaN(fields.altitudeM)) throw new RangeError(`altitudeM must be a number of metres, not ${fields.altitudeM}`);
  const altitude = Math.max(-32768, Math.min(32767, Math.round(fields.altitudeM)));
  out[41] = (altitude >> 8) & 0xff;
  out[42] = altitude & 0xff;
  out[43] = checkInt(fields.hdopDeci, 0, MAX_HDOP_DECI, 'hdopDeci');
  out[44] = Math.min(255, checkInt(fields.satellites, 0, Number.MAX_SAFE_INTEGER, 'satellites'));
  writeU32BE(out, 45, checkInt(fields.counter, 0, 0xffff_ffff, 'counter'));
  return out;
}

/** Builds and signs a mapper uplink. The signer must hold the mapper's key. */
export function signMapperUplink(fields: MapperUplinkFields, signer: Signer): MapperUplink {
  const unsigned = unsignedFrame(fields);
  const signature = signer.sign(signedBytes(SignatureDomain.MapperUplink, unsigned));
  return { ...decodeFields(unsigned), signature, frame: concatBytes(unsigned, signature) };
}

/** The frame kind in a covey frame's header: FrameKind.Beacon, FrameKind.MapperUplink, or another. */
export function frameKind(frame: Uint8Array): number | undefined {
  return isCoveyFrame(frame) ? (frame[0] >> 3) & 0b11 : undefined;
}

function decodeFields(bytes: Uint8Array): MapperUplinkFields {
  const altitude = (bytes[41] << 8) | bytes[42];
  return {
    mapper: bytes.slice(1, 33),
    latE7: readI32BE(bytes, 33),
    lonE7: readI32BE(bytes, 37),
    altitudeM: altitude >= 0x8000 ? altitude - 0x10000 : altitude,
    hdopDeci: bytes[43],
    satellites: bytes[44],
    counter: readU32BE(bytes, 45),
  };
}

/** Parses a received frame strictly: header, kind, version, exact length and a position on the globe. */
export function decodeMapperUplink(frame: Uint8Array): MapperUplink {
  assertBytes(frame, undefined, 'frame');
  if (frame.length === 0) throw new DecodeError(DecodeFailure.WrongLength, 'empty frame');
  const kind = frameKind(frame);
  if (kind === undefined) throw new DecodeError(DecodeFailure.UnknownType, 'not a covey frame (header)');
  if (kind !== FrameKind.MapperUplink) throw new DecodeError(DecodeFailure.UnknownType, `frame kind ${kind}`);
  const version = frame[0] & 0b111;
  if (version !== MAPPER_UPLINK_VERSION) throw new DecodeError(DecodeFailure.UnknownVersion, `mapper uplink version ${version}`);
  if (frame.length < MAPPER_UPLINK_BYTES) {
    throw new DecodeError(DecodeFailure.WrongLength, `a mapper uplink is ${MAPPER_UPLINK_BYTES} bytes, got ${frame.length}`);
  }
  if (frame.length > MAPPER_UPLINK_BYTES) throw new DecodeError(DecodeFailure.TrailingBytes, 'bytes after the mapper uplink');
  const copy = Uint8Array.from(frame);
  const fields = decodeFields(copy);
  if (Math.abs(fields.latE7) > LAT_E7 || Math.abs(fields.lonE7) > LON_E7) {
    throw new DecodeError(DecodeFailure.OutOfRange, 'position off the globe');
  }
  return { ...fields, signature: copy.slice(MAPPER_UPLINK_SIGNED_BYTES, MAPPER_UPLINK_BYTES), frame: copy };
}

/** Checks the mapper's signature over the frame. */
export function verifyMapperUplink(uplink: MapperUplink, verifier: Verifier): boolean {
  const unsigned = uplink.frame.subarray(0, MAPPER_UPLINK_SIGNED_BYTES);
  return verifier.verify(uplink.signature, signedBytes(SignatureDomain.MapperUplink, unsigned), uplink.mapper);
}
