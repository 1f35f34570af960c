/**
 * esptool-js 0.7.0 itself, through serialport and the emulator's binding, against the emulated ESP32 and
 * ESP32-S3: chip detection, the stub upload, compressed and uncompressed writes, and writes straight to the
 * ROM loader without the stub. What ends up in the emulated flash must be exactly what was written.
 */
import { createHash } from 'node:crypto';
import { ESPLoader, Transport } from 'esptool-js';
import { Esp32LoaderEmulator, emulatorBinding, type EmulatedChip, type LoaderEmulatorOptions } from '../../host-sim/esp32/index.js';
import { SerialPortAsWebSerial } from '../support/esp32-web-serial-harness.js';

const PATH = '/dev/ttyUSB0';
const APP_OFFSET = 0x10000;
const BOOTLOADER_OFFSET: Record<EmulatedChip, number> = { esp32: 0x1000, esp32s3: 0x0 };

/** Deterministic pseudo-random bytes (xorshift32), so a failure reproduces. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

function bootloaderLike(seed: number): Uint8Array {
  const image = noise(0x5000, seed);
  image[0] = 0xe9; // ESP image magic
  image[1] = 3; // segment count
  return image;
}

const md5Hex = (image: Uint8Array): string => createHash('md5').update(image).digest('hex');

interface Session {
  readonly emulator: Esp32LoaderEmulator;
  readonly loader: ESPLoader;
  readonly transport: Transport;
  readonly lines: string[];
}

interface ConnectOptions extends Partial<LoaderEmulatorOptions> {
  readonly baudrate?: number;
  readonly inPlaceBaudChange?: boolean;
}

function connect(chip: EmulatedChip, options: ConnectOptions = {}): Session {
  const { baudrate, inPlaceBaudChange, ...board } = options;
  const emulator = new Esp32LoaderEmulator({ chip, ...board });
  const device = new SerialPortAsWebSerial(PATH, emulatorBinding({ [PATH]: emulator }), { inPlaceBaudChange });
  const transport = new Transport(device as unknown as ConstructorParameters<typeof Transport>[0]);
  const lines: string[] = [];
  const terminal = {
    clean: () => undefined,
    writeLine: (line: string) => lines.push(line),
    write: (text: string) => lines.push(text),
  };
  const loader = new ESPLoader({ transport, baudrate: baudrate ?? 115_200, romBaudrate: 115_200, terminal });
  return { emulator, loader, transport, lines };
}

function expectedFlash(size: number, files: readonly { data: Uint8Array; address: number }[]): Uint8Array {
  const flash = new Uint8Array(size).fill(0xff);
  for (const file of files) flash.set(file.data, file.address);
  return flash;
}

/** Compares without printing 4 MiB on failure: the first differing offset, or -1. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

// esptool-js's Transport logs "Serial port done" and the like with console.log whatever its tracing flag.
const consoleLog = console.log;
beforeAll(() => {
  console.log = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].startsWith('TRACE '))) consoleLog(...args);
  };
});
afterAll(() => {
  console.log = consoleLog;
});

describe.each<EmulatedChip>(['esp32', 'esp32s3'])('esptool-js on an emulated %s', (chip) => {
  const files = [
    { data: bootloaderLike(chip === 'esp32' ? 11 : 12), address: BOOTLOADER_OFFSET[chip] },
    { data: noise(200 * 1024, chip === 'esp32' ? 21 : 22), address: APP_OFFSET },
  ];

  test.each([true, false])('main() uploads the stub, then writeFlash(compress: %s) writes what was asked', async (compress) => {
    const { emulator, loader, transport, lines } = connect(chip);
    try {
      const description = await loader.main();
      expect(description).toMatch(chip === 'esp32' ? /^ESP32-D0WDQ6 \(revision 1\)$/ : /^ESP32-S3 \(QFN56\) \(revision v0\.2\)$/);
      expect(loader.IS_STUB).toBe(true);
      expect(emulator.stubRunning).toBe(true);
      expect(lines).toContain('Crystal is 40MHz');
      expect(lines).toContain('MAC: 24:0a:c4:5e:11:07');
      expect(lines).toContain('Flash ID: 1640ef');
      await loader.writeFlash({
        fileArray: files.map((file) => ({ ...file })),
        flashMode: 'keep',
        flashFreq: 'keep',
        flashSize: 'keep',
        eraseAll: false,
        compress,
        calculateMD5Hash: md5Hex,
      });
      expect(lines.filter((line) => line === 'Hash of data verified.')).toHaveLength(2);
      expect(firstDifference(emulator.flash, expectedFlash(emulator.flash.length, files))).toBe(-1);
      expect(emulator.log).toContain(compress ? 'FLASH_DEFL_END (stub)' : 'FLASH_END (stub)');
    } finally {
      await transport.disconnect();
    }
  });

  test.each([true, false])('without the stub, the ROM loader takes the write (compress: %s)', async (compress) => {
    const { emulator, loader, transport } = connect(chip);
    try {
      await loader.detectChip();
      expect(loader.chip.CHIP_NAME).toBe(chip === 'esp32' ? 'ESP32' : 'ESP32-S3');
      expect(loader.IS_STUB).toBe(false);
      // No calculateMD5Hash: esptool-js 0.7.0 hex-encodes the ROM's MD5 reply, which is already hex text.
      await loader.writeFlash({
        fileArray: files.map((file) => ({ ...file })),
        flashMode: 'keep',
        flashFreq: 'keep',
        flashSize: 'keep',
        eraseAll: false,
        compress,
      });
      expect(emulator.stubRunning).toBe(false);
      expect(emulator.log).not.toContain('MEM_BEGIN');
      expect(firstDifference(emulator.flash, expectedFlash(emulator.flash.length, files))).toBe(-1);
      const romMd5 = await loader.flashMd5sum(APP_OFFSET, files[1].data.length);
      expect(Buffer.from(romMd5, 'hex').toString('ascii')).toBe(md5Hex(files[1].data));
    } finally {
      await transport.disconnect();
    }
  });
});

const smallFile = () => [{ data: noise(0x3000, 5), address: 0x20000 }];

test('esptool-js 0.7.0 misreads the ROM\'s MD5 answer (hex text), so ROM writes cannot use calculateMD5Hash', async () => {
  const { emulator, loader, transport } = connect('esp32');
  try {
    await loader.detectChip();
    const files = smallFile();
    await expect(
      loader.writeFlash({ fileArray: files, flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true, calculateMD5Hash: md5Hex }),
    ).rejects.toThrow('MD5 of file does not match data in flash!');
    expect(firstDifference(emulator.flash, expectedFlash(emulator.flash.length, files))).toBe(-1);
  } finally {
    await transport.disconnect();
  }
});

describe('baud rate change', () => {
  test.each([
    ['in place', true],
    ['by reopening the port', false],
  ])('main() at 460800 baud switches the stub and the port (%s) and flashing works', async (_how, inPlaceBaudChange) => {
    const { emulator, loader, transport, lines } = connect('esp32', { baudrate: 460_800, inPlaceBaudChange });
    try {
      await loader.main();
      expect(emulator.log).toContain('uart: 460800 baud');
      expect(lines.join('\n')).not.toMatch(/Continuing at 115200/);
      expect(emulator.stubRunning).toBe(true);
      const files = smallFile();
      await loader.writeFlash({ fileArray: files, flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true, calculateMD5Hash: md5Hex });
      expect(firstDifference(emulator.flash, expectedFlash(emulator.flash.length, files))).toBe(-1);
    } finally {
      await transport.disconnect();
    }
  });
});

describe('boards that need BOOT held', () => {
  test('without the auto-reset circuit and without BOOT held, esptool-js cannot connect', async () => {
    const { emulator, loader, transport } = connect('esp32', { autoReset: false });
    try {
      await expect(loader.connect('default_reset', 1)).rejects.toThrow('Failed to connect with the device');
      expect(emulator.state).toBe('firmware');
    } finally {
      await transport.disconnect();
    }
  });

  test('with BOOT held it connects and flashes', async () => {
    const { emulator, loader, transport } = connect('esp32s3', { autoReset: false, bootHeld: true });
    try {
      await loader.main();
      const files = smallFile();
      await loader.writeFlash({ fileArray: files, flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: false, calculateMD5Hash: md5Hex });
      expect(firstDifference(emulator.flash, expectedFlash(emulator.flash.length, files))).toBe(-1);
    } finally {
      await transport.disconnect();
    }
  });
});

test('esptool-js reads back what it wrote with the stub\'s READ_FLASH', async () => {
  const { loader, transport } = connect('esp32');
  try {
    await loader.main();
    const files = smallFile();
    await loader.writeFlash({ fileArray: files, flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true });
    const back = await loader.readFlash(files[0].address, files[0].data.length);
    expect(firstDifference(back, files[0].data)).toBe(-1);
  } finally {
    await transport.disconnect();
  }
});
