/**
 * Finding the files of a firmware image in a folder. Two layouts are read:
 *
 * - ESP-IDF's `flasher_args.json` (written by every ESP-IDF build next to the binaries, and what
 *   `idf.py flash` hands esptool): `flash_files` maps offsets ("0x8000") to paths relative to the file;
 *   `bootloader`, `app` and `partition-table` name which is which; `flash_settings` holds the flash
 *   mode, frequency and size; `extra_esptool_args` the chip, whether to use the stub, and the resets.
 * - Otherwise the three files Moddable's `mcconfig` copies into its output folder: `bootloader.bin`,
 *   `partition-table.bin` (ESP-IDF's build folder layout, `bootloader/` and `partition_table/`, too) and
 *   the app, `xs_esp32.bin` or `covey.bin`. mcconfig copies the partition CSV, not its binary form, so
 *   a missing `partition-table.bin` is generated from tools/build/partitions.csv.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chipForTarget, type ChipFacts } from './chips.js';
import { PARTITION_TABLE_OFFSET } from './partition-table.js';

export type FileRole = 'bootloader' | 'partition-table' | 'app' | 'nvs' | 'other';

export interface ImageFile {
  readonly role: FileRole;
  readonly offset: number;
  /** The file it came from, or a description for generated data. */
  readonly source: string;
  /** The bytes to write, padded with FF to a multiple of 4 as esptool does before writing. */
  readonly data: Uint8Array;
}

export interface FlashSettings {
  readonly mode?: string;
  readonly freq?: string;
  readonly size?: string;
}

export interface ImageDirectory {
  readonly directory: string;
  /** 'flasher_args.json' or 'files'. */
  readonly layout: 'flasher_args.json' | 'files';
  readonly files: readonly ImageFile[];
  /** From flasher_args.json, shown in the plan; the files are written as built. */
  readonly flashSettings?: FlashSettings;
  /** The chip extra_esptool_args names, when it does. */
  readonly chip?: ChipFacts;
  /** extra_esptool_args.stub: false when the build asks for the ROM loader only. */
  readonly stub?: boolean;
  /** Set when the partition table was generated, not read. */
  readonly tableGenerated: boolean;
}

export class ImageError extends Error {
  override get name(): string {
    return 'ImageError';
  }
}

const APP_NAMES = ['xs_esp32.bin', 'covey.bin'];
const BOOTLOADER_NAMES = ['bootloader.bin', join('bootloader', 'bootloader.bin')];
const TABLE_NAMES = ['partition-table.bin', join('partition_table', 'partition-table.bin')];

/** Pads to a multiple of 4 bytes with FF (esptool-js util.padTo), so what is checked is what is written. */
export function padToWord(data: Uint8Array): Uint8Array {
  if (data.length % 4 === 0) return data;
  const padded = new Uint8Array(data.length + 4 - (data.length % 4)).fill(0xff);
  padded.set(data);
  return padded;
}

function readImageFile(path: string): Uint8Array {
  try {
    return padToWord(new Uint8Array(readFileSync(path)));
  } catch (error) {
    throw new ImageError(`cannot read ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
}

function parseOffset(text: unknown, where: string): number {
  const value = typeof text === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 0) throw new ImageError(`${where}: ${JSON.stringify(text)} is not a flash offset`);
  return value;
}

interface FlasherArgs {
  flash_files?: Record<string, string>;
  flash_settings?: { flash_mode?: string; flash_freq?: string; flash_size?: string };
  extra_esptool_args?: { chip?: string; stub?: boolean };
  bootloader?: { offset?: string };
  app?: { offset?: string };
  'partition-table'?: { offset?: string };
}

/** Reads `<dir>/flasher_args.json`'s files, with roles from its bootloader/app/partition-table entries. */
function fromFlasherArgs(directory: string, path: string): ImageDirectory {
  let args: FlasherArgs;
  try {
    args = JSON.parse(readFileSync(path, 'utf8')) as FlasherArgs;
  } catch (error) {
    throw new ImageError(`${path}: not JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const entries = Object.entries(args.flash_files ?? {});
  if (entries.length === 0) throw new ImageError(`${path}: no "flash_files"`);
  const roleAt = new Map<number, FileRole>();
  for (const role of ['bootloader', 'app', 'partition-table'] as const) {
    const offset = args[role]?.offset;
    if (offset !== undefined) roleAt.set(parseOffset(offset, `${path} "${role}"`), role);
  }
  const base = dirname(path);
  const files = entries.map(([offsetText, file]) => {
    const offset = parseOffset(offsetText, `${path} "flash_files"`);
    return { role: roleAt.get(offset) ?? 'other', offset, source: resolve(base, file), data: readImageFile(resolve(base, file)) };
  });
  const target = args.extra_esptool_args?.chip;
  const chip = target === undefined ? undefined : chipForTarget(target);
  if (target !== undefined && chip === undefined) throw new ImageError(`${path}: built for ${target}, a chip no covey board has`);
  const settings = args.flash_settings;
  return {
    directory,
    layout: 'flasher_args.json',
    files,
    flashSettings: settings === undefined ? undefined : { mode: settings.flash_mode, freq: settings.flash_freq, size: settings.flash_size },
    chip,
    stub: args.extra_esptool_args?.stub,
    tableGenerated: false,
  };
}

function firstExisting(directory: string, names: readonly string[]): string | undefined {
  return names.map((name) => join(directory, name)).find((path) => existsSync(path));
}

/**
 * Reads the image in `directory`. `chip` gives the bootloader offset for the plain-files layout,
 * `appOffset` the app's (the boot app partition), `generatedTable` the table to use when there is none.
 */
export function readImageDirectory(
  directory: string,
  chip: ChipFacts,
  appOffset: number,
  generatedTable: () => Uint8Array,
): ImageDirectory {
  if (!existsSync(directory)) throw new ImageError(`${directory}: no such folder`);
  const flasherArgs = join(directory, 'flasher_args.json');
  if (existsSync(flasherArgs)) return fromFlasherArgs(directory, flasherArgs);

  const bootloader = firstExisting(directory, BOOTLOADER_NAMES);
  const app = firstExisting(directory, APP_NAMES);
  if (bootloader === undefined || app === undefined) {
    const missing = [bootloader === undefined ? 'bootloader.bin' : undefined, app === undefined ? `${APP_NAMES.join(' or ')}` : undefined];
    throw new ImageError(
      `${directory}: no flasher_args.json and no ${missing.filter(Boolean).join(', no ')} ` +
        '(an image folder holds ESP-IDF\'s flasher_args.json, or bootloader.bin, partition-table.bin and xs_esp32.bin)',
    );
  }
  const table = firstExisting(directory, TABLE_NAMES);
  const files: ImageFile[] = [
    { role: 'bootloader', offset: chip.bootloaderOffset, source: bootloader, data: readImageFile(bootloader) },
    table === undefined
      ? { role: 'partition-table', offset: PARTITION_TABLE_OFFSET, source: 'generated from tools/build/partitions.csv', data: generatedTable() }
      : { role: 'partition-table', offset: PARTITION_TABLE_OFFSET, source: table, data: readImageFile(table) },
    { role: 'app', offset: appOffset, source: app, data: readImageFile(app) },
  ];
  return { directory, layout: 'files', files, tableGenerated: table === undefined };
}
