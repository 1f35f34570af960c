/**
 * `covey flash --board <id> --port <serial>`: builds the image with mcconfig (or takes --image), checks
 * it, and writes it, and the settings from `covey provision` with --settings, through the board's ROM
 * serial loader (esptool-js), verifying every file by MD5. docs/cli.md, "covey flash".
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { boardById, MCU_GPIO } from '../../hal/boards/index.js';
import { COVEY_PARTITIONS_CSV } from '../build/partitions.js';
import { hex } from '../flash/chips.js';
import type { FlashEvent, FlashResult } from '../flash/flasher.js';
import { bytes, planFlash, roleLabel, type FlashPlan } from '../flash/plan.js';
import type { SerialBinding } from '../flash/web-serial-port.js';
import { findOnPath } from './build.js';
import { CliError, guarded, type CliContext, type CliIo } from './io.js';
import { wholeNumber } from './options.js';

interface FlashOptions {
  readonly board: string;
  readonly port: string;
  readonly image?: string;
  readonly settings?: string;
  readonly debug?: boolean;
  readonly erase?: boolean;
  readonly dryRun?: boolean;
  readonly baud: number;
  readonly stub: boolean;
  readonly json?: boolean;
}

export interface FlashDependencies {
  /** Default: serialport's binding for this platform. */
  readonly binding?: SerialBinding;
  /** Reset-and-sync rounds before "not in download mode" (default 7, as esptool). */
  readonly connectAttempts?: number;
  /** Default: whether standard error is a terminal (progress bars) . */
  readonly isTTY?: boolean;
}

/** The covey checkout this command belongs to. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** idf.py flash's default speed; the ROM loader starts at 115,200 and the stub switches. */
const DEFAULT_BAUD = 460_800;

export function addFlashCommand(program: Command, context: CliContext, dependencies: FlashDependencies = {}): Command {
  return program
    .command('flash')
    .description("write the firmware (and settings) to a board over USB through the ESP32's ROM serial loader")
    .requiredOption('-b, --board <id>', 'the board, e.g. heltec_v3 (covey boards lists them)')
    .requiredOption('-p, --port <serial>', 'the serial port, e.g. /dev/ttyUSB0, /dev/cu.usbserial-0001, COM3')
    .option('-i, --image <dir>', "an image folder: ESP-IDF's flasher_args.json, or bootloader.bin, partition-table.bin and xs_esp32.bin (default: build with mcconfig)")
    .option('--debug', 'without --image: build a debug image for xsbug (its USB port is then not a covey console)')
    .option('-s, --settings <dir>', 'also write <dir>/nvs.bin, made by covey provision --out <dir>, at the nvs partition (0x9000)')
    .option('--erase', 'erase the whole flash first (settings and the device key too)')
    .option('-n, --dry-run', 'check everything and print the plan without opening the port')
    .option('--baud <n>', 'speed for writing after the loader connects at 115200', wholeNumber('--baud', 9600), DEFAULT_BAUD)
    .option('--no-stub', "use the ROM loader only (slower); default: esptool's flasher stub, with compressed writes")
    .option('--json', 'print one JSON object (board, chip, port, files with offset/size/md5/verified, seconds)')
    .addHelpText(
      'after',
      [
        '',
        'Checks first, before the port is opened: the bootloader and app start with 0xE9 and were built for',
        "the board's chip, the partition table is tools/build/partitions.csv's (generated from it when the",
        'image folder has none), the app fits its partition, nvs.bin is exactly the nvs partition\'s size.',
        'Then: reset into the ROM loader (DTR/RTS), check the chip, start the flasher stub (default) or stay',
        'in the ROM (--no-stub), write each file compressed, compare MD5s, hard-reset the board.',
        '',
        'If the board does not answer: hold BOOT (PRG/IO0), press and release RST (EN), release BOOT, retry;',
        'some boards need BOOT held while plugging in USB.',
        '',
        'Examples:',
        '  $ covey flash --board heltec_v3 --port /dev/ttyUSB0',
        '  $ covey flash --board tbeam_v1 --port /dev/ttyACM0 --image ./image --settings ./provisioned --dry-run',
      ].join('\n'),
    )
    .action(guarded(context, 'flash', (options: FlashOptions) => flash(options, context.io, dependencies)));
}

async function flash(options: FlashOptions, io: CliIo, dependencies: FlashDependencies): Promise<number> {
  const started = performance.now();
  const board = boardById(options.board);
  if (options.erase === true && !options.stub) throw new CliError('--erase needs the flasher stub (the ROM loader cannot erase the whole chip): drop --no-stub');
  const text = (line: string) => {
    if (options.json !== true) io.stdout(`${line}\n`);
  };
  const label = (name: string, value: string) => text(`${name.padEnd(9)} ${value}`);

  if (options.debug === true && options.image !== undefined) throw new CliError('--debug chooses how covey flash builds; it does not apply to an --image folder');
  const imageDirectory = options.image !== undefined ? resolve(process.cwd(), options.image) : await buildForFlash(board, options.debug === true, label);
  const plan = planFlash({
    board, imageDirectory, partitionsCsv: COVEY_PARTITIONS_CSV,
    settingsDirectory: options.settings === undefined ? undefined : resolve(process.cwd(), options.settings),
  });
  const stub = options.stub && plan.imageAllowsStub;
  printPlan(plan, options, stub, label);
  if (plan.settingsWarning !== undefined) io.stderr(`warning: ${plan.settingsWarning}\n`);

  if (options.dryRun === true) {
    if (options.json === true) io.stdout(`${JSON.stringify(summary(plan, options, stub, undefined, started), null, 2)}\n`);
    label('dry run', 'port not opened, nothing written');
    return 0;
  }
  // The flasher (esptool-js) and the build (the TypeScript compiler) load when used, not with every command.
  const { flashBoard } = await import('../flash/flasher.js');
  const progress = new Progress(plan, io, options.json !== true && (dependencies.isTTY ?? process.stderr.isTTY === true), label);
  let result: FlashResult;
  try {
    result = await flashBoard({
      path: options.port, binding: dependencies.binding, board: board.id, chip: plan.chip, files: plan.files,
      erase: options.erase === true, stub, baudRate: options.baud, connectAttempts: dependencies.connectAttempts,
      onEvent: (event) => progress.on(event),
    });
  } finally {
    progress.stop();
  }
  label('reset', 'hard reset through RTS: the board starts the new firmware');
  if (options.json === true) io.stdout(`${JSON.stringify(summary(plan, options, stub, result, started), null, 2)}\n`);
  else label('done', `${plan.files.length} file(s) written and verified in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

async function buildForFlash(board: ReturnType<typeof boardById>, debug: boolean, label: (name: string, value: string) => void): Promise<string> {
  const { buildImage, NO_SDK_HINT } = await import('../flash/build-image.js');
  const mcconfig = findOnPath('mcconfig', process.env.PATH);
  if (mcconfig === undefined) throw new CliError(NO_SDK_HINT);
  return buildImage({ root: ROOT, out: join(ROOT, 'build'), board, mcconfig, debug, progress: label });
}

function printPlan(plan: FlashPlan, options: FlashOptions, stub: boolean, label: (name: string, value: string) => void): void {
  label('board', `${plan.board.id}: ${plan.board.name}; ${MCU_GPIO[plan.board.mcu].name}`);
  const settings = plan.flashSettings;
  const flashSettings = settings === undefined ? '' : `; flash ${[settings.mode, settings.freq, settings.size].filter(Boolean).join(' ')} (as built)`;
  label('image', `${plan.imageDirectory} (${plan.layout}${plan.tableGenerated ? ', partition table generated from tools/build/partitions.csv' : ''})${flashSettings}`);
  for (const file of plan.files) {
    label('file', `${hex(file.offset).padEnd(9)} ${roleLabel(file.role).padEnd(15)} ${bytes(file.size).padStart(16)}  md5 ${file.md5}  ${file.source}`);
  }
  const { size, partition } = plan.app;
  label('app', `${bytes(size)} of ${bytes(partition.size)} in partition ${partition.name} (${((100 * size) / partition.size).toFixed(0)}%)`);
  const why = options.stub ? 'flasher_args.json: stub false' : '--no-stub';
  const loader = stub ? 'flasher stub, compressed writes' : `ROM loader only (${why}), compressed writes`;
  label('port', `${options.port}, expecting an ${plan.chip.name}; ${loader}; ${options.baud} baud${options.erase === true ? '; erase whole flash first' : ''}`);
}

function summary(plan: FlashPlan, options: FlashOptions, stub: boolean, result: FlashResult | undefined, started: number) {
  return {
    board: plan.board.id,
    chip: result?.chip ?? plan.chip.name,
    port: options.port,
    dryRun: result === undefined,
    stub,
    erase: options.erase === true,
    files: plan.files.map((file, i) => ({
      role: roleLabel(file.role), source: file.source, offset: file.offset, size: file.size, md5: file.md5,
      verified: result?.files[i]?.verified ?? false,
    })),
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
}

/** One progress bar per file on a terminal; otherwise one line per file once it is verified. */
class Progress {
  private bar: SingleBar | undefined;
  private barFile = -1;

  constructor(
    private readonly plan: FlashPlan,
    private readonly io: CliIo,
    private readonly terminal: boolean,
    private readonly label: (name: string, value: string) => void,
  ) {}

  on(event: FlashEvent): void {
    if (event.kind === 'connected') this.label('connected', `${event.chip}, ${event.stub ? 'flasher stub running' : 'ROM loader'}`);
    else if (event.kind === 'erasing') this.label('erase', 'erasing the whole flash (can take a minute)');
    else if (event.kind === 'progress') this.progress(event.file, event.sent, event.total);
    else {
      this.stop();
      const file = this.plan.files[event.file];
      this.label('wrote', `${hex(file.offset).padEnd(9)} ${roleLabel(file.role).padEnd(15)} ${bytes(file.size).padStart(16)}  md5 ${event.md5} verified`);
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  private progress(file: number, sent: number, total: number): void {
    if (!this.terminal) return;
    if (this.barFile !== file) {
      this.stop();
      this.barFile = file;
      const name = roleLabel(this.plan.files[file].role).padEnd(15);
      this.bar = new SingleBar({ format: `${name} [{bar}] {percentage}% {value}/{total} bytes sent`, stream: process.stderr, hideCursor: true });
      this.bar.start(total, 0);
    }
    this.bar?.update(sent);
  }
}
