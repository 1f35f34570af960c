/**
 * ESP-IDF's binary partition table, the one the second-stage bootloader reads at 0x8000: read it, write it
 * from covey's CSV (tools/build/partitions.csv), and compare the two.
 *
 * Format (ESP-IDF "Partition Tables" guide; components/partition_table/gen_esp32part.py, `to_binary`):
 * one 32-byte little-endian entry per partition, `<2sBBLL16sL>`: the magic bytes AA 50, type, subtype,
 * offset, size, a NUL-padded 16-byte label, flags (bit 0 encrypted, bit 1 read-only). Then an MD5 entry:
 * EB EB, fourteen FF bytes and the MD5 of every entry before it. The rest of the 0xC00 bytes is FF.
 */
import { createHash } from 'node:crypto';
import type { Partition } from '../build/partitions.js';

/** Where the table lives in flash, and how long its data may be (the last 1 KB of the sector is for a signature). */
export const PARTITION_TABLE_OFFSET = 0x8000;
export const PARTITION_TABLE_BYTES = 0xc00;

const ENTRY_BYTES = 32;
const LABEL_BYTES = 16;
const ENTRY_MAGIC = [0xaa, 0x50] as const;
const MD5_MAGIC = [0xeb, 0xeb] as const;

/** gen_esp32part.py's TYPES and SUBTYPES (kept in sync with esp_partition_subtype_t). */
const TYPES: Readonly<Record<string, number>> = { app: 0x00, data: 0x01 };
const SUBTYPES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  app: { factory: 0x00, test: 0x20 },
  data: {
    ota: 0x00, phy: 0x01, nvs: 0x02, coredump: 0x03, nvs_keys: 0x04, efuse: 0x05, undefined: 0x06,
    esphttpd: 0x80, fat: 0x81, spiffs: 0x82, littlefs: 0x83,
  },
};

/** One entry of a binary table, with type and subtype as the numbers on flash. */
export interface BinaryPartition {
  readonly name: string;
  readonly type: number;
  readonly subtype: number;
  readonly offset: number;
  readonly size: number;
  readonly flags: number;
}

export class PartitionTableError extends Error {
  override get name(): string {
    return 'PartitionTableError';
  }
}

/** A CSV type (`app`, `data` or a number) as the byte on flash. */
export function typeCode(type: string): number {
  const code = TYPES[type] ?? Number(type);
  if (!Number.isInteger(code) || code < 0 || code > 0xfe) throw new PartitionTableError(`unknown partition type ${type}`);
  return code;
}

/** A CSV subtype as the byte on flash; app subtypes `ota_0` … `ota_15` are 0x10 + n. */
export function subtypeCode(type: string, subtype: string): number {
  const ota = /^ota_(\d+)$/.exec(subtype);
  if (type === 'app' && ota !== null && Number(ota[1]) < 16) return 0x10 + Number(ota[1]);
  const code = SUBTYPES[type]?.[subtype] ?? Number(subtype);
  if (!Number.isInteger(code) || code < 0 || code > 0xfe) throw new PartitionTableError(`unknown subtype ${subtype} for type ${type}`);
  return code;
}

/** The CSV's partitions as binary entries. */
export function toBinaryPartitions(table: readonly Partition[]): BinaryPartition[] {
  return table.map(({ name, type, subtype, offset, size }) => ({
    name, type: typeCode(type), subtype: subtypeCode(type, subtype), offset, size, flags: 0,
  }));
}

/** The table as ESP-IDF writes it: entries, the MD5 entry, FF up to 0xC00 bytes. */
export function encodePartitionTable(partitions: readonly BinaryPartition[]): Uint8Array {
  if ((partitions.length + 1) * ENTRY_BYTES > PARTITION_TABLE_BYTES) throw new PartitionTableError('too many partitions for one table');
  const out = new Uint8Array(PARTITION_TABLE_BYTES).fill(0xff);
  const view = new DataView(out.buffer);
  partitions.forEach((partition, i) => {
    const at = i * ENTRY_BYTES;
    const label = new TextEncoder().encode(partition.name);
    if (label.length > LABEL_BYTES) throw new PartitionTableError(`${partition.name}: label longer than ${LABEL_BYTES} bytes`);
    out.set(ENTRY_MAGIC, at);
    out[at + 2] = partition.type;
    out[at + 3] = partition.subtype;
    view.setUint32(at + 4, partition.offset, true);
    view.setUint32(at + 8, partition.size, true);
    out.fill(0, at + 12, at + 12 + LABEL_BYTES);
    out.set(label, at + 12);
    view.setUint32(at + 28, partition.flags, true);
  });
  const md5At = partitions.length * ENTRY_BYTES;
  out.set(MD5_MAGIC, md5At);
  out.set(createHash('md5').update(out.subarray(0, md5At)).digest(), md5At + 16);
  return out;
}

/**
 * Reads a binary table: entries up to the MD5 entry, whose digest must match, or up to an all-FF entry
 * (tables built without MD5). Throws PartitionTableError naming the first thing wrong.
 */
export function decodePartitionTable(bytes: Uint8Array): BinaryPartition[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const partitions: BinaryPartition[] = [];
  for (let at = 0; at + ENTRY_BYTES <= Math.min(bytes.length, PARTITION_TABLE_BYTES); at += ENTRY_BYTES) {
    const entry = bytes.subarray(at, at + ENTRY_BYTES);
    if (entry.every((byte) => byte === 0xff)) return partitions;
    if (entry[0] === MD5_MAGIC[0] && entry[1] === MD5_MAGIC[1]) {
      const expected = createHash('md5').update(bytes.subarray(0, at)).digest();
      if (!expected.equals(entry.subarray(16, 32))) throw new PartitionTableError('its MD5 entry does not match its entries (damaged table)');
      return partitions;
    }
    if (entry[0] !== ENTRY_MAGIC[0] || entry[1] !== ENTRY_MAGIC[1]) {
      throw new PartitionTableError(`entry ${partitions.length} at byte ${at} does not start with the magic AA 50`);
    }
    const label = entry.subarray(12, 12 + LABEL_BYTES);
    const end = label.indexOf(0);
    partitions.push({
      name: new TextDecoder().decode(end === -1 ? label : label.subarray(0, end)),
      type: entry[2],
      subtype: entry[3],
      offset: view.getUint32(at + 4, true),
      size: view.getUint32(at + 8, true),
      flags: view.getUint32(at + 28, true),
    });
  }
  throw new PartitionTableError('no end: neither an MD5 entry nor an empty entry within 0xC00 bytes');
}

/** How a binary table differs from the expected one, one line per difference; empty when they agree. */
export function partitionTableDifferences(actual: readonly BinaryPartition[], expected: readonly BinaryPartition[]): string[] {
  const describe = (p: BinaryPartition) =>
    `${p.name} type 0x${p.type.toString(16)}/0x${p.subtype.toString(16)} at 0x${p.offset.toString(16)} size 0x${p.size.toString(16)}`;
  const differences: string[] = [];
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    const a = actual[i];
    const e = expected[i];
    if (a === undefined) differences.push(`missing ${describe(e)}`);
    else if (e === undefined) differences.push(`extra ${describe(a)}`);
    else if (describe(a) !== describe(e)) differences.push(`${describe(a)}, expected ${describe(e)}`);
  }
  return differences;
}

/** The first data partition of subtype nvs: where Moddable's Preference (ESP-IDF NVS) keeps its keys. */
export function nvsPartition(table: readonly BinaryPartition[]): BinaryPartition | undefined {
  return table.find((p) => p.type === TYPES.data && p.subtype === SUBTYPES.data.nvs);
}

/** The app the bootloader starts without OTA data: the factory partition, else the first app one. */
export function bootAppPartition(table: readonly BinaryPartition[]): BinaryPartition | undefined {
  return table.find((p) => p.type === TYPES.app && p.subtype === SUBTYPES.app.factory) ?? table.find((p) => p.type === TYPES.app);
}
