/**
 * Board targets generated from hal/boards: the provider.js text is run (with stand-ins for Moddable's IO
 * classes) and what it exports must hold the board file's pins, buses and UART; the target manifest must
 * name the board and its chip family. The Heltec V2 builds on Moddable's own target, checked against its
 * board file.
 */
import * as esbuild from 'esbuild';
import { boardById, boards, pinAssignments, radioSpiOptions, type Board } from '../../hal/boards/index.js';
import {
  blockingDifferences, differencesFromModdableTarget, PROVIDER_IO, providerPinName, providerSource, SDK_TARGETS,
  targetManifest,
} from '../../tools/build/board-target.js';
import { SDK_MANIFESTS } from '../../tools/build/moddable-sdk.js';

interface Device {
  readonly io: Record<string, { readonly ioName: string }>;
  readonly pin: Record<string, number>;
  readonly SPI: { readonly default: Record<string, unknown> };
  readonly I2C?: { readonly default: Record<string, unknown> };
  readonly Serial?: { readonly default: Record<string, unknown> };
  readonly Analog?: { readonly default: Record<string, unknown> };
}

/** Runs a generated provider, each `embedded:io/<name>` replaced by a class that knows its name. */
async function loadProvider(source: string): Promise<Device> {
  const result = await esbuild.build({
    stdin: { contents: source, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
    plugins: [
      {
        name: 'moddable-io-stand-ins',
        setup(build) {
          build.onResolve({ filter: /^embedded:io\// }, ({ path }) => ({ path, namespace: 'io' }));
          build.onLoad({ filter: /.*/, namespace: 'io' }, ({ path }) => ({
            contents: `export default class { static ioName = ${JSON.stringify(path)}; }`,
            loader: 'js',
          }));
        },
      },
    ],
  });
  const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`;
  return ((await import(url)) as { default: Device }).default;
}

const coveyTargets = boards.filter((board) => SDK_TARGETS[board.id] === undefined);

describe.each(coveyTargets.map((board) => [board.id, board] as const))('%s provider', (_id, board: Board) => {
  let device: Device;
  beforeAll(async () => {
    device = await loadProvider(providerSource(board));
  });

  test("device.pin holds exactly the board file's pins", () => {
    const expected = Object.fromEntries(pinAssignments(board).map(({ role, pin }) => [providerPinName(role), pin]));
    expect(device.pin).toEqual(expected);
  });

  test("SPI.default is the radio's bus, on the SPI class", () => {
    expect(device.SPI.default).toEqual({ ...radioSpiOptions(board), io: device.io.SPI });
    expect(device.io.SPI.ioName).toBe('embedded:io/spi');
  });

  test("I2C.default is the board's bus", () => {
    expect(device.I2C?.default).toEqual({ data: board.i2c?.data, clock: board.i2c?.clock, io: device.io.I2C });
  });

  test('Serial.default is the GPS UART where the board has one', () => {
    const gps = board.gps;
    const expected = gps && { io: device.io.Serial, port: gps.port, receive: gps.receive, transmit: gps.transmit, baud: gps.baud };
    expect(device.Serial?.default).toEqual(expected);
  });

  test('device.io has every IO class, each its own module', () => {
    expect(Object.keys(device.io)).toEqual([...PROVIDER_IO]);
    expect(Object.values(device.io).map(({ ioName }) => ioName)).toEqual(PROVIDER_IO.map((name) => `embedded:io/${name.toLowerCase()}`));
  });

  test('the target manifest names the board, its chip family and the IO manifest', () => {
    const manifest = targetManifest(board);
    expect(manifest).toMatchObject({ include: [SDK_MANIFESTS.io], config: { board: board.id } });
    expect(manifest.build).toEqual(board.mcu === 'esp32s3' ? { ESP32_SUBCLASS: 'esp32s3' } : undefined);
    const { clock, in: miso, out: mosi } = radioSpiOptions(board);
    expect(manifest.defines).toMatchObject({ spi: { miso_pin: miso, mosi_pin: mosi, sck_pin: clock } });
  });
});

test('a board with an ADC battery sense gives it as Analog.default', async () => {
  const device = await loadProvider(providerSource(boardById('heltec_v3')));
  expect(device.Analog?.default).toEqual({ io: device.io.Analog, pin: 1 });
});

test('provider pin names drop a final ".pin" and camel-case the role', () => {
  expect(providerPinName('radio.nss')).toBe('radioNss');
  expect(providerPinName('led.pin')).toBe('led');
  expect(providerPinName('battery.enable.pin')).toBe('batteryEnable');
  expect(providerPinName('powerChip.irq')).toBe('powerChipIrq');
});

describe('Heltec V2 on Moddable’s esp32/heltec_lora_32', () => {
  const board = boardById('heltec_v2');

  test('builds on the SDK target rather than a generated one', () => {
    expect(SDK_TARGETS[board.id]).toBe('esp32/heltec_lora_32');
  });

  test('the SDK target differs from the board file only in its I2C default', () => {
    expect(differencesFromModdableTarget(board)).toEqual([
      { what: 'I2C.default.data', sdk: 21, board: 4 },
      { what: 'I2C.default.clock', sdk: 22, board: 15 },
    ]);
    expect(blockingDifferences(differencesFromModdableTarget(board))).toEqual([]);
  });

  test('a radio pin that disagrees with the SDK target blocks the build', () => {
    const moved = { ...board, radio: { ...board.radio, nss: 5 } } as Board;
    expect(blockingDifferences(differencesFromModdableTarget(moved))).toEqual([{ what: 'lora select', sdk: 18, board: 5 }]);
  });
});
