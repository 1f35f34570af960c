/**
 * covey-xs entry for tests/xs/xs-host.test.ts: one request answered, one refused, through HostCallHttp.
 * The outcome lands in promise callbacks, which the host runs before it asks for the report.
 */
import { toHex } from '../../../proofs/bytes.js';
import { HostCallHttp } from '../../../tools/xs/scenarios/host-call-http.js';
import { installScenario } from '../../../tools/xs/scenarios/metered-scenario.js';

const outcome: { status?: number; body?: string; failure?: string } = {};

installScenario({
  prepare() {},
  start() {
    const http = new HostCallHttp();
    http
      .request({ method: 'POST', url: 'http://oracle.test/v1/ingest', body: Uint8Array.of(1, 2), timeoutMs: 5_000 })
      .then((response) => {
        outcome.status = response.status;
        outcome.body = toHex(response.body);
      });
    http.request({ method: 'GET', url: 'http://oracle.test/down', timeoutMs: 5_000 }).catch((error: Error) => {
      outcome.failure = error.message;
    });
  },
  turn: () => false,
  counters: () => ({}),
  report: () => outcome,
});
