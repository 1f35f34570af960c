/**
 * What `covey flash` will write, worked out and checked before the port is opened: the image's files
 * (checked by image-check.ts), the settings image when given, offsets, sizes and MD5s. --dry-run prints
 * exactly this; a real run writes exactly this.
 */
import type { Board } from '../../hal/boards/index.js';
import { readPartitionTable, SMALLEST_FLASH_BYTES } from '../build/partitions.js';
import { CHIPS, hex, type ChipFacts } from './chips.js';
import { checkImage } from './image-check.js';
import { ImageError, readImageDirectory, type FileRole, type FlashSettings, type ImageFile } from './image-files.js';
import { bootAppPartition, encodePartitionTable, toBinaryPartitions, type BinaryPartition } from './partition-table.js';
import { md5Hex } from './flasher.js';
import { readSettingsImage, settingsWarning } from './settings-image.js';

export interface PlannedFile extends ImageFile {
  readonly size: number;
  readonly md5: string;
}

export interface FlashPlan {
  readonly board: Board;
  readonly chip: ChipFacts;
  readonly imageDirectory: string;
  readonly layout: 'flasher_args.json' | 'files';
  readonly flashSettings?: FlashSettings;
  readonly tableGenerated: boolean;
  /** In flash order, settings included. */
  readonly files: readonly PlannedFile[];
  readonly app: { readonly size: number; readonly partition: BinaryPartition };
  /** Said before writing settings; undefined without --settings. */
  readonly settingsWarning?: string;
  /** false when flasher_args.json asks for the ROM loader (extra_esptool_args.stub). */
  readonly imageAllowsStub: boolean;
}

export interface PlanRequest {
  readonly board: Board;
  readonly imageDirectory: string;
  readonly settingsDirectory?: string;
  /** tools/build/partitions.csv: the table every covey image must carry. */
  readonly partitionsCsv: string;
}

/** The expected table, from the CSV, in binary form (entries and the bytes ESP-IDF would write). */
export function expectedTable(partitionsCsv: string): { entries: BinaryPartition[]; bytes: Uint8Array } {
  const entries = toBinaryPartitions(readPartitionTable(partitionsCsv));
  return { entries, bytes: encodePartitionTable(entries) };
}

export function planFlash(request: PlanRequest): FlashPlan {
  const chip = CHIPS[request.board.mcu];
  const expected = expectedTable(request.partitionsCsv);
  const appOffset = bootAppPartition(expected.entries)?.offset ?? 0x10000;
  const image = readImageDirectory(request.imageDirectory, chip, appOffset, () => expected.bytes);
  const checked = checkImage(image, chip, request.board.id, expected.entries, SMALLEST_FLASH_BYTES);
  const settings = request.settingsDirectory === undefined ? undefined : readSettingsImage(request.settingsDirectory, checked.table);
  const files: ImageFile[] = [...checked.files];
  if (settings !== undefined) {
    const { offset, data, source } = settings.file;
    const clash = files.find((file) => file.offset < offset + data.length && offset < file.offset + file.data.length);
    if (clash !== undefined) throw new ImageError(`${source} would overwrite ${clash.source}, which the image writes at ${hex(clash.offset)}`);
    files.push(settings.file);
  }
  files.sort((a, b) => a.offset - b.offset);
  return {
    board: request.board,
    chip,
    imageDirectory: image.directory,
    layout: image.layout,
    flashSettings: image.flashSettings,
    tableGenerated: image.tableGenerated,
    files: files.map((file) => ({ ...file, size: file.data.length, md5: md5Hex(file.data) })),
    app: checked.app,
    settingsWarning: settings === undefined ? undefined : settingsWarning(settings),
    imageAllowsStub: image.stub !== false,
  };
}

/** Bytes with thousands separators, as the plan prints them. */
export const bytes = (n: number): string => `${n.toLocaleString('en-US')} bytes`;

export const roleLabel = (role: FileRole): string => (role === 'nvs' ? 'settings' : role);
