/**
 * The settings `covey provision --out <dir>` leaves for flashing: `<dir>/nvs.bin`, an image of the whole
 * NVS partition (ESP-IDF NVS format, what Moddable's Preference reads), and optionally
 * `<dir>/provision.json`, whose `carriesKey` says whether the image holds a device key (`seed`).
 *
 * Writing it replaces everything in NVS. The device key lives there too (made on first boot), so an
 * image without a key gives an already-running device a new identity at its next boot.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hex } from './chips.js';
import { ImageError, type ImageFile } from './image-files.js';
import { nvsPartition, type BinaryPartition } from './partition-table.js';

export interface SettingsImage {
  readonly file: ImageFile;
  /** true or false from provision.json; undefined when it is missing or says nothing. */
  readonly carriesKey: boolean | undefined;
}

function readCarriesKey(directory: string): boolean | undefined {
  const path = join(directory, 'provision.json');
  if (!existsSync(path)) return undefined;
  try {
    const value = (JSON.parse(readFileSync(path, 'utf8')) as { carriesKey?: unknown }).carriesKey;
    return typeof value === 'boolean' ? value : undefined;
  } catch (error) {
    throw new ImageError(`${path}: not JSON (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Reads `<directory>/nvs.bin` and places it at the table's NVS partition, which it must fill exactly. */
export function readSettingsImage(directory: string, table: readonly BinaryPartition[]): SettingsImage {
  const partition = nvsPartition(table);
  if (partition === undefined) throw new ImageError('the partition table has no nvs partition to write settings into');
  const path = join(directory, 'nvs.bin');
  if (!existsSync(path)) {
    throw new ImageError(`${path}: no such file (--settings takes the folder \`covey provision --out <dir>\` wrote)`);
  }
  const data = new Uint8Array(readFileSync(path));
  if (data.length !== partition.size) {
    throw new ImageError(
      `${path}: ${data.length} bytes, but the ${partition.name} partition is ${partition.size} (${hex(partition.size)}); ` +
        'make it again with covey provision',
    );
  }
  return { file: { role: 'nvs', offset: partition.offset, source: path, data }, carriesKey: readCarriesKey(directory) };
}

/** The warning to print before writing settings: what happens to the device key. */
export function settingsWarning(settings: SettingsImage): string {
  if (settings.carriesKey === true) {
    return 'nvs.bin replaces everything in NVS; it carries its own device key, which the device will use from its next boot';
  }
  return (
    'nvs.bin replaces everything in NVS, the device key included: a device that already has an identity ' +
    'makes a new key at its next boot and the old identity is lost (write settings before the first boot, ' +
    'or use covey provision over the serial console for a running hotspot)'
  );
}
