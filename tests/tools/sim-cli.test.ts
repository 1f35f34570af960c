/** `covey sim` (tools/commands/sim.ts): options, the files it writes, and one-line errors. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heapAdvice } from '../../tools/commands/sim.js';
import { covey, expectOneLineFailure } from '../support/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-sim-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('--help names every option and gives examples', async () => {
  const run = await covey(['sim', '--help']);
  expect(run.code).toBe(0);
  for (const option of ['--scenario', '--nodes', '--hours', '--seed', '--json', '--html', '--ingest', '--lorasim-exp', '--avgsend-ms', '--simtime-ms']) {
    expect(run.stdout).toContain(option);
  }
  expect(run.stdout).toMatch(/Examples:/);
});

test('a short grid run prints the summary and writes the JSON and the page', async () => {
  const json = join(dir, 'grid.json');
  const html = join(dir, 'grid.html');
  const run = await covey(['sim', '--scenario', 'grid', '--hours', '1', '--out', dir, '--json', json, '--html', html]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/hotspots\s+25/);
  expect(run.stdout).toContain(`report (JSON): ${json}`);
  const report = JSON.parse(readFileSync(json, 'utf8'));
  expect(Object.keys(report)).toEqual(['result', 'run']);
  expect(report.result.nodes).toBe(25);
  expect(report.result.simulatedHours).toBe(1);
  expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
}, 60_000);

test('-q prints nothing; the lorasim flags change the LoRaSim run', async () => {
  const json = join(dir, 'lorasim.json');
  const run = await covey(['sim', '--scenario', 'lorasim', '--nodes', '20', '--lorasim-exp', '0', '--simtime-ms', '3600000', '--avgsend-ms', '100000', '--out', dir, '--json', json, '-q']);
  expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  const { der } = JSON.parse(readFileSync(json, 'utf8')).result;
  expect(der).toMatchObject({ experiment: 0, nodes: 20, avgSendMs: 100_000, simtimeMs: 3_600_000 });
});

test('a run of thousands of hotspots without a heap limit is told how to set one, sized to the run', () => {
  const GB = 1024 ** 3;
  expect(heapAdvice(4_999, 4 * GB)).toBeUndefined();
  expect(heapAdvice(10_000, 4 * GB)).toMatch(/^covey sim: note: .*NODE_OPTIONS=--max-old-space-size=1536 sets one\n$/);
  expect(heapAdvice(5_000, 4 * GB)).toContain('--max-old-space-size=1536');
  expect(heapAdvice(20_000, 4 * GB)).toContain('--max-old-space-size=3072');
  // A limit already near the one suggested: nothing to say.
  expect(heapAdvice(10_000, 1536 * 1024 ** 2)).toBeUndefined();
  expect(heapAdvice(20_000, 3.2 * GB)).toBeUndefined();
});

test('a scenario file with problems: one line naming each with its path', async () => {
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ name: 'bad', region: 'EU868', nodes: [{ name: 'a', lat: 123, lon: 5, board: 'heltec_v3', antennaGainDbi: 2, heightM: 10 }], colour: 'red' }));
  const run = await covey(['sim', '--scenario', file, '--out', dir]);
  expectOneLineFailure(run, /covey sim: scenario .*bad\.json has 2 problems: colour: unknown key .*; nodes\[0\]\.lat: must be a number from -90 to 90, got 123$/m);
});

test('a file that does not exist, LoRaSim flags on a hotspot scenario, and bad numbers are refused', async () => {
  expectOneLineFailure(await covey(['sim', '--scenario', join(dir, 'none.json')]), /covey sim: .*none\.json/);
  expectOneLineFailure(await covey(['sim', '--lorasim-exp', '0']), /covey sim: --lorasim-exp, --avgsend-ms and --simtime-ms are for the lorasim scenario/);
  expectOneLineFailure(await covey(['sim', '--nodes', 'many']), /covey sim: .*--nodes must be a whole number/);
  expectOneLineFailure(await covey(['sim', '--hours', '0']), /covey sim: .*--hours must be a number above 0/);
  expectOneLineFailure(await covey(['sim', '--ingest', 'carrier-pigeon', '--scenario', 'grid']), /covey sim: --ingest must be http or in-process/);
});

test('--walk replays the sample walk: the summary says how far and how much was heard, and covey map draws it', async () => {
  const json = join(dir, 'walk.json');
  const walk = new URL('../fixtures/walk.gpx', import.meta.url).pathname;
  const run = await covey(['sim', '--hours', '1', '--ingest', 'in-process', '--walk', walk, '--out', dir, '--json', json]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/walk\s+10\.2 km\s+city-east, 40 min/);
  expect(run.stdout).toMatch(/walk uplinks sent\s+\d+/);
  expect(run.stdout).toMatch(/walk uplinks heard\s+\d+\s+\d+(\.\d)? % of those at the oracle/);
  const { walk: result } = JSON.parse(readFileSync(json, 'utf8')).result;
  expect(result.coverage.length).toBe(result.uplinks.atOracle);
  const map = await covey(['map', '--report', json, '--out', join(dir, 'map')]);
  expect(map.code).toBe(0);
  expect(map.stdout).toMatch(/cells\s+\d+ heard, \d+ walked but not heard \(H3 res 9\)/);
  expect(map.stdout).toContain(`uplinks   ${result.uplinks.atOracle} of ${result.uplinks.atOracle} used`);
  for (const file of ['coverage.geojson', 'coverage.html', 'coverage.png']) expect(readFileSync(join(dir, 'map', file)).length).toBeGreaterThan(100);
}, 120_000);

test('--walk problems: one line each, before anything runs', async () => {
  const walk = new URL('../fixtures/walk.gpx', import.meta.url).pathname;
  const broken = join(dir, 'broken.gpx');
  writeFileSync(broken, '<gpx><trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>');
  expectOneLineFailure(await covey(['sim', '--walk', join(dir, 'nowhere.gpx'), '--out', dir]), /covey sim: cannot read .*nowhere\.gpx: ENOENT$/m);
  expectOneLineFailure(await covey(['sim', '--walk', broken, '--out', dir]), /covey sim: .*broken\.gpx: track point 1 \(line 1\) has no <time>; a walk is replayed by its times$/m);
  expectOneLineFailure(await covey(['sim', '--walk', walk, '--hours', '0.5', '--out', dir]), /covey sim: the walk ends 0\.83 h into the run, after the run's 0\.5 h/m);
  expectOneLineFailure(await covey(['sim', '--scenario', 'lorasim', '--walk', walk, '--out', dir]), /covey sim: --walk needs a scenario with hotspots, not lorasim$/m);
  expectOneLineFailure(await covey(['sim', '--walk-hdop', '2', '--out', dir]), /covey sim: --walk-start, --walk-hdop, --walk-satellites and --walk-fix-loss go with --walk <gpx>$/m);
  expectOneLineFailure(await covey(['sim', '--walk', walk, '--walk-fix-loss', '2', '--out', dir]), /--walk-fix-loss must be a chance from 0 to 1/m);
});
