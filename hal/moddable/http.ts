/**
 * The Http port (src/ports.ts) on Moddable's legacy HTTP client, `import {Request} from "http"`
 * (modules/network/http/http.js; reference/moddable.md §4).
 *
 * One Request per call. The client sends `Connection: close`, a Host header and, with a body, a
 * Content-Length of its own; it lower-cases response header names, and with `response: ArrayBuffer` it
 * hands the whole body to the responseComplete message. What it does not do, this adapter does:
 * - the URL is split here (hal/moddable/http-url.ts): the client takes host, port and path;
 * - a time-out (the client has none): on the Clock port, closing the request and rejecting;
 * - every way a request can end without a response (DNS, connect, a connection lost mid-body, the
 *   time-out, a Request that throws) rejects with an HttpError. It never resolves with a made-up status.
 */
import type { Clock, Http, HttpRequest, HttpResponse, TimerHandle } from '../../src/ports.js';
import { parseHttpUrl } from './http-url.js';
import type { HttpRequestInstance, RequestConstructor, RequestOptions } from './moddable-api.js';

/**
 * BadRequest: the request cannot be sent as given (URL, scheme, headers, time-out); Network: no response
 * (DNS, connection, connection lost); Timeout: no complete response in time; Malformed: a response
 * without a valid status line.
 */
export type HttpFailure = 'BadRequest' | 'Network' | 'Timeout' | 'Malformed';

export class HttpError extends Error {
  readonly code: HttpFailure;

  constructor(code: HttpFailure, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
  }

  // A getter, not an assignment: XS freezes Error.prototype after preload (moddable.md §5).
  override get name(): string {
    return 'HttpError';
  }
}

/** Callback messages of http.js's Request. */
const STATUS = 1;
const HEADER = 2;
const RESPONSE_COMPLETE = 5;

export interface ModdableHttpOptions {
  readonly Request: RequestConstructor;
  /** Times requests out. */
  readonly clock: Clock;
}

/** One request in flight and how it ends. */
interface Exchange {
  request: HttpRequestInstance | undefined;
  timer: TimerHandle | undefined;
  settled: boolean;
  status: number | undefined;
  readonly headers: Record<string, string>;
}

/** The request's headers as the client takes them: name, value, name, value, … */
function headerList(request: HttpRequest, hasBody: boolean): string[] {
  const list: string[] = [];
  let length = false;
  for (const name of Object.keys(request.headers ?? {})) {
    const value = (request.headers as Record<string, string>)[name];
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new TypeError(`header ${JSON.stringify(name)} contains a line break`);
    if (name.toLowerCase() === 'content-length') length = true;
    list.push(name, value);
  }
  // The client adds Content-Length only when it has a body to send; an empty POST still needs one (RFC 9110 §8.6).
  if (!hasBody && request.method === 'POST' && !length) list.push('Content-Length', '0');
  return list;
}

/** The client's options for `request`; throws on anything that cannot be sent. */
function requestOptions(request: HttpRequest): RequestOptions {
  if (request.method !== 'GET' && request.method !== 'POST') throw new TypeError('method must be GET or POST');
  if (!(typeof request.timeoutMs === 'number' && request.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${String(request.timeoutMs)}`);
  if (request.body !== undefined && !(request.body instanceof Uint8Array)) throw new TypeError('body must be a Uint8Array');
  const target = parseHttpUrl(request.url);
  const body = request.body !== undefined && request.body.length > 0 ? request.body.slice().buffer : undefined;
  const options: RequestOptions = {
    host: target.host, port: target.port, path: target.path, method: request.method,
    headers: headerList(request, body !== undefined), response: ArrayBuffer,
  };
  if (body !== undefined) options.body = body;
  return options;
}

export class ModdableHttp implements Http {
  private readonly Request: RequestConstructor;
  private readonly clock: Clock;

  constructor(options: ModdableHttpOptions) {
    this.Request = options.Request;
    this.clock = options.clock;
  }

  request(request: HttpRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      const exchange: Exchange = { request: undefined, timer: undefined, settled: false, status: undefined, headers: {} };
      const finish = (outcome: HttpResponse | HttpError): void => {
        if (exchange.settled) return;
        exchange.settled = true;
        if (exchange.timer !== undefined) this.clock.clearTimer(exchange.timer);
        const open = exchange.request;
        exchange.request = undefined;
        try {
          open?.close();
        } catch {
          // Already closed by the client (it closes itself after the last message).
        }
        if (outcome instanceof HttpError) reject(outcome);
        else resolve(outcome);
      };
      let options: RequestOptions;
      try {
        options = requestOptions(request);
      } catch (error) {
        return finish(new HttpError('BadRequest', `${String(request.method)} ${String(request.url)}: ${messageOf(error)}`, { cause: error }));
      }
      exchange.timer = this.clock.setTimer(() => {
        finish(new HttpError('Timeout', `${request.method} ${request.url}: no complete response within ${request.timeoutMs} ms`));
      }, request.timeoutMs);
      try {
        const open = new this.Request(options);
        exchange.request = open;
        open.callback = (message, value1, value2) => this.onMessage(request, exchange, finish, message, value1, value2);
      } catch (error) {
        finish(new HttpError('Network', `${request.method} ${request.url}: ${messageOf(error)}`, { cause: error }));
      }
    });
  }

  private onMessage(
    request: HttpRequest, exchange: Exchange, finish: (outcome: HttpResponse | HttpError) => void,
    message: number, value1: unknown, value2: unknown,
  ): void {
    if (exchange.settled) return;
    if (message === STATUS) {
      exchange.status = typeof value1 === 'number' ? value1 : undefined;
    } else if (message === HEADER) {
      const name = String(value1).toLowerCase();
      const value = String(value2);
      // Repeated fields join with a comma (RFC 9110 §5.3).
      exchange.headers[name] = name in exchange.headers ? `${exchange.headers[name]}, ${value}` : value;
    } else if (message === RESPONSE_COMPLETE) {
      const status = exchange.status;
      if (status === undefined || !Number.isInteger(status) || status < 100 || status > 999) {
        return finish(new HttpError('Malformed', `${request.method} ${request.url}: a response without a valid status line`));
      }
      const body = value1 instanceof ArrayBuffer ? new Uint8Array(value1) : new Uint8Array(0);
      finish({ status, headers: exchange.headers, body });
    } else if (message < 0) {
      finish(new HttpError('Network', `${request.method} ${request.url}: the connection failed or closed before the response was complete`));
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
