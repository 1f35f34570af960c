/** The scenario validator: every problem in a file at once, each with its JSON path and one line to act on. */
import { formatProblem, validateScenario } from '../../host-sim/scenario/index.js';

const CENTRE = { lat: 52.37, lon: 4.9 };

/** A valid file with two listed hotspots, to break one field at a time. */
function listed(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'pair',
    region: 'EU868',
    nodes: [
      { name: 'a', lat: 52.37, lon: 4.9, board: 'heltec_v3', antennaGainDbi: 2, heightM: 10 },
      { name: 'b', lat: 52.38, lon: 4.91, board: 'heltec_v2', antennaGainDbi: 3, heightM: 15 },
    ],
    ...changes,
  };
}

function withNode(index: number, changes: Record<string, unknown>): Record<string, unknown> {
  const file = listed();
  const nodes = file.nodes as Record<string, unknown>[];
  nodes[index] = { ...nodes[index], ...changes };
  return file;
}

const lines = (input: unknown) => validateScenario(input).map(formatProblem);

describe('valid files', () => {
  test('a listed, a layout and a LoRaSim scenario have no problems', () => {
    expect(lines(listed())).toEqual([]);
    expect(lines({ name: 'c', region: 'US915', area: { layout: 'city', centre: CENTRE } })).toEqual([]);
    expect(lines({ name: 'l', region: 'EU868', lorasim: { experiment: 0, nodes: 10, avgSendMs: 1000, simtimeMs: 60000 } })).toEqual([]);
  });

  test('a LoRaSim experiment that is not reproduced is named, with the ones that are', () => {
    expect(lines({ name: 'l', region: 'EU868', lorasim: { experiment: 2, nodes: 10, avgSendMs: 1000, simtimeMs: 60000 } }))
      .toEqual(["lorasim.experiment: LoRaSim's experiment 2 is not reproduced; use 0, 1, 4"]);
  });
});

describe('shapes and types', () => {
  test('a file that is not an object is one problem', () => {
    expect(lines([])).toEqual(['scenario: must be an object, got a list']);
    expect(lines(null)).toEqual(['scenario: must be an object, got null']);
  });

  test('wrong types and ranges name the field, the rule and the value', () => {
    expect(lines(withNode(1, { lat: 95 }))).toEqual(['nodes[1].lat: must be a number from -90 to 90, got 95']);
    expect(lines(listed({ seed: 1.5 }))).toEqual(['seed: must be a whole number, got 1.5']);
    expect(lines(listed({ durationHours: '24' }))).toEqual(['durationHours: must be a number above 0, got "24"']);
    expect(lines(listed({ name: 'my scenario' }))[0]).toMatch(/^name: must be a name of letters, digits/);
  });

  test('missing required fields are each named', () => {
    expect(lines({ region: 'EU868', area: { centre: CENTRE } })).toEqual(['name: is required', 'area.layout: is required']);
  });

  test('unknown keys are refused, with the key probably meant', () => {
    expect(lines(listed({ regoin: 'EU868' }))).toEqual(['regoin: unknown key; did you mean region?']);
    expect(lines(withNode(0, { lattitude: 1 }))).toEqual(['nodes[0].lattitude: unknown key; did you mean lat?']);
    expect(lines(listed({ air: { colour: 'blue' } }))[0]).toMatch(/^air\.colour: unknown key \(allowed: model, params, /);
  });

  test('the start time must be ISO 8601 with a zone, and a real date', () => {
    expect(lines(listed({ startTime: '2026-01-05 06:00' }))[0]).toMatch(/^startTime: must be an ISO 8601 date/);
    expect(lines(listed({ startTime: '2026-01-05T06:00' }))[0]).toMatch(/^startTime: must be an ISO 8601 date/);
    expect(lines(listed({ startTime: '2026-13-01' }))).toEqual(['startTime: is not a real date: 2026-13-01']);
  });

  test('durationHours and durationMs are one or the other', () => {
    expect(lines(listed({ durationHours: 1, durationMs: 3_600_000 }))).toEqual(['durationMs: give durationHours or durationMs, not both']);
  });

  test('air params follow the model', () => {
    expect(lines(listed({ air: { model: 'okumura-hata', params: { environment: 'city' } } }))[0]).toMatch(
      /^air\.params\.environment: must be one of urban-small, urban-large, suburban, open, got "city"/,
    );
    expect(lines(listed({ air: { model: 'oulu', params: { exponent: 0 } } }))).toEqual([
      'air.params.exponent: must be a number above 0 and at most 10, got 0',
    ]);
    expect(lines(listed({ air: { model: 'log-distance', params: { environment: 'urban-small' } } }))[0]).toMatch(/^air\.params\.environment: unknown key/);
  });
});

describe('area, nodes and lorasim', () => {
  test('both area and nodes is refused', () => {
    expect(lines(listed({ area: { layout: 'city', centre: CENTRE } }))).toEqual([
      'nodes: give one of area, nodes and lorasim, not area and nodes',
    ]);
  });

  test('neither is refused', () => {
    expect(lines({ name: 'empty', region: 'EU868' })).toEqual([
      'scenario: needs one of area (a built-in layout), nodes (a list of hotspots) or lorasim',
    ]);
  });

  test('a grid is sized by spacing, the other layouts by width and height', () => {
    expect(lines({ name: 'g', region: 'EU868', area: { layout: 'grid', centre: CENTRE, widthKm: 2 } })).toEqual([
      'area.widthKm: a grid is sized by nodes and spacingM; leave this out',
    ]);
    expect(lines({ name: 'c', region: 'EU868', area: { layout: 'city', centre: CENTRE, spacingM: 200 } })).toEqual([
      'area.spacingM: only a grid has a spacing; the city layout spreads its hotspots itself',
    ]);
  });

  test('a LoRaSim run takes its length from simtimeMs', () => {
    const file = { name: 'l', region: 'EU868', durationHours: 2, lorasim: { experiment: 0, nodes: 10, avgSendMs: 1000, simtimeMs: 60000 } };
    expect(lines(file)).toEqual(['durationHours: a LoRaSim run lasts lorasim.simtimeMs; leave this out']);
  });

  test('hotspot names are unique', () => {
    expect(lines(withNode(1, { name: 'a' }))).toEqual(['nodes[1].name: "a" is already the name of nodes[0]']);
  });
});

describe('regions, boards and power', () => {
  test('an unknown region lists the known ones and guesses', () => {
    expect(lines(listed({ region: 'EU686' }))).toEqual([
      'region: must be one of EU868, US915, AU915, AS923_1, AS923_2, AS923_3, AS923_4, KR920, IN865, got "EU686"; did you mean EU868?',
    ]);
  });

  test('an unknown board lists the known ones', () => {
    expect(lines(withNode(0, { board: 'heltec_v4' }))).toEqual([
      'nodes[0].board: must be one of heltec_v2, heltec_v3, tbeam_v1, t3s3, got "heltec_v4"; did you mean heltec_v2?',
    ]);
  });

  test("a power above the region's limit for the antenna says the limit", () => {
    // EU868's PoC sub-band: 29.15 dBm EIRP, so 27 dBm conducted with a 2 dBi antenna.
    expect(lines(withNode(0, { txPowerDbm: 28 }))).toEqual([
      "nodes[0].txPowerDbm: 28 dBm is above EU868's limit on its PoC channel with a 2 dBi antenna: at most 27 dBm conducted (29.15 dBm EIRP)",
    ]);
  });

  test('a power the region allows but the chip cannot give is refused with the driver\'s reason', () => {
    expect(lines(withNode(1, { txPowerDbm: 18 }))).toEqual([
      'nodes[1].txPowerDbm: heltec_v2 (SX1276) cannot transmit at 18 dBm: txPowerDbm 18: PA_BOOST gives 2–17 dBm, or exactly 20 with PA_DAC',
    ]);
  });
});

describe('faults', () => {
  const fault = (f: Record<string, unknown>) => lines(listed({ faults: [f] }));

  test('a fault naming a hotspot that does not exist is refused, by index or by name', () => {
    expect(fault({ type: 'power-cut', node: 2, atHours: 1, forHours: 1 })).toEqual([
      'faults[0].node: there is no hotspot 2: indices run from 0 to 1',
    ]);
    expect(fault({ type: 'forge', node: 'c' })).toEqual(['faults[0].node: no hotspot is named "c"']);
  });

  test("a layout's hotspots are referred to as layout-index", () => {
    const city = (node: unknown) => lines({ name: 'c', region: 'EU868', area: { layout: 'city', centre: CENTRE }, faults: [{ type: 'forge', node }] });
    expect(city('city-042')).toEqual([]);
    expect(city('city-100')).toEqual(['faults[0].node: no hotspot is named "city-100": the city layout\'s 100 are city-000 to city-099']);
  });

  test('an unknown fault type is refused with a guess', () => {
    expect(fault({ type: 'power-cuts', node: 0 })).toEqual([
      'faults[0].type: must be one of power-cut, ingest-outage, radio-fault, replay, forge, collusion-ring, location-liar, got "power-cuts"; did you mean power-cut?',
    ]);
  });

  test("a key of another fault type is named as such", () => {
    expect(fault({ type: 'ingest-outage', node: 0, atHours: 1, forHours: 1 })).toEqual([
      'faults[0].node: an ingest-outage fault has no node (it has: type, atHours, forHours)',
    ]);
  });

  test('a fault must start before the run is over', () => {
    expect(lines(listed({ durationHours: 2, faults: [{ type: 'ingest-outage', atHours: 2, forHours: 1 }] }))).toEqual([
      "faults[0].atHours: starts at 2 h, after the run's 2 h are over",
    ]);
  });

  test('only a noisy radio has a noise level', () => {
    expect(fault({ type: 'radio-fault', node: 0, kind: 'deaf', noiseDb: 10, atHours: 0, forHours: 1 })).toEqual([
      'faults[0].noiseDb: only a noisy radio has a noise level, not a deaf one',
    ]);
  });

  test('a collusion ring has two or more different hotspots', () => {
    expect(fault({ type: 'collusion-ring', nodes: ['a'] })).toEqual(['faults[0].nodes: must list at least 2 entries, got 1']);
    expect(fault({ type: 'collusion-ring', nodes: ['a', 0] })).toEqual(['faults[0].nodes[1]: names the same hotspot as faults[0].nodes[0]']);
  });

  test('a location liar gives an offset or a place, and lies once', () => {
    expect(fault({ type: 'location-liar', node: 0 })).toEqual([
      'faults[0]: give either assertedOffsetKm (how far from its true place it claims to be) or assert ({ lat, lon })',
    ]);
    const twice = withNode(0, { assert: { lat: 52, lon: 5 } });
    expect(lines({ ...twice, faults: [{ type: 'location-liar', node: 'a', assertedOffsetKm: 3 }] })).toEqual([
      'faults[0].node: nodes[0] already asserts a location of its own (nodes[0].assert); keep one of the two',
    ]);
  });

  test('a LoRaSim run has nothing to fault', () => {
    const file = { name: 'l', region: 'EU868', lorasim: { experiment: 0, nodes: 10, avgSendMs: 1000, simtimeMs: 60000 }, faults: [{ type: 'ingest-outage', atHours: 0, forHours: 1 }] };
    expect(lines(file)).toEqual(['faults: a LoRaSim run has no hotspots or oracle to fault; leave this out']);
  });
});

describe('oracle overrides', () => {
  test("are checked by the oracle's own oracleConfig, each problem under oracle.", () => {
    expect(lines(listed({ oracle: { maxDistanceKm: -1, maxWitnesPerBeacon: 10 } }))).toEqual([
      'oracle.maxWitnesPerBeacon: not a setting of the oracle',
      'oracle.maxDistanceKm: must be a positive number, got -1',
    ]);
  });
});

test('every problem in a file is reported at once, each on one line with its path', () => {
  const file = {
    name: 'broken',
    region: 'EU868',
    seed: 'seven',
    nodes: [
      { name: 'a', lat: 91, lon: 4.9, board: 'heltec_v9', antennaGainDbi: 2, heightM: 10, colour: 'red' },
      { name: 'a', lat: 52, lon: 4.9, board: 'heltec_v3', antennaGainDbi: 2, heightM: -1 },
    ],
    faults: [{ type: 'power-cut', node: 7, atHours: 1, forHours: 0 }],
  };
  const problems = lines(file);
  expect(problems.map((line) => line.slice(0, line.indexOf(':')))).toEqual([
    'seed', 'nodes[0].colour', 'nodes[0].lat', 'nodes[0].board', 'nodes[1].heightM', 'nodes[1].name', 'faults[0].forHours', 'faults[0].node',
  ]);
  for (const line of problems) expect(line).not.toContain('\n');
});
