/**
 * The Http port wired straight to an Oracle in the same process (`covey sim --ingest in-process`): the
 * hotspots' requests reach the same oracle operations the HTTP server routes to (tools/oracle/server.ts),
 * without sockets. The answers are the same bytes; only the transport is missing, so very large runs do
 * not spend their time in the loopback stack. Like NodeHttp it counts requests in flight, so the
 * simulator can let each one be answered before virtual time moves on.
 */
import type { Http, HttpRequest, HttpResponse } from '../../src/ports.js';
import type { Answer } from '../../tools/oracle/answer.js';
import type { Oracle } from '../../tools/oracle/oracle.js';

const encoder = new TextEncoder();

/** Distinct request URLs whose parse is kept: a run asks a handful of them over and over. */
const PARSED_URLS_KEPT = 256;

export class InProcessOracleHttp implements Http {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly parsed = new Map<string, URL>();

  constructor(private readonly oracle: Oracle) {}

  /** Requests not yet answered. */
  get pending(): number {
    return this.inFlight;
  }

  /** Resolves once no request is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    this.inFlight++;
    try {
      return responseOf(await this.route(request));
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.waiting.splice(0)) resolve();
    }
  }

  private route(request: HttpRequest): Promise<Answer> {
    const url = this.parse(request.url);
    const contentType = request.headers?.['content-type'];
    const key = `${request.method} ${url.pathname}`;
    if (key === 'GET /v1/oracle') return Promise.resolve(this.oracle.describe());
    if (key === 'GET /v1/entropy') return this.oracle.entropyAnswer(url.searchParams.get('epoch') ?? undefined);
    if (key === 'POST /v1/hotspots') return this.oracle.onboard(contentType, request.body);
    if (key === 'POST /v1/receipts') return this.oracle.receipts(contentType, request.body).then((outcome) => outcome.answer);
    if (key === 'GET /healthz') return this.oracle.health();
    const hotspot = /^\/v1\/hotspots\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && hotspot !== null) return this.oracle.hotspot(decodeURIComponent(hotspot[1]));
    const rewards = /^\/v1\/epochs\/([^/]+)\/rewards$/.exec(url.pathname);
    if (request.method === 'GET' && rewards !== null) return this.oracle.rewards(rewards[1], url.searchParams.get('format') ?? undefined);
    const body = JSON.stringify({ error: 'not_found', detail: `no route ${request.method} ${url.pathname}` });
    return Promise.resolve({ status: 404, headers: { 'content-type': 'application/json' }, body });
  }

  /** The URL `text` names, parsed once while it is among the last PARSED_URLS_KEPT seen (route only reads it). */
  private parse(text: string): URL {
    let url = this.parsed.get(text);
    if (url === undefined) {
      url = new URL(text);
      if (this.parsed.size >= PARSED_URLS_KEPT) this.parsed.clear();
      this.parsed.set(text, url);
    }
    return url;
  }
}

function responseOf(answer: Answer): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) headers[name.toLowerCase()] = value;
  return { status: answer.status, headers, body: typeof answer.body === 'string' ? encoder.encode(answer.body) : answer.body };
}
