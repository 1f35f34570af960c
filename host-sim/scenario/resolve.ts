/**
 * From a parsed scenario file to a runnable Scenario (scenario.ts): validate it, apply the caller's
 * overrides, fill in every default, place the hotspots and resolve the faults. No file system here:
 * load.ts reads files and hands their contents to `resolveScenario`.
 */
import type { RegionId } from '../../hal/radio/region-plan.js';
import { oracleConfig } from '../../tools/oracle/config.js';
import { Checker, childPath, type ScenarioProblem } from './check.js';
import { ScenarioError } from './errors.js';
import { offset, roundCm, roundE7, toLocal } from './projection.js';
import { layoutNodes, listedNodes, type ResolvedNodes } from './resolve-nodes.js';
import type { AirSettings, Fault, FaultWindow, LoraSimParams, Scenario, ScenarioNode, ScenarioOverrides } from './scenario.js';
import {
  AIR_MODEL_DEFAULTS, DEFAULT_CAPTURE_DB, DEFAULT_DURATION_HOURS, DEFAULT_NOISY_DB, DEFAULT_SEED, DEFAULT_START_TIME,
  MAX_NODES, type AirFile, type FaultFile, type LatLon, type ScenarioFile,
} from './schema.js';
import { nodeIndexOf, type Hotspots } from './validate-faults.js';
import { validateScenario } from './validate.js';

const HOUR_MS = 3_600_000;

function checkOverrides(overrides: ScenarioOverrides): readonly ScenarioProblem[] {
  const check = new Checker();
  if (!check.object(overrides, 'overrides', ['nodes', 'hours', 'seed'])) return check.problems;
  if (overrides.nodes !== undefined) check.number(overrides.nodes, 'overrides.nodes', { integer: true, min: 1, max: MAX_NODES });
  if (overrides.hours !== undefined) check.number(overrides.hours, 'overrides.hours', { min: 0, exclusiveMin: true });
  if (overrides.seed !== undefined) check.number(overrides.seed, 'overrides.seed', { integer: true });
  return check.problems;
}

/**
 * The runnable scenario `input` describes, with `overrides` applied. Throws a ScenarioError listing
 * every problem, each with its JSON path; `source` names the scenario in it.
 */
export function resolveScenario(input: unknown, source: string, overrides: ScenarioOverrides = {}): Scenario {
  const problems = [...validateScenario(input), ...checkOverrides(overrides)];
  if (problems.length > 0) throw new ScenarioError(source, problems);
  const file = input as ScenarioFile;
  const seed = overrides.seed ?? file.seed ?? DEFAULT_SEED;
  const durationMs = durationOf(file, overrides);
  const startMs = Date.parse(file.startTime ?? DEFAULT_START_TIME);
  const placed = placeNodes(file, seed, overrides.nodes);
  const faults = placed === null ? { faults: [], problems: [] } : resolveFaults(file.faults ?? [], placed, durationMs, overrides);
  const later = [...(placed?.problems ?? []), ...faults.problems];
  if (later.length > 0) throw new ScenarioError(source, later);
  return {
    name: file.name,
    description: file.description ?? '',
    source,
    region: file.region,
    seed,
    startTime: new Date(startMs).toISOString(),
    startMs,
    durationMs,
    air: airOf(file.air ?? {}),
    area: placed?.area ?? null,
    nodes: placed?.nodes ?? [],
    lorasim: loraSimOf(file, overrides, durationMs),
    oracle: oracleConfig(file.oracle ?? {}),
    ingest: file.ingest ?? 'http',
    faults: faults.faults,
  };
}

function durationOf(file: ScenarioFile, overrides: ScenarioOverrides): number {
  if (overrides.hours !== undefined) return Math.max(1, Math.round(overrides.hours * HOUR_MS));
  if (file.lorasim !== undefined) return file.lorasim.simtimeMs;
  if (file.durationMs !== undefined) return file.durationMs;
  return Math.round((file.durationHours ?? DEFAULT_DURATION_HOURS) * HOUR_MS);
}

function airOf(air: AirFile): AirSettings {
  const model = air.model ?? 'oulu';
  const defaults = AIR_MODEL_DEFAULTS[model];
  // validate.ts has checked that the params belong to the model.
  return {
    model,
    params: { ...defaults.params, ...air.params },
    shadowingSigmaDb: air.shadowingSigmaDb ?? defaults.shadowingSigmaDb,
    captureDb: air.captureDb ?? DEFAULT_CAPTURE_DB,
    collisions: air.collisions ?? 'full',
    clutterLossDb: air.clutterLossDb ?? 0,
  } as AirSettings;
}

function loraSimOf(file: ScenarioFile, overrides: ScenarioOverrides, durationMs: number): LoraSimParams | null {
  if (file.lorasim === undefined) return null;
  return {
    experiment: file.lorasim.experiment,
    nodes: overrides.nodes ?? file.lorasim.nodes,
    avgSendMs: file.lorasim.avgSendMs,
    simtimeMs: durationMs,
    collisions: file.air?.collisions ?? 'full',
  };
}

/** The hotspots, or null for a LoRaSim run (it has none). */
function placeNodes(file: ScenarioFile, seed: number, nodes: number | undefined): (ResolvedNodes & { hotspots: Hotspots }) | null {
  const region = file.region as RegionId;
  if (file.area !== undefined) {
    const resolved = layoutNodes(file.area, region, seed, nodes);
    return { ...resolved, hotspots: { kind: 'layout', layout: file.area.layout, count: resolved.nodes.length } };
  }
  if (file.nodes === undefined) return null;
  const resolved = listedNodes(file.nodes, region);
  if (nodes !== undefined && nodes !== file.nodes.length) {
    resolved.problems.push({
      path: 'overrides.nodes',
      message: `this scenario lists its ${file.nodes.length} hotspots one by one; only a layout (area) can be given another count`,
    });
  }
  const hotspots: Hotspots = { kind: 'list', names: file.nodes.map((n) => n.name), asserting: new Set() };
  return { ...resolved, hotspots };
}

interface ResolvedFaults {
  readonly faults: Fault[];
  readonly problems: ScenarioProblem[];
}

/** Faults with indices for hotspots and ms for hours; a location liar's claim is written into its node. */
function resolveFaults(
  list: readonly FaultFile[], placed: ResolvedNodes & { hotspots: Hotspots }, durationMs: number, overrides: ScenarioOverrides,
): ResolvedFaults {
  const problems: ScenarioProblem[] = [];
  // The file's references were checked against the file's own hotspots; only overrides.nodes can break one.
  const indexOf = (ref: string | number, path: string): number => {
    const index = nodeIndexOf(ref, placed.hotspots);
    if (typeof index === 'number') return index;
    problems.push({ path, message: `${index} (overrides.nodes asks for ${overrides.nodes})` });
    return -1;
  };
  const faults: Fault[] = [];
  list.forEach((fault, i) => {
    const path = childPath('faults', i);
    const node = (ref: string | number, at = `${path}.node`) => indexOf(ref, at);
    if (fault.type === 'location-liar') {
      faults.push(liarOf(fault, node(fault.node), placed.nodes));
      return;
    }
    // A run shortened by overrides.hours never reaches a fault that starts after it: there is nothing to resolve.
    const when = windowOf(fault, durationMs);
    if (when !== null) faults.push(timedFault(fault, when, node, path));
  });
  return { faults, problems };
}

type TimedFaultFile = Exclude<FaultFile, { type: 'location-liar' }>;

function timedFault(fault: TimedFaultFile, when: FaultWindow, node: (ref: string | number, at?: string) => number, path: string): Fault {
  switch (fault.type) {
    case 'ingest-outage':
      return { type: fault.type, ...when };
    case 'collusion-ring':
      return { type: fault.type, nodes: fault.nodes.map((ref, k) => node(ref, `${path}.nodes[${k}]`)), ...when };
    case 'radio-fault':
      return { type: fault.type, node: node(fault.node), kind: fault.kind, noiseDb: fault.kind === 'noisy' ? fault.noiseDb ?? DEFAULT_NOISY_DB : 0, ...when };
    case 'replay':
      return { type: fault.type, node: node(fault.node), of: fault.of, ...when };
    default:
      return { type: fault.type, node: node(fault.node), ...when };
  }
}

/** The fault's window in ms, clipped to the run; null if it starts after the run is over. */
function windowOf(fault: TimedFaultFile, durationMs: number): FaultWindow | null {
  const atMs = Math.round((fault.atHours ?? 0) * HOUR_MS);
  if (atMs >= durationMs) return null;
  const forMs = fault.forHours === undefined ? durationMs - atMs : Math.round(fault.forHours * HOUR_MS);
  return { atMs, forMs: Math.min(forMs, durationMs - atMs) };
}

function liarOf(fault: Extract<FaultFile, { type: 'location-liar' }>, index: number, nodes: ScenarioNode[]): Fault {
  const node = nodes[index];
  if (node === undefined) return { type: 'location-liar', node: index, asserted: { lat: 0, lon: 0 }, offsetM: 0 };
  const claim: LatLon = fault.assert ?? offset(node, (fault.assertedOffsetKm ?? 0) * 1000, fault.bearingDeg ?? 0);
  const asserted = { lat: roundE7(claim.lat), lon: roundE7(claim.lon) };
  const away = toLocal(node, asserted);
  nodes[index] = { ...node, asserted };
  return { type: 'location-liar', node: index, asserted, offsetM: roundCm(Math.hypot(away.xM, away.yM)) };
}
