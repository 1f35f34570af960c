/**
 * `covey sim`: runs a scenario in the host simulator (host-sim/sim/) and reports what happened: a
 * summary table on standard output, and on request the whole report as JSON and as a page to open in
 * a browser. A progress bar on standard error while it runs, when that is a terminal.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { SimReport } from '../../host-sim/report/model.js';
import { DEFAULT_SCENARIO } from '../../host-sim/scenario/builtins.js';
import type { Scenario } from '../../host-sim/scenario/index.js';
import type { WalkSettings } from '../../host-sim/walk/walker.js';
import { CliError, guarded, type CliContext, type CliIo } from './io.js';
import { numberWhere, wholeNumber } from './options.js';

interface SimOptions {
  readonly scenario: string;
  readonly nodes?: number;
  readonly hours?: number;
  readonly seed?: number;
  readonly json?: string;
  readonly html?: string;
  readonly out: string;
  readonly ingest?: 'http' | 'in-process';
  readonly lorasimExp?: number;
  readonly avgsendMs?: number;
  readonly simtimeMs?: number;
  readonly quiet?: boolean;
  readonly progress?: boolean;
  readonly walk?: string;
  readonly walkStart?: number;
  readonly walkHdop?: number;
  readonly walkSatellites?: number;
  readonly walkFixLoss?: number;
}

const positive = (name: string) => numberWhere(name, (v) => v > 0, 'a number above 0');
const nonNegative = (name: string) => numberWhere(name, (v) => v >= 0, 'a number of at least 0');
const fraction = (name: string) => numberWhere(name, (v) => v >= 0 && v <= 1, 'a chance from 0 to 1');

export function addSimCommand(program: Command, context: CliContext): Command {
  return program
    .command('sim')
    .description('run a scenario in the simulator: hotspots running the firmware over simulated air, and a real oracle')
    .option('--scenario <name|file>', 'city, rural, grid, lorasim, or a scenario file (docs/simulator.md)', DEFAULT_SCENARIO)
    .option('--nodes <n>', 'hotspots in the layout (the area grows to keep the density); LoRaSim nodes for lorasim', wholeNumber('--nodes', 1))
    .option('--hours <h>', 'simulated hours', positive('--hours'))
    .option('--seed <s>', 'seed: the same scenario and seed give the same result', wholeNumber('--seed', -2_147_483_648))
    .option('--json <file>', 'write the report as JSON: { "result": ..., "run": ... }')
    .option('--html <file>', 'write the report as one self-contained page')
    .option('--out <dir>', 'where the oracle\'s database goes', 'out')
    .option('--ingest <mode>', 'http (a real server on 127.0.0.1) or in-process (the same code without sockets)')
    .option('--lorasim-exp <n>', 'lorasim: LoRaSim experiment (0, 1 or 4)', wholeNumber('--lorasim-exp', 0))
    .option('--avgsend-ms <ms>', 'lorasim: mean time between a node\'s packets, ms', wholeNumber('--avgsend-ms', 1))
    .option('--simtime-ms <ms>', 'lorasim: simulated time, ms', wholeNumber('--simtime-ms', 1))
    .option('--walk <gpx>', 'replay a coverage walk along this GPX track: a mapper carried through the scenario (docs/coverage-walks.md)')
    .option('--walk-start <minutes>', 'when the track\'s first point is replayed, minutes into the run (default 10)', nonNegative('--walk-start'))
    .option('--walk-hdop <hdop>', 'the HDOP the walker\'s GPS reports (default: the track\'s own, else 0.9)', nonNegative('--walk-hdop'))
    .option('--walk-satellites <n>', 'satellites in the walker\'s fix (default: the track\'s own, else 8)', wholeNumber('--walk-satellites', 0))
    .option('--walk-fix-loss <p>', 'chance each second that the walker\'s GPS loses its fix for that second (default 0)', fraction('--walk-fix-loss'))
    .option('--no-progress', 'no progress bar even on a terminal')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText('after', [
      '',
      'Examples:',
      '  $ covey sim                                   the city: 100 hotspots for a day',
      '  $ covey sim --scenario grid --hours 2 --json out/grid.json',
      '  $ covey sim --nodes 1000 --ingest in-process --html out/big.html',
      '  $ covey sim --scenario lorasim --lorasim-exp 0 --nodes 1000',
    ].join('\n'))
    .action(guarded(context, 'sim', (options: SimOptions) => sim(options, context.io)));
}

/** The scenario with the command line's overrides applied. */
async function scenarioFor(options: SimOptions): Promise<Scenario> {
  const { loadScenario, ScenarioError } = await import('../../host-sim/scenario/index.js');
  let scenario: Scenario;
  try {
    scenario = loadScenario(options.scenario, { nodes: options.nodes, hours: options.hours, seed: options.seed });
  } catch (error) {
    if (error instanceof ScenarioError) {
      throw new CliError(`${error.message.split('\n')[0]} ${error.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    }
    throw error;
  }
  const lorasimFlags = options.lorasimExp !== undefined || options.avgsendMs !== undefined || options.simtimeMs !== undefined;
  if (lorasimFlags && scenario.lorasim === null) throw new CliError('--lorasim-exp, --avgsend-ms and --simtime-ms are for the lorasim scenario');
  if (scenario.lorasim !== null) {
    scenario = {
      ...scenario,
      lorasim: {
        ...scenario.lorasim,
        ...(options.lorasimExp === undefined ? {} : { experiment: options.lorasimExp }),
        ...(options.avgsendMs === undefined ? {} : { avgSendMs: options.avgsendMs }),
        ...(options.simtimeMs === undefined ? {} : { simtimeMs: options.simtimeMs }),
      },
    };
  }
  if (options.ingest !== undefined) {
    if (options.ingest !== 'http' && options.ingest !== 'in-process') throw new CliError(`--ingest must be http or in-process, not ${String(options.ingest)}`);
    scenario = { ...scenario, ingest: options.ingest };
  }
  return scenario;
}

/** The walk the options ask for, read and checked before the run starts. */
async function walkFor(options: SimOptions, scenario: Scenario): Promise<WalkSettings | undefined> {
  const walkFlags = [options.walkStart, options.walkHdop, options.walkSatellites, options.walkFixLoss].some((v) => v !== undefined);
  if (options.walk === undefined) {
    if (walkFlags) throw new CliError('--walk-start, --walk-hdop, --walk-satellites and --walk-fix-loss go with --walk <gpx>');
    return undefined;
  }
  if (scenario.lorasim !== null) throw new CliError('--walk needs a scenario with hotspots, not lorasim');
  const [{ GpxError, parseGpx }, { checkWalkSettings, WALK_DEFAULTS }] = await Promise.all([
    import('../../host-sim/walk/gpx.js'), import('../../host-sim/walk/walker.js'),
  ]);
  let text: string;
  try {
    text = readFileSync(options.walk, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${options.walk}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let track;
  try {
    track = parseGpx(text, options.walk);
  } catch (error) {
    if (error instanceof GpxError) throw new CliError(error.message);
    throw error;
  }
  const walk: WalkSettings = {
    track,
    source: options.walk,
    ...(options.walkStart === undefined ? {} : { startAfterMs: Math.round(options.walkStart * 60_000) }),
    ...(options.walkHdop === undefined ? {} : { hdop: options.walkHdop }),
    ...(options.walkSatellites === undefined ? {} : { satellites: options.walkSatellites }),
    ...(options.walkFixLoss === undefined ? {} : { fixLossPerSecond: options.walkFixLoss }),
  };
  try {
    checkWalkSettings(walk, scenario.region);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const endMs = (walk.startAfterMs ?? WALK_DEFAULTS.startAfterMs) + track.points[track.points.length - 1].timeMs - track.points[0].timeMs;
  if (endMs > scenario.durationMs) {
    throw new CliError(`the walk ends ${(endMs / 3_600_000).toFixed(2)} h into the run, after the run's ${scenario.durationMs / 3_600_000} h: give more --hours or an earlier --walk-start`);
  }
  return walk;
}

/** From this many hotspots on, a run without a heap limit is told about one. */
const HEAP_ADVICE_FROM_HOTSPOTS = 5_000;
/** The heap limit a day of 10,000 hotspots stays under 2 GB with (docs/simulator.md, "Figures"), MB. */
const HEAP_MB_PER_10000_HOTSPOTS = 1_536;

/**
 * A note for a large run whose V8 heap may grow far past what it keeps alive: on a machine with plenty
 * of memory V8 lets the heap of a day of 10,000 hotspots reach 2.6 GB resident, and a limit of 1,536 MB
 * keeps it near 1.7 GB. The limit suggested grows with the hotspots (in steps of 256 MB). Undefined for
 * small runs, and when the heap limit is that low already.
 */
export function heapAdvice(hotspots: number, heapLimitBytes: number): string | undefined {
  if (hotspots < HEAP_ADVICE_FROM_HOTSPOTS) return undefined;
  const suggestedMb = Math.max(HEAP_MB_PER_10000_HOTSPOTS, 256 * Math.ceil((hotspots * HEAP_MB_PER_10000_HOTSPOTS) / 10_000 / 256));
  if (heapLimitBytes <= (suggestedMb + 256) * 1024 * 1024) return undefined;
  return `covey sim: note: without a heap limit V8 lets a run this large take far more memory than it needs ` +
    `(a day of 10,000 hotspots: 2.6 GB instead of 1.7 GB); NODE_OPTIONS=--max-old-space-size=${suggestedMb} sets one\n`;
}

async function sim(options: SimOptions, io: CliIo): Promise<number> {
  // The scenario and walk readers, the simulator and its report load here, not with every covey command.
  const scenario = await scenarioFor(options);
  const walk = await walkFor(options, scenario);
  const say = (text: string) => {
    if (options.quiet !== true) io.stdout(text);
  };
  const advice = heapAdvice(scenario.nodes.length, getHeapStatistics().heap_size_limit);
  if (advice !== undefined && options.quiet !== true) io.stderr(advice);
  const [{ runSimulation }, { renderHtml }, { summaryTable }] = await Promise.all([
    import('../../host-sim/sim/run.js'), import('../../host-sim/report/html.js'), import('../../host-sim/report/summary.js'),
  ]);
  const terminal = process.stderr.isTTY === true && options.quiet !== true && options.progress !== false;
  const bar = terminal ? new SingleBar({ format: `${scenario.name} {bar} {percentage}% | simulated {hours} h | {duration_formatted}`, hideCursor: true }) : undefined;
  const hours = scenario.lorasim === null ? scenario.durationMs / 3_600_000 : scenario.lorasim.simtimeMs / 3_600_000;
  bar?.start(100, 0, { hours: '0' });
  let report: SimReport;
  try {
    mkdirSync(options.out, { recursive: true });
    report = await runSimulation(scenario, {
      outDir: options.out,
      ...(walk === undefined ? {} : { walk }),
      onProgress: (fraction) => bar?.update(Math.round(fraction * 100), { hours: (fraction * hours).toFixed(1) }),
    });
  } finally {
    bar?.stop();
  }
  if (options.json !== undefined) writeOut(options.json, `${JSON.stringify(report, null, 2)}\n`);
  if (options.html !== undefined) writeOut(options.html, renderHtml(report));
  say(summaryTable(report));
  if (options.json !== undefined) say(`report (JSON): ${resolve(options.json)}\n`);
  if (options.html !== undefined) say(`report (page): ${resolve(options.html)}\n`);
  return 0;
}

function writeOut(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, text);
}
