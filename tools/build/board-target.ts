/**
 * Moddable board targets for covey's boards, generated from hal/boards/*.ts so that pins stay in the board
 * files. A target is a folder with `manifest.json` and `host/provider.js` (the module
 * "embedded:provider/builtin" that becomes `globalThis.device`, moddable.md §2), built with
 * `mcconfig -p esp32:<folder>` (moddable.md §6). The Heltec V2 is the exception: Moddable ships a target
 * for it, esp32/heltec_lora_32, and covey builds on that one after checking it against the board file.
 *
 * The provider follows Moddable's shape (typings/embedded_provider/builtin.d.ts and the heltec_lora_32
 * provider): `device.io.*` (the IO classes), `device.SPI.default` / `device.I2C.default` /
 * `device.Serial.default` (constructor options with `io`), and `device.pin.<name>` for every GPIO the
 * board file assigns. It has no `peripheral.lora`: covey's entry point opens the radio with
 * hal/drivers/open-radio.ts from the board file, not through the provider.
 */
import { pinAssignments, radioSpiOptions, type Board } from '../../hal/boards/index.js';
import { MODDABLE_HELTEC_LORA_32, SDK_MANIFESTS } from './moddable-sdk.js';

/** Boards built on a target that ships with the Moddable SDK, by board id. */
export const SDK_TARGETS: Readonly<Record<string, string>> = { heltec_v2: MODDABLE_HELTEC_LORA_32.platform };

/** The IO classes every ESP32 provider of the SDK exposes (heltec_lora_32's provider imports the same). */
export const PROVIDER_IO = ['Analog', 'Digital', 'DigitalBank', 'I2C', 'PulseCount', 'PWM', 'Serial', 'SMBus', 'SPI'] as const;

/** The `-p` platform value for a board: the SDK target's name, or esp32:<generated folder>. */
export function platformFor(board: Board, targetDirectory: string): string {
  return SDK_TARGETS[board.id] ?? `esp32:${targetDirectory}`;
}

/** The key of manifest.json's `platforms` entry that mcconfig merges for this board (moddable.md §1). */
export function platformKeyFor(board: Board): string {
  return SDK_TARGETS[board.id] ?? `esp32/${board.id}`;
}

/** ESP-IDF chip family for mcconfig's ESP32_SUBCLASS; undefined for the plain ESP32 (the default). */
export function subclassFor(board: Board): string | undefined {
  return board.mcu === 'esp32' ? undefined : board.mcu;
}

/**
 * A role of pinAssignments() as a provider pin name: the dotted role camel-cased, a final ".pin" dropped
 * ("radio.nss" → "radioNss", "led.pin" → "led", "battery.enable.pin" → "batteryEnable").
 */
export function providerPinName(role: string): string {
  const parts = role.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === 'pin') parts.pop();
  return parts.map((part, i) => (i === 0 ? part : part[0].toUpperCase() + part.slice(1))).join('');
}

/** What the generated provider holds, as data (numbers only; the IO classes are added by name). */
export interface ProviderData {
  readonly SPI: { readonly port: number; readonly clock: number; readonly in: number; readonly out: number };
  readonly I2C?: { readonly data: number; readonly clock: number };
  readonly Serial?: { readonly port: number; readonly receive: number; readonly transmit: number; readonly baud: number };
  /** The battery's ADC pin, as Moddable's targets give their battery sense (heltec_lora_32: 35). */
  readonly Analog?: { readonly pin: number };
  readonly pin: Readonly<Record<string, number>>;
}

export function providerData(board: Board): ProviderData {
  const pin = Object.fromEntries(pinAssignments(board).map(({ role, pin: gpio }) => [providerPinName(role), gpio]));
  const { battery, gps, i2c } = board;
  return {
    SPI: radioSpiOptions(board),
    ...(i2c !== undefined ? { I2C: { data: i2c.data, clock: i2c.clock } } : {}),
    ...(gps !== undefined ? { Serial: { port: gps.port, receive: gps.receive, transmit: gps.transmit, baud: gps.baud } } : {}),
    ...(battery?.kind === 'adc' ? { Analog: { pin: battery.pin } } : {}),
    pin,
  };
}

function objectLiteral(values: Readonly<Record<string, number | string>>, io?: string): string {
  const fields = Object.entries(values).map(([key, value]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${value}`);
  return `{${[...(io !== undefined ? [`io: ${io}`] : []), ...fields].join(', ')}}`;
}

/** host/provider.js for a covey board target. */
export function providerSource(board: Board): string {
  const data = providerData(board);
  const defaults = (['Analog', 'I2C', 'SPI', 'Serial'] as const)
    .filter((name) => data[name] !== undefined)
    .map((name) => `\t${name}: {default: ${objectLiteral(data[name] as Record<string, number>, name)}},`);
  const pins = Object.entries(data.pin).map(([name, gpio]) => `\t\t${name}: ${gpio},`);
  return [
    `// ${board.name}: the Moddable host provider for covey, generated from hal/boards/${board.id}.ts by`,
    '// tools/build/board-target.ts. Do not edit: pins live in the board file.',
    ...PROVIDER_IO.map((name) => `import ${name} from "embedded:io/${name.toLowerCase()}";`),
    '',
    'const device = {',
    ...defaults,
    `\tio: {${PROVIDER_IO.join(', ')}},`,
    '\tpin: {',
    ...pins,
    '\t},',
    '};',
    '',
    'export default device;',
    '',
  ].join('\n');
}

/**
 * manifest.json of a covey board target. mcconfig includes it for `-p esp32:<folder>` as it includes an
 * SDK target's (moddable.md §1, $(SUBPLATFORMMANIFEST)): the IO manifest the provider imports from, the
 * chip family, the board id for "mc/config", and the SPI and I2C pins as the `defines` every SDK target
 * sets for the SDK's C code (the heltec_lora_32 and esp32s3 targets' manifests).
 */
export function targetManifest(board: Board): Record<string, unknown> {
  const subclass = subclassFor(board);
  const { clock, in: miso, out: mosi } = radioSpiOptions(board);
  return {
    include: [SDK_MANIFESTS.io],
    ...(subclass !== undefined ? { build: { ESP32_SUBCLASS: subclass } } : {}),
    config: { board: board.id },
    defines: {
      spi: { miso_pin: miso, mosi_pin: mosi, sck_pin: clock },
      ...(board.i2c !== undefined ? { i2c: { sda_pin: board.i2c.data, scl_pin: board.i2c.clock } } : {}),
    },
  };
}

/** One difference between an SDK target's values and the board file's. */
export interface TargetDifference {
  readonly what: string;
  readonly sdk: number;
  readonly board: number | undefined;
}

/**
 * Where Moddable's heltec_lora_32 provider disagrees with a board file. For hal/boards/heltec_v2.ts the
 * radio, LED and button agree; its `I2C.default` (21/22) is the header's bus, not the OLED's (4/15), so
 * covey's entry point takes I2C pins from the board file, never from `device.I2C.default`.
 */
export function differencesFromModdableTarget(board: Board): TargetDifference[] {
  const sdk = MODDABLE_HELTEC_LORA_32;
  const spi = radioSpiOptions(board);
  const interrupt = board.radio.family === 'sx127x' ? board.radio.dio0 : board.radio.dio1;
  const pairs: [string, number, number | undefined][] = [
    ['SPI.default.port', sdk.spi.port, spi.port],
    ['SPI.default.clock', sdk.spi.clock, spi.clock],
    ['SPI.default.in', sdk.spi.in, spi.in],
    ['SPI.default.out', sdk.spi.out, spi.out],
    ['lora select', sdk.lora.select, board.radio.nss],
    ['lora reset', sdk.lora.reset, board.radio.reset],
    ['lora interrupt', sdk.lora.interrupt, interrupt],
    ['pin.led', sdk.pin.led, board.led?.pin],
    ['pin.button', sdk.pin.button, board.button?.pin],
    ['I2C.default.data', sdk.i2c.data, board.i2c?.data],
    ['I2C.default.clock', sdk.i2c.clock, board.i2c?.clock],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([what, a, b]) => ({ what, sdk: a, board: b }));
}

/** Differences that make an SDK target unusable for covey: anything the radio, LED or button use. */
export function blockingDifferences(differences: readonly TargetDifference[]): TargetDifference[] {
  return differences.filter(({ what }) => !what.startsWith('I2C.'));
}
