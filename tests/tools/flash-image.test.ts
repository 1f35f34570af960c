/**
 * The checks `covey flash` makes on an image before touching a board: ESP-IDF's binary partition table
 * (written and read back, byte layout per gen_esp32part.py), image headers, chip ids, sizes, and the
 * settings image from `covey provision`.
 */
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPartitionTable } from '../../tools/build/partitions.js';
import { CHIPS } from '../../tools/flash/chips.js';
import { normaliseFlashMd5 } from '../../tools/flash/flasher.js';
import { checkImage, imageChipId } from '../../tools/flash/image-check.js';
import { ImageError, readImageDirectory } from '../../tools/flash/image-files.js';
import {
  decodePartitionTable, encodePartitionTable, nvsPartition, PartitionTableError, subtypeCode, toBinaryPartitions,
} from '../../tools/flash/partition-table.js';
import { expectedTable } from '../../tools/flash/plan.js';
import { readSettingsImage, settingsWarning } from '../../tools/flash/settings-image.js';
import { fakeImage, imageFolder, NVS_BYTES, PARTITIONS_CSV, settingsFolder } from './flash-fixtures.js';

const FOUR_MB = 4 * 1024 * 1024;
const expected = expectedTable(PARTITIONS_CSV);

describe('the binary partition table', () => {
  test("covey's CSV becomes ESP-IDF's 32-byte entries, an MD5 entry, and FF up to 0xC00 bytes", () => {
    const bytes = expected.bytes;
    expect(bytes).toHaveLength(0xc00);
    // nvs, data (1), nvs (2), 0x9000, 0x6000, label "nvs"
    expect(Array.from(bytes.subarray(0, 16))).toEqual([0xaa, 0x50, 0x01, 0x02, 0x00, 0x90, 0, 0, 0x00, 0x60, 0, 0, 0x6e, 0x76, 0x73, 0]);
    // factory app: type 0, subtype 0 at 0x10000, size 0x3E0000
    expect(Array.from(bytes.subarray(64, 76))).toEqual([0xaa, 0x50, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3e, 0x00]);
    // covey: data, undefined (6)
    expect([bytes[96 + 2], bytes[96 + 3]]).toEqual([0x01, 0x06]);
    const md5At = 4 * 32;
    expect(Array.from(bytes.subarray(md5At, md5At + 16))).toEqual([0xeb, 0xeb, ...new Array(14).fill(0xff)]);
    expect(Buffer.from(bytes.subarray(md5At + 16, md5At + 32))).toEqual(createHash('md5').update(bytes.subarray(0, md5At)).digest());
    expect(bytes.subarray(md5At + 32).every((byte) => byte === 0xff)).toBe(true);
  });

  test('reads back what it writes', () => {
    const table = decodePartitionTable(expected.bytes);
    expect(table.map(({ name, offset, size }) => [name, offset, size])).toEqual(
      readPartitionTable(PARTITIONS_CSV).map(({ name, offset, size }) => [name, offset, size]),
    );
    expect(nvsPartition(table)).toMatchObject({ name: 'nvs', offset: 0x9000, size: 0x6000 });
  });

  test('a damaged entry fails the MD5 check', () => {
    const damaged = expected.bytes.slice();
    damaged[8] ^= 0x01;
    expect(() => decodePartitionTable(damaged)).toThrow(/MD5 entry does not match/);
  });

  test('an entry without the AA 50 magic is refused', () => {
    const damaged = expected.bytes.slice();
    damaged[32] = 0x00;
    expect(() => decodePartitionTable(damaged)).toThrow(PartitionTableError);
  });

  test('app OTA subtypes and unknown names', () => {
    expect(subtypeCode('app', 'ota_3')).toBe(0x13);
    expect(subtypeCode('data', 'spiffs')).toBe(0x82);
    expect(() => subtypeCode('data', 'sprockets')).toThrow(/unknown subtype sprockets/);
  });

  test('a table with a longer app partition differs from the CSV, and the difference is named', () => {
    const entries = toBinaryPartitions(readPartitionTable(PARTITIONS_CSV)).map((p) => (p.name === 'factory' ? { ...p, size: 0x3f0000 } : p));
    const dir = imageFolder('esp32').dir;
    writeFileSync(join(dir, 'partition-table.bin'), encodePartitionTable(entries));
    const image = readImageDirectory(dir, CHIPS.esp32, 0x10000, () => expected.bytes);
    expect(() => checkImage(image, CHIPS.esp32, 'heltec_v2', expected.entries, FOUR_MB)).toThrow(
      /partition table is not tools\/build\/partitions.csv: factory .* size 0x3f0000, expected .* size 0x3e0000/,
    );
    rmSync(dir, { recursive: true });
  });
});

describe('image folders', () => {
  test.each(['esp32', 'esp32s3'] as const)('plain files for %s: bootloader at its offset, table at 0x8000, app at 0x10000', (mcu) => {
    const folder = imageFolder(mcu);
    const image = readImageDirectory(folder.dir, CHIPS[mcu], 0x10000, () => expected.bytes);
    const checked = checkImage(image, CHIPS[mcu], 'board', expected.entries, FOUR_MB);
    expect(checked.files.map(({ role, offset }) => [role, offset])).toEqual([
      ['bootloader', CHIPS[mcu].bootloaderOffset], ['partition-table', 0x8000], ['app', 0x10000],
    ]);
    expect(checked.files[2].data).toEqual(folder.app);
    rmSync(folder.dir, { recursive: true });
  });

  test("flasher_args.json: its offsets, files, chip and flash settings", () => {
    const folder = imageFolder('esp32s3', { layout: 'flasher_args' });
    const image = readImageDirectory(folder.dir, CHIPS.esp32s3, 0x10000, () => new Uint8Array(0));
    expect(image.layout).toBe('flasher_args.json');
    expect(image.chip?.name).toBe('ESP32-S3');
    expect(image.flashSettings).toEqual({ mode: 'dio', freq: '80m', size: '4MB' });
    expect(image.files.map(({ role, offset, source }) => [role, offset, source.endsWith('.bin')])).toEqual([
      ['bootloader', 0x0, true], ['app', 0x10000, true], ['partition-table', 0x8000, true],
    ]);
    rmSync(folder.dir, { recursive: true });
  });

  test('a folder without partition-table.bin gets the one generated from partitions.csv', () => {
    const folder = imageFolder('esp32', { withoutTable: true, appName: 'covey.bin' });
    const image = readImageDirectory(folder.dir, CHIPS.esp32, 0x10000, () => expected.bytes);
    expect(image.tableGenerated).toBe(true);
    expect(image.files[1]).toMatchObject({ role: 'partition-table', source: 'generated from tools/build/partitions.csv' });
    expect(image.files[2].source).toMatch(/covey\.bin$/);
    rmSync(folder.dir, { recursive: true });
  });

  test('a folder with no image in it says what an image folder holds', () => {
    const dir = settingsFolder().dir;
    expect(() => readImageDirectory(dir, CHIPS.esp32, 0x10000, () => expected.bytes)).toThrow(
      /no flasher_args.json and no bootloader.bin, no xs_esp32.bin or covey.bin/,
    );
    rmSync(dir, { recursive: true });
  });

  test('images are padded to whole words with FF, as esptool writes them', () => {
    const folder = imageFolder('esp32', { appBytes: 4097 });
    const image = readImageDirectory(folder.dir, CHIPS.esp32, 0x10000, () => expected.bytes);
    const app = image.files[2].data;
    expect(app).toHaveLength(4100);
    expect(Array.from(app.subarray(4097))).toEqual([0xff, 0xff, 0xff]);
    rmSync(folder.dir, { recursive: true });
  });
});

describe('image checks', () => {
  const check = (mcu: 'esp32' | 'esp32s3', folder: { dir: string }, board = 'board') =>
    checkImage(readImageDirectory(folder.dir, CHIPS[mcu], 0x10000, () => expected.bytes), CHIPS[mcu], board, expected.entries, FOUR_MB);

  test('the chip id sits in bytes 12–13 of the header', () => {
    expect(imageChipId(fakeImage(9, 64, 0))).toBe(9);
    expect(imageChipId(new Uint8Array(10))).toBeUndefined();
  });

  test('an ESP32-S3 app on an ESP32 board is refused, naming both chips', () => {
    const folder = imageFolder('esp32', { chipId: 9 });
    expect(() => check('esp32', folder, 'heltec_v2')).toThrow(/bootloader built for ESP32-S3, but board heltec_v2 has an ESP32/);
    rmSync(folder.dir, { recursive: true });
  });

  test('an app that does not start with 0xE9 is refused', () => {
    const folder = imageFolder('esp32');
    const app = fakeImage(0, 4096, 5);
    app[0] = 0x7f;
    writeFileSync(join(folder.dir, 'xs_esp32.bin'), app);
    expect(() => check('esp32', folder)).toThrow(/xs_esp32.bin: not an ESP32 app image \(first byte 0x7f, expected 0xe9\)/);
    rmSync(folder.dir, { recursive: true });
  });

  test('an app bigger than its partition: image too big, with both sizes', () => {
    const folder = imageFolder('esp32s3');
    writeFileSync(join(folder.dir, 'xs_esp32.bin'), fakeImage(9, 0x3e0000 + 16, 6));
    expect(() => check('esp32s3', folder)).toThrow(/image too big: the app is 4063248 bytes, partition factory holds 4063232/);
    rmSync(folder.dir, { recursive: true });
  });

  test('a bootloader that runs into the partition table is refused', () => {
    const folder = imageFolder('esp32');
    writeFileSync(join(folder.dir, 'bootloader.bin'), fakeImage(0, 0x7001, 7));
    expect(() => check('esp32', folder)).toThrow(/image too big: the bootloader .* runs into the partition table/);
    rmSync(folder.dir, { recursive: true });
  });

  test('a partition table file that is not one is refused', () => {
    const folder = imageFolder('esp32');
    writeFileSync(join(folder.dir, 'partition-table.bin'), fakeImage(0, 3072, 8));
    expect(() => check('esp32', folder)).toThrow(/partition-table.bin: not a partition table: entry 0 .* magic AA 50/);
    rmSync(folder.dir, { recursive: true });
  });

  test('flasher_args.json for another chip is refused before the files are looked at', () => {
    const folder = imageFolder('esp32s3', { layout: 'flasher_args' });
    const image = readImageDirectory(folder.dir, CHIPS.esp32, 0x10000, () => expected.bytes);
    expect(() => checkImage(image, CHIPS.esp32, 'tbeam_v1', expected.entries, FOUR_MB)).toThrow(
      /flasher_args.json says the image is for ESP32-S3, but board tbeam_v1 has an ESP32/,
    );
    rmSync(folder.dir, { recursive: true });
  });
});

describe('settings from covey provision', () => {
  test('nvs.bin goes to the nvs partition at 0x9000', () => {
    const { dir, nvs } = settingsFolder(NVS_BYTES, true);
    const settings = readSettingsImage(dir, expected.entries);
    expect(settings.file).toMatchObject({ role: 'nvs', offset: 0x9000 });
    expect(settings.file.data).toEqual(nvs);
    expect(settings.carriesKey).toBe(true);
    expect(settingsWarning(settings)).toMatch(/carries its own device key/);
    rmSync(dir, { recursive: true });
  });

  test('without provision.json the warning says the device key is replaced', () => {
    const { dir } = settingsFolder(NVS_BYTES);
    const settings = readSettingsImage(dir, expected.entries);
    expect(settings.carriesKey).toBeUndefined();
    expect(settingsWarning(settings)).toMatch(/the device key included: .* makes a new key at its next boot/);
    rmSync(dir, { recursive: true });
  });

  test('an nvs.bin of the wrong size is refused', () => {
    const { dir } = settingsFolder(0x5000);
    expect(() => readSettingsImage(dir, expected.entries)).toThrow(/nvs.bin: 20480 bytes, but the nvs partition is 24576 \(0x6000\)/);
    rmSync(dir, { recursive: true });
  });

  test('a folder without nvs.bin says what --settings takes', () => {
    const { dir } = settingsFolder();
    rmSync(join(dir, 'nvs.bin'));
    expect(() => readSettingsImage(dir, expected.entries)).toThrow(ImageError);
    expect(() => readSettingsImage(dir, expected.entries)).toThrow(/covey provision --out <dir>/);
    rmSync(dir, { recursive: true });
  });
});

describe('the MD5 the chip reports', () => {
  test("the ROM's 32 hex characters, hexed again by esptool-js, are read back as the digest", () => {
    const digest = createHash('md5').update('covey').digest('hex');
    expect(normaliseFlashMd5(Buffer.from(digest, 'ascii').toString('hex'))).toBe(digest);
    expect(normaliseFlashMd5(digest)).toBe(digest);
  });
});
