/**
 * docs/scenario.schema.json and the scenario validator say the same thing: they agree on every file
 * below, and the schema's lists (regions, boards, models, fault types, oracle settings) are covey's own.
 * Some rules only the validator can check (powers, references, the oracle's values); those files are
 * valid to the schema and not to the validator, and are listed apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { boardIds } from '../../hal/boards/index.js';
import { REGION_IDS } from '../../hal/radio/region-plan.js';
import { ORACLE_DEFAULTS } from '../../tools/oracle/config.js';
import {
  AIR_MODELS, DEFAULT_CAPTURE_DB, DEFAULT_DURATION_HOURS, DEFAULT_NOISY_DB, DEFAULT_SEED, DEFAULT_START_TIME, FAULT_TYPES,
  HATA_ENVIRONMENTS, INGEST_MODES, LAYOUTS, RADIO_FAULT_KINDS, REPLAY_OF, validateScenario,
} from '../../host-sim/scenario/index.js';
import { JsonSchema } from '../support/json-schema-subset.js';

const document = JSON.parse(readFileSync('docs/scenario.schema.json', 'utf8')) as Record<string, unknown>;
const schema = new JsonSchema(document);
const defs = document.$defs as Record<string, Record<string, Record<string, Record<string, unknown>>>>;

const CENTRE = { lat: 52.37, lon: 4.9 };
const NODE = { name: 'a', lat: 52.37, lon: 4.9, board: 'heltec_v3', antennaGainDbi: 2, heightM: 10 };
const NODE_B = { ...NODE, name: 'b', lat: 52.38 };
const LORASIM = { experiment: 0, nodes: 10, avgSendMs: 1000, simtimeMs: 60000 };
const base = { name: 't', region: 'EU868' };
const listed = (more: Record<string, unknown> = {}) => ({ ...base, nodes: [NODE, NODE_B], ...more });
const city = (more: Record<string, unknown> = {}) => ({ ...base, area: { layout: 'city', centre: CENTRE, ...more } });
const faulted = (fault: Record<string, unknown>) => listed({ faults: [fault] });
const examples = readdirSync('host-sim/scenario/examples').map((file): [string, unknown] => [
  `example ${file}`, JSON.parse(readFileSync(`host-sim/scenario/examples/${file}`, 'utf8')),
]);

const good: [string, unknown][] = [
  ...examples,
  ['minimal list', listed()],
  ['minimal city', city()],
  ['grid with spacing', { ...base, area: { layout: 'grid', centre: CENTRE, nodes: 9, spacingM: 200 } }],
  ['lorasim', { ...base, lorasim: LORASIM }],
  ['hata params', listed({ air: { model: 'okumura-hata', params: { environment: 'suburban' } } })],
  ['log-distance params', listed({ air: { model: 'log-distance', params: { exponent: 3, d0M: 1 } } })],
  ['durationMs', listed({ durationMs: 60_000, startTime: '2026-03-01' })],
  ['noisy radio', faulted({ type: 'radio-fault', node: 1, kind: 'noisy', noiseDb: 12, atHours: 0, forHours: 1 })],
  ['liar by offset', faulted({ type: 'location-liar', node: 'b', assertedOffsetKm: 2, bearingDeg: 90 })],
  ['oracle override', listed({ oracle: { maxWitnessesPerBeacon: 10, hexDensityScaling: true } })],
];

const structurallyBad: [string, unknown][] = [
  ['not an object', []],
  ['no name', { region: 'EU868', nodes: [NODE] }],
  ['unknown top-level key', listed({ regoin: 'EU868' })],
  ['unknown region', listed({ region: 'EU686' })],
  ['seed not whole', listed({ seed: 1.5 })],
  ['both durations', listed({ durationHours: 1, durationMs: 1000 })],
  ['zero hours', listed({ durationHours: 0 })],
  ['startTime without zone', listed({ startTime: '2026-01-05T06:00' })],
  ['both area and nodes', { ...listed(), area: { layout: 'city', centre: CENTRE } }],
  ['neither area nor nodes', base],
  ['lorasim with duration', { ...base, durationHours: 2, lorasim: LORASIM }],
  ['lorasim with faults', { ...base, lorasim: LORASIM, faults: [{ type: 'ingest-outage', atHours: 0, forHours: 1 }] }],
  ['lorasim missing field', { ...base, lorasim: { experiment: 0, nodes: 10, avgSendMs: 1000 } }],
  ['lorasim experiment not reproduced', { ...base, lorasim: { ...LORASIM, experiment: 3 } }],
  ['latitude out of range', listed({ nodes: [{ ...NODE, lat: 95 }] })],
  ['unknown node key', listed({ nodes: [{ ...NODE, colour: 'red' }] })],
  ['unknown board', listed({ nodes: [{ ...NODE, board: 'heltec_v9' }] })],
  ['node without height', listed({ nodes: [{ ...NODE, heightM: undefined }] })],
  ['fractional power', listed({ nodes: [{ ...NODE, txPowerDbm: 10.5 }] })],
  ['empty node list', listed({ nodes: [] })],
  ['grid with width', { ...base, area: { layout: 'grid', centre: CENTRE, widthKm: 3 } }],
  ['city with spacing', city({ spacingM: 100 })],
  ['area without centre', { ...base, area: { layout: 'city' } }],
  ['unknown air model', listed({ air: { model: 'friis' } })],
  ['hata param on oulu', listed({ air: { params: { environment: 'urban-small' } } })],
  ['log-distance param on hata', listed({ air: { model: 'okumura-hata', params: { exponent: 3 } } })],
  ['unknown collision model', listed({ air: { collisions: 'some' } })],
  ['unknown ingest', listed({ ingest: 'grpc' })],
  ['unknown oracle setting', listed({ oracle: { maxWitnesPerBeacon: 10 } })],
  ['oracle setting of the wrong type', listed({ oracle: { hexDensityScaling: 'yes' } })],
  ['unknown fault type', faulted({ type: 'power-cuts', node: 0, atHours: 0, forHours: 1 })],
  ['fault key of another type', faulted({ type: 'ingest-outage', node: 0, atHours: 0, forHours: 1 })],
  ['power cut without window', faulted({ type: 'power-cut', node: 0 })],
  ['negative index', faulted({ type: 'forge', node: -1 })],
  ['zero-length fault', faulted({ type: 'ingest-outage', atHours: 0, forHours: 0 })],
  ['unknown radio fault kind', faulted({ type: 'radio-fault', node: 0, kind: 'broken', atHours: 0, forHours: 1 })],
  ['noise on a deaf radio', faulted({ type: 'radio-fault', node: 0, kind: 'deaf', noiseDb: 3, atHours: 0, forHours: 1 })],
  ['replay of what', faulted({ type: 'replay', node: 0, of: 'entropy' })],
  ['ring of one', faulted({ type: 'collusion-ring', nodes: [0] })],
  ['ring naming one twice', faulted({ type: 'collusion-ring', nodes: [0, 0] })],
  ['liar with offset and place', faulted({ type: 'location-liar', node: 0, assertedOffsetKm: 1, assert: CENTRE })],
  ['liar with bearing and no offset', faulted({ type: 'location-liar', node: 0, assert: CENTRE, bearingDeg: 10 })],
];

const onlyTheValidatorCatches: [string, unknown][] = [
  ['power above the region limit', listed({ nodes: [{ ...NODE, txPowerDbm: 28 }] })],
  ['power the chip cannot give', listed({ nodes: [{ ...NODE, board: 'heltec_v2', txPowerDbm: 19 }] })],
  ['duplicate names', listed({ nodes: [NODE, NODE] })],
  ['fault naming no hotspot', faulted({ type: 'forge', node: 'c' })],
  ['fault index past the end', faulted({ type: 'forge', node: 2 })],
  ['ring naming one hotspot by index and name', faulted({ type: 'collusion-ring', nodes: [0, 'a'] })],
  ['fault after the run', listed({ durationHours: 1, faults: [{ type: 'ingest-outage', atHours: 2, forHours: 1 }] })],
  ['no such date', listed({ startTime: '2026-13-01' })],
  ['oracle value out of range', listed({ oracle: { maxDistanceKm: -1 } })],
  ['a node lying twice', listed({ nodes: [{ ...NODE, assert: CENTRE }, NODE_B], faults: [{ type: 'location-liar', node: 0, assertedOffsetKm: 1 }] })],
];

describe('the JSON Schema and the validator agree', () => {
  test.each(good)('%s is valid to both', (_, file) => {
    expect(validateScenario(file)).toEqual([]);
    expect(schema.valid(file)).toBe(true);
  });

  test.each(structurallyBad)('%s is invalid to both', (_, file) => {
    expect(validateScenario(JSON.parse(JSON.stringify(file)))).not.toEqual([]);
    expect(schema.valid(JSON.parse(JSON.stringify(file)))).toBe(false);
  });

  test.each(onlyTheValidatorCatches)('%s passes the schema and is caught by the validator', (_, file) => {
    expect(schema.valid(file)).toBe(true);
    expect(validateScenario(file)).not.toEqual([]);
  });
});

describe("the schema's lists are covey's", () => {
  const enumOf = (node: Record<string, unknown>) => node.enum as unknown[];

  test('regions and boards', () => {
    expect(enumOf((document.properties as Record<string, Record<string, unknown>>).region)).toEqual([...REGION_IDS]);
    expect(enumOf(defs.node.properties.board)).toEqual([...boardIds]);
  });

  test('air models, environments, layouts and ingest modes', () => {
    expect(enumOf(defs.air.properties.model)).toEqual([...AIR_MODELS]);
    expect(enumOf(defs.hataParams.properties.environment)).toEqual([...HATA_ENVIRONMENTS]);
    expect(enumOf(defs.area.properties.layout)).toEqual([...LAYOUTS]);
    expect(enumOf((document.properties as Record<string, Record<string, unknown>>).ingest)).toEqual([...INGEST_MODES]);
  });

  test('fault types and their kinds', () => {
    expect(enumOf(defs.fault.properties.type)).toEqual([...FAULT_TYPES]);
    expect(enumOf(defs.radioFault.properties.kind)).toEqual([...RADIO_FAULT_KINDS]);
    expect(enumOf(defs.replay.properties.of)).toEqual([...REPLAY_OF]);
  });

  test("oracle settings are the oracle's", () => {
    const oracle = (document.properties as Record<string, Record<string, Record<string, unknown>>>).oracle;
    expect(Object.keys(oracle.properties).sort()).toEqual(Object.keys(ORACLE_DEFAULTS).sort());
  });

  test("the defaults it states are the loader's", () => {
    const top = document.properties as Record<string, Record<string, unknown>>;
    expect([top.seed.default, top.durationHours.default, top.startTime.default, top.ingest.default]).toEqual([
      DEFAULT_SEED, DEFAULT_DURATION_HOURS, DEFAULT_START_TIME, INGEST_MODES[0],
    ]);
    expect([defs.air.properties.model.default, defs.air.properties.captureDb.default, defs.air.properties.collisions.default]).toEqual([
      'oulu', DEFAULT_CAPTURE_DB, 'full',
    ]);
    expect([defs.hataParams.properties.environment.default, defs.radioFault.properties.noiseDb.default]).toEqual([
      HATA_ENVIRONMENTS[0], DEFAULT_NOISY_DB,
    ]);
  });
});
