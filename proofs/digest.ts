/** The hashes covey derives identifiers from. SHA-256 (FIPS 180-4) throughout, truncated where noted. */
import { sha256 } from '@noble/hashes/sha2.js';

/** Bytes of a beacon digest: 128 bits, enough that no two beacons in the network's life collide. */
export const BEACON_DIGEST_BYTES = 16;
/** Bytes of a receipt id. */
export const RECEIPT_ID_BYTES = 16;

/** Identifies a beacon frame exactly as it was received: SHA-256 of all its bytes, first 16. */
export function beaconDigest(frame: Uint8Array): Uint8Array {
  return sha256(frame).slice(0, BEACON_DIGEST_BYTES);
}

/**
 * The id under which the oracle stores an uploaded item: SHA-256(uploader key ‖ item encoding), first
 * 16 bytes. The item encoding is canonical, so resending the same item always gives the same id, which
 * makes uploads idempotent. Hashed in two parts rather than over a copy of both: a device computes one
 * for every item of every batch it sends.
 */
export function receiptId(uploader: Uint8Array, itemEncoding: Uint8Array): Uint8Array {
  return sha256.create().update(uploader).update(itemEncoding).digest().slice(0, RECEIPT_ID_BYTES);
}

export { sha256 };
