/**
 * Byte helpers shared by the codec and the signers. Device code: no Buffer, no TextEncoder (a module,
 * not a global, on Moddable), so ASCII tags are converted by hand.
 */

/** Throws TypeError unless `value` is a Uint8Array (of `length` bytes, when given). */
export function assertBytes(value: unknown, length?: number, what = 'value'): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${what} must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const HEX = '0123456789abcdef';

/**
 * Lower-case hex. Joined rather than appended: appending gives V8 a chain of a string per byte, which a
 * key's 32 bytes make some 2 KB, kept as long as the string is (as a Map key, say) and walked again
 * whenever it is hashed. Joining gives one flat string, on XS too.
 */
export function toHex(bytes: Uint8Array): string {
  const digits = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) digits[i] = HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return digits.join('');
}

/** Parses lower- or upper-case hex with an even number of digits; anything else is a RangeError. */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError('hex must be a string');
  if (hex.length % 2 !== 0) throw new RangeError('hex must have an even number of digits');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = HEX.indexOf(hex[2 * i].toLowerCase());
    const lo = HEX.indexOf(hex[2 * i + 1].toLowerCase());
    if (hi < 0 || lo < 0) throw new RangeError(`not a hex digit at ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Bytes of a string that must be printable ASCII (domain tags, region names). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) throw new RangeError('not printable ASCII');
    out[i] = code;
  }
  return out;
}

export function writeU32BE(target: Uint8Array, offset: number, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError('not a uint32');
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}

export function readU32BE(source: Uint8Array, offset: number): number {
  return (
    ((source[offset] << 24) >>> 0) +
    (source[offset + 1] << 16) +
    (source[offset + 2] << 8) +
    source[offset + 3]
  );
}
