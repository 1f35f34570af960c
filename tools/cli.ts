/**
 * The `covey` command line. Every subcommand has --help; commands whose output is data have --json;
 * bad input ends with exit code 1 and one line on standard error, `covey <command>: <reason>`.
 *
 * `main` runs the CLI with the arguments and streams it is given and returns the exit code, so tests
 * run it in-process; run as a script (npm run covey, bin/covey.js) it uses the real process.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { addAirtimeCommand } from './commands/airtime.js';
import { addBoardsCommand } from './commands/boards.js';
import { addBuildCommand } from './commands/build.js';
import { addFlashCommand, type FlashDependencies } from './commands/flash.js';
import { addInspectCommand } from './commands/inspect.js';
import { processIo, reasonOf, type CliIo } from './commands/io.js';
import { addKeygenCommand } from './commands/keygen.js';
import { addMapCommand } from './commands/map.js';
import { addMonitorCommand, type MonitorDependencies } from './commands/monitor.js';
import { addOnboardCommand } from './commands/onboard.js';
import { addOracleCommand } from './commands/oracle.js';
import { addProvisionCommand, type ProvisionDependencies } from './commands/provision.js';
import { addRegionsCommand } from './commands/regions.js';
import { addRewardsCommand } from './commands/rewards.js';
import { addSimCommand } from './commands/sim.js';
import { addVendorCommand } from './commands/vendor.js';
import { addVerifyCommand } from './commands/verify.js';
import { addWalkCommand } from './commands/walk.js';
import { loadCoverageFromDb, loadCoverageFromReport } from './coverage/sources.js';
import { isMainModule } from './entry.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/**
 * What the commands that open serial ports reach the world through (each command's own dependencies);
 * the defaults are the real ones. Tests pass an emulated board's serial binding here.
 */
export interface CliDependencies {
  readonly flash?: FlashDependencies;
  readonly provision?: ProvisionDependencies;
  readonly monitor?: MonitorDependencies;
}

/** Runs `covey` with `argv` (the arguments after the program name) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo(), dependencies: CliDependencies = {}): Promise<number> {
  let exitCode = 0;
  const program = new Command('covey')
    .description('proof-of-coverage tools for covey hotspots')
    .version(VERSION, '-V, --version')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: oneLineError('covey', io) });

  const context = {
    io,
    setExitCode: (code: number) => {
      exitCode = code;
    },
  };
  for (const command of [
    addKeygenCommand(program, context),
    addInspectCommand(program, context),
    addBoardsCommand(program, context),
    addAirtimeCommand(program, context),
    addRegionsCommand(program, context),
    addBuildCommand(program, context),
    addFlashCommand(program, context, dependencies.flash),
    addOracleCommand(program, context),
    addVerifyCommand(program, context),
    addOnboardCommand(program, context),
    addVendorCommand(program, context),
    addProvisionCommand(program, context, dependencies.provision),
    addMonitorCommand(program, context, dependencies.monitor),
    addRewardsCommand(program, context),
    addSimCommand(program, context),
    addWalkCommand(program, context),
    addMapCommand(program, context, { db: loadCoverageFromDb, report: loadCoverageFromReport }),
  ]) {
    command.configureOutput({ outputError: oneLineError(`covey ${command.name()}`, io) });
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}

/** Commander's own usage errors ("error: unknown option '--x'\n(Did you mean --y?)") as one line. */
function oneLineError(prefix: string, io: CliIo): (text: string) => void {
  return (text) => io.stderr(`${prefix}: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`);
}

if (isMainModule(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`covey: ${reasonOf(error)}\n`);
      process.exitCode = 1;
    },
  );
}
