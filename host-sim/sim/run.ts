/**
 * One simulator run, start to report: build the world, boot the hotspots, play the scenario's hours on
 * the virtual clock with its faults, then keep the oracle running alone until every item has its
 * verdict and the run's reward epochs are closed, and read back what happened (results.ts).
 */
import { readFileSync } from 'node:fs';
import { runLorasim } from '../lorasim/lorasim.js';
import type { RunInfo, SimReport, SimResult } from '../report/model.js';
import type { Scenario } from '../scenario/index.js';
import { driveClock } from './driver.js';
import { scheduleFaults } from './faults.js';
import { Observer } from './observe.js';
import { buildResult } from './results.js';
import { SimWorld } from './world.js';
import { walkResult } from '../walk/walk-result.js';
import type { WalkSettings } from '../walk/walker.js';

export interface RunOptions {
  /** Where the oracle's database goes. */
  readonly outDir: string;
  /** A coverage walk to replay beside the hotspots. */
  readonly walk?: WalkSettings;
  /** Told the fraction of simulated time done, 0 to 1, now and then. */
  readonly onProgress?: (fraction: number) => void;
}

const DAY_MS = 86_400_000;

export async function runSimulation(scenario: Scenario, options: RunOptions): Promise<SimReport> {
  const started = { wallMs: performance.now(), cpu: process.cpuUsage() };
  if (scenario.lorasim !== null) return lorasimReport(scenario, started);
  const observer = new Observer(scenario.nodes.length, scenario.startMs, scenario.durationMs / 3_600_000);
  const world = await SimWorld.create({
    scenario, outDir: options.outDir, walk: options.walk, onHearing: (hearing) => observer.heard(hearing),
  });
  try {
    world.tapped.onTransmit = (_from, signal) => observer.transmitted(signal, scenario.startMs + world.clock.now());
    const faults = scheduleFaults(world, observer);
    world.start();
    const progress = options.onProgress;
    await driveClock(world.clock, scenario.durationMs, {
      inFlight: world.inFlight,
      onProgress: progress && ((nowMs) => progress(Math.min(1, nowMs / scenario.durationMs))),
    });
    // The air's lists first, while every station is on it; then the hotspots leave it.
    world.air.forgetLinks();
    world.retireHotspots();
    await world.takeOverOracle();
    await driveClock(world.clock, settleUntilMs(scenario), { inFlight: world.inFlight });
    const walk = await walkResult(world);
    // buildResult reads the database on a connection of its own. The oracle is closed first: on its own
    // thread (in-process ingest) that ends the thread and frees its memory before the report takes more.
    await world.closeOracle();
    const result = buildResult(world, observer, faults);
    return { result: walk === undefined ? result : { ...result, walk }, run: runInfo(scenario, started, world.clock.fired) };
  } finally {
    await world.close();
  }
}

/**
 * After the last hotspot stops: every group judged (the longest wait is unknownBeaconAfterMs), and every
 * reward epoch the run touched closed (its end plus that wait and the witness lag), plus a verifier run.
 */
function settleUntilMs(scenario: Scenario): number {
  const { unknownBeaconAfterMs, maxWitnessLagMs, verifyEveryMs, rewardEpochMs } = scenario.oracle;
  const endWallMs = scenario.startMs + scenario.durationMs;
  const lastEpochEnd = Math.ceil(endWallMs / rewardEpochMs) * rewardEpochMs;
  const settleWall = Math.max(endWallMs, lastEpochEnd) + unknownBeaconAfterMs + maxWitnessLagMs + 2 * verifyEveryMs;
  return Math.min(settleWall - scenario.startMs, scenario.durationMs + 2 * DAY_MS);
}

function lorasimReport(scenario: Scenario, started: Started): SimReport {
  const params = scenario.lorasim!;
  const run = runLorasim({
    experiment: params.experiment, nodes: params.nodes, avgSendMs: params.avgSendMs, simtimeMs: params.simtimeMs,
    seed: scenario.seed, collisions: params.collisions,
  });
  const result: SimResult = {
    scenario: scenario.name, seed: scenario.seed, region: scenario.region, startTime: scenario.startTime,
    simulatedHours: Number((params.simtimeMs / 3_600_000).toFixed(3)), nodes: 0,
    beacons: { sent: 0, heard: 0, receptions: 0 },
    receipts: { created: 0, uploaded: 0, queued: 0 },
    verdicts: { beacons: { valid: 0, pending: 0, invalid: {} }, witnesses: { valid: 0, pending: 0, invalid: {} } },
    airtime: { totalMs: Number((run.sent * run.airtimeMs).toFixed(3)), perNodeMs: [], dutyCycle: [] },
    perNode: [], links: [], hourly: { beacons: [], receipts: [] },
    rssiHistogram: { from: -150, binWidth: 2, counts: [] }, snrHistogram: { from: -30, binWidth: 1, counts: [] },
    faults: [],
    air: { transmissions: run.sent, delivered: run.received, belowSensitivity: run.lost, collided: run.collided, halfDuplex: 0 },
    der: {
      experiment: params.experiment, nodes: params.nodes, avgSendMs: params.avgSendMs, simtimeMs: params.simtimeMs,
      sent: run.sent, received: run.received, collided: run.collided, lost: run.lost, der: Number(run.der.toFixed(4)),
    },
  };
  return { result, run: runInfo(scenario, started, run.events) };
}

/** When a run began, by the wall clock and by the process's processor time. */
interface Started {
  readonly wallMs: number;
  readonly cpu: NodeJS.CpuUsage;
}

function runInfo(scenario: Scenario, started: Started, events: number): RunInfo {
  const cpu = process.cpuUsage(started.cpu);
  return {
    version: packageVersion(), node: process.version, wallSeconds: Number(((performance.now() - started.wallMs) / 1000).toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), events, ingest: scenario.lorasim === null ? scenario.ingest : 'none',
    finishedAt: new Date().toISOString(),
  };
}

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
