/**
 * The hotspots of a resolved scenario: placed by a layout or taken from the file's list, with their
 * positions on the local plane and the power they transmit at.
 */
import type { RegionId } from '../../hal/radio/region-plan.js';
import { childPath, type ScenarioProblem } from './check.js';
import { gridSizeKm, LAYOUT_DEFAULTS, placeLayout, type PlacedNode } from './layouts.js';
import { fromLocal, roundCm, roundE7, toLocal } from './projection.js';
import { txPowerFor } from './radio-limits.js';
import type { ScenarioArea, ScenarioNode } from './scenario.js';
import type { AreaFile, LatLon, NodeFile } from './schema.js';

export interface ResolvedNodes {
  readonly area: ScenarioArea;
  readonly nodes: ScenarioNode[];
  readonly problems: ScenarioProblem[];
}

/** A node at `place`, its metres taken from the rounded degrees so that both say exactly the same. */
function nodeAt(
  index: number, centre: LatLon, place: LatLon, spec: Omit<PlacedNode, 'xM' | 'yM'>, txPowerDbm: number, asserted?: LatLon,
): ScenarioNode {
  const lat = roundE7(place.lat);
  const lon = roundE7(place.lon);
  const local = toLocal(centre, { lat, lon });
  return {
    index,
    name: spec.name,
    lat,
    lon,
    xM: roundCm(local.xM),
    yM: roundCm(local.yM),
    heightM: spec.heightM,
    board: spec.board,
    antennaGainDbi: spec.antennaGainDbi,
    txPowerDbm,
    asserted: asserted === undefined ? { lat, lon } : { lat: roundE7(asserted.lat), lon: roundE7(asserted.lon) },
  };
}

/** The area's size for `nodes` hotspots: as the file says, scaled by √(nodes / the file's count) to keep the density. */
export function areaSize(area: AreaFile, nodes: number | undefined): { nodes: number; widthKm: number; heightKm: number; spacingM?: number } {
  const defaults = LAYOUT_DEFAULTS[area.layout];
  const fileNodes = area.nodes ?? defaults.nodes;
  const count = nodes ?? fileNodes;
  if (area.layout === 'grid') {
    const spacingM = area.spacingM ?? LAYOUT_DEFAULTS.grid.spacingM;
    return { nodes: count, spacingM, ...gridSizeKm(count, spacingM) };
  }
  const base = LAYOUT_DEFAULTS[area.layout];
  const scale = Math.sqrt(count / fileNodes);
  return { nodes: count, widthKm: (area.widthKm ?? base.widthKm) * scale, heightKm: (area.heightKm ?? base.heightKm) * scale };
}

export function layoutNodes(area: AreaFile, region: RegionId, seed: number, nodes: number | undefined): ResolvedNodes {
  const size = areaSize(area, nodes);
  const problems: ScenarioProblem[] = [];
  // A layout draws from a few boards and antennas: work each power out once, not once per hotspot.
  const powers = new Map<string, ReturnType<typeof txPowerFor>>();
  const powerOf = (board: string, gain: number) => {
    const key = `${board} ${gain}`;
    if (!powers.has(key)) powers.set(key, txPowerFor(region, board, gain));
    return powers.get(key)!;
  };
  const placed = placeLayout(area.layout, size, seed).map((spec, index) => {
    const power = powerOf(spec.board, spec.antennaGainDbi);
    if (power.problem !== undefined) problems.push({ path: 'area', message: `${spec.name} (${spec.board}, ${spec.antennaGainDbi} dBi): ${power.problem}` });
    return nodeAt(index, area.centre, fromLocal(area.centre, spec), spec, power.txPowerDbm ?? 0);
  });
  return {
    area: { layout: area.layout, centre: area.centre, widthKm: size.widthKm, heightKm: size.heightKm },
    nodes: placed,
    problems,
  };
}

/** The middle of the listed hotspots' bounding box: the origin of their metres. */
function listCentre(list: readonly NodeFile[]): LatLon {
  const lat = extent(list.map((n) => n.lat));
  const lon = extent(list.map((n) => n.lon));
  return { lat: roundE7((lat.min + lat.max) / 2), lon: roundE7((lon.min + lon.max) / 2) };
}

/** Smallest and largest (a loop: spreading 100,000 arguments into Math.min can overflow the stack). */
function extent(values: readonly number[]): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

export function listedNodes(list: readonly NodeFile[], region: RegionId): ResolvedNodes {
  const centre = listCentre(list);
  const problems: ScenarioProblem[] = [];
  const nodes = list.map((node, index) => {
    const power = txPowerFor(region, node.board, node.antennaGainDbi, node.txPowerDbm);
    if (power.problem !== undefined) problems.push({ path: childPath(childPath('nodes', index), 'txPowerDbm'), message: power.problem });
    return nodeAt(index, centre, node, node, power.txPowerDbm ?? 0, node.assert);
  });
  const x = extent(nodes.map((n) => n.xM));
  const y = extent(nodes.map((n) => n.yM));
  const widthKm = (x.max - x.min) / 1000;
  const heightKm = (y.max - y.min) / 1000;
  return { area: { layout: 'list', centre, widthKm, heightKm }, nodes, problems };
}
