/**
 * Checks a parsed scenario file against schema.ts and reports every problem at once, each with the JSON
 * path it is at and one line saying what to change: types and ranges, unknown keys (with a guess at the
 * key meant), regions and boards covey knows, transmit powers the region and the chip allow, unique
 * hotspot names, fault references to hotspots that exist, and the oracle settings (checked by the
 * oracle's own oracleConfig). docs/scenario.schema.json states the same shape for editors; what JSON
 * Schema cannot say (the powers, the references, the oracle's values) only this checks.
 */
import { boardIds } from '../../hal/boards/index.js';
import { REGION_IDS } from '../../hal/radio/region-plan.js';
import { oracleConfig, OracleConfigError } from '../../tools/oracle/config.js';
import { Checker, childPath, type Json, type ScenarioProblem } from './check.js';
import { LAYOUT_DEFAULTS } from './layouts.js';
import { txPowerFor } from './radio-limits.js';
import {
  AIR_MODELS, COLLISION_MODELS, DEFAULT_DURATION_HOURS, HATA_ENVIRONMENTS, INGEST_MODES, LAYOUTS, MAX_NODES,
  NAME_PATTERN, START_TIME_PATTERN,
} from './schema.js';
import { checkFaults, type Hotspots } from './validate-faults.js';

const TOP_KEYS = [
  '$schema', 'name', 'description', 'region', 'seed', 'durationHours', 'durationMs', 'startTime', 'air', 'area',
  'nodes', 'lorasim', 'oracle', 'ingest', 'faults',
];
const NODE_KEYS = ['name', 'lat', 'lon', 'board', 'antennaGainDbi', 'heightM', 'txPowerDbm', 'assert'];
const NODE_REQUIRED = ['name', 'lat', 'lon', 'board', 'antennaGainDbi', 'heightM'];
const NAME_RULE = 'a name of letters, digits, ".", "_" and "-" (at most 64, starting with a letter or digit)';
const NODES_RULE = { integer: true, min: 1, max: MAX_NODES };

/** Every problem with `input` as a scenario file; an empty list means it is valid. */
export function validateScenario(input: unknown): readonly ScenarioProblem[] {
  const check = new Checker();
  if (!check.object(input, '', TOP_KEYS, ['name', 'region'])) return check.problems;
  if (input.$schema !== undefined) check.string(input.$schema, '$schema');
  if (input.name !== undefined) check.string(input.name, 'name', NAME_PATTERN, NAME_RULE);
  if (input.description !== undefined) check.string(input.description, 'description');
  const region = input.region === undefined ? undefined : check.oneOf(input.region, 'region', REGION_IDS) ? input.region : undefined;
  if (input.seed !== undefined) check.number(input.seed, 'seed', { integer: true });
  if (input.startTime !== undefined) checkStartTime(check, input.startTime);
  if (input.ingest !== undefined) check.oneOf(input.ingest, 'ingest', INGEST_MODES);
  const hours = checkDuration(check, input);
  if (input.air !== undefined) checkAir(check, input.air);
  if (input.oracle !== undefined) checkOracle(check, input.oracle);
  const hotspots = checkPlacement(check, input, region);
  if (input.faults !== undefined) checkFaults(check, input.faults, hotspots, hours);
  return check.problems;
}

function checkStartTime(check: Checker, value: unknown): void {
  const what = 'an ISO 8601 date ("2026-01-05") or date and time with a zone ("2026-01-05T06:00:00Z")';
  if (check.string(value, 'startTime', START_TIME_PATTERN, what) && Number.isNaN(Date.parse(value))) {
    check.add('startTime', `is not a real date: ${value}`);
  }
}

/** The run's length in hours as the file sets it, for checking fault times; NaN when it is unusable. */
function checkDuration(check: Checker, input: Json): number {
  if (input.durationHours !== undefined && input.durationMs !== undefined) {
    check.add('durationMs', 'give durationHours or durationMs, not both');
    return Number.NaN;
  }
  if (input.lorasim !== undefined && (input.durationHours !== undefined || input.durationMs !== undefined)) {
    check.add(input.durationHours !== undefined ? 'durationHours' : 'durationMs', 'a LoRaSim run lasts lorasim.simtimeMs; leave this out');
    return Number.NaN;
  }
  if (input.durationHours !== undefined) {
    return check.number(input.durationHours, 'durationHours', { min: 0, exclusiveMin: true }) ? input.durationHours : Number.NaN;
  }
  if (input.durationMs !== undefined) {
    return check.number(input.durationMs, 'durationMs', { integer: true, min: 1 }) ? input.durationMs / 3_600_000 : Number.NaN;
  }
  return DEFAULT_DURATION_HOURS;
}

function checkAir(check: Checker, air: unknown): void {
  if (!check.object(air, 'air', ['model', 'params', 'shadowingSigmaDb', 'captureDb', 'collisions', 'clutterLossDb'])) return;
  const model = air.model === undefined ? 'oulu' : check.oneOf(air.model, 'air.model', AIR_MODELS) ? air.model : undefined;
  if (air.params !== undefined && model === 'okumura-hata') {
    if (check.object(air.params, 'air.params', ['environment']) && air.params.environment !== undefined) {
      check.oneOf(air.params.environment, 'air.params.environment', HATA_ENVIRONMENTS);
    }
  } else if (air.params !== undefined && model !== undefined) {
    if (check.object(air.params, 'air.params', ['d0M', 'pl0Db', 'exponent'])) {
      const p = air.params;
      if (p.d0M !== undefined) check.number(p.d0M, 'air.params.d0M', { min: 0, exclusiveMin: true, max: 100_000 });
      if (p.pl0Db !== undefined) check.number(p.pl0Db, 'air.params.pl0Db', { min: 0, max: 300 });
      if (p.exponent !== undefined) check.number(p.exponent, 'air.params.exponent', { min: 0, exclusiveMin: true, max: 10 });
    }
  }
  if (air.shadowingSigmaDb !== undefined) check.number(air.shadowingSigmaDb, 'air.shadowingSigmaDb', { min: 0, max: 30 });
  if (air.captureDb !== undefined) check.number(air.captureDb, 'air.captureDb', { min: 0, max: 30 });
  if (air.clutterLossDb !== undefined) check.number(air.clutterLossDb, 'air.clutterLossDb', { min: 0, max: 80 });
  if (air.collisions !== undefined) check.oneOf(air.collisions, 'air.collisions', COLLISION_MODELS);
}

function checkOracle(check: Checker, oracle: unknown): void {
  if (oracle === null || typeof oracle !== 'object' || Array.isArray(oracle)) {
    check.add('oracle', 'must be an object of oracle settings (docs/oracle.md)');
    return;
  }
  try {
    oracleConfig(oracle as Json);
  } catch (error) {
    if (!(error instanceof OracleConfigError)) throw error;
    for (const line of error.problems) {
      const colon = line.indexOf(': ');
      check.add(childPath('oracle', line.slice(0, colon)), line.slice(colon + 2));
    }
  }
}

/** Checks `area`, `nodes` or `lorasim`, whichever the file has (exactly one), and says what hotspots there are. */
function checkPlacement(check: Checker, input: Json, region: string | undefined): Hotspots | undefined {
  const given = (['area', 'nodes', 'lorasim'] as const).filter((key) => input[key] !== undefined);
  if (given.length === 0) {
    check.add('', 'needs one of area (a built-in layout), nodes (a list of hotspots) or lorasim');
    return undefined;
  }
  if (given.length > 1) {
    check.add(given[1], `give one of area, nodes and lorasim, not ${given.join(' and ')}`);
    return undefined;
  }
  if (given[0] === 'area') return checkArea(check, input.area);
  if (given[0] === 'lorasim') {
    checkLoraSim(check, input.lorasim);
    return { kind: 'none' };
  }
  return checkNodes(check, input.nodes, region);
}

function checkArea(check: Checker, area: unknown): Hotspots | undefined {
  if (!check.object(area, 'area', ['layout', 'centre', 'widthKm', 'heightKm', 'nodes', 'spacingM'], ['layout', 'centre'])) return undefined;
  const layout = area.layout === undefined ? undefined : check.oneOf(area.layout, 'area.layout', LAYOUTS) ? area.layout : undefined;
  if (area.centre !== undefined) check.latLon(area.centre, 'area.centre');
  for (const key of ['widthKm', 'heightKm'] as const) {
    if (area[key] === undefined) continue;
    if (layout === 'grid') check.add(`area.${key}`, 'a grid is sized by nodes and spacingM; leave this out');
    else check.number(area[key], `area.${key}`, { min: 0, exclusiveMin: true, max: 1000 });
  }
  if (area.spacingM !== undefined) {
    if (layout !== undefined && layout !== 'grid') check.add('area.spacingM', `only a grid has a spacing; the ${layout} layout spreads its hotspots itself`);
    else check.number(area.spacingM, 'area.spacingM', { min: 0, exclusiveMin: true, max: 100_000 });
  }
  const nodes = area.nodes === undefined ? (layout === undefined ? undefined : LAYOUT_DEFAULTS[layout].nodes) : area.nodes;
  if (area.nodes !== undefined && !check.number(area.nodes, 'area.nodes', NODES_RULE)) return undefined;
  return layout === undefined || nodes === undefined ? undefined : { kind: 'layout', layout, count: nodes as number };
}

/** The loraDir.py experiments host-sim/lorasim/ reproduces. */
const LORASIM_EXPERIMENTS: readonly number[] = [0, 1, 4];

function checkLoraSim(check: Checker, lorasim: unknown): void {
  if (!check.object(lorasim, 'lorasim', ['experiment', 'nodes', 'avgSendMs', 'simtimeMs'], ['experiment', 'nodes', 'avgSendMs', 'simtimeMs'])) return;
  if (lorasim.experiment !== undefined && check.number(lorasim.experiment, 'lorasim.experiment', { integer: true, min: 0, max: 5 }) &&
    !LORASIM_EXPERIMENTS.includes(lorasim.experiment)) {
    check.add('lorasim.experiment', `LoRaSim's experiment ${lorasim.experiment} is not reproduced; use ${LORASIM_EXPERIMENTS.join(', ')}`);
  }
  if (lorasim.nodes !== undefined) check.number(lorasim.nodes, 'lorasim.nodes', NODES_RULE);
  if (lorasim.avgSendMs !== undefined) check.number(lorasim.avgSendMs, 'lorasim.avgSendMs', { min: 0, exclusiveMin: true });
  if (lorasim.simtimeMs !== undefined) check.number(lorasim.simtimeMs, 'lorasim.simtimeMs', { integer: true, min: 1 });
}

function checkNodes(check: Checker, nodes: unknown, region: string | undefined): Hotspots | undefined {
  if (!check.list(nodes, 'nodes', 1)) return undefined;
  if (nodes.length > MAX_NODES) check.add('nodes', `lists ${nodes.length} hotspots; at most ${MAX_NODES}`);
  const names: (string | undefined)[] = [];
  const asserting = new Set<number>();
  nodes.forEach((node, index) => {
    const path = childPath('nodes', index);
    names.push(checkNode(check, node, path, region));
    if (node !== null && typeof node === 'object' && (node as Json).assert !== undefined) asserting.add(index);
  });
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    if (name === undefined) return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, index);
    else check.add(childPath(childPath('nodes', index), 'name'), `"${name}" is already the name of nodes[${first}]`);
  });
  return { kind: 'list', names, asserting };
}

/** Checks one listed hotspot; returns its name if that is usable. */
function checkNode(check: Checker, node: unknown, path: string, region: string | undefined): string | undefined {
  if (!check.object(node, path, NODE_KEYS, NODE_REQUIRED)) return undefined;
  const at = (key: string) => childPath(path, key);
  const name = node.name !== undefined && check.string(node.name, at('name'), NAME_PATTERN, NAME_RULE) ? node.name : undefined;
  if (node.lat !== undefined) check.number(node.lat, at('lat'), { min: -90, max: 90 });
  if (node.lon !== undefined) check.number(node.lon, at('lon'), { min: -180, max: 180 });
  if (node.heightM !== undefined) check.number(node.heightM, at('heightM'), { min: 0, max: 1000 });
  const board = node.board !== undefined && check.oneOf(node.board, at('board'), boardIds) ? node.board : undefined;
  const gainOk = node.antennaGainDbi !== undefined && check.number(node.antennaGainDbi, at('antennaGainDbi'), { min: -10, max: 30 });
  const txOk = node.txPowerDbm === undefined || check.number(node.txPowerDbm, at('txPowerDbm'), { integer: true, min: -9 });
  if (node.assert !== undefined) check.latLon(node.assert, at('assert'));
  if (region !== undefined && board !== undefined && gainOk && txOk) {
    const result = txPowerFor(region, board, node.antennaGainDbi as number, node.txPowerDbm as number | undefined);
    if (result.problem !== undefined) check.add(at(node.txPowerDbm === undefined ? 'board' : 'txPowerDbm'), result.problem);
  }
  return name;
}
