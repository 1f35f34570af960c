/**
 * Hotspot identity. The 32-byte ed25519 public key *is* the hotspot id; these are its printed forms.
 *
 * - `hotspotAddress(key)`: "cv" + base32(key ‖ first 2 bytes of SHA-256(key)), 57 characters. Reversible,
 *   and the checksum catches a mistyped character.
 * - `shortName(key)`: 8 base32 characters of SHA-256(key) as "xxxx-xxxx", for logs, screens and labels.
 *   Not unique across a large network; never use it to look a hotspot up.
 */
import { base32Decode, base32Encode } from './base32.js';
import { concatBytes, equalBytes, fromHex } from './bytes.js';
import { sha256 } from './digest.js';

export const ADDRESS_PREFIX = 'cv';
const CHECKSUM_BYTES = 2;
/** "cv" + 55 base32 characters for 34 bytes. */
export const ADDRESS_LENGTH = ADDRESS_PREFIX.length + Math.ceil(((32 + CHECKSUM_BYTES) * 8) / 5);

export function hotspotAddress(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new RangeError('a hotspot key is 32 bytes');
  return ADDRESS_PREFIX + base32Encode(concatBytes(publicKey, sha256(publicKey).subarray(0, CHECKSUM_BYTES)));
}

export function shortName(publicKey: Uint8Array): string {
  const text = base32Encode(sha256(publicKey).subarray(0, 5));
  return `${text.slice(0, 4)}-${text.slice(4, 8)}`;
}

/** Reads a hotspot id given as an address ("cv…") or as 64 hex digits. */
export function parseHotspotId(text: string): Uint8Array {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return fromHex(trimmed);
  if (trimmed.slice(0, ADDRESS_PREFIX.length).toLowerCase() !== ADDRESS_PREFIX) throw new RangeError('a hotspot id is "cv…" or 64 hex digits');
  if (trimmed.length !== ADDRESS_LENGTH) {
    throw new RangeError(`a hotspot address is ${ADDRESS_LENGTH} characters, not ${trimmed.length}`);
  }
  const raw = base32Decode(trimmed.slice(ADDRESS_PREFIX.length));
  const key = raw.slice(0, 32);
  if (!equalBytes(raw.subarray(32), sha256(key).subarray(0, CHECKSUM_BYTES))) {
    throw new RangeError('hotspot address checksum does not match (mistyped?)');
  }
  return key;
}
