/**
 * Building the image for `covey flash` without --image: the steps of `covey build` (tools/build: check
 * manifest.json, bundle the npm dependencies, generate the board target and build manifest), then
 * mcconfig with `-t build`, then finding what it built.
 *
 * Where mcconfig leaves the image (Moddable tools/mcconfig/make.esp32.mk): ESP-IDF builds in
 * `$(TMP_DIR)/xsProj-<chip>/build`, which holds `flasher_args.json`, and the `build` target copies
 * `xs_esp32.bin` and `bootloader.bin` into `$(BIN_DIR)`; with `-o <out>` both are under `<out>`. The
 * search below prefers flasher_args.json, under a folder named for the board's subplatform.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Board } from '../../hal/boards/index.js';
import { bundleDeviceDependencies } from '../build/bundle-deps.js';
import { checkManifest } from '../build/manifest-check.js';
import { mcconfigEnvironment, planBuild, type BuildPlan } from '../build/plan.js';
import { FlashError } from './failures.js';

export interface BuildImageRequest {
  readonly root: string;
  readonly out: string;
  readonly board: Board;
  readonly mcconfig: string;
  /**
   * A debug build (xsbug holds the USB port, so the device's serial console stays closed: no provisioning
   * over USB, no covey monitor). Default false: a release build, what a hotspot runs.
   */
  readonly debug?: boolean;
  readonly progress: (label: string, text: string) => void;
}

export const NO_SDK_HINT =
  'mcconfig is not on PATH: install the Moddable SDK 8.x and ESP-IDF (docs/building.md), ' +
  'or pass --image <dir> with an image built elsewhere';

/** Runs covey build's steps and mcconfig; returns the folder holding the built image. */
export async function buildImage(request: BuildImageRequest): Promise<string> {
  const { root, out, board, progress } = request;
  for (const name of ['MODDABLE', 'IDF_PATH']) {
    if (process.env[name] === undefined) throw new FlashError(`${name} is not set: set up the Moddable SDK and ESP-IDF as docs/building.md says, or pass --image <dir>`);
  }
  await bundleDeviceDependencies({ root, outDir: join(root, 'build') });
  const check = checkManifest(root, process.env);
  if (check.errors.length > 0) throw new FlashError(`manifest.json: ${check.errors.join('; ')}`);
  const plan = planBuild({ root, out, board, flash: false, release: request.debug !== true });
  for (const file of plan.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content);
  }
  mkdirSync(join(out, 'moddable'), { recursive: true });
  progress('build', plan.command.display);
  const code = await runMcconfig(plan, request.mcconfig, root);
  if (code !== 0) throw new FlashError(`mcconfig failed (exit status ${code}); its output is above`);
  const found = findBuiltImage(join(out, 'moddable'), subplatform(plan), request.debug === true ? 'debug' : 'release');
  if (found === undefined) throw new FlashError(`mcconfig finished but no flasher_args.json or xs_esp32.bin is under ${join(out, 'moddable')}`);
  return found;
}

/** The subplatform's folder name: `heltec_lora_32` of `esp32/heltec_lora_32`, `heltec_v3` of `esp32:<dir>/heltec_v3`. */
function subplatform(plan: BuildPlan): string {
  return basename(plan.platform.replace(/^esp32[:/]/, ''));
}

/**
 * The first folder under `top` (depth-first, sorted) holding flasher_args.json, else xs_esp32.bin, on a
 * path naming `sub`. mcconfig keeps debug and release builds apart (`…/<sub>/debug/…`, `…/<sub>/release/…`
 * under its bin and tmp folders), and both may be there: a folder of the other `variant` is never taken.
 */
export function findBuiltImage(top: string, sub: string, variant: 'debug' | 'release'): string | undefined {
  const withArgs: string[] = [];
  const withApp: string[] = [];
  const walk = (directory: string, depth: number) => {
    if (depth > 10 || !existsSync(directory)) return;
    const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.isDirectory()) walk(join(directory, entry.name), depth + 1);
      else if (entry.name === 'flasher_args.json') withArgs.push(directory);
      else if (entry.name === 'xs_esp32.bin') withApp.push(directory);
    }
  };
  walk(top, 0);
  const other = variant === 'debug' ? 'release' : 'debug';
  const forBoard = (list: string[]) => {
    const named = list.map((directory) => ({ directory, parts: directory.split(/[\\/]/) })).filter(({ parts }) => parts.includes(sub));
    return (named.find(({ parts }) => parts.includes(variant)) ?? named.find(({ parts }) => !parts.includes(other)))?.directory;
  };
  return forBoard(withArgs) ?? forBoard(withApp);
}

function runMcconfig(plan: BuildPlan, mcconfig: string, root: string): Promise<number> {
  const [, ...args] = plan.command.argv;
  return new Promise((resolveRun, reject) => {
    const child = spawn(mcconfig, args, { cwd: root, stdio: 'inherit', env: mcconfigEnvironment(plan.command, process.env) });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveRun(code ?? (signal !== null ? 1 : 0)));
  });
}
