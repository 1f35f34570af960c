/**
 * The `faults` list's checks: each fault's own fields by its type, its time window inside the run, and
 * its hotspot references against the hotspots the scenario has. resolve.ts reuses `nodeIndexOf` so a
 * reference means the same when checked and when resolved.
 */
import { Checker, childPath, describeValue, type Json } from './check.js';
import { layoutNodeName } from './layouts.js';
import { FAULT_TYPES, RADIO_FAULT_KINDS, REPLAY_OF, type FaultType, type Layout } from './schema.js';

/** What the hotspot references of a scenario can point at. */
export type Hotspots =
  | { readonly kind: 'list'; readonly names: readonly (string | undefined)[]; readonly asserting: ReadonlySet<number> }
  | { readonly kind: 'layout'; readonly layout: Layout; readonly count: number }
  | { readonly kind: 'none' };

interface FaultShape {
  readonly keys: readonly string[];
  readonly required: readonly string[];
}

const WINDOW = ['atHours', 'forHours'];
export const FAULT_SHAPES: Readonly<Record<FaultType, FaultShape>> = {
  'power-cut': { keys: ['type', 'node', ...WINDOW], required: ['node', ...WINDOW] },
  'ingest-outage': { keys: ['type', ...WINDOW], required: WINDOW },
  'radio-fault': { keys: ['type', 'node', 'kind', 'noiseDb', ...WINDOW], required: ['node', 'kind', ...WINDOW] },
  replay: { keys: ['type', 'node', 'of', ...WINDOW], required: ['node', 'of'] },
  forge: { keys: ['type', 'node', ...WINDOW], required: ['node'] },
  'collusion-ring': { keys: ['type', 'nodes', ...WINDOW], required: ['nodes'] },
  'location-liar': { keys: ['type', 'node', 'assertedOffsetKm', 'bearingDeg', 'assert'], required: ['node'] },
};

/**
 * The index `ref` points at, or a message saying why it points nowhere. A number is an index; a string
 * is a listed hotspot's name, or a layout's `city-007` (any zero-padding).
 */
export function nodeIndexOf(ref: unknown, hotspots: Hotspots): number | string {
  if (hotspots.kind === 'none') return 'this scenario has no hotspots';
  const count = hotspots.kind === 'list' ? hotspots.names.length : hotspots.count;
  if (typeof ref === 'number') {
    if (Number.isInteger(ref) && ref >= 0 && ref < count) return ref;
    return `there is no hotspot ${describeValue(ref)}: indices run from 0 to ${count - 1}`;
  }
  if (typeof ref !== 'string' || ref === '') return `must be a hotspot's index (a number) or name (text), got ${describeValue(ref)}`;
  if (hotspots.kind === 'list') {
    const index = hotspots.names.indexOf(ref);
    return index >= 0 ? index : `no hotspot is named "${ref}"`;
  }
  const match = new RegExp(`^${hotspots.layout}-(\\d+)$`).exec(ref);
  const index = match === null ? -1 : Number(match[1]);
  if (index >= 0 && index < count) return index;
  const last = layoutNodeName(hotspots.layout, count - 1, count);
  return `no hotspot is named "${ref}": the ${hotspots.layout} layout's ${count} are ${layoutNodeName(hotspots.layout, 0, count)} to ${last}`;
}

/** Checks `faults`; `runHours` is NaN when the run's length is itself wrong. */
export function checkFaults(check: Checker, faults: unknown, hotspots: Hotspots | undefined, runHours: number): void {
  if (!check.list(faults, 'faults')) return;
  if (hotspots?.kind === 'none' && faults.length > 0) {
    check.add('faults', 'a LoRaSim run has no hotspots or oracle to fault; leave this out');
    return;
  }
  const liars = new Map<number, string>();
  faults.forEach((fault, index) => checkFault(check, fault, childPath('faults', index), { hotspots, runHours, liars }));
}

interface FaultContext {
  readonly hotspots: Hotspots | undefined;
  readonly runHours: number;
  /** Hotspots already lying about their location, and where that was said. */
  readonly liars: Map<number, string>;
}

const ANY_FAULT_KEY = new Set(Object.values(FAULT_SHAPES).flatMap((shape) => shape.keys));

function checkFault(check: Checker, value: unknown, path: string, context: FaultContext): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    check.add(path, `must be an object, got ${describeValue(value)}`);
    return;
  }
  const fault = value as Json;
  if (fault.type === undefined) {
    check.add(childPath(path, 'type'), `is required: one of ${FAULT_TYPES.join(', ')}`);
    return;
  }
  if (!check.oneOf(fault.type, childPath(path, 'type'), FAULT_TYPES)) return;
  const shape = FAULT_SHAPES[fault.type];
  // A key another fault type has is a mix-up, not a typo: say which keys this type has.
  const own = Object.fromEntries(Object.entries(fault).filter(([key]) => shape.keys.includes(key) || !ANY_FAULT_KEY.has(key)));
  for (const key of Object.keys(fault)) {
    if (!(key in own)) check.add(childPath(path, key), `${/^[aeiou]/.test(fault.type) ? 'an' : 'a'} ${fault.type} fault has no ${key} (it has: ${shape.keys.join(', ')})`);
  }
  check.object(own, path, shape.keys, shape.required);
  checkWindow(check, own, path, context.runHours);
  const node = own.node === undefined ? undefined : checkRef(check, own.node, childPath(path, 'node'), context.hotspots);
  if (fault.type === 'radio-fault') checkRadioFault(check, own, path);
  if (fault.type === 'replay' && own.of !== undefined) check.oneOf(own.of, childPath(path, 'of'), REPLAY_OF);
  if (fault.type === 'collusion-ring' && own.nodes !== undefined) checkRing(check, own.nodes, childPath(path, 'nodes'), context.hotspots);
  if (fault.type === 'location-liar') checkLiar(check, own, path, node, context);
}

function checkWindow(check: Checker, fault: Json, path: string, runHours: number): void {
  if (fault.atHours !== undefined && check.number(fault.atHours, childPath(path, 'atHours'), { min: 0 }) && fault.atHours >= runHours) {
    check.add(childPath(path, 'atHours'), `starts at ${fault.atHours} h, after the run's ${runHours} h are over`);
  }
  if (fault.forHours !== undefined) check.number(fault.forHours, childPath(path, 'forHours'), { min: 0, exclusiveMin: true });
}

function checkRef(check: Checker, ref: unknown, path: string, hotspots: Hotspots | undefined): number | undefined {
  if (typeof ref !== 'string' && !(typeof ref === 'number' && Number.isInteger(ref) && ref >= 0)) {
    check.add(path, `must be a hotspot's index (a whole number) or name (text), got ${describeValue(ref)}`);
    return undefined;
  }
  if (hotspots === undefined) return undefined;
  const index = nodeIndexOf(ref, hotspots);
  if (typeof index === 'string') check.add(path, index);
  return typeof index === 'number' ? index : undefined;
}

function checkRadioFault(check: Checker, fault: Json, path: string): void {
  const kind = fault.kind !== undefined && check.oneOf(fault.kind, childPath(path, 'kind'), RADIO_FAULT_KINDS) ? fault.kind : undefined;
  if (fault.noiseDb === undefined) return;
  if (kind !== undefined && kind !== 'noisy') check.add(childPath(path, 'noiseDb'), `only a noisy radio has a noise level, not a ${kind} one`);
  else check.number(fault.noiseDb, childPath(path, 'noiseDb'), { min: 0, exclusiveMin: true, max: 100 });
}

function checkRing(check: Checker, nodes: unknown, path: string, hotspots: Hotspots | undefined): void {
  if (!check.list(nodes, path, 2)) return;
  const seen = new Map<number, number>();
  nodes.forEach((ref, i) => {
    const index = checkRef(check, ref, childPath(path, i), hotspots);
    if (index === undefined) return;
    const first = seen.get(index);
    if (first !== undefined) check.add(childPath(path, i), `names the same hotspot as ${path}[${first}]`);
    else seen.set(index, i);
  });
}

function checkLiar(check: Checker, fault: Json, path: string, node: number | undefined, context: FaultContext): void {
  const hasOffset = fault.assertedOffsetKm !== undefined;
  if (hasOffset === (fault.assert !== undefined)) {
    check.add(path, 'give either assertedOffsetKm (how far from its true place it claims to be) or assert ({ lat, lon })');
  }
  if (hasOffset) check.number(fault.assertedOffsetKm, childPath(path, 'assertedOffsetKm'), { min: 0, exclusiveMin: true, max: 20_000 });
  if (fault.assert !== undefined) check.latLon(fault.assert, childPath(path, 'assert'));
  if (fault.bearingDeg !== undefined) {
    if (!hasOffset) check.add(childPath(path, 'bearingDeg'), 'goes with assertedOffsetKm');
    else check.number(fault.bearingDeg, childPath(path, 'bearingDeg'), { min: 0, max: 360 });
  }
  if (node === undefined) return;
  const hotspots = context.hotspots;
  if (hotspots?.kind === 'list' && hotspots.asserting.has(node)) {
    check.add(childPath(path, 'node'), `nodes[${node}] already asserts a location of its own (nodes[${node}].assert); keep one of the two`);
  }
  const earlier = context.liars.get(node);
  if (earlier !== undefined) check.add(childPath(path, 'node'), `hotspot ${node} already lies about its location in ${earlier}`);
  else context.liars.set(node, path);
}
