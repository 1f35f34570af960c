/**
 * The CPU-bound half of ingest: reading each item's bytes and signed body out of the batch must give the
 * same verdicts and records as decoding with proofs/ and re-encoding, on valid and damaged batches; the
 * packed form for worker threads must carry every field; the worker pool must agree with in-line work.
 */
import fc from 'fast-check';
import {
  decodeUploadBatch, encodeBatchItem, encodeUploadBatch, Reason, verifyBatchItem, type BatchItem,
} from '../../proofs/index.js';
import { fieldsOf, openBatch, prepareBatch, type PreparedBatch } from '../../tools/oracle/ingest-prepare.js';
import { claimedUploader, itemSpans } from '../../tools/oracle/item-spans.js';
import { PreparePool } from '../../tools/oracle/prepare-pool.js';
import { packBatch, unpackBatch } from '../../tools/oracle/prepared-wire.js';
import { signerFor, sodiumVerifier } from '../support/keys.js';
import { entropyRecord, signedBeaconReport, signedReceipt } from '../support/oracle-items.js';
import { signedMapperReceipt, signedMapperReport } from './mapper-fixtures.js';

const uploader = signerFor('prepare uploader');
const other = signerFor('prepare other');
const entropy = entropyRecord(29_000_000);

/**
 * A mixed batch: the uploader's beacon report, its receipts, one receipt and one report signed by someone
 * else; then the same for the mapper role: the uploader's mapper report, its receipt of another mapper's
 * uplink, another mapper's report, and a receipt signed by someone else.
 */
function batchOf(count: number, rssi: number): { body: Uint8Array; items: BatchItem[] } {
  const items: BatchItem[] = [{ kind: 'beacon', report: signedBeaconReport(uploader, { entropy, nonce: Uint8Array.of(9, 9, 9, count) }) }];
  for (let i = 0; i < count; i++) {
    const report = signedBeaconReport(other, { entropy, nonce: Uint8Array.of(i, 1, 2, 3) });
    items.push({ kind: 'witness', receipt: signedReceipt(report, i === 1 ? other : uploader, { rssiDdbm: rssi - i }) });
  }
  items.push({ kind: 'beacon', report: signedBeaconReport(other, { entropy }) });
  const timeMs = entropy.timeMs + 30_000;
  const othersUplink = signedMapperReport(other, { timeMs, counter: count, latE7: -337_000_000 - count });
  items.push(
    { kind: 'mapper', report: signedMapperReport(uploader, { timeMs, counter: count, hdopDeci: 255, altitudeM: -12 }) },
    { kind: 'mapper-witness', receipt: signedMapperReceipt(othersUplink, uploader, { rssiDdbm: rssi, snrDdb: -75 }) },
    { kind: 'mapper', report: othersUplink },
    { kind: 'mapper-witness', receipt: signedMapperReceipt(othersUplink, other, { rssiDdbm: rssi }) },
  );
  return { body: encodeUploadBatch({ uploader: uploader.publicKey, items }), items };
}

/** What the oracle did before item spans: decode, verify with proofs, re-encode for storage. */
function reference(body: Uint8Array): PreparedBatch {
  let batch;
  try {
    batch = decodeUploadBatch(body);
  } catch {
    return { ok: false, error: 'malformed', detail: '' };
  }
  return {
    ok: true, uploader: batch.uploader,
    items: batch.items.map((d) => {
      if (d.item === undefined) return { id: d.id, reason: d.error.code === 'UnknownVersion' ? Reason.unknown_version : Reason.malformed };
      const reason = verifyBatchItem(batch.uploader, d.item, sodiumVerifier);
      return reason === Reason.none
        ? { id: d.id, reason, fields: fieldsOf(batch.uploader, d.id, d.item, encodeBatchItem(d.item)) }
        : { id: d.id, reason };
    }),
  };
}

const comparable = (batch: PreparedBatch) => (batch.ok ? { ...batch, items: batch.items.map((i) => ({ ...i })) } : { ok: false });

describe('item spans', () => {
  test('cover each item exactly as the encoder writes it', () => {
    const { body, items } = batchOf(4, -900);
    expect(itemSpans(body).map(([start, end]) => body.slice(start, end))).toEqual(items.map(encodeBatchItem));
  });

  test('give the same verdicts and records as decoding and re-encoding, on valid and damaged batches (property)', () => {
    const { body } = batchOf(3, -1000);
    const prepared = prepareBatch(body, sodiumVerifier);
    expect(prepared).toEqual(reference(body));
    expect(prepared.ok && prepared.items.map((item) => [item.fields?.kind, item.reason])).toEqual([
      ['beacon', Reason.none], ['witness', Reason.none], [undefined, Reason.bad_signature], ['witness', Reason.none],
      [undefined, Reason.wrong_signer],
      ['mapper', Reason.none], ['mapper-witness', Reason.none], [undefined, Reason.wrong_signer], [undefined, Reason.bad_signature],
    ]);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const damaged = Uint8Array.from(body);
        damaged[at % damaged.length] ^= 1 << bit;
        expect(comparable(prepareBatch(damaged, sodiumVerifier))).toEqual(comparable(reference(damaged)));
      }),
      { numRuns: 400 },
    );
  });
});

describe('a batch read before its items', () => {
  test('names the uploader and the item count that decoding gives, and refuses what prepareBatch refuses (property)', () => {
    const { body, items } = batchOf(2, -950);
    expect(claimedUploader(body)).toEqual(uploader.publicKey);
    expect(openBatch(body)).toEqual({ ok: true, uploader: uploader.publicKey, itemCount: items.length });
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const damaged = Uint8Array.from(body);
        damaged[at % damaged.length] ^= 1 << bit;
        const prepared = prepareBatch(damaged, sodiumVerifier);
        const opened = openBatch(damaged);
        expect(opened.ok).toBe(prepared.ok);
        if (!opened.ok || !prepared.ok) {
          expect(opened).toEqual(prepared);
          return;
        }
        expect(opened).toEqual({ ok: true, uploader: prepared.uploader, itemCount: prepared.items.length });
        expect(claimedUploader(damaged)).toEqual(prepared.uploader);
      }),
      { numRuns: 400 },
    );
  });

  test('claims an uploader only where a whole key follows a batch\'s first three heads, and reads nothing past the end (property)', () => {
    const { body } = batchOf(1, -950);
    for (let length = 0; length < 37; length++) expect(claimedUploader(body.subarray(0, length))).toBeUndefined();
    expect(claimedUploader(body.subarray(0, 37))).toEqual(uploader.publicKey);
    expect(claimedUploader(Uint8Array.of(0xa4, 0x05, 0x01, 0x58, 0x20, ...uploader.publicKey))).toBeUndefined(); // a map
    expect(claimedUploader(Uint8Array.of(0x84, 0x05, 0x41, 0x58, 0x20, ...uploader.publicKey))).toBeUndefined(); // bytes for a version
    expect(claimedUploader(Uint8Array.of(0x84, 0x05, 0x01, 0x58, 0x1f, ...uploader.publicKey))).toBeUndefined(); // a 31-byte key
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 }), fc.uint8Array({ maxLength: 48 }),
        (count, type, version, rest) => {
          const bytes = Uint8Array.of(0x80 | count, type, version, 0x58, 0x20, ...rest);
          const claimed = claimedUploader(bytes);
          if (count < 3 || rest.length < 32) expect(claimed).toBeUndefined();
          else expect(claimed).toEqual(rest.subarray(0, 32));
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      const claimed = claimedUploader(bytes);
      if (claimed !== undefined) expect(claimed).toHaveLength(32);
    }), { numRuns: 300 });
  });
});

describe('packed batches for worker threads', () => {
  test('unpack to the batch that was packed, and transfer their buffers', () => {
    const prepared = prepareBatch(batchOf(5, -1100).body, sodiumVerifier);
    const { packed, transfer } = packBatch(prepared);
    expect(transfer).toHaveLength(2);
    expect(unpackBatch(structuredClone(packed))).toEqual(prepared);
  });

  test('carry a refused batch as it is', () => {
    const refused = prepareBatch(Uint8Array.of(0x85, 0x05), sodiumVerifier);
    expect(refused.ok).toBe(false);
    expect(unpackBatch(packBatch(refused).packed)).toEqual(refused);
  });
});

describe('the prepare pool', () => {
  test('worker threads agree with in-line preparation', async () => {
    const pool = new PreparePool(2);
    try {
      const bodies = [batchOf(2, -950).body, Uint8Array.of(1, 2, 3), batchOf(6, -1050).body];
      const pooled = await Promise.all(bodies.map((body) => pool.prepare(body)));
      expect(pooled).toEqual(bodies.map((body) => prepareBatch(body, sodiumVerifier)));
    } finally {
      await pool.close();
    }
    await expect(pool.prepare(Uint8Array.of(1))).rejects.toThrow(/closed/);
  });

  test('workers that cannot start are given up after a few tries, not started again in a loop', async () => {
    const failures: Error[] = [];
    const missing = new URL('./no-such-prepare-worker.mjs', import.meta.url);
    const pool = new PreparePool(1, { workerUrl: missing, onFailure: (error) => failures.push(error) });
    try {
      const first = pool.prepare(batchOf(1, -950).body);
      await expect(first).rejects.toThrow(/no-such-prepare-worker/);
      // A failed start is replaced until the third in a row; then the pool has its failure.
      const deadline = Date.now() + 10_000;
      while (pool.failure === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pool.failure?.message).toMatch(/^the prepare workers cannot start: .*no-such-prepare-worker/);
      await expect(pool.prepare(Uint8Array.of(1))).rejects.toBe(pool.failure);
      // Given up means no more threads: nothing new fails, and onFailure was told once.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(failures).toEqual([pool.failure]);
    } finally {
      await pool.close();
    }
  });
});
