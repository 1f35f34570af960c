/**
 * One value on its way in over the serial console (`covey put <name> begin|data|end`, provisioning.ts):
 * announced with its length and CRC-32, sent as base64 pieces of at most 96 characters, each decoded
 * straight into one buffer of exactly the announced length, and checked whole at the end. The buffer
 * (at most 4,000 bytes, a Preference value's limit) is the only memory a transfer holds; the caller drops
 * the transfer after its end or its first error, so nothing stays allocated between transfers.
 *
 * Base64 is RFC 4648 §4 (the standard alphabet, `=` padding), decoded here without a table: each piece
 * must be a whole number of 4-character groups, with padding only in its last group, so a host may cut
 * one base64 text at multiples of 4 characters or encode each slice of bytes on its own. CRC-32 is IEEE
 * 802.3's, as zlib computes it (src/queue/crc32.ts). Device code.
 */
import { crc32 } from '../runtime.js';

/** What a transfer may carry: the NVS key it ends up under. */
export type PutName = 'settings' | 'seed' | 'attest';
export const PUT_NAMES: readonly PutName[] = ['settings', 'seed', 'attest'];

/** The most bytes one transfer carries: a Preference blob (settings: 3,999, an NVS string with its NUL). */
export const PUT_MAX_BYTES = 4000;
/** The most base64 characters in one data line (72 bytes): the line stays well within the console's 128. */
export const PUT_CHUNK_CHARS = 96;

/** A transfer refused: the announced length or CRC does not match, or a piece is not base64. */
export class PutError extends Error {
  // A getter, not an assignment: XS freezes Error.prototype after preload (moddable.md §5).
  override get name(): string {
    return 'PutError';
  }
}

/** The 6-bit value of a base64 character code (RFC 4648 Table 1), or -1 for any other. */
function sextet(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code - 0x41; // A–Z
  if (code >= 0x61 && code <= 0x7a) return code - 0x61 + 26; // a–z
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 52; // 0–9
  if (code === 0x2b) return 62; // +
  if (code === 0x2f) return 63; // /
  return -1;
}

const PAD = 0x3d; // =

/**
 * Decodes `text` (whole 4-character groups, `=` padding only at its end) into `target` from `offset`;
 * returns how many bytes it wrote. Throws a PutError for any other character, a bad length or padding,
 * or more bytes than `target` has room for from `offset` (having written none of them).
 */
export function decodeBase64Into(text: string, target: Uint8Array, offset: number): number {
  if (text.length % 4 !== 0) throw new PutError(`base64 of ${text.length} characters, not a multiple of 4`);
  let padding = 0;
  if (text.length > 0 && text.charCodeAt(text.length - 1) === PAD) padding = text.charCodeAt(text.length - 2) === PAD ? 2 : 1;
  const length = (text.length / 4) * 3 - padding;
  if (offset + length > target.length) throw new PutError(`more data than the ${target.length} bytes announced`);
  let out = offset;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let group = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      const value = last && j >= 4 - padding ? 0 : sextet(code);
      if (value < 0) throw new PutError(`not base64: character ${JSON.stringify(text[i + j])} at ${i + j}`);
      group = (group << 6) | value;
    }
    const bytes = last ? 3 - padding : 3;
    target[out++] = group >>> 16;
    if (bytes > 1) target[out++] = (group >>> 8) & 0xff;
    if (bytes > 2) target[out++] = group & 0xff;
  }
  return length;
}

/** The CRC as the protocol writes it: 8 lowercase hex digits. */
export function crcHex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

export class PutTransfer {
  readonly name: PutName;
  /** The CRC-32 announced, as an unsigned number. */
  readonly crc: number;
  private readonly bytes: Uint8Array;
  private received: number;

  /** `byteCount`: 1 to PUT_MAX_BYTES; `crc`: the CRC-32 of the whole value. */
  constructor(name: PutName, byteCount: number, crc: number) {
    if (!Number.isInteger(byteCount) || byteCount < 1 || byteCount > PUT_MAX_BYTES) {
      throw new PutError(`${String(byteCount)} bytes: a value is 1 to ${PUT_MAX_BYTES} bytes`);
    }
    this.name = name;
    this.crc = crc >>> 0;
    this.bytes = new Uint8Array(byteCount);
    this.received = 0;
  }

  /** Bytes announced. */
  get expected(): number {
    return this.bytes.length;
  }

  /** Bytes received so far. */
  get have(): number {
    return this.received;
  }

  /** Adds one data line's base64 (at most PUT_CHUNK_CHARS characters); throws a PutError, adding nothing, if it is bad. */
  append(base64: string): void {
    if (base64.length > PUT_CHUNK_CHARS) throw new PutError(`a data line holds at most ${PUT_CHUNK_CHARS} base64 characters, got ${base64.length}`);
    this.received += decodeBase64Into(base64, this.bytes, this.received);
  }

  /** The whole value, once its length and CRC-32 match what was announced; a PutError if not. */
  finish(): Uint8Array {
    if (this.received !== this.bytes.length) throw new PutError(`got ${this.received} of the ${this.bytes.length} bytes announced`);
    const crc = crc32(this.bytes);
    if (crc !== this.crc) throw new PutError(`CRC-32 ${crcHex(crc)} does not match the ${crcHex(this.crc)} announced`);
    return this.bytes;
  }
}
