/**
 * What `covey build --board <id>` writes and runs, worked out without touching the disk: the board target
 * (for boards without an SDK target), the build manifest, and the exact mcconfig command.
 *
 * The build manifest (<out>/manifests/<id>.json) includes the checkout's manifest.json and adds what only
 * this machine knows: the checkout's absolute path as $(COVEY), which manifest.json's PARTITIONS_FILE is
 * built from (Moddable wants a full pathname there: documentation/tools/manifest.md, "ESP32-specific
 * environment variables"), and the output name. Everything else, board ids per platform included, is in
 * manifest.json.
 */
import { delimiter, join } from 'node:path';
import type { Board } from '../../hal/boards/index.js';
import { platformFor, providerSource, SDK_TARGETS, targetManifest } from './board-target.js';

export interface BuildRequest {
  /** The covey checkout. */
  readonly root: string;
  /** Where generated files and mcconfig's output go (absolute). */
  readonly out: string;
  readonly board: Board;
  /** Flash the board after building (mcconfig's default target: build, deploy, then the debugger). */
  readonly flash: boolean;
  /** Serial port for flashing, handed to ESP-IDF as UPLOAD_PORT; none lets idf.py look for one. */
  readonly port?: string;
  /** A release build (no `-d`): no xsbug; mcconfig opens the serial monitor after flashing. */
  readonly release: boolean;
}

export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export interface McconfigCommand {
  readonly argv: readonly string[];
  /** Put first on PATH for mcconfig: the checkout's node_modules/.bin, where TypeScript's tsc is. */
  readonly pathPrefix: string;
  /** Variables set for mcconfig on top of the caller's environment (PATH aside). */
  readonly env: Readonly<Record<string, string>>;
  /** The command as a person would type it in a POSIX shell. */
  readonly display: string;
}

export interface BuildPlan {
  readonly board: Board;
  /** 'sdk': a target that ships with Moddable; 'covey': generated from the board file. */
  readonly targetKind: 'sdk' | 'covey';
  readonly targetDirectory?: string;
  readonly platform: string;
  readonly manifestPath: string;
  readonly files: readonly GeneratedFile[];
  readonly command: McconfigCommand;
}

/** The name mcconfig gives the build's outputs (its NAME, documentation/tools/manifest.md "build"). */
export const OUTPUT_NAME = 'covey';

/** Quotes a word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function buildManifest(request: BuildRequest): Record<string, unknown> {
  return {
    build: { COVEY: request.root, NAME: OUTPUT_NAME },
    include: [join(request.root, 'manifest.json')],
  };
}

export function planBuild(request: BuildRequest): BuildPlan {
  const { board, out } = request;
  const sdkTarget = SDK_TARGETS[board.id];
  const targetDirectory = sdkTarget === undefined ? join(out, 'targets', board.id) : undefined;
  const manifestPath = join(out, 'manifests', `${board.id}.json`);
  const files: GeneratedFile[] = [];
  if (targetDirectory !== undefined) {
    files.push({ path: join(targetDirectory, 'manifest.json'), content: `${JSON.stringify(targetManifest(board), null, '\t')}\n` });
    files.push({ path: join(targetDirectory, 'host', 'provider.js'), content: providerSource(board) });
  }
  files.push({ path: manifestPath, content: `${JSON.stringify(buildManifest(request), null, '\t')}\n` });
  const platform = platformFor(board, targetDirectory ?? '');
  return {
    board,
    targetKind: sdkTarget === undefined ? 'covey' : 'sdk',
    targetDirectory,
    platform,
    manifestPath,
    files,
    command: mcconfigCommand(request, platform, manifestPath),
  };
}

/**
 * `mcconfig [-d] -m -p <platform> [-t build] -o <out>/moddable <manifest> board=<id>`
 * (documentation/tools/tools.md, "mcconfig"): -d a debug build that talks to xsbug, -m run make, -t build
 * stop after building (the default target, all, also flashes and starts the debugger or the serial
 * monitor), -o keep every output under covey's build folder, board=<id> the board in "mc/config".
 * PATH puts the checkout's TypeScript first: mcconfig runs `tsc` for the .ts modules and needs
 * TypeScript 6 for its es2025 settings (moddable.md §1). UPLOAD_PORT picks the serial port
 * (tools/mcconfig/make.esp32.mk passes it to idf.py -p).
 */
export function mcconfigCommand(request: BuildRequest, platform: string, manifestPath: string): McconfigCommand {
  const pathPrefix = join(request.root, 'node_modules', '.bin');
  const argv = [
    'mcconfig',
    ...(request.release ? [] : ['-d']),
    '-m',
    '-p', platform,
    ...(request.flash ? [] : ['-t', 'build']),
    '-o', join(request.out, 'moddable'),
    manifestPath,
    `board=${request.board.id}`,
  ];
  const env: Record<string, string> = request.flash && request.port !== undefined ? { UPLOAD_PORT: request.port } : {};
  const assignments = [`PATH=${shellWord(pathPrefix)}${delimiter}"$PATH"`, ...Object.entries(env).map(([name, value]) => `${name}=${shellWord(value)}`)];
  return { argv, pathPrefix, env, display: [...assignments, ...argv.map(shellWord)].join(' ') };
}

/** The environment mcconfig runs in: the caller's, with the command's variables and PATH prefix. */
export function mcconfigEnvironment(command: McconfigCommand, base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined) env[name] = value;
  return { ...env, ...command.env, PATH: base.PATH === undefined ? command.pathPrefix : `${command.pathPrefix}${delimiter}${base.PATH}` };
}
