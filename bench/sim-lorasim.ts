/**
 * LoRaSim's experiments 0 (SF12, CR 4/8) and 4 (SF12, CR 4/5) on covey's air (host-sim/lorasim/), at 100,
 * 500, 1000 and 2000 nodes, with the parameters LoRaSim's own runs use: avgSendMs = 10⁶ (one packet
 * every 16.7 minutes per node) and simtimeMs = 10⁸ (27.8 hours), the full collision model, seed 1.
 * For each: the data extraction rate (the same on every run for one seed) and the wall time in seconds,
 * the best of nine runs after one warm-up run, since other work on the machine only ever adds to it.
 * To compare with LoRaSim: `python loraDir.py <nodes> 1000000 <0|4> 100000000 1` (docs/simulator.md).
 */
import { runLorasim } from '../host-sim/lorasim/lorasim.js';

const EXPERIMENTS = [0, 4] as const;
const NODES = [100, 500, 1000, 2000] as const;
const AVG_SEND_MS = 1e6;
const SIMTIME_MS = 1e8;
const SEED = 1;
const RUNS = 9;

export async function runLorasimBench(): Promise<Record<string, number>> {
  runLorasim({ experiment: 0, nodes: 500, avgSendMs: AVG_SEND_MS, simtimeMs: SIMTIME_MS, seed: SEED });
  const figures: Record<string, number> = {};
  for (const experiment of EXPERIMENTS) {
    for (const nodes of NODES) {
      let bestMs = Infinity;
      let der = 0;
      for (let run = 0; run < RUNS; run++) {
        const result = runLorasim({ experiment, nodes, avgSendMs: AVG_SEND_MS, simtimeMs: SIMTIME_MS, seed: SEED });
        bestMs = Math.min(bestMs, result.wallMs);
        der = result.der;
      }
      figures[`lorasimExp${experiment}Nodes${nodes}Der`] = Number(der.toFixed(4));
      figures[`lorasimExp${experiment}Nodes${nodes}WallS`] = Number((bestMs / 1000).toFixed(3));
    }
  }
  return figures;
}
