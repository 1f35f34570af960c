/**
 * Fakes of Moddable's `wifi`, `sntp` and `http` modules on a simulated Clock, for the adapters' tests and
 * the entry point in XS. One FakeNetworkEnvironment is the world around the device: the access point (if
 * any), the SNTP server's answer, and a handler that answers HTTP requests. Messages come as the legacy
 * modules send them (hal/moddable/moddable-api.ts cites the sources), from timers, never from inside a
 * constructor:
 * - WiFi: "connect" then "gotIP" when the access point is there and the password matches; "disconnect"
 *   with −1 when it does not; "disconnect" after a scan that finds nothing; `close()` stops the messages.
 * - SNTP: 1 with Unix seconds, or −1; only while the station has an address.
 * - Request: 1 status, 2 each header (lower-cased, as http.js does), 3, 5 with the body as an
 *   ArrayBuffer; −2 when the station is offline or the handler throws; `close()` stops the messages.
 * Device-legal code: the XS tier bundles it.
 */
import type { Clock, HttpRequest, HttpResponse } from '../../../src/ports.js';

export interface AccessPoint {
  readonly ssid: string;
  readonly password: string;
}

/** What a request looks like to the world: the URL the client would have asked for. */
export type HttpHandler = (request: HttpRequest) => HttpResponse;

export interface FakeNetworkEnvironment {
  readonly clock: Pick<Clock, 'setTimer' | 'clearTimer'>;
  /** The access point in reach, or none. */
  accessPoint: AccessPoint | undefined;
  /** The access point's DHCP server answers (false: associated, but no address ever comes). */
  dhcp: boolean;
  /** The SNTP server's answer, Unix seconds; undefined when it does not answer. */
  sntpSeconds: () => number | undefined;
  http: HttpHandler;
  /** Set by the fake WiFi: the station has an address. */
  online: boolean;
  /** Counts, for the tests. */
  readonly stats: { wifiAttempts: number; sntpQueries: number; httpRequests: number; modeSets: number[] };
}

export function fakeNetworkEnvironment(clock: Pick<Clock, 'setTimer' | 'clearTimer'>, http: HttpHandler): FakeNetworkEnvironment {
  return {
    clock, accessPoint: undefined, dhcp: true, sntpSeconds: () => undefined, http, online: false,
    stats: { wifiAttempts: 0, sntpQueries: 0, httpRequests: 0, modeSets: [] },
  };
}

/** ESP32 timings, roughly: association, DHCP, a scan that finds nothing, a round trip. */
export const FAKE_TIMINGS_MS = { associate: 300, address: 700, noAccessPoint: 4_000, roundTrip: 40 } as const;

type WiFiCallback = (message: 'connect' | 'gotIP' | 'lostIP' | 'disconnect', code?: number) => void;

export interface FakeWiFiClass {
  new (options: { ssid: string; password?: string }, callback: WiFiCallback): { close(): void };
  mode: number;
  disconnect(): void;
}

export function fakeWiFi(env: FakeNetworkEnvironment): FakeWiFiClass {
  let mode = 0;
  return class FakeWiFi {
    private callback: WiFiCallback | undefined;

    static get mode(): number {
      return mode;
    }

    static set mode(value: number) {
      env.stats.modeSets.push(value);
      mode = value;
    }

    static disconnect(): void {
      env.online = false;
    }

    constructor(options: { ssid: string; password?: string }, callback: WiFiCallback) {
      if (mode !== 1) throw new Error('WiFi: not in station mode');
      env.stats.wifiAttempts++;
      this.callback = callback;
      const send = (delayMs: number, message: 'connect' | 'gotIP' | 'disconnect', code?: number, then?: () => void) => {
        env.clock.setTimer(() => {
          if (this.callback === undefined) return;
          then?.();
          this.callback(message, code);
        }, delayMs);
      };
      const ap = env.accessPoint;
      if (ap === undefined || ap.ssid !== options.ssid) {
        send(FAKE_TIMINGS_MS.noAccessPoint, 'disconnect');
      } else if (ap.password !== (options.password ?? '')) {
        send(FAKE_TIMINGS_MS.associate, 'disconnect', -1);
      } else {
        send(FAKE_TIMINGS_MS.associate, 'connect');
        if (env.dhcp) {
          send(FAKE_TIMINGS_MS.associate + FAKE_TIMINGS_MS.address, 'gotIP', undefined, () => {
            env.online = true;
          });
        }
      }
    }

    close(): void {
      this.callback = undefined;
    }
  };
}

export type FakeSntpClass = new (options: { host: string }, callback: (message: number, value?: number) => void) => object;

export function fakeSntp(env: FakeNetworkEnvironment): FakeSntpClass {
  return class FakeSntp {
    constructor(options: { host: string }, callback: (message: number, value?: number) => void) {
      if (typeof options?.host !== 'string') throw new TypeError('SNTP: host required');
      env.stats.sntpQueries++;
      env.clock.setTimer(() => {
        const seconds = env.online ? env.sntpSeconds() : undefined;
        if (seconds === undefined) callback(-1);
        else callback(1, seconds);
      }, FAKE_TIMINGS_MS.roundTrip);
    }
  };
}

interface FakeRequestOptions {
  host: string;
  port?: number;
  path?: string;
  method?: string;
  headers?: string[];
  body?: ArrayBuffer;
  response?: unknown;
}

export interface FakeRequestInstance {
  callback: (message: number, value1?: unknown, value2?: unknown) => void;
  close(): void;
  /** What the client was asked to send. */
  readonly options: FakeRequestOptions;
}

/** The Request class; `delayMs` overrides the round trip (a server that never answers: Infinity). */
export function fakeRequest(env: FakeNetworkEnvironment, delayMs?: () => number): new (options: FakeRequestOptions) => FakeRequestInstance {
  return class FakeRequest implements FakeRequestInstance {
    readonly options: FakeRequestOptions;
    // An own property, as on http.js's Request: the caller replaces it.
    callback: (message: number, value1?: unknown, value2?: unknown) => void;
    private open: boolean;

    constructor(options: FakeRequestOptions) {
      this.options = options;
      this.callback = () => undefined;
      this.open = true;
      env.stats.httpRequests++;
      const wait = delayMs?.() ?? FAKE_TIMINGS_MS.roundTrip;
      if (Number.isFinite(wait)) env.clock.setTimer(() => this.exchange(), wait);
    }

    close(): void {
      this.open = false;
    }

    private exchange(): void {
      if (!this.open) return;
      let response: HttpResponse;
      try {
        if (!env.online) throw new Error('offline');
        response = env.http(this.asHttpRequest());
      } catch {
        return this.send(-2);
      }
      sendResponse((message, value1, value2) => this.send(message, value1, value2), response);
      this.open = false;
    }

    private send(message: number, value1?: unknown, value2?: unknown): void {
      if (this.open) this.callback(message, value1, value2);
    }

    private asHttpRequest(): HttpRequest {
      return httpRequestOf(this.options);
    }
  };
}

/** What a Request was asked to send, as the HttpRequest a handler answers. */
export function httpRequestOf(options: FakeRequestOptions): HttpRequest {
  const { host, port = 80, path = '/', method = 'GET', headers = [], body } = options;
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < headers.length; i += 2) record[headers[i].toLowerCase()] = headers[i + 1];
  return {
    method: method as HttpRequest['method'],
    url: `http://${host}${port === 80 ? '' : `:${port}`}${path}`,
    headers: record,
    body: body === undefined ? undefined : new Uint8Array(body),
    timeoutMs: Infinity,
  };
}

/** A response as http.js's Request reports it: status (1), each header (2), headers done (3), the body (5). */
export function sendResponse(send: (message: number, value1?: unknown, value2?: unknown) => void, response: HttpResponse): void {
  send(1, response.status);
  for (const name of Object.keys(response.headers)) send(2, name.toLowerCase(), response.headers[name]);
  send(3);
  send(5, response.body.slice().buffer);
}
