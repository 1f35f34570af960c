/**
 * `covey map`: a coverage map of mapper walks (tools/coverage/): which H3 cells a hotspot heard and
 * which were walked but not heard, written as coverage.geojson, coverage.html (works offline) and
 * coverage.png, with a short summary of what was used and what was left out, and why.
 *
 * The uplinks come from exactly one of an oracle database, a simulator report or a JSON file. The first
 * two are read by loaders handed to `addMapCommand`; a missing loader makes its option say so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { aggregateCoverage } from '../coverage/aggregate.js';
import { checkTiles, type TileSource } from '../coverage/html.js';
import { CoverageInputError, parseCoverageUplinks } from '../coverage/input.js';
import { HEARING_DROP_REASONS, UPLINK_DROP_REASONS, type CoverageAggregate, type CoverageUplink } from '../coverage/model.js';
import { writeCoverageMap, type CoverageMapFiles } from '../coverage/write.js';
import { CliError, guarded, reasonOf, type CliContext, type CliIo } from './io.js';

/** Reads a mapper walk's uplinks, each joined to its hearings, from a file. */
export type CoverageLoader = (path: string) => Promise<CoverageUplink[]>;

/** How `--db` and `--report` are read; an option whose loader is absent is refused as not available. */
export interface CoverageLoaders {
  readonly db?: CoverageLoader;
  readonly report?: CoverageLoader;
}

interface MapOptions {
  readonly db?: string;
  readonly report?: string;
  readonly input?: string;
  readonly out: string;
  readonly res: number;
  readonly since?: string;
  readonly until?: string;
  readonly tiles?: string;
  readonly tilesAttribution?: string;
  readonly title?: string;
  readonly json?: boolean;
}

function resolution(text: string): number {
  if (!/^\d{1,2}$/.test(text.trim()) || Number(text) > 15) throw new InvalidArgumentError('--res must be a whole number from 0 to 15');
  return Number(text);
}

export function addMapCommand(program: Command, context: CliContext, loaders: CoverageLoaders = {}): Command {
  return program
    .command('map')
    .description('draw a coverage map of mapper walks: H3 cells heard, and walked but not heard')
    .option('--db <file>', 'read the uplinks and their receipts from an oracle database')
    .option('--report <file>', 'read them from a simulator report (covey sim --json)')
    .option('--input <file>', 'read them from a JSON array of uplinks (CoverageUplink, tools/coverage/model.ts); - for standard input')
    .requiredOption('--out <dir>', 'where coverage.geojson, coverage.html and coverage.png go')
    .option('--res <n>', 'H3 resolution, 0 to 15', resolution, 9)
    .option('--since <time>', 'only uplinks sent from this time: an ISO 8601 date (UTC) or date-time with a zone')
    .option('--until <time>', 'only uplinks sent before this time; a date includes that whole day')
    .option('--tiles <url>', 'give the page a tile layer, e.g. https://tile.example.org/{z}/{x}/{y}.png (then it needs the network)')
    .option('--tiles-attribution <text>', 'the attribution the tile server asks for (required with --tiles)')
    .option('--title <text>', 'title of the page and the picture', 'Coverage')
    .option('--json', 'print the summary as one JSON object')
    .addHelpText('after', [
      '',
      'GPS fixes are filtered as TTN Mapper does: fewer than 4 satellites, HDOP above 5, latitude or',
      'longitude exactly 0, or 89° or more from the equator. Hearings more than 200 km from the uplink are',
      'dropped as implausible. The summary counts every uplink and hearing left out, by reason.',
      '',
      'Examples:',
      '  $ covey map --input walk.json --out out/map',
      '  $ covey map --db oracle.sqlite --since 2026-03-01 --until 2026-03-31 --out out/march',
      "  $ covey map --report out/grid.json --res 8 --tiles 'https://tile.example.org/{z}/{x}/{y}.png' \\",
      "      --tiles-attribution '© the tile server' --out out/grid-map",
    ].join('\n'))
    .action(guarded(context, 'map', (options: MapOptions) => drawMap(options, context.io, loaders)));
}

/**
 * A time for --since/--until: `YYYY-MM-DD` is that UTC day's start (for --until, the next day's, so
 * the day is included); a date-time must carry its zone, so the result does not depend on the machine.
 */
export function parseTimeOption(text: string, option: '--since' | '--until'): number {
  const day = /^(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (day !== null) {
    const ms = Date.parse(`${day[1]}T00:00:00Z`);
    if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day[1]) throw new CliError(`${option}: ${text} is not a date`);
    return option === '--until' ? ms + 86_400_000 : ms;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || !Number.isFinite(Date.parse(text))) {
    throw new CliError(`${option}: ${text} is not an ISO 8601 date (2026-03-01) or date-time with a zone (2026-03-01T08:00Z)`);
  }
  return Date.parse(text);
}

async function drawMap(options: MapOptions, io: CliIo, loaders: CoverageLoaders): Promise<number> {
  const sources = (['db', 'report', 'input'] as const).filter((name) => options[name] !== undefined);
  if (sources.length !== 1) throw new CliError(`give exactly one of --db, --report and --input${sources.length > 1 ? `, not ${sources.map((s) => `--${s}`).join(' and ')}` : ''}`);
  const since = options.since === undefined ? undefined : parseTimeOption(options.since, '--since');
  const until = options.until === undefined ? undefined : parseTimeOption(options.until, '--until');
  if (since !== undefined && until !== undefined && since >= until) throw new CliError('--since must be before --until');
  if ((options.tiles === undefined) !== (options.tilesAttribution === undefined)) throw new CliError('--tiles and --tiles-attribution go together');
  const tiles = options.tiles === undefined ? undefined : tileSource(options.tiles, options.tilesAttribution ?? '');

  const source = sources[0];
  const path = options[source] as string;
  const uplinks = source === 'input' ? await readInput(path, io) : await load(source, path, loaders);
  let aggregate: CoverageAggregate;
  try {
    aggregate = aggregateCoverage(uplinks, { res: options.res, since, until });
  } catch (error) {
    if (error instanceof CoverageInputError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
  const files = writeCoverageMap(options.out, aggregate, { tiles, title: options.title });
  io.stdout(options.json === true ? `${JSON.stringify(summaryJson(aggregate, files), null, 2)}\n` : summaryText(aggregate, files));
  return 0;
}

function tileSource(url: string, attribution: string): TileSource {
  try {
    return checkTiles({ url, attribution });
  } catch (error) {
    throw new CliError(`--tiles: ${reasonOf(error)}`);
  }
}

async function load(source: 'db' | 'report', path: string, loaders: CoverageLoaders): Promise<CoverageUplink[]> {
  const loader = loaders[source];
  if (loader === undefined) {
    const what = source === 'db' ? 'reading an oracle database' : 'reading a simulator report';
    throw new CliError(`--${source}: ${what} is not available in this covey yet; give the uplinks with --input`);
  }
  if (!existsSync(path)) throw new CliError(`${path}: no such file`);
  return loader(path);
}

async function readInput(path: string, io: CliIo): Promise<CoverageUplink[]> {
  let text: string;
  if (path === '-') {
    text = new TextDecoder().decode(await io.readStdin());
  } else {
    if (!existsSync(path)) throw new CliError(`${path}: no such file`);
    text = readFileSync(path, 'utf8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path}: not JSON (${reasonOf(error)})`);
  }
  try {
    return parseCoverageUplinks(json);
  } catch (error) {
    if (error instanceof CoverageInputError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

function summaryJson(aggregate: CoverageAggregate, files: CoverageMapFiles): object {
  const heard = aggregate.cells.filter((cell) => cell.state === 'heard').length;
  return {
    res: aggregate.res,
    since: aggregate.sinceMs === null ? null : new Date(aggregate.sinceMs).toISOString(),
    until: aggregate.untilMs === null ? null : new Date(aggregate.untilMs).toISOString(),
    cells: { heard, unheard: aggregate.cells.length - heard },
    hotspots: aggregate.hotspots.length,
    uplinks: aggregate.uplinks,
    hearings: aggregate.hearings,
    files,
  };
}

/** "5 dropped (fewer than 4 satellites: 3, HDOP above 5: 2)", naming only the reasons that occurred. */
function dropped(counts: Readonly<Record<string, number>>, reasons: Readonly<Record<string, string>>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return total === 0 ? 'none dropped' : `${total} dropped (${entries.map(([key, n]) => `${reasons[key]}: ${n}`).join(', ')})`;
}

function summaryText(aggregate: CoverageAggregate, files: CoverageMapFiles): string {
  const { cells, uplinks, hearings } = aggregate;
  const heard = cells.filter((cell) => cell.state === 'heard').length;
  const window = uplinks.outsideWindow > 0 ? `, ${uplinks.outsideWindow} outside --since/--until` : '';
  return [
    `cells     ${heard} heard, ${cells.length - heard} walked but not heard (H3 res ${aggregate.res}); ${aggregate.hotspots.length} hotspots`,
    `uplinks   ${uplinks.used} of ${uplinks.total} used${window}; ${dropped(uplinks.dropped, UPLINK_DROP_REASONS)}`,
    `hearings  ${hearings.used} of ${hearings.total} used; ${dropped(hearings.dropped, HEARING_DROP_REASONS)}`,
    `GeoJSON   ${files.geojson}`,
    `page      ${files.html}`,
    `picture   ${files.png}`,
    '',
  ].join('\n');
}
