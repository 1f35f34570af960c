/**
 * Node's half of HostCallHttp (tools/xs/scenarios/host-call-http.ts): turns a handler of HttpRequests into
 * the `answer` function covey-xs's runner takes. A handler that throws or rejects is the network failing:
 * the request rejects in XS, as the Http port promises. Host code.
 */
import { fromHex, toHex } from '../../proofs/bytes.js';
import type { HttpRequest, HttpResponse } from '../../src/ports.js';
import type { HttpAnswer, HttpCall } from './scenarios/host-call-http.js';

/** When a call was made in the scenario's world, when its HostCallHttp was given the world's clock. */
export interface HttpCallTime {
  readonly atMs?: number;
  readonly wallMs?: number;
}

export type HttpHandler = (request: HttpRequest, time: HttpCallTime) => HttpResponse | Promise<HttpResponse>;

/** An answer function for runEntryInXsHost / XsScenarioSpec that serves HostCallHttp with `handler`. */
export function answerHttp(handler: HttpHandler): (line: string) => Promise<string> {
  return async (line) => {
    const call = JSON.parse(line) as HttpCall;
    if (call.kind !== 'http') throw new Error(`not an HTTP call: ${line.slice(0, 80)}`);
    let answer: HttpAnswer;
    try {
      const response = await handler({
        method: call.method,
        url: call.url,
        headers: call.headers,
        body: call.bodyHex === '' ? undefined : fromHex(call.bodyHex),
        timeoutMs: call.timeoutMs,
      }, { atMs: call.atMs, wallMs: call.wallMs });
      answer = { status: response.status, headers: response.headers, bodyHex: toHex(response.body) };
    } catch (error) {
      answer = { error: error instanceof Error ? error.message : String(error) };
    }
    return JSON.stringify(answer);
  };
}
