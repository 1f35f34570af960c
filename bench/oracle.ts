/**
 * `npm run bench -- oracle`: the oracle's throughput.
 *
 * - ingestReceiptsPerSec, ingestP99Ms: HTTP on 127.0.0.1 against an oracle in its own process, batches of
 *   50 distinct freshly signed witness receipts from 200 hotspots, INGEST_CONCURRENCY requests in flight.
 *   Best of the server in-line (0 prepare workers) and with one prepare worker per core.
 * - verifyReceiptsPerSecPerCore: the verifier alone on this thread, end to end: decode each upload batch,
 *   check every signature once, store the items, judge every beacon group, store the verdicts, close the
 *   reward epoch (22,000 items: 2,000 beacons by 200 hotspots, 10 witnesses each), on a SQLite file.
 * - verifyReceiptsPerSec: the same with decoding and signature checks on worker threads while this
 *   thread stores and judges: the better of one worker per core and one per core beside this thread's
 *   (verifyPrepareWorkers says which). This thread's work is the larger part, and on two cores a second
 *   worker mostly takes time from it.
 * - verifyReceiptsPerSecPerCoreInMemory: verifyReceiptsPerSecPerCore with the database in memory, which
 *   shows what writing the file costs.
 * - verifyReceiptsPerCpuSecPerCore: verifyReceiptsPerSecPerCore per second of this thread's CPU time
 *   rather than wall time, which other load on the machine disturbs less.
 * - verifier: the ed25519 verifier every figure was measured with: covey-native (tools/crypto/native/),
 *   or libsodium where that is not built.
 * - signatureCheckUsNative, signatureCheckUsLibsodium: µs a signature check takes each verifier, one
 *   after the other on the same 2,000 signatures by 200 hotspots (fastest of 10 passes), so that their
 *   ratio holds whatever the machine's moment; the native one is null where it is not built.
 * Each verify figure is the median of verifyRuns runs on fresh databases, after one warm-up run.
 * Uploads reach the store INGEST_CONCURRENCY at a time, as from that many connections, and the store
 * commits the uploads that arrive together in one transaction (sqlite-store.ts insertItems).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Verifier } from '../proofs/index.js';
import { fastestVerifier, NativeVerifier, verifierInUse } from '../tools/crypto/native-ed25519.js';
import { SodiumVerifier } from '../tools/crypto/sodium-ed25519.js';
import { oracleConfig } from '../tools/oracle/config.js';
import { prepareBatch, type PreparedBatch } from '../tools/oracle/ingest-prepare.js';
import type { ItemFields } from '../tools/oracle/model.js';
import { PreparePool } from '../tools/oracle/prepare-pool.js';
import { recordOf } from '../tools/oracle/registry.js';
import { SqliteStore } from '../tools/oracle/store/sqlite-store.js';
import { VerifierRunner } from '../tools/oracle/verifier/runner.js';
import { pocTraffic, receiptBatches, syntheticNetwork, type PocTraffic, type SyntheticNetwork } from './oracle-data.js';

export const INGEST_CONCURRENCY = 16;
const START_MS = Date.UTC(2026, 10, 1);

function post(agent: Agent, url: URL, body: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/cbor', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function startServerProcess(dbPath: string, workers: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'oracle-server.ts'), dbPath, String(workers)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => line.startsWith('listening ') && resolve(line.slice(10)));
    child.on('exit', (code) => reject(new Error(`oracle process exited (${code})`)));
  });
  return { url: new URL('/v1/receipts', url), stop: () => new Promise<void>((resolve) => { child.on('exit', () => resolve()); child.stdin.end(); }) };
}

async function ingestRun(workers: number): Promise<{ perSec: number; p99: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'covey-bench-ingest-'));
  try {
    const network = syntheticNetwork(200, 'ingest');
    const batches = receiptBatches(network, 150, 50, Date.now());
    const server = await startServerProcess(join(dir, 'oracle.sqlite'), workers);
    const agent = new Agent({ keepAlive: true, maxSockets: INGEST_CONCURRENCY });
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: INGEST_CONCURRENCY }, async () => {
      while (next < batches.length) {
        const body = batches[next++];
        const t0 = performance.now();
        const status = await post(agent, server.url, body);
        latencies.push(performance.now() - t0);
        if (status !== 200) throw new Error(`ingest answered ${status}`);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();
    await server.stop();
    latencies.sort((a, b) => a - b);
    return { perSec: (batches.length * 50) / seconds, p99: latencies[Math.floor(latencies.length * 0.99)] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface VerifyWorkload {
  readonly network: SyntheticNetwork;
  readonly traffic: PocTraffic;
}

/** Receipts verified per second of wall time, and per second of this thread's CPU time. */
interface VerifyFigures {
  readonly perSec: number;
  readonly perCpuSec: number;
}

/** Runs before the measured ones, so that they measure code the JIT has already compiled. */
const WARM_UP_RUNS = 1;
/** Measured runs per figure; the figure is their median. */
const MEASURED_RUNS = 3;

/** The median of VERIFY runs after the warm-up, each on a fresh database. */
async function verifyFigures(workload: VerifyWorkload, prepare: (body: Uint8Array) => Promise<PreparedBatch>, inMemory = false): Promise<VerifyFigures> {
  const runs: VerifyFigures[] = [];
  for (let i = 0; i < WARM_UP_RUNS + MEASURED_RUNS; i++) {
    const figures = await verifyRun(workload, prepare, inMemory);
    if (i >= WARM_UP_RUNS) runs.push(figures);
  }
  return { perSec: median(runs.map((r) => r.perSec)), perCpuSec: median(runs.map((r) => r.perCpuSec)) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Verifies synthetic traffic end to end as the oracle does while it runs: uploads arrive round after
 * round (500 beacons, each hotspot's items of a round in one upload of up to 50), and the verifier judges each round
 * once its witness window has passed, while the next rounds are being decoded and checked.
 */
async function verifyRun(
  { network, traffic }: VerifyWorkload, prepare: (body: Uint8Array) => Promise<PreparedBatch>, inMemory = false,
): Promise<VerifyFigures> {
  // A database file, as the oracle uses (WAL, synchronous=NORMAL), unless asked for one in memory.
  const dir = mkdtempSync(join(tmpdir(), 'covey-bench-verify-'));
  const store = SqliteStore.open(inMemory ? ':memory:' : join(dir, 'oracle.sqlite'), { backgroundCheckpoints: true });
  for (const hotspot of network.hotspots) await store.putHotspot(recordOf(hotspot.onboard, START_MS));
  for (const entropy of traffic.entropy) await store.putEntropy(entropy);
  // Each hotspot beacons every 200 s here, so the beacon interval is one minute rather than 6 h.
  const config = oracleConfig({ beaconIntervalMs: 60_000 });
  const runner = new VerifierRunner({ store, config, clock: { wallMs: () => START_MS, setTimer: () => undefined, clearTimer: () => undefined } });
  // The oracle's verifier runs from the start, so its first run finds nothing pending in the store.
  await runner.runOnce(START_MS, 0);
  const started = performance.now();
  const cpuAtStart = threadCpuMs();
  // Every upload handed over at once, so that worker threads (if any) keep working ahead of this thread.
  const prepared = traffic.rounds.map((round) => round.batches.map((body) => prepare(body)));
  let judged = 0;
  for (const [r, round] of traffic.rounds.entries()) {
    // A round's uploads are stored INGEST_CONCURRENCY at a time, as from that many connections.
    await inParallel(prepared[r], INGEST_CONCURRENCY, async (pending) => {
      const batch = await pending;
      if (!batch.ok) throw new Error('a synthetic batch did not decode');
      // Uploaded promptly: each item reaches the oracle 2 s after the device made it.
      const fields = batch.items.map((item) => ({ ...item.fields, receivedMs: (item.fields?.timeMs ?? 0) + 2000 }) as ItemFields);
      const fresh = await store.insertItems(fields);
      runner.admit(fields.filter((_, i) => fresh[i])); // as the oracle's ingest does
    });
    judged += (await runner.runOnce(round.lastBeaconMs + 2000 + config.maxWitnessLagMs, 0)).judged;
  }
  const last = await runner.runOnce(Number.MAX_SAFE_INTEGER);
  judged += last.judged;
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (threadCpuMs() - cpuAtStart) / 1000;
  const counts = await store.counts();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  if (judged !== traffic.receipts || last.closedEpochs.length !== 1) throw new Error(`judged ${judged} of ${traffic.receipts}`);
  if ((counts.byVerdict['witness valid none'] ?? 0) < traffic.receipts * 0.8) throw new Error(`too few valid witnesses: ${JSON.stringify(counts.byVerdict)}`);
  return { perSec: traffic.receipts / seconds, perCpuSec: traffic.receipts / cpuSeconds };
}

/**
 * CPU time this thread has used, ms, from Linux's /proc/thread-self/stat (utime + stime, in clock ticks
 * of 10 ms); NaN elsewhere. Unlike wall time it does not count time lost to other processes.
 */
function threadCpuMs(): number {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'latin1').replace(/^.*\) /s, '').split(' ');
    // After "pid (comm) ", state is field 3; utime and stime are fields 14 and 15.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Runs `task` over `inputs` with at most `limit` running at once. */
async function inParallel<T>(inputs: readonly T[], limit: number, task: (input: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < inputs.length) await task(inputs[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, lane));
}

/** µs a signature for each verifier over the same signatures, fastest of `passes`, passes interleaved. */
function signatureCheckUs(verifiers: readonly Verifier[], passes = 10): number[] {
  const network = syntheticNetwork(200, 'signature checks');
  const jobs = Array.from({ length: 2000 }, (_, i) => {
    const { signer } = network.hotspots[(i * 7) % network.hotspots.length];
    const message = new TextEncoder().encode(`a witness receipt of about a hundred bytes, number ${i}, `.padEnd(100, '.'));
    return { signature: signer.sign(message), message, publicKey: signer.publicKey };
  });
  const best = verifiers.map(() => Infinity);
  for (let pass = 0; pass < passes; pass++) {
    for (const [v, verifier] of verifiers.entries()) {
      const started = performance.now();
      for (const { signature, message, publicKey } of jobs) {
        if (!verifier.verify(signature, message, publicKey)) throw new Error('a benchmark signature did not verify');
      }
      best[v] = Math.min(best[v], ((performance.now() - started) * 1000) / jobs.length);
    }
  }
  return best.map((us) => Math.round(us * 10) / 10);
}

export async function runOracleBench(): Promise<Record<string, number | string | null>> {
  const cores = availableParallelism();
  const native = verifierInUse().name === 'covey-native' ? new NativeVerifier() : undefined;
  const [libsodiumUs, nativeUs] = signatureCheckUs(native === undefined ? [new SodiumVerifier()] : [new SodiumVerifier(), native]);
  const inlineIngest = await ingestRun(0);
  const pooled = await ingestRun(cores);
  const best = pooled.perSec > inlineIngest.perSec ? { ...pooled, workers: cores } : { ...inlineIngest, workers: 0 };
  const verifier = fastestVerifier();
  const network = syntheticNetwork(200, 'verify');
  const workload = { network, traffic: pocTraffic(network, { beacons: 2000, witnessesPerBeacon: 10, startMs: START_MS, roundBeacons: 500 }) };
  const inline = (body: Uint8Array) => Promise.resolve(prepareBatch(body, verifier));
  const perCore = await verifyFigures(workload, inline);
  const perCoreInMemory = await verifyFigures(workload, inline, true);
  let allCores = { perSec: 0, perCpuSec: 0 };
  let verifyWorkers = 0;
  for (const workers of [...new Set([Math.max(1, cores - 1), cores])]) {
    const pool = new PreparePool(workers);
    try {
      const figures = await verifyFigures(workload, (body) => pool.prepare(body));
      if (figures.perSec > allCores.perSec) [allCores, verifyWorkers] = [figures, workers];
    } finally {
      await pool.close();
    }
  }
  return {
    ingestReceiptsPerSec: Math.round(best.perSec),
    ingestP99Ms: Math.round(best.p99 * 10) / 10,
    ingestConcurrency: INGEST_CONCURRENCY,
    ingestPrepareWorkers: best.workers,
    ingestReceiptsPerSecInline: Math.round(inlineIngest.perSec),
    ingestReceiptsPerSecPooled: Math.round(pooled.perSec),
    verifyReceiptsPerSecPerCore: Math.round(perCore.perSec),
    verifyReceiptsPerSec: Math.round(allCores.perSec),
    verifyPrepareWorkers: verifyWorkers,
    verifyReceiptsPerSecPerCoreInMemory: Math.round(perCoreInMemory.perSec),
    verifyReceiptsPerCpuSecPerCore: Math.round(perCore.perCpuSec),
    verifyRuns: MEASURED_RUNS,
    verifier: verifierInUse().name,
    signatureCheckUsNative: nativeUs ?? null,
    signatureCheckUsLibsodium: libsodiumUs,
    cores,
  };
}
