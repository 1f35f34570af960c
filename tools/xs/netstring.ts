/**
 * Netstring framing (D. J. Bernstein, https://cr.yp.to/proto/netstrings.txt): `<length>:<bytes>,`,
 * the framing xsnap-worker speaks on file descriptors 3 and 4 (xsnap-worker.c, fxReadNetString /
 * fxWriteNetString). The length is decimal ASCII and counts bytes, not characters.
 */

/** The worker reads at most 9 length digits (`fscanf("%9lu")`). */
const MAX_LENGTH_DIGITS = 9;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Frames one message. */
export function encodeNetstring(payload: Uint8Array): Uint8Array {
  const prefix = new TextEncoder().encode(`${payload.length}:`);
  const out = new Uint8Array(prefix.length + payload.length + 1);
  out.set(prefix, 0);
  out.set(payload, prefix.length);
  out[out.length - 1] = COMMA;
  return out;
}

/**
 * Reassembles netstrings from a byte stream that arrives in arbitrary chunks. `push` returns the
 * messages completed by the chunk; a malformed frame throws, since the stream cannot be resynchronised.
 */
export class NetstringReader {
  private buffered = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.buffered.length + chunk.length);
    joined.set(this.buffered, 0);
    joined.set(chunk, this.buffered.length);
    const messages: Uint8Array[] = [];
    let start = 0;
    for (;;) {
      const frame = readFrame(joined, start);
      if (frame === null) break;
      messages.push(frame.message);
      start = frame.next;
    }
    this.buffered = joined.slice(start);
    return messages;
  }
}

function readFrame(bytes: Uint8Array, start: number): { message: Uint8Array; next: number } | null {
  const colon = bytes.indexOf(COLON, start);
  if (colon < 0) {
    if (bytes.length - start > MAX_LENGTH_DIGITS) throw new RangeError('netstring length prefix too long');
    return null;
  }
  const digits = new TextDecoder().decode(bytes.subarray(start, colon));
  if (!/^[0-9]{1,9}$/.test(digits)) throw new RangeError(`bad netstring length "${digits}"`);
  const length = Number(digits);
  const end = colon + 1 + length;
  if (bytes.length <= end) return null;
  if (bytes[end] !== COMMA) throw new RangeError('netstring not terminated by ","');
  return { message: bytes.slice(colon + 1, end), next: end + 1 };
}
