/**
 * Test harness: a tiny, independent client for the emulated ESP32 serial loader — SLIP framing, request
 * packets and response parsing written out here again (not imported from host-sim/esp32), so that a
 * mistake in the emulator's codec shows up as a failing test instead of hiding on both sides.
 */
import { createHash } from 'node:crypto';
import { getStubJsonByChipName } from 'esptool-js';
import type { Esp32LoaderEmulator } from '../../host-sim/esp32/index.js';

export interface Response {
  readonly command: number;
  readonly value: number;
  /** Everything after the value: data, then the status bytes. */
  readonly body: Uint8Array;
}

export const le32 = (...values: number[]): Uint8Array => {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => view.setUint32(i * 4, value >>> 0, true));
  return out;
};

export const xorChecksum = (data: Uint8Array): number => data.reduce((state, byte) => state ^ byte, 0xef);

export const md5 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('md5').update(data).digest());

export function frame(packet: Uint8Array): Uint8Array {
  const out: number[] = [0xc0];
  for (const byte of packet) {
    if (byte === 0xc0) out.push(0xdb, 0xdc);
    else if (byte === 0xdb) out.push(0xdb, 0xdd);
    else out.push(byte);
  }
  out.push(0xc0);
  return Uint8Array.from(out);
}

export function request(command: number, data: Uint8Array = new Uint8Array(0), checksum = 0): Uint8Array {
  const head = new Uint8Array(8);
  const view = new DataView(head.buffer);
  head[0] = 0x00;
  head[1] = command;
  view.setUint16(2, data.length, true);
  view.setUint32(4, checksum, true);
  const packet = new Uint8Array(8 + data.length);
  packet.set(head);
  packet.set(data, 8);
  return packet;
}

export const SYNC_DATA = Uint8Array.from([0x07, 0x07, 0x12, 0x20, ...new Array<number>(32).fill(0x55)]);

/** Lets queued work and setImmediate deliveries run. */
export async function turns(count = 10): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

export class LoaderClient {
  /** Bytes received outside SLIP frames (boot messages, firmware output). */
  text = '';
  readonly #emulator: Esp32LoaderEmulator;
  readonly #packets: Uint8Array[] = [];
  #frame: number[] | null = null;
  #escaping = false;
  #waiter: (() => void) | undefined;

  constructor(emulator: Esp32LoaderEmulator) {
    this.#emulator = emulator;
    emulator.onData((bytes) => this.#receive(bytes));
  }

  /** esptool's classic reset: RTS (EN low), then DTR (GPIO0 low as EN rises), then both released. */
  resetIntoDownload(): void {
    this.#emulator.setSignals({ dtr: false, rts: true });
    this.#emulator.setSignals({ dtr: true, rts: false });
    this.#emulator.setSignals({ dtr: false, rts: false });
  }

  /** A reset with GPIO0 high: the firmware boots. */
  resetIntoFirmware(): void {
    this.#emulator.setSignals({ dtr: false, rts: true });
    this.#emulator.setSignals({ dtr: false, rts: false });
  }

  send(command: number, data?: Uint8Array, checksum?: number): void {
    this.#emulator.write(frame(request(command, data, checksum)));
  }

  /** Any bytes as one SLIP packet (READ_FLASH's acknowledgements are bare packets). */
  sendPacket(packet: Uint8Array): void {
    this.#emulator.write(frame(packet));
  }

  async command(command: number, data?: Uint8Array, checksum?: number): Promise<Response> {
    this.send(command, data, checksum);
    return this.response();
  }

  async response(): Promise<Response> {
    const packet = await this.packet();
    if (packet[0] !== 0x01) throw new Error(`not a response: ${Array.from(packet.subarray(0, 8)).join(',')}`);
    const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
    const size = view.getUint16(2, true);
    if (packet.length !== 8 + size) throw new Error(`response size ${size} but ${packet.length - 8} bytes follow`);
    return { command: packet[1], value: view.getUint32(4, true), body: packet.slice(8) };
  }

  /** The next SLIP packet; rejects if none comes within a second of real time. */
  async packet(): Promise<Uint8Array> {
    const deadline = Date.now() + 1000;
    while (this.#packets.length === 0) {
      if (Date.now() > deadline) throw new Error('no packet from the emulator');
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
        setTimeout(resolve, 20);
      });
    }
    return this.#packets.shift() as Uint8Array;
  }

  /** How many packets are waiting, after letting the emulator run. */
  async pending(): Promise<number> {
    await turns();
    return this.#packets.length;
  }

  /** Uploads esptool-js's stub for the chip through MEM_BEGIN/DATA/END; `tamper` may change a copy of it. */
  async uploadStub(chipName: string, tamper?: (text: Uint8Array, data: Uint8Array) => void): Promise<Response> {
    const stub = await getStubJsonByChipName(chipName);
    if (stub === undefined) throw new Error(`esptool-js has no stub for ${chipName}`);
    const text = stub.decodedText.slice();
    const data = stub.decodedData.slice();
    tamper?.(text, data);
    const block = 0x1800;
    for (const [bytes, address] of [[text, stub.text_start], [data, stub.data_start]] as const) {
      const blocks = Math.ceil(bytes.length / block);
      await this.#expectOk(await this.command(0x05, le32(bytes.length, blocks, block, address)));
      for (let seq = 0; seq < blocks; seq++) {
        const chunk = bytes.subarray(seq * block, (seq + 1) * block);
        const payload = new Uint8Array(16 + chunk.length);
        payload.set(le32(chunk.length, seq, 0, 0));
        payload.set(chunk, 16);
        await this.#expectOk(await this.command(0x07, payload, xorChecksum(chunk)));
      }
    }
    return this.command(0x06, le32(0, stub.entry));
  }

  async #expectOk(response: Response): Promise<void> {
    if (response.body[0] !== 0) throw new Error(`command 0x${response.command.toString(16)} failed: ${response.body[1]}`);
  }

  #receive(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (this.#frame === null) {
        if (byte === 0xc0) this.#frame = [];
        else this.text += String.fromCharCode(byte);
      } else if (this.#escaping) {
        this.#escaping = false;
        this.#frame.push(byte === 0xdc ? 0xc0 : byte === 0xdd ? 0xdb : -1);
      } else if (byte === 0xdb) {
        this.#escaping = true;
      } else if (byte === 0xc0) {
        if (this.#frame.length > 0) {
          this.#packets.push(Uint8Array.from(this.#frame));
          this.#frame = null;
        }
      } else {
        this.#frame.push(byte);
      }
    }
    this.#waiter?.();
  }
}
