/**
 * Fakes of Moddable's `preference` and `flash` modules, for the adapters' tests and the entry point in
 * XS. They keep the rules of the ESP32 implementations (modules/files/preference/esp32/modPreference.c,
 * modules/files/flash/esp32/flash.c), not more:
 * - Preference: one map per domain; booleans, int32 numbers ("float unsupported" otherwise), strings,
 *   ArrayBuffers (copied in and out); NVS limits: domain and key ≤ 15 bytes, a string ≤ 3,999 bytes
 *   (4,000 with its NUL), a blob ≤ 4,000 here (ESP-IDF allows larger, covey never writes them); a refusal is
 *   a plain Error, as "nvs set fail" is.
 * - Flash: data partitions by label ("can't find partition" otherwise), backed by a Flash port such as
 *   host-sim's SimFlash, so NOR semantics (and power cuts) are SimFlash's; read returns a new
 *   ArrayBuffer; write refuses a byteLength ≤ 0 or longer than the buffer ("invalid").
 * Device-legal code: the XS tier bundles it.
 */
import type { Flash } from '../../../src/ports.js';

type Stored = string | boolean | number | ArrayBuffer;

const NVS_NAME_BYTES = 15;
const NVS_STRING_BYTES = 3999;
const BLOB_BYTES = 4000;

function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || utf8Bytes(name) > NVS_NAME_BYTES) throw new Error('nvs_open fail');
}

export class FakePreference {
  private readonly domains = new Map<string, Map<string, Stored>>();
  /** set() calls that reached the store, refused ones included. */
  sets: number;
  /** When set, every set() throws it (a full or failing NVS). */
  failWith: Error | undefined;

  constructor() {
    this.sets = 0;
    this.failWith = undefined;
  }

  set(domain: string, key: string, value: Stored): void {
    this.sets++;
    checkName(domain);
    checkName(key);
    if (this.failWith !== undefined) throw this.failWith;
    let stored: Stored;
    if (typeof value === 'boolean' || typeof value === 'string') {
      if (typeof value === 'string' && utf8Bytes(value) > NVS_STRING_BYTES) throw new Error('nvs set fail');
      stored = value;
    } else if (typeof value === 'number') {
      if (value !== (value | 0)) throw new Error('float unsupported');
      stored = value;
    } else if (value instanceof ArrayBuffer) {
      if (value.byteLength > BLOB_BYTES) throw new Error('nvs set fail');
      stored = value.slice(0);
    } else {
      throw new Error('unsupported type');
    }
    let entries = this.domains.get(domain);
    if (entries === undefined) this.domains.set(domain, (entries = new Map()));
    entries.set(key, stored);
  }

  get(domain: string, key: string): Stored | undefined {
    const value = this.domains.get(domain)?.get(key);
    return value instanceof ArrayBuffer ? value.slice(0) : value;
  }

  delete(domain: string, key: string): void {
    this.domains.get(domain)?.delete(key);
  }

  keys(domain: string): string[] {
    return [...(this.domains.get(domain)?.keys() ?? [])];
  }
}

/** A partition object as `new Flash(label)` returns it. */
export interface FakeFlashPartition {
  readonly byteLength: number;
  readonly blockSize: number;
  read(offset: number, byteLength: number): ArrayBuffer;
  write(offset: number, byteLength: number, buffer: ArrayBuffer | Uint8Array): void;
  erase(sector: number): void;
}

/** Calls that reached the partitions, for tests that check what the adapter passes on. */
export interface FlashLog {
  readonly writes: { offset: number; byteLength: number }[];
  readonly erases: number[];
}

/** The Flash class over the given data partitions, each a Flash port of 4 KB sectors and `byteLength` bytes. */
export function fakeFlash(
  partitions: Readonly<Record<string, { readonly flash: Flash; readonly byteLength?: number }>>, log?: FlashLog,
): new (label: string) => FakeFlashPartition {
  return class FakeFlash implements FakeFlashPartition {
    readonly byteLength: number;
    readonly blockSize: number;
    private readonly flash: Flash;

    constructor(label: string) {
      const partition = Object.prototype.hasOwnProperty.call(partitions, label) ? partitions[label] : undefined;
      if (partition === undefined) throw new Error("can't find partition");
      this.flash = partition.flash;
      this.byteLength = partition.byteLength ?? partition.flash.size;
      this.blockSize = 4096;
      if (partition.flash.sectorSize !== this.blockSize) throw new RangeError('the ESP32 erases 4,096-byte sectors');
    }

    read(offset: number, byteLength: number): ArrayBuffer {
      return this.flash.read(offset, byteLength).slice().buffer;
    }

    write(offset: number, byteLength: number, buffer: ArrayBuffer | Uint8Array): void {
      const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : buffer;
      if (byteLength <= 0 || bytes.length < byteLength) throw new Error('invalid');
      log?.writes.push({ offset, byteLength });
      this.flash.program(offset, bytes.subarray(0, byteLength));
    }

    erase(sector: number): void {
      log?.erases.push(sector);
      this.flash.erase(sector);
    }
  };
}
