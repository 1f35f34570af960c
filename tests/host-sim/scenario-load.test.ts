/** Loading scenarios: built-ins and files, defaults, overrides, reproducibility, and the shipped examples. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORACLE_DEFAULTS } from '../../tools/oracle/config.js';
import {
  BUILT_IN_SCENARIOS, DEFAULT_START_TIME, formatProblem, loadScenario, ScenarioError, toLocal, type Scenario,
} from '../../host-sim/scenario/index.js';

const EXAMPLES = 'host-sim/scenario/examples';
let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'covey-scenario-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** The problems a load throws, one line each. */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('loaded without a problem');
}

const PAIR = {
  name: 'pair',
  region: 'EU868',
  nodes: [
    { name: 'a', lat: 52.37, lon: 4.9, board: 'heltec_v2', antennaGainDbi: 2, heightM: 10 },
    { name: 'b', lat: 52.38, lon: 4.92, board: 'heltec_v3', antennaGainDbi: 5, heightM: 20, txPowerDbm: 14 },
  ],
};

describe('built-in scenarios', () => {
  test('load by name, with every default filled in', () => {
    const rural = loadScenario('rural');
    expect(rural.source).toBe('built-in rural');
    expect(rural.startTime).toBe(DEFAULT_START_TIME);
    expect(rural.startMs).toBe(Date.parse(DEFAULT_START_TIME));
    expect(rural.durationMs).toBe(24 * 3_600_000);
    expect(rural.air).toEqual({
      model: 'oulu', params: { d0M: 1000, pl0Db: 128.95, exponent: 2.32 },
      shadowingSigmaDb: 7.8, captureDb: 6, collisions: 'full', clutterLossDb: 0,
    });
    expect(rural.oracle).toEqual(ORACLE_DEFAULTS);
    expect(rural.ingest).toBe('http');
    expect(rural.nodes).toHaveLength(40);
  });

  test('the LoRaSim marker carries its parameters and no hotspots', () => {
    const run = loadScenario('lorasim');
    expect(run.nodes).toEqual([]);
    expect(run.area).toBeNull();
    expect(run.lorasim).toEqual({ experiment: 4, nodes: 100, avgSendMs: 1_000_000, simtimeMs: 86_400_000, collisions: 'full' });
    expect(run.durationMs).toBe(86_400_000);
    expect(loadScenario('lorasim', { nodes: 500, hours: 1 }).lorasim).toMatchObject({ nodes: 500, simtimeMs: 3_600_000 });
  });

  test("the city's faults name hotspots by index and its windows are in ms", () => {
    expect(loadScenario('city').faults).toEqual([
      { type: 'power-cut', node: 17, atMs: 6 * 3_600_000, forMs: 2 * 3_600_000 },
      { type: 'ingest-outage', atMs: 13 * 3_600_000, forMs: 1_800_000 },
    ]);
  });
});

describe('files', () => {
  test('a file is read, its hotspots numbered and placed in metres around their middle', () => {
    const run = loadScenario(write('pair.json', PAIR));
    expect(run.nodes.map((n) => [n.index, n.name])).toEqual([[0, 'a'], [1, 'b']]);
    expect(run.area?.centre).toEqual({ lat: 52.375, lon: 4.91 });
    const [a, b] = run.nodes;
    expect(a.xM).toBeCloseTo(-toLocal({ lat: 52.375, lon: 4.91 }, { lat: 52.38, lon: 4.92 }).xM, 1);
    expect(b.yM).toBeCloseTo(556, 0);
    expect(a.asserted).toEqual({ lat: 52.37, lon: 4.9 });
  });

  test('a power left out is the most the region and the chip allow; one given is kept', () => {
    const [a, b] = loadScenario(write('power.json', PAIR)).nodes;
    expect(a.txPowerDbm).toBe(20);
    expect(b.txPowerDbm).toBe(14);
    const korea = loadScenario(write('kr.json', { ...PAIR, region: 'KR920', nodes: [{ ...PAIR.nodes[1], txPowerDbm: undefined }] }));
    // KR920's PoC channel: 14 dBm EIRP, so 9 dBm conducted with a 5 dBi antenna.
    expect(korea.nodes[0].txPowerDbm).toBe(9);
  });

  test('a missing file, a directory, an empty file and broken JSON each say so', () => {
    expect(problemsOf(() => loadScenario(join(dir, 'none.json')))).toEqual([
      'file: no such file, and not a built-in scenario (city, rural, grid, lorasim)',
    ]);
    expect(problemsOf(() => loadScenario(dir))).toEqual(['file: is a directory, not a scenario file']);
    expect(problemsOf(() => loadScenario(write('empty.json', '')))).toEqual(['file: not valid JSON: the file is empty']);
    const broken = write('broken.json', '{\n  "name": "x",\n  "region": "EU868"\n  "seed": 3\n}\n');
    expect(problemsOf(() => loadScenario(broken))).toEqual([
      "file: not valid JSON: line 4, column 3: Expected ',' or '}' after property value",
    ]);
  });

  test("the error's message names the scenario and lists every problem on its own line", () => {
    const path = write('bad.json', { ...PAIR, seed: 'x', ingest: 'grpc' });
    expect(() => loadScenario(path)).toThrow(
      `scenario ${path} has 2 problems:\n  seed: must be a whole number, got "x"\n  ingest: must be one of http, in-process, got "grpc"`,
    );
  });
});

describe('location liars', () => {
  test('a liar asserts the place the fault gives; its true place is unchanged', () => {
    const file = { ...PAIR, faults: [{ type: 'location-liar', node: 'b', assertedOffsetKm: 8, bearingDeg: 90 }] };
    const run = loadScenario(write('liar.json', file));
    const [a, b] = run.nodes;
    expect(a.asserted).toEqual({ lat: a.lat, lon: a.lon });
    const away = toLocal(b, b.asserted);
    expect(away.xM).toBeCloseTo(8000, -1);
    expect(Math.abs(away.yM)).toBeLessThan(1);
    expect(run.faults).toEqual([{ type: 'location-liar', node: 1, asserted: b.asserted, offsetM: expect.closeTo(8000, 0) }]);
  });
});

describe('overrides', () => {
  test('seed and hours replace the file\'s', () => {
    const run = loadScenario('grid', { seed: 9, hours: 0.5 });
    expect(run.seed).toBe(9);
    expect(run.durationMs).toBe(1_800_000);
  });

  test('a shorter run leaves out the faults it never reaches and clips the one it is in', () => {
    expect(loadScenario('city', { hours: 7 }).faults).toEqual([{ type: 'power-cut', node: 17, atMs: 21_600_000, forMs: 3_600_000 }]);
  });

  test('a node count scales the area to keep its density', () => {
    const run = loadScenario('city', { nodes: 400 });
    expect(run.nodes).toHaveLength(400);
    expect(run.area?.widthKm).toBeCloseTo(10, 9);
    expect(run.area?.heightKm).toBeCloseTo(10, 9);
    expect(run.nodes[399].name).toBe('city-399');
    expect(loadScenario('city', { nodes: 10_000 }).nodes[9999].name).toBe('city-9999');
  });

  test('a node count a listed scenario or its faults cannot take is refused', () => {
    expect(problemsOf(() => loadScenario(write('pair2.json', PAIR), { nodes: 5 }))).toEqual([
      'overrides.nodes: this scenario lists its 2 hotspots one by one; only a layout (area) can be given another count',
    ]);
    expect(problemsOf(() => loadScenario('city', { nodes: 10 }))).toEqual([
      'faults[0].node: no hotspot is named "city-017": the city layout\'s 10 are city-000 to city-009 (overrides.nodes asks for 10)',
    ]);
  });

  test('override values are checked', () => {
    expect(problemsOf(() => loadScenario('grid', { nodes: 0, hours: -1, seed: 0.5 }))).toEqual([
      'overrides.nodes: must be a whole number from 1 to 100000, got 0',
      'overrides.hours: must be a number above 0, got -1',
      'overrides.seed: must be a whole number, got 0.5',
    ]);
  });
});

describe('reproducibility', () => {
  const load = (seed?: number): Scenario => loadScenario('city', seed === undefined ? {} : { seed });

  test('the same seed resolves to the same scenario, deep-equal and byte for byte as JSON', () => {
    const first = load();
    const second = load();
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(load(1))).toBe(JSON.stringify(first));
  });

  test('another seed places the hotspots elsewhere', () => {
    const [a, b] = [load(1), load(2)];
    expect(b.nodes).not.toEqual(a.nodes);
    expect(b.nodes.filter((n, i) => n.lat === a.nodes[i].lat).length).toBe(0);
  });
});

describe('examples', () => {
  const files = readdirSync(EXAMPLES).filter((file) => file.endsWith('.json'));

  test.each(files)('%s loads', (file) => {
    expect(loadScenario(join(EXAMPLES, file)).name).toBe(file.replace(/\.json$/, ''));
  });

  test.each(Object.keys(BUILT_IN_SCENARIOS))('examples/%s.json is the built-in', (name) => {
    const { $schema, ...example } = JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')) as Record<string, unknown>;
    expect($schema).toBe('../../../docs/scenario.schema.json');
    expect(example).toEqual(BUILT_IN_SCENARIOS[name]);
  });

  test('faults.json shows every kind of fault', () => {
    const run = loadScenario(join(EXAMPLES, 'faults.json'));
    expect(new Set(run.faults.map((f) => f.type))).toEqual(
      new Set(['power-cut', 'ingest-outage', 'radio-fault', 'replay', 'forge', 'collusion-ring', 'location-liar']),
    );
    expect(new Set(run.faults.flatMap((f) => (f.type === 'radio-fault' ? [f.kind] : [])))).toEqual(new Set(['deaf', 'mute', 'noisy']));
    expect(run.nodes.filter((n) => n.asserted.lat !== n.lat || n.asserted.lon !== n.lon).map((n) => n.name)).toEqual([
      'liar-offset', 'liar-assert',
    ]);
  });
});
