/**
 * Every fault a scenario can inject, played in one run of host-sim/scenario/examples/faults.json (a town
 * of 21 hotspots for 8 hours with one fault of each kind), and what the report says of each: the power
 * cut and the outage lose nothing, the radio faults silence what they should, and the cheats reach the
 * oracle, which catches what its checks can.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultResult, SimResult } from '../../host-sim/report/model.js';
import { loadScenario } from '../../host-sim/scenario/index.js';
import { runSimulation } from '../../host-sim/sim/run.js';

let dir: string;
let result: SimResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'covey-sim-faults-'));
  const scenario = loadScenario(new URL('../../host-sim/scenario/examples/faults.json', import.meta.url).pathname);
  result = (await runSimulation({ ...scenario, ingest: 'in-process' }, { outDir: dir })).result;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const node = (name: string) => {
  const found = result.perNode.find((n) => n.name === name);
  if (found === undefined) throw new Error(`no node ${name}`);
  return found;
};
const fault = (kind: string, predicate: (f: FaultResult) => boolean = () => true) => {
  const found = result.faults.find((f) => f.kind === kind && predicate(f));
  if (found === undefined) throw new Error(`no ${kind} fault in the report`);
  return found;
};
const total = (f: FaultResult) => Object.values(f.caught).reduce((a, b) => a + b, 0) + f.passed;

test('the report lists every injected fault, with the nodes it touches and one sentence of outcome', () => {
  expect(result.faults.map((f) => f.kind).sort()).toEqual([
    'collusion-ring', 'forge', 'ingest-outage', 'location-liar', 'power-cut', 'radio-fault', 'radio-fault', 'radio-fault', 'replay', 'replay',
  ]);
  for (const f of result.faults) expect(f.outcome).toMatch(/\.$/);
  expect(node('ring-a').faults).toContain('collusion-ring');
});

test('power cut and ingest outage: the hotspots keep their receipts and upload every one afterwards', () => {
  expect(node('honest-03').faults).toContain('power-cut');
  expect(result.receipts.queued).toBe(0);
  expect(result.receipts.uploaded).toBe(result.receipts.created);
  expect(fault('ingest-outage').outcome).toMatch(/no request reaches the oracle for 30 min: \d+ beacons? not sent for want of fresh entropy/);
});

test('a deaf radio hears nothing and a mute one is heard by nobody while the fault lasts', () => {
  const deaf = fault('radio-fault', (f) => f.description.includes('deaf'));
  const mute = fault('radio-fault', (f) => f.description.includes('mute'));
  expect(deaf.nodes).toEqual([node('honest-05').index]);
  expect(mute.nodes).toEqual([node('honest-06').index]);
  // Items the deaf node made while deaf: none of them are witnesses (it heard nothing to witness).
  expect(total(deaf)).toBeLessThanOrEqual(node('honest-05').beaconsSent);
});

test('replayed beacons reach the oracle as witnesses of the original beacon; replayed uploads store nothing new', () => {
  const relay = fault('replay', (f) => f.description.includes('re-transmits'));
  expect(total(relay)).toBeGreaterThan(0);
  const uploads = fault('replay', (f) => f.description.includes('uploads every batch again'));
  expect(uploads.caught.duplicate_upload).toBeGreaterThan(0);
  expect(uploads.outcome).toMatch(/duplicates/);
});

test('made-up receipts reach the oracle, and the report says how many it caught and how many passed', () => {
  for (const kind of ['forge', 'collusion-ring']) {
    const f = fault(kind);
    expect(total(f)).toBeGreaterThan(0);
    expect(f.outcome).toMatch(/made-up receipts? reached the oracle/);
  }
});

test('a hotspot that asserts a false place has items judged against it', () => {
  const liar = fault('location-liar');
  expect(total(liar)).toBeGreaterThan(0);
  expect(liar.description).toMatch(/asserts a place/);
});
