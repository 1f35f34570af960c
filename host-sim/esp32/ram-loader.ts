/**
 * MEM_BEGIN / MEM_DATA / MEM_END: loading a program into RAM and jumping to it, which is how a flasher
 * starts its stub. The emulator runs no Xtensa code, so a program "runs" only if it is byte for byte the
 * flasher stub esptool-js itself ships for this chip (its text and data segments at their addresses, and
 * its entry point); anything else, a garbled upload included, is treated as a crash: the chip goes quiet.
 */
import { getStubJsonByChipName } from 'esptool-js';
import { checksum, readU32 } from './protocol.js';

export interface RamSegment {
  readonly address: number;
  readonly size: number;
  readonly blocks: number;
  readonly blockSize: number;
  readonly bytes: Uint8Array;
  readonly received: Set<number>;
}

export interface StubImage {
  readonly entry: number;
  readonly segments: readonly { readonly address: number; readonly bytes: Uint8Array }[];
}

/** The stub esptool-js uploads for this chip, read from esptool-js's own copy. */
export async function loadStubImage(chipName: string): Promise<StubImage | undefined> {
  const stub = await getStubJsonByChipName(chipName);
  if (stub === undefined) return undefined;
  return {
    entry: stub.entry,
    segments: [
      { address: stub.text_start, bytes: stub.decodedText },
      { address: stub.data_start, bytes: stub.decodedData },
    ],
  };
}

export type MemResult = { ok: true } | { ok: false; reason: 'length' | 'checksum' | 'sequence' | 'no-begin' };

export class RamLoader {
  readonly segments: RamSegment[] = [];
  #current: RamSegment | undefined;

  /** MEM_BEGIN: total size, number of blocks, block size, load address. */
  begin(data: Uint8Array): MemResult {
    if (data.length < 16) return { ok: false, reason: 'length' };
    const [size, blocks, blockSize, address] = [0, 4, 8, 12].map((at) => readU32(data, at));
    if (blockSize === 0 || blocks * blockSize < size) return { ok: false, reason: 'length' };
    this.#current = { address, size, blocks, blockSize, bytes: new Uint8Array(size), received: new Set() };
    this.segments.push(this.#current);
    return { ok: true };
  }

  /** MEM_DATA: size, sequence number, two reserved words, then the block; its checksum is in the header. */
  data(data: Uint8Array, sum: number): MemResult {
    const segment = this.#current;
    if (segment === undefined) return { ok: false, reason: 'no-begin' };
    if (data.length < 16) return { ok: false, reason: 'length' };
    const size = readU32(data, 0);
    const seq = readU32(data, 4);
    const block = data.subarray(16);
    if (block.length !== size || size > segment.blockSize) return { ok: false, reason: 'length' };
    if (checksum(block) !== (sum & 0xff)) return { ok: false, reason: 'checksum' };
    const at = seq * segment.blockSize;
    if (seq >= segment.blocks || at + size > segment.size) return { ok: false, reason: 'sequence' };
    segment.bytes.set(block, at);
    segment.received.add(seq);
    return { ok: true };
  }

  /** Whether what was loaded is exactly `image`: every segment present, complete and equal. */
  matches(image: StubImage, entry: number): boolean {
    if (entry !== image.entry) return false;
    return image.segments.every((want) => {
      if (want.bytes.length === 0) return true;
      const got = this.segments.find((s) => s.address === want.address);
      return (
        got !== undefined &&
        got.size === want.bytes.length &&
        got.received.size === got.blocks &&
        got.bytes.every((byte, i) => byte === want.bytes[i])
      );
    });
  }

  clear(): void {
    this.segments.length = 0;
    this.#current = undefined;
  }
}
