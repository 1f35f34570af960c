/**
 * SLIP framing as the ESP32 serial loader uses it (RFC 1055, with a frame delimiter at both ends):
 * every packet starts and ends with 0xC0; inside it 0xC0 is sent as 0xDB 0xDC and 0xDB as 0xDB 0xDD.
 * See esptool's "Serial Protocol" page, "Low Level Protocol".
 */
export const SLIP_END = 0xc0;
export const SLIP_ESC = 0xdb;
export const SLIP_ESC_END = 0xdc;
export const SLIP_ESC_ESC = 0xdd;

/** Frames one packet: 0xC0, the escaped bytes, 0xC0. */
export function slipEncode(packet: Uint8Array): Uint8Array {
  let escapes = 0;
  for (const byte of packet) {
    if (byte === SLIP_END || byte === SLIP_ESC) escapes++;
  }
  const out = new Uint8Array(packet.length + escapes + 2);
  let at = 0;
  out[at++] = SLIP_END;
  for (const byte of packet) {
    if (byte === SLIP_END) {
      out[at++] = SLIP_ESC;
      out[at++] = SLIP_ESC_END;
    } else if (byte === SLIP_ESC) {
      out[at++] = SLIP_ESC;
      out[at++] = SLIP_ESC_ESC;
    } else {
      out[at++] = byte;
    }
  }
  out[at] = SLIP_END;
  return out;
}

/**
 * A streaming decoder: feed it bytes as they arrive, in any chunking, and it returns the packets they
 * complete. Bytes outside a frame (line noise, a terminal's keystrokes) are dropped, as the ROM does;
 * an empty frame (two 0xC0 in a row) is no packet, so a delimiter shared by two frames works too.
 * A frame with an invalid escape is discarded whole, and counted in `errors`.
 */
export class SlipDecoder {
  #frame: number[] | null = null;
  #escaping = false;
  #corrupt = false;
  errors = 0;

  push(bytes: Uint8Array): Uint8Array[] {
    const packets: Uint8Array[] = [];
    for (const byte of bytes) {
      if (byte === SLIP_END) {
        if (this.#frame !== null && this.#frame.length > 0) {
          if (this.#corrupt) this.errors++;
          else packets.push(Uint8Array.from(this.#frame));
        }
        this.#frame = [];
        this.#escaping = false;
        this.#corrupt = false;
      } else if (this.#frame === null) {
        continue;
      } else if (this.#escaping) {
        this.#escaping = false;
        if (byte === SLIP_ESC_END) this.#frame.push(SLIP_END);
        else if (byte === SLIP_ESC_ESC) this.#frame.push(SLIP_ESC);
        else this.#corrupt = true;
      } else if (byte === SLIP_ESC) {
        this.#escaping = true;
      } else {
        this.#frame.push(byte);
      }
    }
    return packets;
  }

  /** Forgets a half-received frame (after a reset or a baud-rate change). */
  reset(): void {
    this.#frame = null;
    this.#escaping = false;
    this.#corrupt = false;
  }
}
