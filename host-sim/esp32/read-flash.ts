/**
 * The stub's READ_FLASH flow (esptool "Serial Protocol", "Reading Flash"): after the command's normal
 * response the stub streams the range as SLIP packets of `packetSize` bytes, keeping at most `maxUnacked`
 * of them unacknowledged; the host acknowledges each by sending the total number of bytes it has received
 * so far as a u32 LE in its own SLIP packet. Once everything is acknowledged the stub sends the range's
 * MD5 (16 raw bytes) as a last packet.
 */
import type { NorFlash } from './flash.js';
import { readU32 } from './protocol.js';

export class ReadFlashStream {
  readonly #data: Uint8Array;
  readonly #packetSize: number;
  readonly #maxUnacked: number;
  readonly #digest: Uint8Array;
  #sent = 0;
  #acked = 0;
  #finished = false;

  constructor(flash: NorFlash, offset: number, length: number, packetSize: number, maxUnacked: number) {
    this.#data = flash.read(offset, length);
    this.#digest = flash.md5(offset, length);
    this.#packetSize = packetSize;
    this.#maxUnacked = Math.max(1, maxUnacked);
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** The packets the stub may send now. */
  pump(): Uint8Array[] {
    const out: Uint8Array[] = [];
    while (this.#sent < this.#data.length && this.#sent - this.#acked < this.#maxUnacked * this.#packetSize) {
      const end = Math.min(this.#sent + this.#packetSize, this.#data.length);
      out.push(this.#data.slice(this.#sent, end));
      this.#sent = end;
    }
    if (this.#acked >= this.#data.length && !this.#finished) {
      this.#finished = true;
      out.push(this.#digest.slice());
    }
    return out;
  }

  /** An acknowledgement from the host; returns false for a packet that is not one (the stub then gives up). */
  acknowledge(packet: Uint8Array): boolean {
    if (packet.length !== 4) return false;
    const total = readU32(packet, 0);
    if (total > this.#sent || total < this.#acked) return false;
    this.#acked = total;
    return true;
  }
}
