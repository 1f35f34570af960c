/**
 * Where each item of an UploadBatch lies in the batch's bytes, and the bytes its signature covers,
 * so that the oracle verifies an item without encoding it again.
 *
 * Only for a batch decodeUploadBatch has already accepted: covey's CBOR is canonical (RFC 8949 §4.2.1,
 * docs/protocol.md §2), so an item's bytes in the batch are exactly its canonical encoding, and the body
 * its signature covers (`[type, version, ...fields]`, proofs/envelope.ts) is those bytes with the array
 * head counting one element fewer and the signature (a 64-byte byte string, 66 bytes with its head) cut
 * off the end. tests/oracle/prepare.test.ts checks both against the encoder. claimedUploader alone reads
 * a batch not yet accepted, and checks every byte it reads is there.
 */
import { KEY_BYTES } from '../../proofs/envelope.js';
import { signedBytes, type SignatureDomain } from '../../proofs/index.js';

/**
 * The length of the CBOR head at `at` (RFC 8949 §3). Length and argument are read apart, not returned
 * as a pair: the oracle reads several heads for every uploaded item, and a pair (with the iterator that
 * destructuring it takes) would be garbage each time.
 */
function headLength(bytes: Uint8Array, at: number): number {
  const info = bytes[at] & 0x1f;
  if (info < 24) return 1;
  if (info === 24) return 2;
  if (info === 25) return 3;
  return info === 26 ? 5 : 9;
}

/** The argument of the CBOR head at `at`. */
function headArgument(bytes: Uint8Array, at: number): number {
  const info = bytes[at] & 0x1f;
  if (info < 24) return info;
  if (info === 24) return bytes[at + 1];
  if (info === 25) return (bytes[at + 1] << 8) | bytes[at + 2];
  if (info === 26) return ((bytes[at + 1] << 24) >>> 0) + ((bytes[at + 2] << 16) | (bytes[at + 3] << 8) | bytes[at + 4]);
  // 8-byte arguments: covey's integers stay below 2^53 (proofs/cbor.ts), so this is exact.
  let value = 0;
  for (let i = 1; i <= 8; i++) value = value * 256 + bytes[at + i];
  return value;
}

/** The offset just past the data item at `at`: integers, byte and text strings, arrays of them. */
function skip(bytes: Uint8Array, at: number): number {
  const major = bytes[at] >> 5;
  const length = headLength(bytes, at);
  const argument = headArgument(bytes, at);
  if (major === 2 || major === 3) return at + length + argument;
  if (major === 4) {
    let next = at + length;
    for (let i = 0; i < argument; i++) next = skip(bytes, next);
    return next;
  }
  return at + length;
}

/** [start, end) of each item of an accepted batch `[5, 1, uploader, [items…]]`. */
export function itemSpans(batch: Uint8Array): [number, number][] {
  let at = headLength(batch, 0); // the batch's own array head
  at = skip(batch, at); // type
  at = skip(batch, at); // version
  at = skip(batch, at); // uploader
  const count = headArgument(batch, at);
  at += headLength(batch, at);
  const spans: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const end = skip(batch, at);
    spans.push([at, end]);
    at = end;
  }
  return spans;
}

/**
 * The uploader a batch names, read from the head of its bytes (`[5, 1, uploader, …]`) without decoding
 * the rest; undefined when the bytes do not start that way. Nothing else is checked: the batch may still
 * be malformed, and only the key's place in it is trusted.
 */
export function claimedUploader(batch: Uint8Array): Uint8Array | undefined {
  if (batch.length < 3 || batch[0] >> 5 !== 4 || headArgument(batch, 0) < 3) return undefined;
  let at = headLength(batch, 0);
  for (let field = 0; field < 2; field++) {
    if (at >= batch.length || batch[at] >> 5 !== 0) return undefined; // type, version: small integers
    at += headLength(batch, at);
  }
  if (at + 2 + KEY_BYTES > batch.length || batch[at] !== 0x58 || batch[at + 1] !== KEY_BYTES) return undefined;
  return batch.slice(at + 2, at + 2 + KEY_BYTES);
}

/** Bytes of a signature with its CBOR head: 0x58 0x40 and 64 bytes. */
const SIGNED_TAIL = 66;

/**
 * The bytes an item's signature is made over, from the item's canonical encoding; undefined when the
 * encoding is not a short array ending in a 64-byte signature (the caller then takes the slow path).
 */
export function signedMessageOf(item: Uint8Array, domain: SignatureDomain): Uint8Array | undefined {
  const elements = item[0] - 0x80;
  const tail = item.length - SIGNED_TAIL;
  if (elements < 2 || elements > 23 || tail < 1 || item[tail] !== 0x58 || item[tail + 1] !== 0x40) return undefined;
  const body = new Uint8Array(tail);
  body[0] = item[0] - 1;
  body.set(item.subarray(1, tail), 1);
  return signedBytes(domain, body);
}

/** The signature at the end of an item's encoding. */
export function signatureOf(item: Uint8Array): Uint8Array {
  return item.subarray(item.length - 64);
}
