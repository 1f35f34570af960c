/**
 * `covey build --board <id>`: checks manifest.json against the checkout, bundles the npm dependencies
 * for XS, generates the board target and the build manifest, prints the exact mcconfig command and runs
 * it where the Moddable SDK is installed. docs/building.md walks through it.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { boardById, MCU_GPIO, type Board } from '../../hal/boards/index.js';
import { blockingDifferences, differencesFromModdableTarget, SDK_TARGETS } from '../build/board-target.js';
import type { DepsBundle } from '../build/bundle-deps.js';
import type { ManifestCheck } from '../build/manifest-check.js';
import { mcconfigEnvironment, planBuild, type BuildPlan } from '../build/plan.js';
import { CliError, guarded, type CliContext, type CliIo } from './io.js';

interface BuildOptions {
  readonly board: string;
  readonly dryRun?: boolean;
  readonly out?: string;
  readonly flash?: boolean;
  readonly port?: string;
  readonly release?: boolean;
  readonly json?: boolean;
}

/** The covey checkout this command belongs to. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What is installed where, per docs/building.md. */
const INSTALL_HINT =
  'install the Moddable SDK 8.x and the ESP-IDF version its documentation/devices/esp32.md names, ' +
  'set MODDABLE and IDF_PATH as that page says (steps: docs/building.md), then run the command above';

export function addBuildCommand(program: Command, context: CliContext): Command {
  return program
    .command('build')
    .description('build the firmware image for a board with the Moddable SDK (mcconfig)')
    .requiredOption('-b, --board <id>', 'the board, e.g. heltec_v3 (covey boards lists them)')
    .option('-n, --dry-run', 'generate everything and print the mcconfig command without running it')
    .option('-o, --out <dir>', "where generated targets, build manifests and mcconfig's output go (default: build/ in the checkout)")
    .option('--flash', 'flash the board after building, then open the debugger or serial monitor')
    .option('-p, --port <serial>', 'the serial port to flash through (with --flash), e.g. /dev/ttyUSB0')
    .option('--release', 'a release build: no xsbug; mcconfig opens the serial monitor after flashing')
    .option('--json', 'print one JSON object instead of progress lines')
    .addHelpText(
      'after',
      [
        '',
        'Steps: check manifest.json against the device code; bundle @noble/* for XS into build/deps;',
        'generate the board target (build/targets/<id>) from hal/boards/<id>.ts, or use the Moddable SDK',
        "target for boards it ships (heltec_v2); write build/manifests/<id>.json; print mcconfig's command",
        'and run it when mcconfig is on PATH. Without the SDK the command fails after printing it, except',
        'with --dry-run. docs/building.md has the whole path from installing the SDK to a running hotspot.',
        '',
        'Examples:',
        '  $ covey build --board heltec_v3 --dry-run',
        '  $ covey build --board tbeam_v1 --flash --port /dev/ttyUSB0',
      ].join('\n'),
    )
    .action(guarded(context, 'build', (options: BuildOptions) => build(options, context.io)));
}

async function build(options: BuildOptions, io: CliIo): Promise<number> {
  if (options.port !== undefined && options.flash !== true) throw new CliError('--port is for flashing: add --flash');
  const board = boardById(options.board);
  const out = options.out === undefined ? join(ROOT, 'build') : resolve(process.cwd(), options.out);
  const progress = (label: string, text: string) => {
    if (options.json !== true) io.stdout(`${label.padEnd(9)} ${text}\n`);
  };
  progress('board', describeBoard(board));

  // Loaded here, not with the CLI: both load the TypeScript compiler, over half a second. One after the
  // other: Jest's ES-module loader (the tests run this command in-process) can fail two imports that
  // share modules and start together, with "request for 'node:fs' is not in cache".
  const { bundleDeviceDependencies } = await import('../build/bundle-deps.js');
  const { checkManifest } = await import('../build/manifest-check.js');
  const deps = await bundleDeviceDependencies({ root: ROOT, outDir: join(ROOT, 'build') });
  progress('deps', `${deps.entries.map(({ file }) => shown(file)).join(', ')}, ${deps.chunks.length} shared chunk${deps.chunks.length === 1 ? '' : 's'}; ES modules, class fields lowered`);

  const check = checkManifest(ROOT, process.env);
  if (check.errors.length > 0) throw new CliError(`manifest.json: ${check.errors.join('; ')}`);
  progress('check', `manifest.json: ${check.deviceModules} device modules mapped, ${check.preloaded} preloaded, every import provided`);
  const warnings = deepImportWarnings(check);

  const plan = planBuild({ root: ROOT, out, board, flash: options.flash === true, port: options.port, release: options.release === true });
  const notes = sdkTargetNotes(board);
  for (const file of plan.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content);
  }
  mkdirSync(join(out, 'moddable'), { recursive: true });
  progress('target', describeTarget(plan));
  for (const note of notes) progress('note', note);
  progress('manifest', shown(plan.manifestPath));
  if (options.json !== true) for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
  progress('command', plan.command.display);

  const result = (ran: boolean) => summary(plan, deps, check, warnings, ran);
  if (options.dryRun === true) {
    if (options.json === true) io.stdout(`${JSON.stringify(result(false), null, 2)}\n`);
    progress('dry run', 'mcconfig not run');
    return 0;
  }
  const mcconfig = findOnPath('mcconfig', process.env.PATH);
  if (mcconfig === undefined) throw new CliError(`mcconfig is not on PATH: ${INSTALL_HINT}`);
  for (const name of ['MODDABLE', 'IDF_PATH']) {
    if (process.env[name] === undefined) throw new CliError(`${name} is not set: ${INSTALL_HINT}`);
  }
  if (options.json === true) io.stdout(`${JSON.stringify(result(true), null, 2)}\n`);
  return run(plan, mcconfig);
}

function describeBoard(board: Board): string {
  const chips = board.variants.map(({ chip, label }) => `${chip} ${label}`).join(', ');
  return `${board.id}: ${board.name}; ${MCU_GPIO[board.mcu].name}; ${chips}; ${board.support}`;
}

function describeTarget(plan: BuildPlan): string {
  if (plan.targetDirectory === undefined) return `${plan.platform}, the Moddable SDK's own target; its radio, LED and button pins agree with hal/boards/${plan.board.id}.ts`;
  return `${shown(plan.targetDirectory)} (manifest.json, host/provider.js), generated from hal/boards/${plan.board.id}.ts`;
}

/** A path as the user best reads it: relative to the checkout when inside it. */
function shown(path: string): string {
  const inside = relative(ROOT, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

function deepImportWarnings(check: ManifestCheck): string[] {
  if (check.deepImports.length === 0) return [];
  const list = check.deepImports.map(({ importer, specifier }) => `${importer} → ${specifier}`).join('; ');
  return [
    `${check.deepImports.length} import(s) climb more than one folder, which XS's module lookup on the device does not ` +
      `follow (docs/building.md, "Known problems"): ${list}`,
  ];
}

/** For a board on an SDK target: stop if the target's pins disagree with the board file, note the rest. */
function sdkTargetNotes(board: Board): string[] {
  if (SDK_TARGETS[board.id] === undefined) return [];
  const differences = differencesFromModdableTarget(board);
  const blocking = blockingDifferences(differences);
  const describe = ({ what, sdk, board: own }: { what: string; sdk: number; board: number | undefined }) =>
    `${what} is ${sdk} in the SDK target, ${own ?? 'none'} in hal/boards/${board.id}.ts`;
  if (blocking.length > 0) throw new CliError(`${SDK_TARGETS[board.id]} does not match the board file: ${blocking.map(describe).join('; ')}`);
  return differences.map((difference) => `${describe(difference)}: covey takes its pins from the board file`);
}

function summary(plan: BuildPlan, deps: DepsBundle, check: ManifestCheck, warnings: readonly string[], ran: boolean) {
  return {
    board: plan.board.id,
    target: { kind: plan.targetKind, platform: plan.platform, directory: plan.targetDirectory ?? null },
    manifest: plan.manifestPath,
    files: plan.files.map(({ path }) => path),
    deps: { modules: deps.entries.map(({ moduleName, file }) => ({ moduleName, file })), chunks: deps.chunks },
    check: { deviceModules: check.deviceModules, preloaded: check.preloaded, deepImports: check.deepImports },
    warnings,
    command: { argv: plan.command.argv, env: plan.command.env, pathPrefix: plan.command.pathPrefix, display: plan.command.display },
    ran,
  };
}

/** The first executable `name` on a PATH string, or undefined. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const directory of (path ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs mcconfig in the checkout with the terminal attached; its exit code is the command's. */
function run(plan: BuildPlan, mcconfig: string): Promise<number> {
  const [, ...args] = plan.command.argv;
  return new Promise((resolveRun, reject) => {
    const child = spawn(mcconfig, args, { cwd: ROOT, stdio: 'inherit', env: mcconfigEnvironment(plan.command, process.env) });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveRun(code ?? (signal !== null ? 1 : 0)));
  });
}
