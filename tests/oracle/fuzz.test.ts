/**
 * Abuse: 100,000 malformed bodies (random bytes, truncated and bit-flipped valid batches, junk onboarding
 * requests) against the running server over real HTTP, with valid uploads in between. The server must
 * never fail (no 5xx, no dropped connection), answer every malformed body with a 4xx and a JSON reason,
 * never store an item from a damaged body, and keep storing the valid traffic.
 */
import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { AckStatus, decodeUploadAck, encodeUploadBatch, type BatchItem } from '../../proofs/index.js';
import { signerFor } from '../support/keys.js';
import { onboardBody, startTestOracle, type TestOracle } from '../support/oracle-harness.js';
import { entropyRecord, signedBeaconReport, signedReceipt } from '../support/oracle-items.js';

const START = Date.UTC(2026, 10, 1, 12);
const BODIES = 100_000;
const CONCURRENCY = 32;
const hotspots = Array.from({ length: 8 }, (_, i) => signerFor(`fuzz hotspot ${i}`));

interface Answer {
  readonly status: number;
  readonly body: Buffer;
}

function post(agent: Agent, url: string, body: Uint8Array): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/cbor', 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A valid batch of `count` receipts from hotspot `h`, distinct for each `n`. */
function validBatch(h: number, n: number, count = 5): Uint8Array {
  const entropy = entropyRecord(Math.floor(START / 60_000));
  const beaconer = hotspots[(h + 1) % hotspots.length];
  const items: BatchItem[] = Array.from({ length: count }, (_, i) => {
    const report = signedBeaconReport(beaconer, { entropy, nonce: Uint8Array.of(n >> 8, n & 0xff, i, 7) });
    return { kind: 'witness', receipt: signedReceipt(report, hotspots[h], { rssiDdbm: -1100 }) };
  });
  return encodeUploadBatch({ uploader: hotspots[h].publicKey, items });
}

/** Malformed bodies, drawn from a seeded stream: kinds in turn, so each kind is well represented. */
function malformedBodies(seeds: readonly Uint8Array[], count: number): Uint8Array[] {
  const random = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 300 }), { numRuns: count, seed: 42 });
  const cuts = fc.sample(fc.tuple(fc.nat(), fc.nat()), { numRuns: count, seed: 43 });
  return Array.from({ length: count }, (_, i) => {
    const valid = seeds[i % seeds.length];
    const [a, b] = cuts[i];
    switch (i % 3) {
      case 0:
        return random[i];
      case 1:
        return valid.slice(0, a % valid.length); // truncated (possibly empty)
      default: {
        const mutated = Uint8Array.from(valid);
        mutated[a % mutated.length] ^= 1 << (b % 8); // one flipped bit
        return mutated;
      }
    }
  });
}

let t: TestOracle;
beforeAll(async () => {
  t = await startTestOracle({ startMs: START, config: { requestsPerMinute: 1_000_000, requestBurst: 1_000_000 } });
  for (const [i, signer] of hotspots.entries()) {
    expect((await t.post('/v1/hotspots', onboardBody(signer, 52.3 + i / 50, 4.8, START))).status).toBe(201);
  }
});
afterAll(async () => {
  await t.close();
});

test(`${BODIES} malformed bodies: every answer a 4xx with a reason or an ack storing nothing; valid uploads unaffected`, async () => {
  const seeds = hotspots.map((_, h) => validBatch(h, 0));
  for (const seed of seeds) expect((await post(new Agent(), `${t.url}/v1/receipts`, seed)).status).toBe(200);
  const bodies = malformedBodies(seeds, BODIES);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const statuses = new Map<number, number>();
  const problems: string[] = [];
  let validUploads = 0;
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      const path = i % 50 === 49 ? '/v1/hotspots' : '/v1/receipts';
      const answer = await post(agent, `${t.url}${path}`, bodies[i]);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 200 && path === '/v1/receipts') {
        // A damaged batch that still decodes: every item is already stored or refused, none new.
        const ack = decodeUploadAck(new Uint8Array(answer.body));
        if (ack.results.some((r) => r.status === AckStatus.Stored)) problems.push(`body ${i}: a damaged item was stored`);
      } else if (answer.status < 400 || answer.status >= 500) problems.push(`body ${i}: status ${answer.status}`);
      else if (typeof (JSON.parse(answer.body.toString()) as { error?: unknown }).error !== 'string') problems.push(`body ${i}: no reason`);
      if (i % 1000 === 0) {
        const valid = await post(agent, `${t.url}/v1/receipts`, validBatch(i % hotspots.length, 1 + i / 1000));
        if (valid.status === 200) validUploads++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  expect(problems.slice(0, 5)).toEqual([]);
  expect([...statuses.keys()].every((status) => status === 200 || (status >= 400 && status < 500))).toBe(true);
  expect(statuses.get(400)).toBeGreaterThan(BODIES / 2);
  expect(validUploads).toBe(BODIES / 1000);
  // Exactly the valid receipts are stored: 5 per seed batch and per valid upload.
  expect((await t.oracle.store.counts()).pending).toBe(5 * (seeds.length + validUploads));
  expect((await t.get('/healthz')).status).toBe(200);
}, 240_000);
