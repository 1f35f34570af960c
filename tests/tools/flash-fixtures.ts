/**
 * Firmware image folders for the `covey flash` tests: a bootloader and an app with real ESP-IDF image
 * headers (magic 0xE9, chip id at bytes 12–13) and deterministic bodies, the partition table as ESP-IDF
 * would write it from tools/build/partitions.csv, laid out as plain files or with flasher_args.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHIPS } from '../../tools/flash/chips.js';
import { expectedTable } from '../../tools/flash/plan.js';

export const PARTITIONS_CSV = join(process.cwd(), 'tools', 'build', 'partitions.csv');
export const NVS_BYTES = 0x6000;

export type Mcu = keyof typeof CHIPS;

/** An image: header for `chipId`, then `size - 24` bytes from a small LCG, half of them compressible runs. */
export function fakeImage(chipId: number, size: number, seed: number): Uint8Array {
  const image = new Uint8Array(size);
  image.set([0xe9, 3, 2, 0x20, 0x00, 0x10, 0x08, 0x40]);
  image[12] = chipId & 0xff;
  image[13] = chipId >> 8;
  let state = seed >>> 0;
  for (let i = 24; i < size; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    image[i] = (i >> 9) % 2 === 0 ? state >>> 24 : (i >> 4) & 0xff;
  }
  return image;
}

export interface ImageFolder {
  readonly dir: string;
  readonly bootloader: Uint8Array;
  readonly table: Uint8Array;
  readonly app: Uint8Array;
}

export interface ImageOptions {
  readonly layout?: 'files' | 'flasher_args';
  /** Image chip id of both files; default: the MCU's. */
  readonly chipId?: number;
  readonly appBytes?: number;
  /** Leave partition-table.bin out (plain layout): covey generates it. */
  readonly withoutTable?: boolean;
  readonly appName?: string;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `covey-flash-${prefix}-`));
}

export function imageFolder(mcu: Mcu, options: ImageOptions = {}): ImageFolder {
  const chip = CHIPS[mcu];
  const chipId = options.chipId ?? chip.imageChipId;
  const dir = tempDir(mcu);
  const bootloader = fakeImage(chipId, 18_432, 1);
  const app = fakeImage(chipId, options.appBytes ?? 96 * 1024, 2);
  const table = expectedTable(PARTITIONS_CSV).bytes;
  if (options.layout === 'flasher_args') {
    mkdirSync(join(dir, 'bootloader'));
    mkdirSync(join(dir, 'partition_table'));
    writeFileSync(join(dir, 'bootloader', 'bootloader.bin'), bootloader);
    writeFileSync(join(dir, 'partition_table', 'partition-table.bin'), table);
    writeFileSync(join(dir, 'xs_esp32.bin'), app);
    const offset = `0x${chip.bootloaderOffset.toString(16)}`;
    writeFileSync(join(dir, 'flasher_args.json'), JSON.stringify({
      write_flash_args: ['--flash_mode', 'dio', '--flash_size', '4MB', '--flash_freq', '80m'],
      flash_settings: { flash_mode: 'dio', flash_size: '4MB', flash_freq: '80m' },
      flash_files: { [offset]: 'bootloader/bootloader.bin', '0x10000': 'xs_esp32.bin', '0x8000': 'partition_table/partition-table.bin' },
      bootloader: { offset, file: 'bootloader/bootloader.bin', encrypted: 'false' },
      app: { offset: '0x10000', file: 'xs_esp32.bin', encrypted: 'false' },
      'partition-table': { offset: '0x8000', file: 'partition_table/partition-table.bin', encrypted: 'false' },
      extra_esptool_args: { after: 'hard_reset', before: 'default_reset', stub: true, chip: mcu },
    }, null, 4));
  } else {
    writeFileSync(join(dir, 'bootloader.bin'), bootloader);
    if (options.withoutTable !== true) writeFileSync(join(dir, 'partition-table.bin'), table);
    writeFileSync(join(dir, options.appName ?? 'xs_esp32.bin'), app);
  }
  return { dir, bootloader, table, app };
}

/** A `covey provision --out` folder: nvs.bin of `size` bytes and, when given, provision.json. */
export function settingsFolder(size = NVS_BYTES, carriesKey?: boolean): { dir: string; nvs: Uint8Array } {
  const dir = tempDir('settings');
  const nvs = fakeImage(0, size, 3);
  nvs.fill(0xff, 0, 32);
  writeFileSync(join(dir, 'nvs.bin'), nvs);
  if (carriesKey !== undefined) writeFileSync(join(dir, 'provision.json'), JSON.stringify({ carriesKey }));
  return { dir, nvs };
}
