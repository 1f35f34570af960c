/**
 * Checks a firmware image before anything touches the board: each file is what its place in flash
 * needs, the partition table is covey's, the app fits its partition, and everything was built for the
 * board's chip. A wrong image written over a working one can leave a board that only boots into the
 * ROM loader, so every check here refuses rather than warns.
 *
 * Image header (ESP-IDF "App Image Format", esp_image_header_t): byte 0 the magic 0xE9, then the
 * extended header from byte 8, whose bytes 12–13 are the chip id (little-endian).
 */
import { chipNameForImageId, hex, type ChipFacts } from './chips.js';
import { ImageError, type ImageDirectory, type ImageFile } from './image-files.js';
import {
  bootAppPartition, decodePartitionTable, PARTITION_TABLE_OFFSET, PartitionTableError, partitionTableDifferences,
  type BinaryPartition,
} from './partition-table.js';

export const IMAGE_MAGIC = 0xe9;
const CHIP_ID_AT = 12;
const HEADER_BYTES = 24;

export interface CheckedImage {
  /** Every file in flash order. */
  readonly files: readonly ImageFile[];
  /** The partition table the image carries (equal to the expected one). */
  readonly table: readonly BinaryPartition[];
  readonly app: { readonly size: number; readonly partition: BinaryPartition };
}

/** The chip id in an image header, or undefined when the file is too short to hold one. */
export function imageChipId(data: Uint8Array): number | undefined {
  return data.length < HEADER_BYTES ? undefined : data[CHIP_ID_AT] | (data[CHIP_ID_AT + 1] << 8);
}

function checkHeader(file: ImageFile, what: string, chip: ChipFacts, board: string): void {
  if (file.data[0] !== IMAGE_MAGIC) {
    throw new ImageError(`${file.source}: not an ESP32 ${what} image (first byte ${hex(file.data[0] ?? 0)}, expected 0xe9)`);
  }
  const id = imageChipId(file.data);
  if (id === undefined) throw new ImageError(`${file.source}: too short for an image header (${file.data.length} bytes)`);
  if (id !== chip.imageChipId) {
    throw new ImageError(`${file.source}: ${what} built for ${chipNameForImageId(id)}, but board ${board} has an ${chip.name}`);
  }
}

/** Gives files whose role the image folder did not name one from where they go in flash. */
function withRoles(files: readonly ImageFile[], chip: ChipFacts, appOffset: number | undefined): ImageFile[] {
  return files.map((file) => {
    if (file.role !== 'other') return file;
    if (file.offset === chip.bootloaderOffset) return { ...file, role: 'bootloader' };
    if (file.offset === PARTITION_TABLE_OFFSET) return { ...file, role: 'partition-table' };
    if (file.offset === appOffset) return { ...file, role: 'app' };
    return file;
  });
}

function only(files: readonly ImageFile[], role: ImageFile['role'], directory: string): ImageFile {
  const found = files.filter((file) => file.role === role);
  if (found.length !== 1) throw new ImageError(`${directory}: ${found.length === 0 ? 'no' : 'more than one'} ${role} file`);
  return found[0];
}

function checkTable(file: ImageFile, expected: readonly BinaryPartition[]): BinaryPartition[] {
  let table: BinaryPartition[];
  try {
    table = decodePartitionTable(file.data);
  } catch (error) {
    if (error instanceof PartitionTableError) throw new ImageError(`${file.source}: not a partition table: ${error.message}`);
    throw error;
  }
  const differences = partitionTableDifferences(table, expected);
  if (differences.length > 0) {
    throw new ImageError(`${file.source}: the partition table is not tools/build/partitions.csv: ${differences.join('; ')}`);
  }
  return table;
}

/** Refuses files that overlap, or run past the flash. */
function checkLayout(files: readonly ImageFile[], flashBytes: number): void {
  const sorted = [...files].sort((a, b) => a.offset - b.offset);
  sorted.forEach((file, i) => {
    const end = file.offset + file.data.length;
    if (end > flashBytes) throw new ImageError(`${file.source}: ends at ${hex(end)}, past the ${flashBytes / 0x100000} MB flash`);
    const next = sorted[i + 1];
    if (next !== undefined && end > next.offset) {
      throw new ImageError(`${file.source} (${hex(file.offset)}–${hex(end)}) overlaps ${next.source} at ${hex(next.offset)}`);
    }
  });
}

/**
 * Checks `image` for a board whose MCU is `chip`, against the expected partition table (from
 * partitions.csv). Returns the files with roles and the table; throws ImageError naming the problem.
 */
export function checkImage(image: ImageDirectory, chip: ChipFacts, board: string, expected: readonly BinaryPartition[], flashBytes: number): CheckedImage {
  if (image.chip !== undefined && image.chip.mcu !== chip.mcu) {
    throw new ImageError(`${image.directory}: flasher_args.json says the image is for ${image.chip.name}, but board ${board} has an ${chip.name}`);
  }
  const expectedApp = bootAppPartition(expected);
  const files = withRoles(image.files, chip, expectedApp?.offset);
  const tableFile = only(files, 'partition-table', image.directory);
  if (tableFile.offset !== PARTITION_TABLE_OFFSET) throw new ImageError(`${tableFile.source}: the partition table goes at 0x8000, not ${hex(tableFile.offset)}`);
  const table = checkTable(tableFile, expected);

  const bootloader = only(files, 'bootloader', image.directory);
  if (bootloader.offset !== chip.bootloaderOffset) {
    throw new ImageError(`${bootloader.source}: the ${chip.name} bootloader goes at ${hex(chip.bootloaderOffset)}, not ${hex(bootloader.offset)}`);
  }
  checkHeader(bootloader, 'bootloader', chip, board);
  if (bootloader.offset + bootloader.data.length > PARTITION_TABLE_OFFSET) {
    throw new ImageError(`${bootloader.source}: image too big: the bootloader (${bootloader.data.length} bytes) runs into the partition table at 0x8000`);
  }

  const app = only(files, 'app', image.directory);
  const partition = bootAppPartition(table);
  if (partition === undefined) throw new ImageError(`${tableFile.source}: no app partition`);
  if (app.offset !== partition.offset) {
    throw new ImageError(`${app.source}: the app goes at ${hex(partition.offset)} (partition ${partition.name}), not ${hex(app.offset)}`);
  }
  checkHeader(app, 'app', chip, board);
  if (app.data.length > partition.size) {
    throw new ImageError(
      `${app.source}: image too big: the app is ${app.data.length} bytes, partition ${partition.name} holds ${partition.size} ` +
        `(${hex(partition.size)}); make the firmware smaller or the partition larger in tools/build/partitions.csv`,
    );
  }
  checkLayout(files, flashBytes);
  return { files: [...files].sort((a, b) => a.offset - b.offset), table, app: { size: app.data.length, partition } };
}
