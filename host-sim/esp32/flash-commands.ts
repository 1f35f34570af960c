/**
 * The flash commands of the loader: FLASH_BEGIN/DATA/END, their compressed FLASH_DEFL_* twins, SPI_FLASH_MD5,
 * and the stub's ERASE_FLASH, ERASE_REGION and READ_FLASH (esptool "Serial Protocol", "Supported Commands").
 *
 * BEGIN erases the region it announces (rounded out to 4 KiB sectors; the offset must be sector-aligned)
 * and DATA blocks land at offset + seq × block size. Compressed blocks are one zlib stream across the whole
 * write, inflated as they arrive. Writing over data that was not erased ANDs into it, as on the real chip,
 * and nothing reads it back here: esptool's MD5 check is what catches that. Failures are returned as
 * kinds; the loader turns them into ROM or stub error codes.
 */
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { checksum, readU32 } from './protocol.js';
import { SECTOR_BYTES, type NorFlash } from './flash.js';

export type Failure =
  | 'invalid'
  | 'checksum'
  | 'range'
  | 'inflate'
  | 'too-much'
  | 'not-enough'
  | 'not-in-flash-mode';

export type Outcome = { ok: true; data?: Uint8Array } | { ok: false; failure: Failure };

const OK: Outcome = { ok: true };
const fail = (failure: Failure): Outcome => ({ ok: false, failure });

interface WriteSession {
  readonly offset: number;
  readonly size: number;
  readonly blocks: number;
  readonly blockSize: number;
  readonly compressed: boolean;
  /** Compressed bytes so far (compressed writes only). */
  readonly chunks: Uint8Array[];
  /** Uncompressed bytes written so far (compressed writes only). */
  written: number;
  nextSeq: number;
}

export class FlashCommands {
  readonly #flash: NorFlash;
  #session: WriteSession | undefined;

  constructor(flash: NorFlash) {
    this.#flash = flash;
  }

  /** FLASH_BEGIN / FLASH_DEFL_BEGIN: size to erase (uncompressed), blocks, block size, offset[, encrypted]. */
  begin(data: Uint8Array, compressed: boolean): Outcome {
    if (data.length !== 16 && data.length !== 20) return fail('invalid');
    const [size, blocks, blockSize, offset] = [0, 4, 8, 12].map((at) => readU32(data, at));
    if (data.length === 20 && readU32(data, 16) !== 0) return fail('invalid'); // flash encryption is not modelled
    if (offset % SECTOR_BYTES !== 0 || blockSize === 0) return fail('invalid');
    if (!this.#flash.contains(offset, size)) return fail('range');
    this.#flash.erase(offset, size);
    this.#session = { offset, size, blocks, blockSize, compressed, chunks: [], written: 0, nextSeq: 0 };
    return OK;
  }

  /** FLASH_DATA / FLASH_DEFL_DATA: data size, sequence number, two reserved words, data. */
  data(data: Uint8Array, sum: number, compressed: boolean): Outcome {
    const session = this.#session;
    if (session === undefined || session.compressed !== compressed) return fail('not-in-flash-mode');
    if (data.length < 16) return fail('invalid');
    const size = readU32(data, 0);
    const seq = readU32(data, 4);
    const block = data.subarray(16);
    if (block.length !== size) return fail('invalid');
    if (checksum(block) !== (sum & 0xff)) return fail('checksum');
    if (seq >= session.blocks || size > session.blockSize) return fail('invalid');
    if (compressed) {
      if (seq !== session.nextSeq) return fail('invalid');
      const outcome = this.#inflateBlock(session, block);
      if (outcome.ok) session.nextSeq++;
      return outcome;
    }
    return this.#program(session.offset + seq * session.blockSize, block);
  }

  /** FLASH_END / FLASH_DEFL_END. The stub insists the compressed stream delivered everything it announced. */
  end(compressed: boolean, checkComplete: boolean): Outcome {
    const session = this.#session;
    if (session === undefined || session.compressed !== compressed) return fail('not-in-flash-mode');
    this.#session = undefined;
    if (compressed && checkComplete && session.written < session.size) return fail('not-enough');
    return OK;
  }

  /** SPI_FLASH_MD5: address, size, two reserved words. The ROM answers in hex text, the stub in 16 raw bytes. */
  md5(data: Uint8Array, asHex: boolean): Outcome {
    if (data.length !== 16) return fail('invalid');
    const offset = readU32(data, 0);
    const size = readU32(data, 4);
    if (!this.#flash.contains(offset, size)) return fail('range');
    const digest = this.#flash.md5(offset, size);
    if (!asHex) return { ok: true, data: digest };
    const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
    return { ok: true, data: new TextEncoder().encode(hex) };
  }

  eraseAll(): Outcome {
    this.#flash.erase(0, this.#flash.size);
    return OK;
  }

  /** ERASE_REGION: offset and size, both whole sectors. */
  eraseRegion(data: Uint8Array): Outcome {
    if (data.length !== 8) return fail('invalid');
    const offset = readU32(data, 0);
    const size = readU32(data, 4);
    if (offset % SECTOR_BYTES !== 0 || size % SECTOR_BYTES !== 0) return fail('invalid');
    if (!this.#flash.contains(offset, size)) return fail('range');
    this.#flash.erase(offset, size);
    return OK;
  }

  #program(at: number, block: Uint8Array): Outcome {
    if (!this.#flash.contains(at, block.length)) return fail('range');
    this.#flash.program(at, block);
    return OK;
  }

  /**
   * Inflates the stream so far (a sync flush gives every byte the received input determines) and programs
   * the bytes not written yet. Re-inflating from the start keeps the code free of zlib stream state; the
   * cost is quadratic but small for the few-MiB images a loader ever sees.
   */
  #inflateBlock(session: WriteSession, block: Uint8Array): Outcome {
    session.chunks.push(block.slice());
    let output: Uint8Array;
    try {
      output = inflateSync(Buffer.concat(session.chunks), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch {
      session.chunks.pop();
      return fail('inflate');
    }
    if (output.length > session.size) {
      session.chunks.pop();
      return fail('too-much');
    }
    const outcome = this.#program(session.offset + session.written, output.subarray(session.written));
    if (outcome.ok) session.written = output.length;
    else session.chunks.pop();
    return outcome;
  }
}
