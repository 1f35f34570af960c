/**
 * A real oracle for tests: SQLite in memory (or a file), its clock set by the test, and its HTTP server
 * on 127.0.0.1 on a free port. `post`/`get` speak to it over real sockets; `close()` stops everything.
 */
import { encodeOnboard, signOnboard, type Signer } from '../../proofs/index.js';
import type { OracleClock } from '../../tools/oracle/clock.js';
import { Oracle, type OracleOptions } from '../../tools/oracle/oracle.js';
import { startServer, type RunningServer } from '../../tools/oracle/server.js';
import { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import { signerFor } from './keys.js';

/** A clock the test sets; timers never fire on their own (the test calls the oracle's verifier itself). */
export class ManualClock implements OracleClock {
  constructor(public nowMs: number) {}

  wallMs(): number {
    return this.nowMs;
  }

  setTimer(): unknown {
    return undefined;
  }

  clearTimer(): void {}
}

export interface TestOracle {
  readonly oracle: Oracle;
  readonly server: RunningServer;
  readonly url: string;
  readonly clock: ManualClock;
  post(path: string, body: Uint8Array | string, contentType?: string): Promise<Response>;
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestOracle(options: Partial<OracleOptions> & { readonly startMs?: number; readonly dbPath?: string } = {}): Promise<TestOracle> {
  const clock = new ManualClock(options.startMs ?? Date.UTC(2026, 10, 1));
  const store = SqliteStore.open(options.dbPath ?? ':memory:');
  const oracle = new Oracle({ signer: signerFor('oracle'), ...options, store, clock });
  const server = await startServer(oracle, { port: 0 });
  return {
    oracle, server, url: server.url, clock,
    post: (path, body, contentType = 'application/cbor') =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body }),
    get: (path) => fetch(`${server.url}${path}`),
    close: async () => {
      await server.close();
      await oracle.stop();
      await store.close();
    },
  };
}

/** A signed Onboard body for `signer` at (lat, lon). */
export function onboardBody(signer: Signer, lat: number, lon: number, timeMs: number, region = 'EU868', gainDdbi = 20): Uint8Array {
  return encodeOnboard(signOnboard({
    hotspot: signer.publicKey, latE7: Math.round(lat * 1e7), lonE7: Math.round(lon * 1e7), gainDdbi, region, timeMs,
  }, signer));
}
