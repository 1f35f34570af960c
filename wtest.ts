import { Worker } from 'node:worker_threads';
import { pocTraffic, syntheticNetwork } from './bench/oracle-data.js';
const traffic = pocTraffic(syntheticNetwork(200, 'verify'), { beacons: 2000, witnessesPerBeacon: 10, startMs: Date.UTC(2026, 10, 1), roundBeacons: 200 });
const url = new URL('./tools/oracle/prepare-worker-tsx.mjs', import.meta.url);
for (const n of [1, 2]) {
  const workers = Array.from({ length: n }, () => new Worker(url));
  await Promise.all(workers.map((w) => new Promise((res) => { w.once('message', res); w.postMessage({ id: 0, body: traffic.batches[0] }); })));
  const t0 = performance.now();
  let next = 0; let done = 0;
  await new Promise<void>((resolve) => {
    for (const w of workers) {
      w.on('message', () => { done++; if (next < traffic.batches.length) w.postMessage({ id: next, body: traffic.batches[next++] }); else if (done === traffic.batches.length) resolve(); });
      for (let k = 0; k < 4 && next < traffic.batches.length; k++) w.postMessage({ id: next, body: traffic.batches[next++] });
    }
  });
  console.log(n, 'workers, raw', Math.round(traffic.receipts / ((performance.now() - t0) / 1000)), 'items/s');
  await Promise.all(workers.map((w) => w.terminate()));
}
