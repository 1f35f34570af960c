/**
 * The Http port over real sockets (node:http), for hotspots in the simulator and in end-to-end tests
 * that talk to a real oracle on 127.0.0.1. It counts requests in flight, so that whoever drives a
 * virtual clock can wait for every answer before letting time move on (`idle()`): a simulated hotspot
 * then sees its oracle answer "at once" in virtual time, however long the real exchange took.
 * Host code: uses Node APIs (so it lives outside host-sim/ports, whose modules also run in XS).
 */
import { Agent, request as httpRequest } from 'node:http';
import type { Http, HttpRequest, HttpResponse } from '../../src/ports.js';

export class NodeHttp implements Http {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  /** Requests sent and not yet answered or failed. */
  get pending(): number {
    return this.inFlight;
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    this.inFlight++;
    return this.send(req).finally(() => {
      if (--this.inFlight === 0) for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves when no request is in flight. */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.agent.destroy();
  }

  private send(req: HttpRequest): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = req.body.length;
      const outgoing = httpRequest(req.url, { method: req.method, headers, agent: this.agent, timeout: req.timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: response.statusCode ?? 0, headers: flat, body: new Uint8Array(Buffer.concat(chunks)) });
        });
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from ${req.url} within ${req.timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(req.body === undefined ? undefined : Buffer.from(req.body));
    });
  }
}
