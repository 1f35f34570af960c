/**
 * `covey walk import`: reads the walk log off a mapper (the signed MapperReport of every uplink it sent)
 * over its USB serial console, or from a capture of that console, checks every report, and writes the
 * walk as JSON and/or uploads it to the oracle. For walks made where the mapper had no network.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { HostVerifier } from '../crypto/node-ed25519.js';
import { checkWalkLog, walkEntry, type CheckedWalk } from '../walk/import.js';
import { readWalkLogFromPort, type SerialBinding } from '../walk/serial-log.js';
import { uploadWalk, type UploadOutcome } from '../walk/upload.js';
import { parseWalkLog, type WalkLog } from '../walk/walk-log.js';
import { walkSummaryText } from '../walk/summary-text.js';
import { readInput } from './inspect.js';
import { CliError, guarded, type CliContext, type CliIo } from './io.js';
import { numberWhere, wholeNumber } from './options.js';

interface ImportOptions {
  readonly port?: string;
  readonly from?: string;
  readonly baud: number;
  readonly timeout: number;
  readonly out?: string;
  readonly oracle?: string;
  readonly progress: boolean;
}

/** What the command reaches the world through, replaced in tests: the serial binding, HTTP, waiting. */
export interface WalkDependencies {
  /** Default: serialport's binding for this platform. */
  readonly binding?: SerialBinding;
  /** Default: node's fetch. */
  readonly fetch?: typeof fetch;
  /** Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const seconds = (name: string) => numberWhere(name, (v) => v > 0 && v <= 3600, 'a number of seconds above 0, at most 3600');

export function addWalkCommand(program: Command, context: CliContext, dependencies: WalkDependencies = {}): Command {
  const walk = program.command('walk').description("a mapper's coverage walk: read it off the device, check it, upload it");
  walk
    .command('import')
    .description("read a mapper's walk log over its serial console (or from a capture), check it, write and upload it")
    .option('--port <path>', 'the mapper\'s serial port, e.g. /dev/ttyUSB0, /dev/cu.usbserial-0001, COM3')
    .option('--from <file>', 'a capture of the console instead of a port (- reads standard input)')
    .option('--baud <rate>', 'console speed', wholeNumber('--baud', 1), 115_200)
    .option('--timeout <seconds>', 'give up when no report line arrives for this many seconds', seconds('--timeout'), 10)
    .option('--out <file.json>', 'write the walk: one record per uplink, in counter order')
    .option('--oracle <url>', 'upload the reports to this oracle, e.g. http://127.0.0.1:8080')
    .option('--no-progress', 'no progress display even on a terminal')
    .addHelpText('after', [
      '',
      'Sends "covey walk-log" and reads the "covey-walk <hex>" lines up to "covey-walk-end <count>";',
      'other console output is ignored. Every report is decoded strictly and its signatures checked;',
      'a bad one is refused and counted (exit code 1) and the others are still written and uploaded.',
      'If the count on the end line does not match, nothing is written: read the log again.',
      '',
      'Examples:',
      '  $ covey walk import --port /dev/ttyUSB0 --out walks/2024-05-01.json',
      '  $ covey walk import --port COM3 --oracle https://oracle.example',
      '  $ covey walk import --from console-capture.txt --out walk.json',
    ].join('\n'))
    .configureOutput({ outputError: (text) => context.io.stderr(`covey walk import: ${oneLine(text)}\n`) })
    .action(guarded(context, 'walk import', (options: ImportOptions) => importWalk(options, context.io, dependencies)));
  return walk;
}

/** Commander's usage errors ("error: unknown option '--x'\n(Did you mean --y?)") on one line. */
function oneLine(text: string): string {
  return text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ');
}

async function importWalk(options: ImportOptions, io: CliIo, dependencies: WalkDependencies): Promise<number> {
  if ((options.port === undefined) === (options.from === undefined)) throw new CliError('give --port <path> or --from <file>');
  if (options.oracle !== undefined && !/^https?:\/\/[^/\s]+/.test(options.oracle)) {
    throw new CliError(`--oracle: ${options.oracle} is not an http:// or https:// URL`);
  }
  const source = options.port ?? (options.from === '-' ? '<stdin>' : (options.from as string));
  const log = options.port !== undefined ? await readPort(options, dependencies) : await readCapture(options.from as string, io);
  if (log.reports.length !== log.declaredCount) {
    throw new CliError(
      `the device counted ${log.declaredCount} report(s) but ${log.reports.length} report line(s) arrived from ${source}: ` +
        'lines were lost or damaged on the way; nothing written or uploaded, read the log again',
    );
  }
  const checked = checkWalkLog(log.reports, new HostVerifier());
  if (options.out !== undefined) writeWalk(options.out, checked);
  let upload: UploadOutcome | undefined;
  if (options.oracle !== undefined && checked.kept.length > 0) upload = await uploadChecked(options, checked, io, dependencies);
  io.stdout(walkSummaryText({ source, log, checked, out: options.out, oracle: options.oracle, upload }));
  if (upload?.failure !== undefined) throw new CliError(upload.failure);
  if (upload !== undefined && upload.notOnboarded.length > 0) {
    throw new CliError(notOnboardedReason(upload.notOnboarded, options.oracle as string));
  }
  if (checked.refused.length === 0) return 0;
  // Like a failed signature check in `covey inspect`: exit code 1, though the good reports were kept.
  io.stderr(`covey walk import: ${refusedReason(checked, log.reports.length)}\n`);
  return 1;
}

function refusedReason(checked: CheckedWalk, lines: number): string {
  const [first, ...others] = checked.refused;
  const more = others.length > 0 ? ` and ${others.length} more` : '';
  return `${checked.refused.length} of ${lines} report lines refused (line ${first.line}: ${first.reason}${more}); ` +
    `the other ${lines - checked.refused.length} were kept`;
}

async function readPort(options: ImportOptions, dependencies: WalkDependencies): Promise<WalkLog> {
  const bar = progressBar(options, `walk log from ${options.port as string} | {value} reports | {duration_formatted}`);
  bar?.start(0, 0);
  try {
    return await readWalkLogFromPort({
      path: options.port as string,
      baudRate: options.baud,
      timeoutMs: Math.round(options.timeout * 1000),
      binding: dependencies.binding,
      onReportLine: (count) => bar?.update(count),
    });
  } finally {
    bar?.stop();
  }
}

async function readCapture(file: string, io: CliIo): Promise<WalkLog> {
  const bytes = file === '-' ? await io.readStdin() : readInput(file);
  try {
    return parseWalkLog(bytes);
  } catch (error) {
    throw new CliError(`${file === '-' ? '<stdin>' : file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function writeWalk(path: string, checked: CheckedWalk): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, `${JSON.stringify(checked.kept.map(walkEntry), null, 2)}\n`);
}

async function uploadChecked(
  options: ImportOptions, checked: CheckedWalk, io: CliIo, dependencies: WalkDependencies,
): Promise<UploadOutcome> {
  const bar = progressBar(options, 'uploading {bar} {value}/{total} batches | {duration_formatted} {retry}');
  bar?.start(1, 0, { retry: '' });
  try {
    return await uploadWalk(checked.kept, {
      oracleUrl: options.oracle as string,
      fetch: dependencies.fetch,
      sleep: dependencies.sleep,
      onRetry: (why, waitMs) => {
        const text = `${why}; trying again in ${Math.ceil(waitMs / 1000)} s`;
        // On a terminal the bar's line says it; a second writer on standard error would tear the bar.
        if (bar !== undefined) bar.update({ retry: `| ${text}` });
        else io.stderr(`covey walk import: ${text}\n`);
      },
      onBatch: (done, total) => {
        bar?.setTotal(total);
        bar?.update(done, { retry: '' });
      },
    });
  } finally {
    bar?.stop();
  }
}

/** A progress display on standard error, only when that is a terminal. */
function progressBar(options: ImportOptions, format: string): SingleBar | undefined {
  if (process.stderr.isTTY !== true || !options.progress) return undefined;
  return new SingleBar({ format, hideCursor: true });
}

function notOnboardedReason(mappers: readonly string[], oracle: string): string {
  const who = mappers.length === 1 ? `mapper ${mappers[0]} is` : `mappers ${mappers.join(', ')} are`;
  return `${who} not onboarded at ${oracle}, so none of ${mappers.length === 1 ? 'its' : 'their'} reports was stored: ` +
    'a covey device onboards itself the first time it has a network; let it connect once, then import again';
}
