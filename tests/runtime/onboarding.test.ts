import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { isDecodeError, toHex, type Signer } from '../../proofs/index.js';
import { onboard, OnboardError, type OnboardOptions } from '../../src/onboarding.js';
import { FakeOracle, ORACLE_URL } from '../support/fake-oracle.js';
import { signerFor } from '../support/keys.js';
import { runFor } from '../support/test-ports.js';

const WALL = Date.UTC(2026, 2, 1, 12, 0, 0);
const HOTSPOT = signerFor('onboarding hotspot');
const ZURICH = { latE7: 473_769_000, lonE7: 85_417_000 };

function setup(wallMs: number | null = WALL) {
  const clock = new VirtualClock(0, wallMs ?? undefined);
  const oracle = new FakeOracle({ clock });
  const options = (overrides: Partial<OnboardOptions> = {}): OnboardOptions => ({
    http: oracle, clock, signer: HOTSPOT, oracleUrl: ORACLE_URL, location: ZURICH, gainDdbi: 30, region: 'EU868', ...overrides,
  });
  return { clock, oracle, options };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => {
    throw new Error('expected a rejection');
  }, (e: unknown) => e);
}

async function onboardError(promise: Promise<unknown>): Promise<OnboardError> {
  const error = await failure(promise);
  if (!(error instanceof OnboardError)) throw new Error(`expected an OnboardError, got ${String(error)}`);
  return error;
}

describe('onboard', () => {
  test('registers the hotspot with the asserted location, gain, region and the wall time', async () => {
    const { oracle, options } = setup();
    expect(await onboard(options())).toBe('registered');
    const registered = oracle.hotspots.get(toHex(HOTSPOT.publicKey));
    expect(registered).toMatchObject({ ...ZURICH, gainDdbi: 30, region: 'EU868', timeMs: WALL });
  });

  test('sends the request as application/cbor to /v1/hotspots', async () => {
    const { oracle, options } = setup();
    const seen: { url: string; type?: string }[] = [];
    const http = { request: (r: Parameters<FakeOracle['request']>[0]) => (seen.push({ url: r.url, type: r.headers?.['content-type'] }), oracle.request(r)) };
    await onboard(options({ http, oracleUrl: `${ORACLE_URL}/` }));
    expect(seen).toEqual([{ url: `${ORACLE_URL}/v1/hotspots`, type: 'application/cbor' }]);
  });

  test('answers unchanged when the same assertion is already registered', async () => {
    const { clock, options } = setup();
    await onboard(options());
    await runFor(clock, 60_000, 10_000);
    expect(await onboard(options())).toBe('unchanged');
  });

  test('a later request with a new location replaces the registered one', async () => {
    const { clock, oracle, options } = setup();
    await onboard(options());
    await runFor(clock, 60_000, 10_000);
    expect(await onboard(options({ location: { latE7: 473_800_000, lonE7: 85_400_000 } }))).toBe('registered');
    expect(oracle.hotspots.get(toHex(HOTSPOT.publicKey))?.latE7).toBe(473_800_000);
  });

  test('reports a request older than the registered one with the oracle code', async () => {
    const { clock, options } = setup();
    await onboard(options());
    clock.setWall(WALL - 3_600_000);
    const error = await onboardError(onboard(options({ gainDdbi: 50 })));
    expect([error.code, error.status, error.serverCode]).toEqual(['Status', 409, 'stale_request']);
  });

  test('reports a signature the oracle refuses as 422 bad_signature', async () => {
    const { options } = setup();
    const other = signerFor('not the onboarding hotspot');
    const lying: Signer = { publicKey: HOTSPOT.publicKey, sign: (m) => other.sign(m) };
    const error = await onboardError(onboard(options({ signer: lying })));
    expect([error.status, error.serverCode]).toEqual([422, 'bad_signature']);
  });

  test('reports rate limiting as 429 rate_limited', async () => {
    const { oracle, options } = setup();
    oracle.answerNext('/v1/hotspots', { status: 429, headers: { 'retry-after': '30' }, json: { error: 'rate_limited', detail: 'slow down' } });
    const error = await onboardError(onboard(options()));
    expect([error.status, error.serverCode]).toEqual([429, 'rate_limited']);
  });

  test('an error answer without a JSON body has no server code', async () => {
    const { oracle, options } = setup();
    oracle.answerNext('/v1/hotspots', { status: 502, headers: { 'content-type': 'text/html' }, body: new TextEncoder().encode('<h1>Bad gateway</h1>') });
    const error = await onboardError(onboard(options()));
    expect([error.status, error.serverCode]).toEqual([502, undefined]);
  });

  test('reports no answer as Network', async () => {
    const { oracle, options } = setup();
    oracle.addOutage(0, 10_000);
    expect((await onboardError(onboard(options()))).code).toBe('Network');
  });

  test('does not onboard while the wall time is unknown', async () => {
    const { oracle, options } = setup(null);
    expect((await onboardError(onboard(options()))).code).toBe('NoWallClock');
    expect(oracle.requests).toHaveLength(0);
  });

  test('refuses a latitude out of range before sending anything', async () => {
    const { oracle, options } = setup();
    const error = await failure(onboard(options({ location: { latE7: 900_000_001, lonE7: 0 } })));
    expect(isDecodeError(error, 'OutOfRange')).toBe(true);
    expect(oracle.requests).toHaveLength(0);
  });
});
