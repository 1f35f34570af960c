/**
 * `covey flash` end to end against the emulated ESP32 / ESP32-S3 ROM loader (host-sim/esp32) through its
 * serialport binding: the real esptool-js, the Web Serial adapter, SLIP, SYNC, chip detection, the stub
 * upload, compressed FLASH_DEFL writes, MD5 checks and the hard reset. What is read back from the
 * emulated flash afterwards must be byte for byte what was in the image folder.
 */
import { rmSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { emulatorBinding, Esp32LoaderEmulator, type EmulatedChip } from '../../host-sim/esp32/index.js';
import type { CliIo } from '../../tools/commands/io.js';
import { addFlashCommand, type FlashDependencies } from '../../tools/commands/flash.js';
import type { SerialBinding } from '../../tools/flash/web-serial-port.js';
import { readNvsImage } from '../../tools/nvs/read.js';
import { writeProvisionFiles } from '../../tools/provision/image.js';
import { expectOneLineFailure, type Run } from '../support/cli.js';
import { imageFolder, settingsFolder, tempDir, type ImageFolder } from './flash-fixtures.js';

const PORT = '/dev/ttyUSB0';

/** Runs `covey flash …` in-process with the given binding, as tools/cli.ts would. */
async function covey(argv: string[], dependencies: FlashDependencies): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), readStdin: async () => new Uint8Array(0) };
  const program = new Command('covey').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  addFlashCommand(program, { io, setExitCode: (value) => void (code = value) }, { isTTY: false, ...dependencies });
  try {
    await program.parseAsync(['flash', ...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  return { code, stdout, stderr };
}

function board(chip: EmulatedChip, options: Partial<ConstructorParameters<typeof Esp32LoaderEmulator>[0]> = {}) {
  const emulator = new Esp32LoaderEmulator({ chip, ...options });
  return { emulator, binding: emulatorBinding({ [PORT]: emulator }) as unknown as SerialBinding };
}

/** The bytes at `offset` in the emulated flash, as long as `data`. */
const readBack = (emulator: Esp32LoaderEmulator, offset: number, data: Uint8Array) => emulator.flash.slice(offset, offset + data.length);

function expectImageWritten(emulator: Esp32LoaderEmulator, folder: ImageFolder, bootloaderOffset: number): void {
  expect(readBack(emulator, bootloaderOffset, folder.bootloader)).toEqual(folder.bootloader);
  expect(readBack(emulator, 0x8000, folder.table)).toEqual(folder.table);
  expect(readBack(emulator, 0x10000, folder.app)).toEqual(folder.app);
}

const folders: string[] = [];
function image(...args: Parameters<typeof imageFolder>): ImageFolder {
  const folder = imageFolder(...args);
  folders.push(folder.dir);
  return folder;
}
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('writing an image', () => {
  test('ESP32 (heltec_v2), flasher stub, compressed: the flash holds the image; the board is reset into it', async () => {
    const { emulator, binding } = board('esp32');
    const folder = image('esp32');
    const logged: unknown[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void logged.push(args);
    const run = await covey(['--board', 'heltec_v2', '--port', PORT, '--image', folder.dir, '--json'], { binding }).finally(() => {
      console.log = log;
    });
    // Everything covey prints goes through its io; esptool-js's own trace lines stay out of --json.
    expect(logged).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectImageWritten(emulator, folder, 0x1000);
    expect(emulator.log).toContain('FLASH_DEFL_DATA (stub)');
    expect(emulator.log.some((entry) => entry.startsWith('stub running'))).toBe(true);
    expect(emulator.log).toContain('SPI_FLASH_MD5 (stub)');
    expect(emulator.state).toBe('firmware');
    expect(emulator.log.slice(-2)).toEqual(['reset: EN low', 'boot: firmware']);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ board: 'heltec_v2', chip: 'ESP32', port: PORT, stub: true, dryRun: false });
    expect(result.files.map((f: { offset: number; verified: boolean }) => [f.offset, f.verified])).toEqual([[0x1000, true], [0x8000, true], [0x10000, true]]);
    expect(typeof result.seconds).toBe('number');
  });

  test('ESP32-S3 (heltec_v3) from flasher_args.json, stub, at 460800 baud: bootloader at 0x0', async () => {
    const { emulator, binding } = board('esp32s3');
    const folder = image('esp32s3', { layout: 'flasher_args' });
    const run = await covey(['--board', 'heltec_v3', '--port', PORT, '--image', folder.dir], { binding });
    expect(run.code).toBe(0);
    expectImageWritten(emulator, folder, 0x0);
    expect(emulator.log).toContain('uart: 460800 baud');
    expect(run.stdout).toMatch(/^connected ESP32-S3, flasher stub running$/m);
    expect(run.stdout.match(/^wrote .* verified$/gm)).toHaveLength(3);
    expect(run.stdout).toMatch(/^reset {5}hard reset through RTS/m);
  });

  test.each([['esp32', 'tbeam_v1', 0x1000], ['esp32s3', 't3s3', 0x0]] as const)(
    '%s with --no-stub: ROM loader only, compressed writes, MD5 from the ROM, same bytes in flash',
    async (chip, id, bootloaderOffset) => {
      const { emulator, binding } = board(chip);
      const folder = image(chip);
      const run = await covey(['--board', id, '--port', PORT, '--image', folder.dir, '--no-stub', '--baud', '115200'], { binding });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expectImageWritten(emulator, folder, bootloaderOffset);
      expect(emulator.log).toContain('FLASH_DEFL_DATA');
      expect(emulator.log).toContain('SPI_FLASH_MD5');
      expect(emulator.log).not.toContain('MEM_BEGIN');
      expect(emulator.log.some((entry) => entry.includes('(stub)'))).toBe(false);
      expect(run.stdout).toMatch(/^connected ESP32(-S3)?, ROM loader$/m);
    },
  );

  test('--settings writes nvs.bin at 0x9000 and warns that the device key goes with it', async () => {
    const { emulator, binding } = board('esp32s3');
    const folder = image('esp32s3');
    const settings = settingsFolder();
    folders.push(settings.dir);
    const run = await covey(['--board', 'heltec_v3', '--port', PORT, '--image', folder.dir, '--settings', settings.dir], { binding });
    expect(run.code).toBe(0);
    expect(readBack(emulator, 0x9000, settings.nvs)).toEqual(settings.nvs);
    expectImageWritten(emulator, folder, 0x0);
    expect(run.stderr).toMatch(/^warning: nvs.bin replaces everything in NVS, the device key included/);
    expect(run.stdout).toMatch(/^wrote +0x9000 +settings +24,576 bytes {2}md5 [0-9a-f]{32} verified$/m);
  });

  test("covey provision's own output: the device reads the settings back out of its NVS", async () => {
    const { emulator, binding } = board('esp32');
    const dir = tempDir('provision');
    folders.push(dir);
    const settingsJson = JSON.stringify({ region: 'EU868', oracleUrl: 'http://oracle.example:8080' });
    writeProvisionFiles(dir, { settingsJson }, {
      board: 'heltec_v2', region: 'EU868', oracleUrl: 'http://oracle.example:8080', oraclePublicKey: '00'.repeat(32),
      oracleAddress: 'cv', carriesKey: false, attested: false, selftest: false,
    });
    const run = await covey(['--board', 'heltec_v2', '--port', PORT, '--image', image('esp32').dir, '--settings', dir], { binding });
    expect(run.code).toBe(0);
    const nvs = readNvsImage(emulator.flash.slice(0x9000, 0xf000));
    expect(nvs.problems).toEqual([]);
    expect(nvs.namespaces.covey?.settings).toBe(settingsJson);
    expect(run.stderr).toMatch(/the device key included/);
  });

  test('--erase erases the whole flash before writing', async () => {
    const { emulator, binding } = board('esp32');
    emulator.flash.fill(0x00, 0x200000, 0x210000);
    const folder = image('esp32');
    const run = await covey(['--board', 'heltec_v2', '--port', PORT, '--image', folder.dir, '--erase'], { binding });
    expect(run.code).toBe(0);
    expect(emulator.log).toContain('ERASE_FLASH (stub)');
    expect(emulator.flash.subarray(0x200000, 0x210000).every((byte) => byte === 0xff)).toBe(true);
    expectImageWritten(emulator, folder, 0x1000);
  });
});

describe('failures, each with what to do', () => {
  test('no such port: the ports that exist are listed', async () => {
    const { binding } = board('esp32');
    const folder = image('esp32');
    const run = await covey(['--board', 'heltec_v2', '--port', '/dev/ttyUSB7', '--image', folder.dir], { binding });
    expectOneLineFailure(run, /^covey flash: no such port \/dev\/ttyUSB7; serial ports present: \/dev\/ttyUSB0 \(Silicon Labs\)\n$/);
  });

  test('permission denied: join the dialout group and log in again', async () => {
    const emulator = new Esp32LoaderEmulator({ chip: 'esp32' });
    const binding = emulatorBinding({ [PORT]: emulator }, { denied: [PORT] }) as unknown as SerialBinding;
    const run = await covey(['--board', 'heltec_v2', '--port', PORT, '--image', image('esp32').dir], { binding });
    expectOneLineFailure(run, /cannot open \/dev\/ttyUSB0: permission denied: on Linux add yourself to .*dialout.*uucp.* log out and in again/);
  });

  test('wrong chip: the board says ESP32-S3, the chip answers ESP32; nothing is written', async () => {
    const { emulator, binding } = board('esp32');
    const run = await covey(['--board', 'heltec_v3', '--port', PORT, '--image', image('esp32s3').dir], { binding });
    expectOneLineFailure(run, /^covey flash: wrong chip: board heltec_v3 has an ESP32-S3, but the chip on \/dev\/ttyUSB0 answered ESP32 /);
    expect(emulator.log.some((entry) => entry.startsWith('FLASH'))).toBe(false);
    expect(emulator.flash.every((byte) => byte === 0xff)).toBe(true);
  });

  test('no download mode (no auto-reset circuit): how to hold BOOT', async () => {
    const { binding } = board('esp32', { autoReset: false });
    const run = await covey(['--board', 'heltec_v2', '--port', PORT, '--image', image('esp32').dir], { binding, connectAttempts: 2 });
    expectOneLineFailure(run, /not in download mode: hold BOOT \(PRG\/IO0\), press and release RST \(EN\), release BOOT, .* BOOT held while plugging in/);
  });

  test('the same board with BOOT held connects and flashes', async () => {
    const { emulator, binding } = board('esp32', { autoReset: false, bootHeld: true });
    const folder = image('esp32');
    const run = await covey(['--board', 'heltec_v2', '--port', PORT, '--image', folder.dir], { binding });
    expect(run.code).toBe(0);
    expectImageWritten(emulator, folder, 0x1000);
  });

  test('MD5 mismatch after writing: the flash changed under the write', async () => {
    const { emulator, binding } = board('esp32s3');
    const folder = image('esp32s3');
    // Flip a byte of the app just before the chip is asked for its MD5, as a failing flash chip would.
    const corrupting: SerialBinding = {
      list: () => binding.list(),
      open: async (options) => {
        const port = (await binding.open(options)) as { write(buffer: Buffer): Promise<void> };
        const write = port.write.bind(port);
        port.write = async (buffer: Buffer) => {
          if (buffer[0] === 0xc0 && buffer[1] === 0x00 && buffer[2] === 0x13 && buffer.readUInt32LE(9) === 0x10000) emulator.flash[0x10100] ^= 0x01;
          return write(buffer);
        };
        return port;
      },
    };
    const run = await covey(['--board', 'heltec_v3', '--port', PORT, '--image', folder.dir], { binding: corrupting });
    expectOneLineFailure(run, /^covey flash: MD5 mismatch after writing .*xs_esp32.bin at 0x10000: the file's is [0-9a-f]{32}, the flash's [0-9a-f]{32}; .*run covey flash again/);
  });
});

describe('--dry-run', () => {
  test('checks and prints the plan without opening the port', async () => {
    const { emulator, binding } = board('esp32s3');
    let opened = 0;
    const counting: SerialBinding = { list: () => binding.list(), open: (options) => ((opened += 1), binding.open(options)) };
    const folder = image('esp32s3');
    const run = await covey(['--board', 'heltec_v3', '--port', PORT, '--image', folder.dir, '--dry-run', '--json'], { binding: counting });
    expect(run.code).toBe(0);
    expect(opened).toBe(0);
    expect(emulator.log).toEqual([]);
    const plan = JSON.parse(run.stdout);
    expect(plan).toMatchObject({ board: 'heltec_v3', chip: 'ESP32-S3', port: PORT, dryRun: true, stub: true });
    expect(plan.files.map((f: { offset: number; size: number; verified: boolean }) => [f.offset, f.size, f.verified])).toEqual([
      [0x0, folder.bootloader.length, false], [0x8000, 0xc00, false], [0x10000, folder.app.length, false],
    ]);
  });
});
