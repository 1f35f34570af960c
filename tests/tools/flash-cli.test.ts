/**
 * `covey flash` through tools/cli.ts main(): help, the plan --dry-run prints, and the failures found
 * before any port is opened (no SDK, bad image, bad settings, --erase without the stub). Nothing here
 * opens a serial port: the port named does not exist, and a dry run must not need it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuiltImage } from '../../tools/flash/build-image.js';
import { covey, expectOneLineFailure } from '../support/cli.js';
import { fakeSdk as makeFakeSdk, withEnv } from '../support/fake-sdk.js';
import { fakeImage, imageFolder, settingsFolder } from './flash-fixtures.js';

const PORT = '/dev/ttyCOVEY-NOT-THERE';
const folders: string[] = [];
const track = <T extends { dir: string }>(folder: T): T => (folders.push(folder.dir), folder);
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

test('--help names every option, says the stub is the default and how to enter download mode', async () => {
  const run = await covey(['flash', '--help']);
  expect(run.code).toBe(0);
  for (const option of ['--board', '--port', '--image', '--settings', '--erase', '--dry-run', '--baud', '--no-stub', '--json']) {
    expect(run.stdout).toContain(option);
  }
  expect(run.stdout).toMatch(/default: esptool's\s+flasher\s+stub,\s+with\s+compressed\s+writes/);
  expect(run.stdout).toMatch(/hold BOOT \(PRG\/IO0\), press and release RST \(EN\), release BOOT/);
});

test('the command is listed by covey --help', async () => {
  expect((await covey(['--help'])).stdout).toMatch(/^\s+flash \[options\]\s+write the firmware/m);
});

test('--dry-run prints offsets, sizes, MD5s, the port and the chip expected, and opens nothing', async () => {
  const folder = track(imageFolder('esp32'));
  const settings = track(settingsFolder(0x6000, true));
  const run = await covey(['flash', '--board', 'tbeam_v1', '--port', PORT, '--image', folder.dir, '--settings', settings.dir, '--dry-run']);
  expect(run.code).toBe(0);
  const files = run.stdout.split('\n').filter((line) => line.startsWith('file '));
  expect(files.map((line) => line.split(/\s+/).slice(1, 4).join(' '))).toEqual([
    '0x1000 bootloader 18,432', '0x8000 partition-table 3,072', '0x9000 settings 24,576', '0x10000 app 98,304',
  ]);
  expect(files.every((line) => /md5 [0-9a-f]{32}/.test(line))).toBe(true);
  expect(run.stdout).toMatch(/^port +\/dev\/ttyCOVEY-NOT-THERE, expecting an ESP32; flasher stub, compressed writes; 460800 baud$/m);
  expect(run.stdout).toMatch(/^dry run +port not opened, nothing written$/m);
  expect(run.stderr).toMatch(/^warning: nvs.bin replaces everything in NVS; it carries its own device key/);
});

test('--dry-run notes a partition table generated from partitions.csv', async () => {
  const folder = track(imageFolder('esp32s3', { withoutTable: true }));
  const run = await covey(['flash', '--board', 't3s3', '--port', PORT, '--image', folder.dir, '--dry-run', '--no-stub']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/\(files, partition table generated from tools\/build\/partitions.csv\)/);
  expect(run.stdout).toMatch(/^file +0x8000 +partition-table +3,072 bytes .* generated from tools\/build\/partitions.csv$/m);
  expect(run.stdout).toMatch(/ROM loader only \(--no-stub\)/);
});

test('without --image and without mcconfig: install the Moddable SDK or pass --image', async () => {
  const run = await withEnv({ PATH: '/nonexistent' }, () => covey(['flash', '--board', 'heltec_v3', '--port', PORT]));
  expectOneLineFailure(run, /^covey flash: mcconfig is not on PATH: install the Moddable SDK .* or pass --image <dir>/);
});

/** A stand-in Moddable SDK (tests/support/fake-sdk.ts) and the environment that points to it. */
function fakeSdk(): { env: Record<string, string>; log: string } {
  const base = mkdtempSync(join(tmpdir(), 'covey-flash-sdk-'));
  folders.push(base);
  const sdk = makeFakeSdk(base);
  return { env: { PATH: `${sdk.bin}:${process.env.PATH ?? ''}`, MODDABLE: sdk.moddable, IDF_PATH: sdk.moddable }, log: sdk.log };
}

describe('without --image, covey flash builds with mcconfig', () => {
  test('a release build by default (no -d): a hotspot needs its USB port as its console', async () => {
    const sdk = fakeSdk();
    const run = await withEnv(sdk.env, () => covey(['flash', '--board', 'heltec_v3', '--port', PORT]));
    expectOneLineFailure(run, /^covey flash: mcconfig failed \(exit status 3\)/);
    const args = readFileSync(sdk.log, 'utf8').trim().split('\n');
    expect(args.slice(0, 2)).toEqual(['-m', '-p']);
    expect(args).not.toContain('-d');
    expect(args).toEqual(expect.arrayContaining(['-t', 'build', 'board=heltec_v3']));
  }, 60_000);

  test('--debug builds for xsbug (-d), and does not go with --image', async () => {
    const sdk = fakeSdk();
    const run = await withEnv(sdk.env, () => covey(['flash', '--board', 'heltec_v3', '--port', PORT, '--debug']));
    expect(run.code).toBe(1);
    expect(readFileSync(sdk.log, 'utf8').trim().split('\n').slice(0, 3)).toEqual(['-d', '-m', '-p']);
    const folder = track(imageFolder('esp32s3'));
    expectOneLineFailure(await covey(['flash', '--board', 'heltec_v3', '--port', PORT, '--image', folder.dir, '--debug']), /^covey flash: --debug chooses how covey flash builds/);
  }, 60_000);
});

test('an image for the wrong chip stops before the port, one line', async () => {
  const folder = track(imageFolder('esp32s3'));
  const run = await covey(['flash', '--board', 'heltec_v2', '--port', PORT, '--image', folder.dir]);
  expectOneLineFailure(run, /^covey flash: .*bootloader.bin: bootloader built for ESP32-S3, but board heltec_v2 has an ESP32$/m);
});

test('an app too big for its partition stops before the port', async () => {
  const folder = track(imageFolder('esp32'));
  writeFileSync(join(folder.dir, 'xs_esp32.bin'), fakeImage(0, 0x3e1000, 4));
  const run = await covey(['flash', '--board', 'heltec_v2', '--port', PORT, '--image', folder.dir, '--dry-run']);
  expectOneLineFailure(run, /image too big: the app is 4067328 bytes, partition factory holds 4063232/);
});

test('settings of the wrong size stop before the port', async () => {
  const folder = track(imageFolder('esp32'));
  const settings = track(settingsFolder(0x1000));
  const run = await covey(['flash', '--board', 'heltec_v2', '--port', PORT, '--image', folder.dir, '--settings', settings.dir]);
  expectOneLineFailure(run, /nvs.bin: 4096 bytes, but the nvs partition is 24576 \(0x6000\)/);
});

test('--erase with --no-stub is refused: the ROM cannot erase the whole chip', async () => {
  const folder = track(imageFolder('esp32'));
  const run = await covey(['flash', '--board', 'heltec_v2', '--port', PORT, '--image', folder.dir, '--erase', '--no-stub']);
  expectOneLineFailure(run, /^covey flash: --erase needs the flasher stub .*drop --no-stub$/m);
});

test('an unknown board and a missing --port are usage errors', async () => {
  expectOneLineFailure(await covey(['flash', '--board', 'nope', '--port', PORT, '--image', '.']), /^covey flash: .*nope/);
  expectOneLineFailure(await covey(['flash', '--board', 'heltec_v2']), /^covey flash: required option '-p, --port <serial>' not specified/);
});

test('--baud below 9600 is refused', async () => {
  expectOneLineFailure(await covey(['flash', '--board', 'heltec_v2', '--port', PORT, '--baud', '300']), /--baud/);
});

describe('finding what mcconfig built', () => {
  /** mcconfig's output folders for `sub`: ESP-IDF's build folder (flasher_args.json) and the bin folder. */
  function builtTree(variants: readonly ('debug' | 'release')[], sub = 'heltec_v3'): string {
    const top = mkdtempSync(join(tmpdir(), 'covey-flash-built-'));
    folders.push(top);
    for (const variant of variants) {
      const idf = join(top, 'tmp', 'esp32', sub, variant, 'covey', 'xsProj-esp32s3', 'build');
      mkdirSync(idf, { recursive: true });
      writeFileSync(join(idf, 'flasher_args.json'), '{}');
      const bin = join(top, 'bin', 'esp32', sub, variant, 'covey');
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(bin, 'xs_esp32.bin'), '');
    }
    return top;
  }

  test('with a debug and a release build side by side, each variant finds its own', () => {
    const top = builtTree(['debug', 'release']);
    expect(findBuiltImage(top, 'heltec_v3', 'release')).toBe(join(top, 'tmp', 'esp32', 'heltec_v3', 'release', 'covey', 'xsProj-esp32s3', 'build'));
    expect(findBuiltImage(top, 'heltec_v3', 'debug')).toBe(join(top, 'tmp', 'esp32', 'heltec_v3', 'debug', 'covey', 'xsProj-esp32s3', 'build'));
  });

  test('only a debug build there: a release is not found rather than the debug one taken', () => {
    const top = builtTree(['debug']);
    expect(findBuiltImage(top, 'heltec_v3', 'release')).toBeUndefined();
    expect(findBuiltImage(top, 'heltec_v2', 'debug')).toBeUndefined();
  });
});
