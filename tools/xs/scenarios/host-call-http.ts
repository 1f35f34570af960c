/**
 * The Http port (src/ports.ts) answered from the Node side through covey-xs's hostCall(): how a scenario
 * run in XS reaches a test's oracle or ingest. The exchange is one JSON line each way (bodies as hex), and
 * the answer arrives synchronously; the promise settles in the same turn's promise jobs, as a device's
 * would once its response had arrived. Node's half is tools/xs/host-call-http.ts. Device code.
 *
 * Given the world's clock, each call also tells Node when it was made (monotonic and wall time), so that
 * an oracle on the Node side lives in the scenario's virtual time: it dates entropy by it. That is the
 * scenario's knowledge, not the device's: it travels beside the request, never in it.
 */
import { fromHex, toHex } from '../../../proofs/bytes.js';
import type { Clock, Http, HttpRequest, HttpResponse } from '../../../src/ports.js';
import { xsHost } from './metered-scenario.js';

/** What crosses to Node. */
export interface HttpCall {
  readonly kind: 'http';
  readonly method: HttpRequest['method'];
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyHex: string;
  readonly timeoutMs: number;
  /** When the call was made, by the scenario's clock: monotonic ms and wall ms (absent when unknown). */
  readonly atMs?: number;
  readonly wallMs?: number;
}

/** What comes back: a response, or why there is none (no network, timeout), which rejects. */
export type HttpAnswer =
  | { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly bodyHex: string }
  | { readonly error: string };

export class HostCallHttp implements Http {
  private readonly clock: Pick<Clock, 'now' | 'wallMs'> | undefined;

  /** `clock`: the world's clock, whose time goes with each call (see above). */
  constructor(clock?: Pick<Clock, 'now' | 'wallMs'>) {
    this.clock = clock;
  }

  request(request: HttpRequest): Promise<HttpResponse> {
    try {
      const host = xsHost();
      if (host === undefined) throw new Error('HostCallHttp needs covey-xs (hostCall)');
      const call: HttpCall = {
        kind: 'http',
        method: request.method,
        url: request.url,
        headers: request.headers ?? {},
        bodyHex: request.body === undefined ? '' : toHex(request.body),
        timeoutMs: request.timeoutMs,
        atMs: this.clock?.now(),
        wallMs: this.clock?.wallMs(),
      };
      const answer = JSON.parse(host.hostCall(JSON.stringify(call))) as HttpAnswer;
      if ('error' in answer) throw new Error(answer.error);
      return Promise.resolve({ status: answer.status, headers: answer.headers, body: fromHex(answer.bodyHex) });
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
