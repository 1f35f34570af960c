/**
 * covey's CBOR subset, written and read directly: unsigned and negative integers up to 2^53, byte
 * strings, text strings and arrays, in the deterministic encoding (RFC 8949 §4.2.1: every head in its
 * shortest form, definite lengths only). Each value of the subset has exactly one encoding, so this
 * writer produces the same bytes as any deterministic encoder, and the reader accepts exactly the
 * encodings of such values and refuses everything else (it does not say why: proofs/cbor.ts does).
 *
 * Why not cbor-x for these: on the device, stack is the scarce resource (512 slots of XS stack on an
 * ESP32). cbor-x's encoder and decoder are general (maps, tags, records, floats) and their frames are
 * large: in XS 13.3 encoding a flat array takes about 210 slots of stack and each level of nesting about
 * 50 more, decoding about as much. The functions here take a few dozen, allocate only the output, and
 * keep no buffer between calls.
 */

/** The values a covey message is built from. */
export type CborValue = number | Uint8Array | string | readonly CborValue[];

const TWO_POW_32 = 0x1_0000_0000;
/** The largest argument an integer of the subset has: 2^53 − 1 (a safe integer). */
const MAX_ARGUMENT = Number.MAX_SAFE_INTEGER;
const MAJOR_UNSIGNED = 0;
const MAJOR_NEGATIVE = 1;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_ARRAY = 4;

/** Bytes of a head with argument `n` in its shortest form (RFC 8949 §3.1, §4.2.1). */
function headBytes(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x1_0000 ? 3 : n < TWO_POW_32 ? 5 : 9;
}

/** The code point at `i` of `text`, a lone surrogate read as U+FFFD (as the WHATWG UTF-8 encoder does). */
function codePointAt(text: string, i: number): number {
  const unit = text.charCodeAt(i);
  if (unit < 0xd800 || unit > 0xdfff) return unit;
  const next = text.charCodeAt(i + 1);
  if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
  return 0xfffd;
}

/** UTF-8 bytes of `text` (RFC 3629). */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = codePointAt(text, i);
    if (code > 0xffff) i++;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Encoded size of a value of the subset (already checked by the caller). */
function sizeOf(value: CborValue): number {
  if (typeof value === 'number') return headBytes(value < 0 ? -1 - value : value);
  if (value instanceof Uint8Array) return headBytes(value.length) + value.length;
  if (typeof value === 'string') {
    const length = utf8Bytes(value);
    return headBytes(length) + length;
  }
  let size = headBytes(value.length);
  for (const item of value) size += sizeOf(item);
  return size;
}

function writeUint32(out: Uint8Array, at: number, n: number): void {
  out[at] = n >>> 24;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
}

/** Writes a head in its shortest form, big-endian (RFC 8949 §3.1); returns the offset after it. */
function writeHead(out: Uint8Array, at: number, major: number, n: number): number {
  const type = major << 5;
  if (n < 24) {
    out[at] = type | n;
    return at + 1;
  }
  if (n < 0x100) {
    out[at] = type | 24;
    out[at + 1] = n;
    return at + 2;
  }
  if (n < 0x1_0000) {
    out[at] = type | 25;
    out[at + 1] = n >>> 8;
    out[at + 2] = n & 0xff;
    return at + 3;
  }
  if (n < TWO_POW_32) {
    out[at] = type | 26;
    writeUint32(out, at + 1, n);
    return at + 5;
  }
  out[at] = type | 27;
  writeUint32(out, at + 1, Math.floor(n / TWO_POW_32));
  writeUint32(out, at + 5, n >>> 0); // ToUint32 keeps the low 32 bits (exact below 2^53)
  return at + 9;
}

function writeText(out: Uint8Array, at: number, text: string): number {
  let pos = at;
  for (let i = 0; i < text.length; i++) {
    const code = codePointAt(text, i);
    if (code > 0xffff) i++;
    if (code < 0x80) out[pos++] = code;
    else if (code < 0x800) {
      out[pos++] = 0xc0 | (code >> 6);
      out[pos++] = 0x80 | (code & 0x3f);
    } else if (code < 0x10000) {
      out[pos++] = 0xe0 | (code >> 12);
      out[pos++] = 0x80 | ((code >> 6) & 0x3f);
      out[pos++] = 0x80 | (code & 0x3f);
    } else {
      out[pos++] = 0xf0 | (code >> 18);
      out[pos++] = 0x80 | ((code >> 12) & 0x3f);
      out[pos++] = 0x80 | ((code >> 6) & 0x3f);
      out[pos++] = 0x80 | (code & 0x3f);
    }
  }
  return pos;
}

function writeValue(out: Uint8Array, at: number, value: CborValue): number {
  if (typeof value === 'number') {
    return value < 0 ? writeHead(out, at, MAJOR_NEGATIVE, -1 - value) : writeHead(out, at, MAJOR_UNSIGNED, value);
  }
  if (value instanceof Uint8Array) {
    const pos = writeHead(out, at, MAJOR_BYTES, value.length);
    out.set(value, pos);
    return pos + value.length;
  }
  if (typeof value === 'string') return writeText(out, writeHead(out, at, MAJOR_TEXT, utf8Bytes(value)), value);
  let pos = writeHead(out, at, MAJOR_ARRAY, value.length);
  for (const item of value) pos = writeValue(out, pos, item);
  return pos;
}

/**
 * The deterministic encoding of `value`. The caller has checked that it is a value of the subset
 * (safe integers, byte strings, text, arrays of those): proofs/cbor.ts `encodeCbor` does.
 */
export function encodeSubset(value: CborValue): Uint8Array {
  const out = new Uint8Array(sizeOf(value));
  writeValue(out, 0, value);
  return out;
}

/** Where the reader is; one per call, so that nothing is shared between calls. */
interface Cursor {
  pos: number;
}

/** Returned by the reader for anything outside the subset. */
const OUTSIDE: unique symbol = Symbol('outside the subset');
type Read = CborValue | typeof OUTSIDE;

/** The argument of the head at the cursor, if it is in its shortest form and at most 2^53 − 1; else -1. */
function readArgument(bytes: Uint8Array, cursor: Cursor, info: number): number {
  if (info < 24) return info;
  if (info > 27) return -1; // reserved, or an indefinite length
  const size = 1 << (info - 24);
  if (cursor.pos + size > bytes.length) return -1;
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + bytes[cursor.pos + i];
  cursor.pos += size;
  const shortest = headBytes(n) === size + 1;
  return shortest && n <= MAX_ARGUMENT ? n : -1;
}

/** Strict UTF-8 (RFC 3629 §4: no overlong forms, no surrogates, nothing above U+10FFFF), or OUTSIDE. */
function readText(bytes: Uint8Array, from: number, to: number): string | typeof OUTSIDE {
  let text = '';
  for (let i = from; i < to; ) {
    const b = bytes[i];
    const extra = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (extra < 0 || i + extra >= to) return OUTSIDE;
    let code = extra === 0 ? b : b & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return OUTSIDE;
      code = (code << 6) | (c & 0x3f);
    }
    const least = [0, 0x80, 0x800, 0x10000][extra];
    if (code < least || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return OUTSIDE;
    text += String.fromCodePoint(code);
    i += extra + 1;
  }
  return text;
}

function readItem(bytes: Uint8Array, cursor: Cursor, depth: number): Read {
  if (cursor.pos >= bytes.length || depth < 0) return OUTSIDE;
  const head = bytes[cursor.pos++];
  const major = head >> 5;
  const n = readArgument(bytes, cursor, head & 31);
  if (n < 0 || major > MAJOR_ARRAY) return OUTSIDE; // maps, tags, floats and simple values are not covey's
  if (major === MAJOR_UNSIGNED) return n;
  if (major === MAJOR_NEGATIVE) return n === MAX_ARGUMENT ? OUTSIDE : -1 - n;
  if (major === MAJOR_ARRAY) {
    // Each item takes at least one byte: a count beyond what is left is not an array of the subset.
    if (n > bytes.length - cursor.pos) return OUTSIDE;
    const items: CborValue[] = [];
    for (let i = 0; i < n; i++) {
      const item = readItem(bytes, cursor, depth - 1);
      if (item === OUTSIDE) return OUTSIDE;
      items.push(item);
    }
    return items;
  }
  const from = cursor.pos;
  if (n > bytes.length - from) return OUTSIDE;
  cursor.pos = from + n;
  // Byte strings are views of the input, as cbor-x gives them (no copy).
  return major === MAJOR_BYTES ? bytes.subarray(from, from + n) : readText(bytes, from, from + n);
}

/**
 * The value `bytes` encodes, when `bytes` is exactly one item of the subset in its deterministic
 * encoding, nested at most `maxDepth` arrays deep; undefined for anything else (not an error: the caller
 * finds out what is wrong).
 */
export function decodeSubset(bytes: Uint8Array, maxDepth: number): CborValue | undefined {
  const cursor: Cursor = { pos: 0 };
  const value = readItem(bytes, cursor, maxDepth);
  return value === OUTSIDE || cursor.pos !== bytes.length ? undefined : value;
}
