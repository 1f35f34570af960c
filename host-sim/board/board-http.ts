/**
 * Moddable's legacy HTTP client (`import {Request} from "http"`) on an emulated board, answered by a
 * handler that may be asynchronous, such as an in-process oracle reached over 127.0.0.1. The messages
 * are the ones tools/xs/moddable-fakes/fake-network.ts fakeRequest sends (1 status, 2 each header in
 * lower case, 3, 5 with the body as an ArrayBuffer; −2 when the station is offline or the handler
 * fails), each on a turn of the board's clock: the request leaves after the round trip of the fake
 * network, and the answer comes on the first clock turn after the handler has settled. Nothing is
 * delivered once the board lost power or the client closed the request.
 */
import type { HttpRequest, HttpResponse } from '../../src/ports.js';
import {
  FAKE_TIMINGS_MS, httpRequestOf, sendResponse, type FakeNetworkEnvironment, type FakeRequestInstance,
} from '../../tools/xs/moddable-fakes/fake-network.js';

type Handler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;
type RequestOptions = FakeRequestInstance['options'];

export function boardRequest(env: FakeNetworkEnvironment, handler: Handler, live: () => boolean): new (options: RequestOptions) => FakeRequestInstance {
  return class BoardRequest implements FakeRequestInstance {
    readonly options: RequestOptions;
    // An own property, as on http.js's Request: the caller replaces it.
    callback: (message: number, value1?: unknown, value2?: unknown) => void;
    private open: boolean;

    constructor(options: RequestOptions) {
      this.options = options;
      this.callback = () => undefined;
      this.open = true;
      env.stats.httpRequests++;
      env.clock.setTimer(() => this.exchange(), FAKE_TIMINGS_MS.roundTrip);
    }

    close(): void {
      this.open = false;
    }

    private exchange(): void {
      if (!this.open) return;
      if (!env.online) return this.send(-2);
      let answer: Promise<HttpResponse>;
      try {
        answer = Promise.resolve(handler(this.asHttpRequest()));
      } catch {
        return this.send(-2);
      }
      answer.then(
        (response) => env.clock.setTimer(() => this.deliver(response), 0),
        () => env.clock.setTimer(() => this.send(-2), 0),
      );
    }

    private deliver(response: HttpResponse): void {
      sendResponse((message, value1, value2) => this.send(message, value1, value2), response);
      this.open = false;
    }

    private send(message: number, value1?: unknown, value2?: unknown): void {
      if (this.open && live()) this.callback(message, value1, value2);
    }

    private asHttpRequest(): HttpRequest {
      return httpRequestOf(this.options);
    }
  };
}
