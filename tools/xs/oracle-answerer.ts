/**
 * The oracle a scenario in covey-xs talks to: host-sim's fake oracle (entropy, onboarding, receipt ingest,
 * docs/protocol.md §5) on the Node side, serving the scenario's HostCallHttp through answerHttp. Host code.
 *
 * The oracle lives in the scenario's virtual time: every call carries the time it was made by the
 * scenario's clock (tools/xs/scenarios/host-call-http.ts), and the oracle's clock reads that. It answers
 * at once (the scenario waits for each answer), so it never needs a timer: latency and timeouts stay the
 * business of the runtime tests in Node.
 */
import { createHostSigner, HostVerifier } from '../crypto/node-ed25519.js';
import { FakeOracle, type OracleClock } from '../../host-sim/oracle/fake-oracle.js';
import type { Signer, Verifier } from '../../src/ports.js';
import { answerHttp, type HttpCallTime } from './host-call-http.js';

/** The oracle's key seed: fixed, so a scenario's settings can pin its public key (XS_ORACLE_KEY). */
const ORACLE_SEED = Uint8Array.from({ length: 32 }, (_, i) => 0x6f ^ i);

/** The public key of the oracle every answerer uses unless given another signer. */
export const XS_ORACLE_KEY: Uint8Array = createHostSigner(ORACLE_SEED).publicKey;

export interface OracleAnswererOptions {
  /** Signs entropy. Default: the key of XS_ORACLE_KEY (node:crypto). */
  readonly signer?: Signer;
  /** Checks what hotspots upload. Default: node:crypto's ed25519 under covey's rules. */
  readonly verifier?: Verifier;
  /** Answer 403 unknown_hotspot until a hotspot has onboarded. Default true. */
  readonly requireOnboarding?: boolean;
}

export interface OracleAnswerer {
  /** The oracle, to inspect after the run: what it stored, who onboarded, every request. */
  readonly oracle: FakeOracle;
  /** The `answer` function for runEntryInXsHost / meterSpec. */
  readonly answer: (line: string) => Promise<string>;
}

/** The scenario's time as of the call being answered. */
class CallClock implements OracleClock {
  atMs = 0;
  wall: number | undefined = undefined;

  now(): number {
    return this.atMs;
  }

  wallMs(): number | undefined {
    return this.wall;
  }

  setTimer(): never {
    throw new Error('the XS tier\'s oracle answers at once; it has no timers (latency and timeouts are for the Node tests)');
  }

  take(time: HttpCallTime): void {
    if (time.atMs === undefined) throw new Error('HostCallHttp was made without the world\'s clock: the oracle cannot tell the time');
    this.atMs = time.atMs;
    this.wall = time.wallMs;
  }
}

/** A fresh oracle and its answer function: one per run, so runs never share what an oracle stored. */
export function oracleAnswerer(options: OracleAnswererOptions = {}): OracleAnswerer {
  const clock = new CallClock();
  const oracle = oracleOn(clock, options);
  const answer = answerHttp((request, time) => {
    clock.take(time);
    return oracle.request(request);
  });
  return { oracle, answer };
}

/** The same oracle (same key, same rules) for a scenario run in Node on `clock`, without covey-xs. */
export function oracleOn(clock: OracleClock, options: OracleAnswererOptions = {}): FakeOracle {
  return new FakeOracle({
    clock,
    signer: options.signer ?? createHostSigner(ORACLE_SEED),
    verifier: options.verifier ?? new HostVerifier(),
    requireOnboarding: options.requireOnboarding,
  });
}
