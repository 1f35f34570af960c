/**
 * The simulator's world once the day is over: retiring the hotspots keeps each boot's key and last
 * counters for the report and lets go of the firmware, the emulated radios and the flash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveScenario } from '../../host-sim/scenario/index.js';
import { driveClock } from '../../host-sim/sim/driver.js';
import { SimWorld } from '../../host-sim/sim/world.js';
import { signal } from '../support/air-stations.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-world-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('retired hotspots keep their keys and counters, leave the air, and cannot be powered on again', async () => {
  const scenario = resolveScenario({
    name: 'retire', region: 'EU868', seed: 5, durationHours: 2, startTime: '2026-02-02T00:00:00Z',
    air: { model: 'oulu', shadowingSigmaDb: 7.8, clutterLossDb: 30 },
    area: { layout: 'grid', centre: { lat: 52.1, lon: 5.1 }, nodes: 4, spacingM: 600 },
    ingest: 'in-process',
  }, 'test');
  const world = await SimWorld.create({ scenario, outDir: dir, onHearing: () => undefined });
  try {
    world.start();
    await driveClock(world.clock, scenario.durationMs, { inFlight: world.inFlight });
    world.stopHotspots();
    const statuses = () => world.nodes.map((node) => node.boots.map((boot) => boot.status()));
    const keys = world.nodes.map((node) => node.boots.map((boot) => boot.publicKey));
    const stopped = statuses();
    expect(stopped.flat().reduce((n, s) => n + s.receipts.queued, 0)).toBeGreaterThan(0);

    world.retireHotspots();
    expect(statuses()).toEqual(stopped);
    expect(world.nodes.map((node) => node.boots.map((boot) => boot.publicKey))).toEqual(keys);
    for (const node of world.nodes) {
      expect(node.board).toBeUndefined();
      expect(() => world.air.stationStats(node.spec.name)).not.toThrow();
      expect(() => world.air.horizonM(node.spec.name, signal())).toThrow(/no attached station/);
    }

    world.powerOn(world.nodes[0]);
    expect(world.nodes[0].hotspot).toBeUndefined();
    expect(world.nodes[0].boots).toHaveLength(1);
    await driveClock(world.clock, scenario.durationMs + 3_600_000, { inFlight: world.inFlight });
    expect(statuses()).toEqual(stopped);
  } finally {
    await world.close();
  }
}, 60_000);
