/**
 * `npm run bench -- sim`: the simulator's cost.
 *
 * - simHotspots<N>WallS, …PeakRssMb, …Events: the city's density (4 hotspots per km²) at 100, 1,000 and
 *   10,000 hotspots for 24 simulated hours, with in-process ingest, each in a process of its own (so
 *   that each peak memory is its own): wall seconds of the run, peak resident memory, events the
 *   virtual clock fired. The wall time and events come from the run's own report (`run`), which times
 *   the run itself, not the loading of the program. The peak memory is the whole process's, up to its
 *   exit (peak-rss.mjs): the report's `run.peakRssMb` is read before the report is written, and writing
 *   a day of 10,000 hotspots' report takes memory too.
 * - simCostPerHotspotRatio: (wall per hotspot at 10,000) / (wall per hotspot at 100); about 1 means cost
 *   grows linearly with the hotspots. simCostPerHotspotRatioFrom1000: the same from 1,000, where the
 *   run's fixed costs (starting the oracle's database thread, loading modules) weigh less.
 * - simHeapLimitMb: the V8 heap limit each run is given (--max-old-space-size). Without one, V8 on a
 *   machine with this much memory let the heap of a day of 10,000 hotspots grow to 2.1 GB around about
 *   1.1 GB of live objects (2.8 GB resident); with it the run stays under 2 GB resident.
 * - simSemiSpaceMb: the young generation's semi-space each run is given (--max-semi-space-size). V8's
 *   default, 16 MB, scavenges a day of 10,000 hotspots about 2,500 times at about 6.6 ms each (most of
 *   the cost is what survives, which grows little with the space); 32 MB halves the count for about
 *   60 MiB more at the peak (docs/simulator.md, Speed).
 * - simV8PoolSize: V8's background threads each run is given (--v8-pool-size; Node's default is 4).
 *   They do the collector's parallel and concurrent work; on this 2-core machine four of them, beside
 *   the main thread and the oracle's database thread, kept taking the cores from the main thread, which
 *   the day's wall time waits on (docs/simulator.md, Speed).
 * - lorasimExp{0,4}Nodes{100,500,1000,2000}{Der,WallS}: LoRaSim's experiments on covey's air
 *   (sim-lorasim.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimReport } from '../host-sim/report/model.js';
import { runLorasimBench } from './sim-lorasim.js';

const HOTSPOTS = [100, 1_000, 10_000] as const;
const HEAP_LIMIT_MB = 1536;
const SEMI_SPACE_MB = 32;
const V8_POOL_SIZE = 1;
const CLI = fileURLToPath(new URL('../bin/covey.js', import.meta.url));

const PEAK_RSS = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));

/** One run's report, and its process's peak resident memory, MiB. */
function simulate(nodes: number, dir: string): Promise<{ report: SimReport; peakRssMb: number }> {
  const json = join(dir, `sim-${nodes}.json`);
  const peakFile = join(dir, `sim-${nodes}.peak`);
  const args = [
    `--max-old-space-size=${HEAP_LIMIT_MB}`, `--max-semi-space-size=${SEMI_SPACE_MB}`, `--v8-pool-size=${V8_POOL_SIZE}`, '--import', PEAK_RSS,
    CLI, 'sim', '--nodes', String(nodes), '--hours', '24', '--ingest', 'in-process', '--out', dir, '--json', json, '-q',
  ];
  const env = { ...process.env, COVEY_PEAK_RSS_FILE: peakFile };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024, env }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`covey sim --nodes ${nodes} failed: ${stderr.trim() || error.message}`));
      else resolve({ report: JSON.parse(readFileSync(json, 'utf8')) as SimReport, peakRssMb: Number(readFileSync(peakFile, 'utf8')) });
    });
  });
}

export async function runSimBench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'covey-bench-sim-'));
  const figures: Record<string, number> = {};
  try {
    const wallPerHotspot: number[] = [];
    for (const nodes of HOTSPOTS) {
      const { report: { result, run }, peakRssMb } = await simulate(nodes, dir);
      figures[`simHotspots${nodes}WallS`] = run.wallSeconds;
      figures[`simHotspots${nodes}CpuS`] = run.cpuSeconds;
      figures[`simHotspots${nodes}PeakRssMb`] = peakRssMb;
      figures[`simHotspots${nodes}Events`] = run.events;
      figures[`simHotspots${nodes}Receipts`] = result.receipts.created;
      wallPerHotspot.push(run.wallSeconds / nodes);
    }
    const last = wallPerHotspot[wallPerHotspot.length - 1];
    figures.simCostPerHotspotRatio = Number((last / wallPerHotspot[0]).toFixed(2));
    figures.simCostPerHotspotRatioFrom1000 = Number((last / wallPerHotspot[1]).toFixed(2));
    figures.simHeapLimitMb = HEAP_LIMIT_MB;
    figures.simSemiSpaceMb = SEMI_SPACE_MB;
    figures.simV8PoolSize = V8_POOL_SIZE;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ...figures, ...(await runLorasimBench()) };
}
