/**
 * The emulated board's parts on their own: the loader emulator's firmware hook (input and output on the
 * port, a reset as a power cut, no run without an image header), the Preference on the NVS partition
 * (what a reader of the partition finds after each call, across a reset) and the receipt partition's
 * NOR semantics.
 */
import { EmulatedBoard } from '../../host-sim/board/emulated-board.js';
import { NorRegion } from '../../host-sim/board/nor-region.js';
import { NvsPreference } from '../../host-sim/board/nvs-preference.js';
import { Esp32LoaderEmulator, type FirmwareContext } from '../../host-sim/esp32/index.js';
import { readNvsImage, writeNvsImage } from '../../tools/nvs/index.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));
const text = (bytes: Uint8Array[]) => Buffer.concat(bytes).toString('latin1');

describe('the firmware hook', () => {
  function echoChip() {
    const runs: { context: FirmwareContext; input: string; stopped: boolean }[] = [];
    const chip = new Esp32LoaderEmulator({
      chip: 'esp32',
      firmware: (context) => {
        const run = { context, input: '', stopped: false };
        runs.push(run);
        context.write(Buffer.from('hello\n'));
        return { input: (bytes) => void (run.input += Buffer.from(bytes).toString('latin1')), stop: () => void (run.stopped = true) };
      },
    });
    const out: Uint8Array[] = [];
    chip.onData((bytes) => void out.push(bytes));
    return { chip, runs, out };
  }

  test('erased app partition: the ROM prints invalid header and runs nothing', async () => {
    const { chip, runs, out } = echoChip();
    chip.pressReset();
    await turn();
    expect(text(out)).toMatch(/\r\ninvalid header: 0xffffffff\r\n$/);
    expect(runs).toHaveLength(0);
    expect(chip.firmwareRunning).toBe(false);
  });

  test('with an image: the runner gets the flash, its output and the host input share the port; a reset stops it', async () => {
    const { chip, runs, out } = echoChip();
    chip.flash.set([0xe9, 0x03], 0x10000);
    chip.pressReset();
    await turn();
    expect(runs).toHaveLength(1);
    expect(runs[0].context.flash).toBe(chip.flash);
    expect(text(out)).toMatch(/\r\nhello\n$/);
    chip.write(Buffer.from('covey id\n'));
    expect(runs[0].input).toBe('covey id\n');
    chip.setSignals({ dtr: false, rts: true });
    expect(runs[0].stopped).toBe(true);
    // Output after the power cut is dropped; input reaches nothing while the chip is held in reset.
    const before = out.length;
    runs[0].context.write(Buffer.from('late\n'));
    chip.write(Buffer.from('x'));
    await turn();
    expect(out.length).toBe(before);
    chip.setSignals({ rts: false });
    await turn();
    expect(runs).toHaveLength(2);
    expect(chip.log.slice(-3)).toEqual(['firmware: stopped', 'reset: EN low', 'boot: firmware']);
    chip.powerOff();
    expect(runs[1].stopped).toBe(true);
    expect(chip.state).toBe('in-reset');
  });
});

describe('NvsPreference', () => {
  const region = () => ({ flash: new Uint8Array(0x20000).fill(0xff), offset: 0x9000, size: 0x6000 });

  test('every set and delete leaves an image that reads back the same; values keep their Preference types', () => {
    const nvs = region();
    nvs.flash.set(writeNvsImage([{ namespace: 'phy', key: 'cal', value: { type: 'u32', value: 7 } }], nvs.size), nvs.offset);
    const preference = new NvsPreference(nvs);
    preference.set('covey', 'settings', '{"region":"EU868"}');
    preference.set('covey', 'seed', Uint8Array.of(1, 2, 3).buffer);
    preference.set('covey', 'flag', true);
    preference.set('covey', 'count', -5);
    preference.delete('covey', 'flag');
    const read = readNvsImage(nvs.flash.subarray(nvs.offset, nvs.offset + nvs.size));
    expect(read.problems).toEqual([]);
    expect(read.namespaces).toEqual({ phy: { cal: 7 }, covey: { settings: '{"region":"EU868"}', seed: Uint8Array.of(1, 2, 3), count: -5 } });
    expect(read.items.find((item) => item.key === 'cal')?.type).toBe('u32');
    const again = new NvsPreference(nvs);
    expect(again.get('covey', 'seed')).toEqual(Uint8Array.of(1, 2, 3).buffer);
    expect(again.get('covey', 'count')).toBe(-5);
    expect(() => again.set('covey', 'x', 1.5)).toThrow('float unsupported');
  });

  test('once the board is off, every call throws and nothing is written', () => {
    const nvs = region();
    let live = true;
    const preference = new NvsPreference(nvs, () => live);
    preference.set('covey', 'a', 'b');
    live = false;
    const image = nvs.flash.slice();
    expect(() => preference.set('covey', 'a', 'c')).toThrow('off');
    expect(nvs.flash).toEqual(image);
  });
});

test('NorRegion: a window onto the flash with NOR semantics', () => {
  const flash = new Uint8Array(0x20000).fill(0xff);
  const region = new NorRegion(flash, 0x10000, 0x2000);
  region.program(1, Uint8Array.of(0xf0));
  region.program(1, Uint8Array.of(0x3c));
  expect(flash[0x10001]).toBe(0x30);
  region.erase(0);
  expect(flash[0x10001]).toBe(0xff);
  expect(() => region.read(0x2000, 1)).toThrow(RangeError);
});

test('EmulatedBoard: the key made on the first boot is in the flash and survives a reset', async () => {
  const board = new EmulatedBoard({ board: 'heltec_v2', speed: 100 });
  const lines: string[] = [];
  board.onConsole((bytes) => void lines.push(Buffer.from(bytes).toString('utf8')));
  try {
    board.flash[0x10000] = 0xe9;
    board.pressReset();
    const deadline = Date.now() + 10_000;
    while (!lines.join('').includes('not provisioned') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const seed = readNvsImage(board.nvsImage()).namespaces.covey?.seed;
    expect(seed).toBeInstanceOf(Uint8Array);
    expect(lines.join('')).toMatch(/created=yes/);
    const first = board.firmware;
    board.pressReset();
    expect(first?.running).toBe(false);
    while (!/created=no/.test(lines.join('')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(lines.join('')).toMatch(/created=no/);
    expect(readNvsImage(board.nvsImage()).namespaces.covey?.seed).toEqual(seed);
    expect(board.boots).toBe(2);
  } finally {
    board.close();
  }
});
