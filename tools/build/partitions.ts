/**
 * Reads an ESP-IDF partition table (CSV, ESP-IDF "Partition Tables" guide: Name, Type, SubType, Offset,
 * Size, Flags; '#' starts a comment) and checks the rules covey's table must keep: partitions in flash
 * order without overlap, app partitions on 64 KB boundaries and data ones on 4 KB sectors (the guide's
 * alignment rules), labels of at most 16 bytes, and everything inside 4 MB of flash.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Partition {
  readonly name: string;
  readonly type: string;
  readonly subtype: string;
  readonly offset: number;
  readonly size: number;
}

/** The flash the table must fit: 4 MB, the smallest ESP32 module flash; larger flash is left unused. */
export const SMALLEST_FLASH_BYTES = 4 * 1024 * 1024;

/** The partition table starts at 0x8000 and takes one sector (ESP-IDF "Partition Tables"). */
const FIRST_FREE_OFFSET = 0x9000;

export function parsePartitionTable(text: string): Partition[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [name, type, subtype, offset, size] = line.split(',').map((field) => field.trim());
      return { name, type, subtype, offset: Number(offset), size: Number(size) };
    });
}

export function readPartitionTable(path: string): Partition[] {
  return parsePartitionTable(readFileSync(path, 'utf8'));
}

/** covey's partition table, the one every image carries (manifest.json's PARTITIONS_FILE). */
export const COVEY_PARTITIONS_CSV = fileURLToPath(new URL('./partitions.csv', import.meta.url));

/** The partition labelled `name` in covey's table. */
export function coveyPartition(name: string): Partition {
  const found = readPartitionTable(COVEY_PARTITIONS_CSV).find((partition) => partition.name === name);
  if (found === undefined) throw new Error(`tools/build/partitions.csv has no ${name} partition`);
  return found;
}

/** What is wrong with a table, one line per problem; empty when it is sound. */
export function partitionProblems(table: readonly Partition[]): string[] {
  const problems: string[] = [];
  let end = FIRST_FREE_OFFSET;
  for (const partition of table) {
    const { name, offset, size } = partition;
    const alignment = partition.type === 'app' ? 0x10000 : 0x1000;
    if (!Number.isInteger(offset) || !Number.isInteger(size) || size <= 0) problems.push(`${name}: offset and size must be numbers`);
    if (offset % alignment !== 0 || size % 0x1000 !== 0) problems.push(`${name}: not aligned to ${alignment} bytes`);
    if (offset < end) problems.push(`${name}: overlaps what comes before it`);
    if (new TextEncoder().encode(name).length > 16) problems.push(`${name}: label longer than 16 bytes`);
    end = offset + size;
  }
  if (end > SMALLEST_FLASH_BYTES) problems.push(`the table ends at ${end}, past ${SMALLEST_FLASH_BYTES} bytes of flash`);
  return problems;
}
