/**
 * ModdableHttp on a fake of "http" (tools/xs/moddable-fakes/fake-network.ts, which answers as
 * modules/network/http/http.js does): what the Request is given, what the response becomes, and every
 * way a request ends without one rejecting with a named HttpError.
 */
import { HttpError, ModdableHttp } from '../../hal/moddable/http.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import type { HttpRequest, HttpResponse } from '../../src/ports.js';
import { fakeNetworkEnvironment, fakeRequest, type FakeRequestInstance } from '../../tools/xs/moddable-fakes/fake-network.js';

function setUp(answer: (request: HttpRequest) => HttpResponse = () => ({ status: 200, headers: {}, body: new Uint8Array(0) }), delayMs?: number) {
  const clock = new VirtualClock();
  const seen: HttpRequest[] = [];
  const env = fakeNetworkEnvironment(clock, (request) => {
    seen.push(request);
    return answer(request);
  });
  env.online = true;
  const made: FakeRequestInstance[] = [];
  const Base = fakeRequest(env, delayMs === undefined ? undefined : () => delayMs);
  const Request = function Request(options: never) {
    const request = new Base(options);
    made.push(request);
    return request;
  } as unknown as typeof Base;
  return { clock, env, seen, made, http: new ModdableHttp({ Request, clock }) };
}

async function settle<T>(clock: VirtualClock, promise: Promise<T>, ms = 60_000): Promise<T> {
  clock.advance(ms);
  return promise;
}

async function failure(clock: VirtualClock, promise: Promise<unknown>, ms?: number): Promise<HttpError> {
  try {
    await settle(clock, promise, ms);
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return error as HttpError;
  }
  throw new Error('the request resolved');
}

test('a GET goes out as host, port and path, and resolves with status, lower-cased headers and the body', async () => {
  const { clock, http, made } = setUp(() => ({ status: 200, headers: { 'Content-Type': 'application/cbor' }, body: Uint8Array.of(0xa0) }));
  const response = await settle(clock, http.request({ method: 'GET', url: 'http://oracle.example:8080/v1/entropy', timeoutMs: 5_000 }));
  expect(made[0].options).toMatchObject({ host: 'oracle.example', port: 8080, path: '/v1/entropy', method: 'GET', headers: [], response: ArrayBuffer });
  expect(made[0].options.body).toBeUndefined();
  expect(response).toEqual({ status: 200, headers: { 'content-type': 'application/cbor' }, body: Uint8Array.of(0xa0) });
});

test('a POST body goes out as an ArrayBuffer of exactly its bytes, with the caller\'s headers', async () => {
  const { clock, http, made, seen } = setUp();
  const backing = Uint8Array.from({ length: 32 }, (_, i) => i);
  await settle(clock, http.request({
    method: 'POST', url: 'http://oracle.example/v1/receipts', headers: { 'content-type': 'application/cbor' }, body: backing.subarray(4, 9), timeoutMs: 5_000,
  }));
  const body = made[0].options.body as ArrayBuffer;
  expect(body).toBeInstanceOf(ArrayBuffer);
  expect(Array.from(new Uint8Array(body))).toEqual([4, 5, 6, 7, 8]);
  expect(made[0].options.headers).toEqual(['content-type', 'application/cbor']);
  expect(seen[0].url).toBe('http://oracle.example/v1/receipts');
});

test('an empty POST says Content-Length: 0 itself (the client only counts bodies it sends)', async () => {
  const { clock, http, made } = setUp();
  await settle(clock, http.request({ method: 'POST', url: 'http://oracle.example/v1/x', body: new Uint8Array(0), timeoutMs: 5_000 }));
  expect(made[0].options.body).toBeUndefined();
  expect(made[0].options.headers).toEqual(['Content-Length', '0']);
});

test('a repeated response header is joined with a comma', async () => {
  const { clock, made, http } = setUp(undefined, Infinity);
  const pending = http.request({ method: 'GET', url: 'http://oracle.example/', timeoutMs: 5_000 });
  const request = made[0];
  request.callback(1, 200);
  request.callback(2, 'vary', 'accept');
  request.callback(2, 'Vary', 'origin');
  request.callback(5, new ArrayBuffer(0));
  expect((await settle(clock, pending)).headers).toEqual({ vary: 'accept, origin' });
});

test('no complete response in time: Timeout, the request closed, late messages ignored', async () => {
  const { clock, made, http } = setUp(undefined, Infinity);
  const pending = http.request({ method: 'GET', url: 'http://oracle.example/', timeoutMs: 10_000 });
  const error = await failure(clock, pending, 10_000);
  expect(error.code).toBe('Timeout');
  expect(() => made[0].callback(5, new ArrayBuffer(0))).not.toThrow();
});

test('the time-out counts from the request: one ms early it has not fired', async () => {
  const { clock, http } = setUp(undefined, Infinity);
  let settled = false;
  http.request({ method: 'GET', url: 'http://oracle.example/', timeoutMs: 10_000 }).catch(() => (settled = true));
  clock.advance(9_999);
  await Promise.resolve();
  expect(settled).toBe(false);
  clock.advance(1);
  await Promise.resolve();
  await Promise.resolve();
  expect(settled).toBe(true);
});

test('no network (the client\'s error message) rejects with Network, never a made-up status', async () => {
  const { clock, http, env } = setUp();
  env.online = false;
  const error = await failure(clock, http.request({ method: 'GET', url: 'http://oracle.example/', timeoutMs: 5_000 }));
  expect(error.code).toBe('Network');
});

test('a connection lost mid-body (any negative message) rejects with Network', async () => {
  const { clock, made, http } = setUp(undefined, Infinity);
  const pending = http.request({ method: 'GET', url: 'http://oracle.example/', timeoutMs: 5_000 });
  made[0].callback(1, 200);
  made[0].callback(-1);
  expect((await failure(clock, pending)).code).toBe('Network');
});

test('a response complete without a status line is Malformed', async () => {
  const { clock, made, http } = setUp(undefined, Infinity);
  const pending = http.request({ method: 'GET', url: 'http://oracle.example/', timeoutMs: 5_000 });
  made[0].callback(5, new ArrayBuffer(0));
  expect((await failure(clock, pending)).code).toBe('Malformed');
});

test('a Request that throws when made rejects with Network and leaves no timer behind', async () => {
  const clock = new VirtualClock();
  const Request = function Request() {
    throw new Error('socket: no memory');
  } as unknown as ConstructorParameters<typeof ModdableHttp>[0]['Request'];
  const http = new ModdableHttp({ Request, clock });
  const error = await failure(clock, http.request({ method: 'GET', url: 'http://oracle.example/', timeoutMs: 5_000 }));
  expect(error.code).toBe('Network');
  expect(clock.pending).toBe(0);
});

test.each([
  ['https', { method: 'GET', url: 'https://oracle.example/', timeoutMs: 5_000 }],
  ['a bad URL', { method: 'GET', url: 'oracle.example', timeoutMs: 5_000 }],
  ['no time-out', { method: 'GET', url: 'http://oracle.example/', timeoutMs: 0 }],
  ['a header with a line break', { method: 'GET', url: 'http://oracle.example/', headers: { a: 'b\r\nX-Evil: 1' }, timeoutMs: 5_000 }],
])('%s is BadRequest and sends nothing', async (_, request) => {
  const { clock, http, made } = setUp();
  const error = await failure(clock, http.request(request as HttpRequest));
  expect(error.code).toBe('BadRequest');
  expect(made).toHaveLength(0);
});
