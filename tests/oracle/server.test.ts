/**
 * The oracle over real HTTP on 127.0.0.1: every route's answers, every error status with its reason,
 * idempotent uploads, and nothing stored from a refused request.
 */
import {
  AckStatus, decodeEntropy, decodeUploadAck, encodeCbor, encodeUploadBatch, hotspotAddress, Reason, toHex,
  verifyEntropy, type BatchItem, type Signer,
} from '../../proofs/index.js';
import { sodiumVerifier, signerFor } from '../support/keys.js';
import { onboardBody, startTestOracle, type TestOracle } from '../support/oracle-harness.js';
import { entropyRecord, signedBeaconReport, signedReceipt } from '../support/oracle-items.js';

const START = Date.UTC(2026, 10, 1, 12);
const alice = signerFor('server alice');
const bob = signerFor('server bob');

let t: TestOracle;
beforeEach(async () => {
  t = await startTestOracle({ startMs: START });
});
afterEach(async () => {
  await t.close();
});

async function onboard(signer: Signer, lat = 52.37, lon = 4.89, timeMs = START) {
  return t.post('/v1/hotspots', onboardBody(signer, lat, lon, timeMs));
}

function witnessItems(count: number, witness: Signer, beaconer = alice): BatchItem[] {
  const entropy = entropyRecord(Math.floor(START / 60_000));
  return Array.from({ length: count }, (_, i) => ({
    kind: 'witness' as const,
    receipt: signedReceipt(signedBeaconReport(beaconer, { entropy, nonce: Uint8Array.of(i, 0, 0, 1) }), witness, { rssiDdbm: -1000 }),
  }));
}

const batch = (uploader: Signer, items: BatchItem[]) => encodeUploadBatch({ uploader: uploader.publicKey, items });
const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;

describe('GET /v1/oracle and /v1/entropy', () => {
  test('publish the key devices pin, and entropy signed with it', async () => {
    const about = (await (await t.get('/v1/oracle')).json()) as { publicKey: string; address: string; entropyPeriodMs: number };
    expect(about.publicKey).toBe(toHex(signerFor('oracle').publicKey));
    expect(about.address).toBe(hotspotAddress(signerFor('oracle').publicKey));
    const response = await t.get('/v1/entropy');
    expect(response.headers.get('content-type')).toBe('application/cbor');
    const entropy = decodeEntropy(new Uint8Array(await response.arrayBuffer()));
    expect(entropy.epoch).toBe(Math.floor(START / 60_000));
    expect(verifyEntropy(entropy, signerFor('oracle').publicKey, sodiumVerifier)).toBe(true);
  });

  test('serve a past epoch unchanged, refuse a future one and a malformed one', async () => {
    const first = new Uint8Array(await (await t.get('/v1/entropy')).arrayBuffer());
    t.clock.nowMs += 60_000;
    const second = decodeEntropy(new Uint8Array(await (await t.get('/v1/entropy')).arrayBuffer()));
    expect(second.epoch).toBe(Math.floor(START / 60_000) + 1);
    const again = new Uint8Array(await (await t.get(`/v1/entropy?epoch=${second.epoch - 1}`)).arrayBuffer());
    expect(again).toEqual(first);
    expect((await t.get(`/v1/entropy?epoch=${second.epoch + 1}`)).status).toBe(404);
    expect((await t.get('/v1/entropy?epoch=soon')).status).toBe(400);
  });
});

describe('POST /v1/hotspots', () => {
  test('registers, then answers unchanged, updated, and stale for an older request', async () => {
    expect(await onboardAnswer(await onboard(alice))).toEqual([201, 'registered']);
    expect(await onboardAnswer(await onboard(alice))).toEqual([200, 'unchanged']);
    expect(await onboardAnswer(await onboard(alice, 52.4, 4.9, START + 1000))).toEqual([201, 'updated']);
    const stale = await onboard(alice, 52.5, 4.9, START - 1000);
    expect([stale.status, await errorOf(stale)]).toEqual([409, 'stale_request']);
    const stored = await t.oracle.store.hotspot(alice.publicKey);
    expect(stored?.location?.latE7).toBe(524_000_000);
  });

  test('refuses a forged request, an unknown region, bad CBOR, the wrong media type and a large body', async () => {
    const forged = onboardBody(alice, 52.37, 4.89, START);
    forged[forged.length - 1] ^= 1;
    const cases: [Response, number, string][] = [
      [await t.post('/v1/hotspots', forged), 422, 'bad_signature'],
      [await t.post('/v1/hotspots', onboardBody(alice, 52.37, 4.89, START, 'MARS1')), 400, 'unknown_region'],
      [await t.post('/v1/hotspots', Uint8Array.of(0x9f, 0x01)), 400, 'malformed'],
      [await t.post('/v1/hotspots', '{"lat": 1}', 'application/json'), 415, 'unsupported_media_type'],
      [await t.post('/v1/hotspots', new Uint8Array(5000)), 413, 'too_large'],
    ];
    for (const [response, status, error] of cases) expect([response.status, await errorOf(response)]).toEqual([status, error]);
    expect(await t.oracle.store.hotspotCount()).toBe(0);
  });
});

async function onboardAnswer(response: Response): Promise<[number, string]> {
  return [response.status, ((await response.json()) as { status: string }).status];
}

describe('POST /v1/receipts', () => {
  test('stores a batch once: a repeat is acknowledged as duplicates', async () => {
    await onboard(bob);
    const body = batch(bob, witnessItems(3, bob));
    const first = decodeUploadAck(new Uint8Array(await (await t.post('/v1/receipts', body)).arrayBuffer()));
    expect(first.results.map((r) => r.status)).toEqual([AckStatus.Stored, AckStatus.Stored, AckStatus.Stored]);
    const again = decodeUploadAck(new Uint8Array(await (await t.post('/v1/receipts', body)).arrayBuffer()));
    expect(again.results.map((r) => r.status)).toEqual([AckStatus.Duplicate, AckStatus.Duplicate, AckStatus.Duplicate]);
    expect((await t.oracle.store.counts()).pending).toBe(3);
  });

  test('rejects the bad items of a batch with their reasons and stores only the good ones', async () => {
    await onboard(bob);
    const [good, tampered] = witnessItems(2, bob);
    const otherSigner = witnessItems(1, alice)[0];
    if (tampered.kind !== 'witness') throw new Error('witness expected');
    const forged = { kind: 'witness' as const, receipt: { ...tampered.receipt, rssiDdbm: tampered.receipt.rssiDdbm + 10 } };
    const response = await t.post('/v1/receipts', batch(bob, [good, forged, otherSigner]));
    const ack = decodeUploadAck(new Uint8Array(await response.arrayBuffer()));
    expect(ack.results.map((r) => [r.status, r.reason])).toEqual([
      [AckStatus.Stored, Reason.none], [AckStatus.Rejected, Reason.bad_signature], [AckStatus.Rejected, Reason.bad_signature],
    ]);
    expect((await t.oracle.store.counts()).pending).toBe(1);
  });

  test('refuses a beacon report uploaded by someone other than its beaconer', async () => {
    await onboard(bob);
    const entropy = entropyRecord(Math.floor(START / 60_000));
    const report = signedBeaconReport(alice, { entropy });
    const [good] = witnessItems(1, bob);
    const ack = decodeUploadAck(new Uint8Array(await (await t.post('/v1/receipts', batch(bob, [good, { kind: 'beacon', report }]))).arrayBuffer()));
    expect(ack.results[1]).toMatchObject({ status: AckStatus.Rejected, reason: Reason.wrong_signer });
  });

  test.each([
    ['malformed CBOR', () => Uint8Array.of(0x85, 0x05), 400, 'malformed'],
    ['an unknown batch version', () => encodeCbor([5, 9, bob.publicKey, []]), 400, 'unknown_version'],
    ['an indefinite-length array', () => Uint8Array.of(0x9f, 0x05, 0x01, 0xff), 400, 'malformed'],
  ])('answers 400 to %s and stores nothing', async (_name, body, status, error) => {
    await onboard(bob);
    const response = await t.post('/v1/receipts', body());
    expect([response.status, await errorOf(response)]).toEqual([status, error]);
    expect((await t.oracle.store.counts()).pending).toBe(0);
  });

  test('answers 403 to a hotspot that has not onboarded', async () => {
    const response = await t.post('/v1/receipts', batch(bob, witnessItems(1, bob)));
    expect([response.status, await errorOf(response)]).toEqual([403, 'unknown_hotspot']);
  });

  test('checks no signature of a hotspot that has not onboarded, and answers it as before', async () => {
    await t.close();
    let checks = 0;
    const verifier = { verify: (...args: Parameters<typeof sodiumVerifier.verify>) => (checks++, sodiumVerifier.verify(...args)) };
    t = await startTestOracle({ startMs: START, verifier, config: { maxBatchItems: 3, requestsPerMinute: 60, requestBurst: 2 } });
    const answers: [number, string][] = [];
    for (const body of [
      batch(bob, witnessItems(3, bob)),
      encodeCbor([5, 9, bob.publicKey, []]),
      encodeUploadBatch({ uploader: bob.publicKey, items: witnessItems(4, bob) }),
      batch(bob, witnessItems(2, bob)),
      batch(bob, witnessItems(1, bob)),
    ]) {
      const response = await t.post('/v1/receipts', body);
      answers.push([response.status, await errorOf(response)]);
    }
    expect(answers).toEqual([
      [403, 'unknown_hotspot'], [400, 'unknown_version'], [413, 'too_large'], [403, 'unknown_hotspot'], [429, 'rate_limited'],
    ]);
    expect(checks).toBe(0);
    await onboard(alice);
    const onboarding = checks;
    expect(onboarding).toBeGreaterThan(0);
    expect((await t.post('/v1/receipts', batch(alice, witnessItems(3, alice)))).status).toBe(200);
    expect(checks - onboarding).toBe(3);
  });

  test('answers 422 when no item is signed by the uploader', async () => {
    await onboard(bob);
    const response = await t.post('/v1/receipts', batch(bob, witnessItems(2, alice)));
    expect([response.status, await errorOf(response)]).toEqual([422, 'bad_signature']);
    expect((await t.oracle.store.counts()).pending).toBe(0);
  });

  test('answers 413 over the body limit and 415 to another media type', async () => {
    await onboard(bob);
    const big = await t.post('/v1/receipts', new Uint8Array(70_000));
    expect([big.status, await errorOf(big)]).toEqual([413, 'too_large']);
    const json = await t.post('/v1/receipts', '[]', 'application/json');
    expect([json.status, await errorOf(json)]).toEqual([415, 'unsupported_media_type']);
  });

  test('answers 429 with Retry-After to a hotspot over its rate, and keeps serving others', async () => {
    await t.close();
    t = await startTestOracle({ startMs: START, config: { requestsPerMinute: 60, requestBurst: 2 } });
    await onboard(bob);
    await onboard(alice);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.post('/v1/receipts', batch(bob, witnessItems(1, bob)))).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await t.post('/v1/receipts', batch(bob, witnessItems(1, bob)));
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await t.post('/v1/receipts', batch(alice, witnessItems(1, alice, bob)))).status).toBe(200);
    t.clock.nowMs += 1000;
    expect((await t.post('/v1/receipts', batch(bob, witnessItems(1, bob)))).status).toBe(200);
  });
});

describe('read side', () => {
  test('GET /v1/hotspots/:id shows the registry entry and verdict counts, by address or hex', async () => {
    await onboard(bob);
    await t.post('/v1/receipts', batch(bob, witnessItems(2, bob)));
    for (const id of [hotspotAddress(bob.publicKey), toHex(bob.publicKey)]) {
      const body = (await (await t.get(`/v1/hotspots/${id}`)).json()) as Record<string, unknown>;
      expect(body).toMatchObject({ hotspot: hotspotAddress(bob.publicKey), region: 'EU868', status: 'active', witnesses: { pending: 2, valid: 0 } });
    }
    expect((await t.get(`/v1/hotspots/${toHex(alice.publicKey)}`)).status).toBe(404);
    expect((await t.get('/v1/hotspots/cvnotanaddress')).status).toBe(400);
  });

  test('GET /v1/epochs/:n/rewards is 404 while the epoch is open, 400 for a bad epoch', async () => {
    expect((await t.get('/v1/epochs/5/rewards')).status).toBe(404);
    expect((await t.get('/v1/epochs/x/rewards')).status).toBe(400);
  });

  test('GET /healthz and GET /metrics answer; an unknown route is a JSON 404', async () => {
    expect(await (await t.get('/healthz')).json()).toMatchObject({ status: 'ok', hotspots: 0 });
    await onboard(bob);
    await t.post('/v1/receipts', batch(bob, witnessItems(2, bob)));
    const metrics = await (await t.get('/metrics')).text();
    expect(metrics).toMatch(/^covey_oracle_hotspots 1$/m);
    expect(metrics).toMatch(/^covey_oracle_items_total\{outcome="stored",reason="none"\} 2$/m);
    expect(metrics).toMatch(/^covey_oracle_http_requests_total\{route="\/v1\/receipts",status="200"\} 1$/m);
    await t.oracle.verifier.runOnce(); // loads what is pending
    expect(await (await t.get('/metrics')).text()).toMatch(/^covey_oracle_items_pending 2$/m);
    // Their beacon reports never come: 45 minutes on, the two witnesses are judged unknown_beacon.
    t.clock.nowMs += t.oracle.config.unknownBeaconAfterMs;
    await t.oracle.verifier.runOnce();
    const later = await (await t.get('/metrics')).text();
    expect(later).toMatch(/^covey_oracle_verdicts_total\{kind="witness",status="invalid",reason="unknown_beacon"\} 2$/m);
    expect(later).toMatch(/^covey_oracle_items_pending 0$/m);
    const missing = await t.get('/v2/everything');
    expect([missing.status, await errorOf(missing)]).toEqual([404, 'not_found']);
  });
});
