import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { encodeEntropy, entropyEpochAt, equalBytes, signEntropy, type Entropy } from '../../proofs/index.js';
import { EntropyClient, EntropyError, type EntropyClientOptions } from '../../src/entropy-client.js';
import { FakeOracle, ORACLE_URL } from '../support/fake-oracle.js';
import { hostVerifier, signerFor } from '../support/keys.js';
import { runFor } from '../support/test-ports.js';

/** 2026-03-01 12:00:30 UTC: 30 s into an entropy epoch. */
const WALL = Date.UTC(2026, 2, 1, 12, 0, 30);
const EPOCH = entropyEpochAt(WALL);

/** `wallMs` null: a hotspot that does not know the date yet. */
function setup(wallMs: number | null = WALL, overrides: Partial<EntropyClientOptions> = {}) {
  const clock = new VirtualClock(0, wallMs ?? undefined);
  const oracle = new FakeOracle({ clock, wallMs: () => clock.wallMs() ?? WALL });
  const client = new EntropyClient({
    http: oracle, clock, oracleUrl: ORACLE_URL, oracleKey: oracle.signer.publicKey, verifier: hostVerifier, ...overrides,
  });
  return { clock, oracle, client };
}

/** Makes the oracle's next entropy answer `entropy` instead of the newest. */
function serve(oracle: FakeOracle, entropy: Entropy): void {
  oracle.answerNext('/v1/entropy', { status: 200, headers: { 'content-type': 'application/cbor' }, body: encodeEntropy(entropy) });
}

async function failure(promise: Promise<unknown>): Promise<EntropyError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof EntropyError)) throw new Error(`expected an EntropyError, got ${String(error)}`);
  return error;
}

describe('EntropyClient', () => {
  test('returns the newest entropy when it verifies under the pinned key', async () => {
    const { oracle, client } = setup();
    const entropy = await client.fetch();
    expect(entropy.epoch).toBe(EPOCH);
    expect(equalBytes(entropy.data, oracle.entropyOf(EPOCH).data)).toBe(true);
    expect(oracle.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/entropy']);
  });

  test('refuses entropy signed by a key other than the pinned one', async () => {
    const { oracle, client } = setup();
    serve(oracle, signEntropy({ ...oracle.entropyOf(EPOCH) }, signerFor('impostor oracle')));
    expect((await failure(client.fetch())).code).toBe('BadSignature');
  });

  test('refuses everything when the pinned key is not the oracle key', async () => {
    const { client } = setup(WALL, { oracleKey: signerFor('some other oracle').publicKey });
    expect((await failure(client.fetch())).code).toBe('BadSignature');
  });

  test('accepts entropy exactly maxAgeMs − safetyMarginMs old and refuses it 1 ms later', async () => {
    const old = (wallMs: number) => ({ epoch: entropyEpochAt(wallMs - 120_000), timeMs: wallMs - 120_000 });
    const atLimit = setup();
    serve(atLimit.oracle, signEntropy({ ...old(WALL), data: new Uint8Array(32) }, atLimit.oracle.signer));
    expect((await atLimit.client.fetch()).timeMs).toBe(WALL - 120_000);
    const beyond = setup();
    serve(beyond.oracle, signEntropy({ ...old(WALL - 1), data: new Uint8Array(32) }, beyond.oracle.signer));
    expect((await failure(beyond.client.fetch())).code).toBe('Stale');
  });

  test('refuses entropy two epochs old with the default 180 s lifespan and 60 s margin', async () => {
    const { oracle, client } = setup();
    serve(oracle, oracle.entropyOf(EPOCH - 2));
    const error = await failure(client.fetch());
    expect(error.code).toBe('Stale');
  });

  test('a smaller safety margin accepts what the default refuses', async () => {
    const { oracle, client } = setup(WALL, { safetyMarginMs: 20_000 });
    serve(oracle, oracle.entropyOf(EPOCH - 2));
    expect((await client.fetch()).epoch).toBe(EPOCH - 2);
  });

  test('refuses entropy dated beyond the allowed skew ahead of the wall clock', async () => {
    const { oracle, client } = setup();
    serve(oracle, oracle.entropyOf(EPOCH + 1)); // 30 s ahead
    expect((await failure(client.fetch())).code).toBe('Future');
  });

  test('accepts entropy a few seconds ahead of the wall clock', async () => {
    const { oracle, client } = setup(WALL + 25_000); // 5 s before the next epoch
    serve(oracle, oracle.entropyOf(EPOCH + 1));
    expect((await client.fetch()).epoch).toBe(EPOCH + 1);
  });

  test('refuses to fetch while the wall time is unknown, without a request', async () => {
    const { oracle, client } = setup(null);
    expect((await failure(client.fetch())).code).toBe('NoWallClock');
    expect(oracle.requests).toHaveLength(0);
  });

  test('reports a network failure as Network', async () => {
    const { oracle, client } = setup();
    oracle.addOutage(0, 1_000);
    expect((await failure(client.fetch())).code).toBe('Network');
  });

  test('reports a timeout as Network', async () => {
    const { clock, oracle, client } = setup(WALL, { timeoutMs: 2_000 });
    oracle.latencyMs = 5_000;
    const pending = failure(client.fetch());
    await runFor(clock, 3_000);
    expect((await pending).code).toBe('Network');
  });

  test('reports an error status with the oracle error code', async () => {
    const { oracle, client } = setup();
    oracle.answerNext('/v1/entropy', { status: 503, json: { error: 'no_entropy', detail: 'none yet' } });
    const error = await failure(client.fetch());
    expect([error.code, error.status, error.serverCode]).toEqual(['Status', 503, 'no_entropy']);
  });

  test('refuses a 200 answer that is not application/cbor', async () => {
    const { oracle, client } = setup();
    const body = encodeEntropy(oracle.entropyOf(EPOCH));
    oracle.answerNext('/v1/entropy', { status: 200, headers: { 'content-type': 'application/octet-stream' }, body });
    expect((await failure(client.fetch())).code).toBe('Decode');
  });

  test('refuses entropy with a trailing byte', async () => {
    const { oracle, client } = setup();
    const body = Uint8Array.of(...encodeEntropy(oracle.entropyOf(EPOCH)), 0);
    oracle.answerNext('/v1/entropy', { status: 200, headers: { 'content-type': 'application/cbor' }, body });
    expect((await failure(client.fetch())).code).toBe('Decode');
  });

  test('refuses an oversized body before decoding it', async () => {
    const { oracle, client } = setup();
    oracle.answerNext('/v1/entropy', { status: 200, headers: { 'content-type': 'application/cbor' }, body: new Uint8Array(4096) });
    const error = await failure(client.fetch());
    expect(error.code).toBe('Decode');
    expect(error.message).toMatch(/4096 bytes/);
  });

  test('reuses verified entropy within its epoch and fetches again in the next', async () => {
    const { clock, oracle, client } = setup();
    const first = await client.fetch();
    await runFor(clock, 20_000, 1_000);
    expect(await client.fetch()).toBe(first);
    expect(oracle.requests).toHaveLength(1);
    await runFor(clock, 20_000, 1_000); // past 12:01:00
    expect((await client.fetch()).epoch).toBe(EPOCH + 1);
    expect(oracle.requests).toHaveLength(2);
  });

  test('tells until when an entropy may be quoted', async () => {
    const { client } = setup();
    const entropy = await client.fetch();
    expect(client.usableUntilWallMs(entropy)).toBe(entropy.timeMs + 120_000);
  });

  test('refuses an oracle key that is not 32 bytes', () => {
    const clock = new VirtualClock(0, WALL);
    const make = () => new EntropyClient({ http: new FakeOracle({ clock }), clock, oracleUrl: ORACLE_URL, oracleKey: new Uint8Array(31), verifier: hostVerifier });
    expect(make).toThrow(RangeError);
  });

  test('refuses a safety margin that leaves no lifespan', () => {
    expect(() => setup(WALL, { maxAgeMs: 60_000, safetyMarginMs: 60_000 })).toThrow(RangeError);
  });
});
