/**
 * An Http port that counts the requests it passes on, by the oracle endpoint they name (docs/protocol.md
 * §5): scaffolding around a scenario's Http, so that its counters show the protocol exchanges the
 * runtime made and the host can attribute compute to them. Device code, for covey-xs.
 */
import type { Http, HttpRequest, HttpResponse } from '../../../src/ports.js';

export class CountingHttp implements Http {
  readonly counters = { entropyRequests: 0, uploadRequests: 0, onboardRequests: 0, otherRequests: 0 };
  private readonly inner: Http;

  constructor(inner: Http) {
    this.inner = inner;
  }

  request(request: HttpRequest): Promise<HttpResponse> {
    const { url } = request;
    if (url.endsWith('/v1/entropy')) this.counters.entropyRequests++;
    else if (url.endsWith('/v1/receipts')) this.counters.uploadRequests++;
    else if (url.endsWith('/v1/hotspots')) this.counters.onboardRequests++;
    else this.counters.otherRequests++;
    return this.inner.request(request);
  }
}
