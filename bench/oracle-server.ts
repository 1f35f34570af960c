/**
 * The oracle for the ingest benchmark, in its own process so that the load generator does not share
 * its core: `tsx bench/oracle-server.ts <db> <prepareWorkers>` registers the synthetic network, starts
 * the server on a free port of 127.0.0.1, prints `listening <url>`, and exits when stdin closes.
 */
import { Oracle } from '../tools/oracle/oracle.js';
import { PreparePool } from '../tools/oracle/prepare-pool.js';
import { recordOf } from '../tools/oracle/registry.js';
import { startServer } from '../tools/oracle/server.js';
import { SqliteStore } from '../tools/oracle/store/sqlite-store.js';
import { syntheticNetwork } from './oracle-data.js';

const [dbPath, workersText, hotspotsText] = process.argv.slice(2);
const workers = Number(workersText ?? 0);
const network = syntheticNetwork(Number(hotspotsText ?? 200), 'ingest');
const store = SqliteStore.open(dbPath);
for (const hotspot of network.hotspots) await store.putHotspot(recordOf(hotspot.onboard, Date.now()));
const pool = workers > 0 ? new PreparePool(workers) : undefined;
const oracle = new Oracle({
  store, signer: network.oracle, config: { requestsPerMinute: 1_000_000, requestBurst: 1_000_000 },
  prepare: pool === undefined ? undefined : (body) => pool.prepare(body),
});
const server = await startServer(oracle, { port: 0, onError: (error) => console.error(error) });
process.stdout.write(`listening ${server.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(async () => {
    await pool?.close();
    await store.close();
    process.exit(0);
  });
});
