/**
 * `covey map` (tools/commands/map.ts), run in-process on a program built the way tools/cli.ts builds
 * its own: the files it writes, its summary, the loaders for --db and --report, and one-line errors.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { addMapCommand, parseTimeOption, type CoverageLoaders } from '../../tools/commands/map.js';
import type { CliIo } from '../../tools/commands/io.js';
import type { CoverageUplink } from '../../tools/coverage/model.js';
import { T0, uplink, walk } from './fixture.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `covey map <argv>` with the given loaders; errors printed as tools/cli.ts prints them. */
async function coveyMap(argv: string[], loaders: CoverageLoaders = {}, stdin = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => new TextEncoder().encode(stdin),
  };
  const oneLine = (text: string) => io.stderr(`covey map: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`);
  const program = new Command('covey').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: oneLine });
  addMapCommand(program, { io, setExitCode: (c) => void (code = c) }, loaders).configureOutput({ outputError: oneLine });
  try {
    await program.parseAsync(['map', ...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  return { code, stdout, stderr };
}

function expectOneLineFailure(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

let dir: string;
let input: string;
const uplinks = [...walk(50), uplink({ satellites: 2 }), uplink({ hdop: 7 }), uplink({ hdop: 8 })];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-map-'));
  input = join(dir, 'walk.json');
  writeFileSync(input, JSON.stringify(uplinks));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('--help names every option', async () => {
  const run = await coveyMap(['--help']);
  expect(run.code).toBe(0);
  for (const option of ['--db', '--report', '--input', '--out', '--res', '--since', '--until', '--tiles', '--tiles-attribution', '--title', '--json']) {
    expect(run.stdout).toContain(option);
  }
});

test('--input writes the GeoJSON, the page and the picture, and sums up what it used and dropped', async () => {
  const out = join(dir, 'map');
  const run = await coveyMap(['--input', input, '--out', out]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const geojson = JSON.parse(readFileSync(join(out, 'coverage.geojson'), 'utf8'));
  const hexes = geojson.features.filter((f: { properties: { kind: string } }) => f.properties.kind === 'hex');
  const heard = hexes.filter((f: { properties: { state: string } }) => f.properties.state === 'heard').length;
  expect(run.stdout).toContain(`cells     ${heard} heard, ${hexes.length - heard} walked but not heard (H3 res 9); 3 hotspots`);
  expect(run.stdout).toContain('uplinks   50 of 53 used; 3 dropped (fewer than 4 satellites: 1, HDOP above 5: 2)');
  expect(run.stdout).toMatch(/hearings {2}\d+ of \d+ used; none dropped/);
  for (const name of ['coverage.geojson', 'coverage.html', 'coverage.png']) expect(run.stdout).toContain(join(out, name));
  expect(readFileSync(join(out, 'coverage.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  expect([...readFileSync(join(out, 'coverage.png')).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
});

test('--json prints the summary as JSON; --res and the window reach the aggregate', async () => {
  const run = await coveyMap(['--input', input, '--out', join(dir, 'json'), '--res', '8', '--since', '2026-03-01T08:10Z', '--until', '2026-03-01T08:20:00+00:00', '--json']);
  expect(run.code).toBe(0);
  const summary = JSON.parse(run.stdout);
  expect(summary).toMatchObject({ res: 8, since: '2026-03-01T08:10:00.000Z', until: '2026-03-01T08:20:00.000Z', hotspots: expect.any(Number) });
  expect(summary.uplinks).toMatchObject({ total: 53, used: 10, outsideWindow: 43 });
  expect(summary.files.png).toBe(join(dir, 'json', 'coverage.png'));
});

test('--input - reads standard input', async () => {
  const run = await coveyMap(['--input', '-', '--out', join(dir, 'stdin'), '--json'], {}, JSON.stringify(walk(5)));
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout).uplinks.used).toBe(5);
});

test('--db and --report go through the loaders given, with the path given', async () => {
  const db = join(dir, 'oracle.sqlite');
  writeFileSync(db, '');
  const asked: string[] = [];
  const loaders: CoverageLoaders = {
    db: async (path) => (asked.push(`db ${path}`), walk(10)),
    report: async (path) => (asked.push(`report ${path}`), walk(20)),
  };
  const fromDb = await coveyMap(['--db', db, '--out', join(dir, 'db'), '--json'], loaders);
  const fromReport = await coveyMap(['--report', db, '--out', join(dir, 'report'), '--json'], loaders);
  expect(asked).toEqual([`db ${db}`, `report ${db}`]);
  expect(JSON.parse(fromDb.stdout).uplinks.used).toBe(10);
  expect(JSON.parse(fromReport.stdout).uplinks.used).toBe(20);
});

test('without a loader, --db and --report say they are not available', async () => {
  expectOneLineFailure(await coveyMap(['--db', input, '--out', dir]), /^covey map: --db: reading an oracle database is not available in this covey yet; give the uplinks with --input$/m);
  expectOneLineFailure(await coveyMap(['--report', input, '--out', dir]), /^covey map: --report: reading a simulator report is not available/);
});

test('a loader that returns malformed uplinks is refused with the field named', async () => {
  const db = join(dir, 'bad.sqlite');
  writeFileSync(db, '');
  const bad = [{ ...uplink(), timeMs: 'yesterday' }] as unknown as CoverageUplink[];
  expectOneLineFailure(await coveyMap(['--db', db, '--out', dir], { db: async () => bad }), /covey map: .*bad\.sqlite: uplinks\[0\]\.timeMs: must be an integer of at least 0$/m);
});

describe('one-line errors', () => {
  test('a file that does not exist', async () => {
    expectOneLineFailure(await coveyMap(['--input', join(dir, 'none.json'), '--out', dir]), /covey map: .*none\.json: no such file$/m);
  });

  test('a file that is not JSON, and JSON that is not a list of uplinks', async () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '[{"digest": ');
    expectOneLineFailure(await coveyMap(['--input', notJson, '--out', dir]), /covey map: .*not\.json: not JSON \(/);
    const object = join(dir, 'object.json');
    writeFileSync(object, '{"uplinks": []}');
    expectOneLineFailure(await coveyMap(['--input', object, '--out', dir]), /object\.json: \(top level\): must be an array of uplinks$/m);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify([uplink(), { ...uplink(), latE7: 52.5 }]));
    expectOneLineFailure(await coveyMap(['--input', wrong, '--out', dir]), /wrong\.json: \[1\]\.latE7: must be an integer$/m);
  });

  test.each(['16', '-1', 'x', '9.5', ''])('--res %p', async (res) => {
    expectOneLineFailure(await coveyMap(['--input', input, '--out', dir, '--res', res]), /covey map: .*--res must be a whole number from 0 to 15/);
  });

  test('no source, or more than one', async () => {
    expectOneLineFailure(await coveyMap(['--out', dir]), /covey map: give exactly one of --db, --report and --input$/m);
    expectOneLineFailure(await coveyMap(['--input', input, '--db', input, '--out', dir]), /give exactly one of --db, --report and --input, not --db and --input$/m);
  });

  test('no --out', async () => {
    expectOneLineFailure(await coveyMap(['--input', input]), /covey map: required option '--out <dir>' not specified/);
  });

  test('times that are not ISO 8601 with a zone, and a window that is empty', async () => {
    expectOneLineFailure(await coveyMap(['--input', input, '--out', dir, '--since', 'yesterday']), /covey map: --since: yesterday is not an ISO 8601 date/);
    expectOneLineFailure(await coveyMap(['--input', input, '--out', dir, '--until', '2026-03-01T08:00']), /--until: .* date-time with a zone/);
    expectOneLineFailure(await coveyMap(['--input', input, '--out', dir, '--since', '2026-02-30']), /--since: 2026-02-30 is not a date$/m);
    expectOneLineFailure(await coveyMap(['--input', input, '--out', dir, '--since', '2026-03-02', '--until', '2026-03-01']), /--since must be before --until$/m);
  });

  test('--tiles without its attribution, and a tile URL that is not a template', async () => {
    expectOneLineFailure(await coveyMap(['--input', input, '--out', dir, '--tiles', 'https://t.example.test/{z}/{x}/{y}.png']), /--tiles and --tiles-attribution go together$/m);
    const out = join(dir, 'untouched');
    expectOneLineFailure(await coveyMap(['--input', input, '--out', out, '--tiles', 'https://t.example.test/tile.png', '--tiles-attribution', 'x']), /covey map: --tiles: tiles must be an http\(s\) URL template/);
    expect(existsSync(out)).toBe(false);
  });
});

test('--until with a date includes that whole UTC day; --since starts at its midnight', () => {
  expect(parseTimeOption('2026-03-01', '--since')).toBe(T0 - 8 * 3_600_000);
  expect(parseTimeOption('2026-03-01', '--until')).toBe(T0 + 16 * 3_600_000);
  expect(parseTimeOption('2026-03-01T10:00:00.5+02:00', '--since')).toBe(T0 + 500);
});
