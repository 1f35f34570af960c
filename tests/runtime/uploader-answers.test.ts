/** What the uploader does with each answer to POST /v1/receipts (docs/protocol.md §5). */
import {
  AckStatus, decodeWitnessReceipt, encodeUploadAck, Reason, receiptId,
} from '../../proofs/index.js';
import { RIG_HOTSPOT, idHexOf, uploadRig } from '../support/upload-rig.js';
import { runFor } from '../support/test-ports.js';

const cbor = (body: Uint8Array) => ({ status: 200, headers: { 'content-type': 'application/cbor' }, body });

/** Requests to /v1/receipts, as "status@seconds" for compact comparisons. */
const timeline = (rig: ReturnType<typeof uploadRig>) =>
  rig.uploads().map((r) => `${r.outcome}@${Math.round(r.atMs / 1000)}`);

describe('Uploader answers: 200', () => {
  test('removes rejected items, counts them per reason and never resends them', async () => {
    const rig = uploadRig();
    rig.oracle.rejectItems((bytes) => {
      const rssi = decodeWitnessReceipt(bytes).rssiDdbm;
      return rssi % 3 === 0 ? Reason.bad_rssi : rssi % 5 === 0 ? Reason.too_late : undefined;
    });
    rig.add(30);
    rig.uploader.start();
    await runFor(rig.clock, 3_600_000, 1_000);
    const rssi = rig.appended.map((b) => decodeWitnessReceipt(b).rssiDdbm);
    const badRssi = rssi.filter((r) => r % 3 === 0).length;
    const tooLate = rssi.filter((r) => r % 3 !== 0 && r % 5 === 0).length;
    expect(rig.uploads()).toHaveLength(1);
    expect(rig.queue.size).toBe(0);
    expect(rig.uploader.stats.rejectedByReason).toEqual({ bad_rssi: badRssi, too_late: tooLate });
    expect(rig.uploader.stats).toMatchObject({ itemsRejected: badRssi + tooLate, itemsStored: 30 - badRssi - tooLate });
  });

  test('logs each rejection reason of a batch with its count', async () => {
    const rig = uploadRig();
    rig.oracle.rejectItems(() => Reason.stale);
    rig.add(4);
    rig.uploader.start();
    await runFor(rig.clock, 1_000);
    const lines = rig.log.lines.filter((l) => l.message === 'upload: items rejected');
    expect(lines.map((l) => l.fields)).toEqual([{ reason: 'stale', count: 4 }]);
  });

  test('keeps at most 8 reason names and counts the rest as other', async () => {
    const rig = uploadRig();
    // Receipt n has RSSI −1200 + n: twelve reasons, 10..21, two receipts each.
    rig.oracle.rejectItems((bytes) => (10 + ((decodeWitnessReceipt(bytes).rssiDdbm + 1200) % 12)) as never);
    rig.add(24);
    rig.uploader.start();
    await runFor(rig.clock, 1_000);
    const byReason = rig.uploader.stats.rejectedByReason;
    expect(Object.keys(byReason)).toHaveLength(9);
    expect(byReason.other).toBe(8);
    expect(rig.uploader.stats.itemsRejected).toBe(24);
  });

  test('a lost answer is resent and its duplicates are removed, stored once', async () => {
    const rig = uploadRig();
    rig.oracle.loseAnswers(1);
    rig.add(10);
    rig.uploader.start();
    await runFor(rig.clock, 60_000);
    expect(timeline(rig).map((t) => t.split('@')[0])).toEqual(['lost', '200']);
    expect(rig.uploader.stats).toMatchObject({ itemsDuplicate: 10, itemsStored: 0, consecutiveFailures: 0 });
    expect(rig.oracle.stored).toHaveLength(10);
    expect(rig.queue.size).toBe(0);
  });

  test('a timed-out request is resent, and what the oracle stored comes back as duplicates', async () => {
    const rig = uploadRig({ timeoutMs: 5_000 });
    rig.oracle.latencyMs = 8_000;
    rig.add(3);
    rig.uploader.start();
    await runFor(rig.clock, 6_000);
    rig.oracle.latencyMs = 100;
    await runFor(rig.clock, 60_000);
    expect(rig.uploader.stats.itemsDuplicate).toBe(3);
    expect(rig.oracle.stored).toHaveLength(3);
  });

  test('keeps the items an ack does not list and sends them next', async () => {
    const rig = uploadRig();
    rig.add(4);
    const listed = rig.appended.slice(0, 2).map((b) => ({ id: receiptId(RIG_HOTSPOT.publicKey, b), status: AckStatus.Stored, reason: 0 }));
    rig.oracle.answerNext('/v1/receipts', cbor(encodeUploadAck({ results: listed })));
    rig.uploader.start();
    await runFor(rig.clock, 2_000);
    expect(rig.uploads().map((r) => r.items)).toEqual([undefined, 2]);
    expect(rig.oracle.stored.map((s) => s.idHex)).toEqual(rig.appended.slice(2).map(idHexOf));
    expect(rig.queue.size).toBe(0);
  });

  test('matches ack results by id whatever their order', async () => {
    const rig = uploadRig();
    rig.add(3);
    const results = [...rig.appended].reverse().map((b) => ({ id: receiptId(RIG_HOTSPOT.publicKey, b), status: AckStatus.Duplicate, reason: 0 }));
    rig.oracle.answerNext('/v1/receipts', cbor(encodeUploadAck({ results })));
    rig.uploader.start();
    await runFor(rig.clock, 2_000);
    expect(rig.queue.removedSeqs).toEqual([1, 2, 3]);
    expect(rig.uploads()).toHaveLength(1);
  });

  test('a malformed ack removes nothing and the batch is retried after a backoff', async () => {
    const rig = uploadRig();
    rig.oracle.answerNext('/v1/receipts', cbor(Uint8Array.of(0x83, 0x06, 0x01)));
    rig.add(5);
    rig.uploader.start();
    await runFor(rig.clock, 1_000, 10);
    expect(rig.queue.size).toBe(5);
    expect(rig.uploader.stats.lastError).toMatch(/^MalformedAck/);
    await runFor(rig.clock, 10_000);
    expect(rig.oracle.stored).toHaveLength(5);
    expect(rig.queue.size).toBe(0);
  });

  test('an ack that is not application/cbor counts as malformed', async () => {
    const rig = uploadRig();
    rig.oracle.answerNext('/v1/receipts', { status: 200, json: { ok: true } });
    rig.add();
    rig.uploader.start();
    await runFor(rig.clock, 1_000, 10);
    expect([rig.queue.size, rig.uploader.stats.consecutiveFailures]).toEqual([1, 1]);
  });

  test('an ack listing none of the batch counts as a failure, not progress', async () => {
    const rig = uploadRig();
    rig.oracle.answerNext('/v1/receipts', cbor(encodeUploadAck({ results: [] })));
    rig.add(2);
    rig.uploader.start();
    await runFor(rig.clock, 1_000, 10);
    expect(rig.uploader.state).toBe('backingOff');
    expect(rig.uploads()).toHaveLength(1);
  });
});

describe('Uploader answers: errors', () => {
  test('403 onboards the hotspot, then the batch is retried at once', async () => {
    const rig = uploadRig({ onboarded: false });
    rig.add(2);
    rig.uploader.start();
    await runFor(rig.clock, 2_000, 10);
    expect(rig.oracle.requests.map((r) => `${r.path} ${r.outcome}`)).toEqual([
      '/v1/receipts 403', '/v1/hotspots 201', '/v1/receipts 200',
    ]);
    expect(rig.traffic.onboardCalls).toBe(1);
    expect(rig.oracle.stored).toHaveLength(2);
  });

  test('a 403 that persists after onboarding backs off instead of looping', async () => {
    const rig = uploadRig();
    rig.oracle.answerNext('/v1/receipts', { status: 403, json: { error: 'unknown_hotspot' } }, 1_000);
    rig.add();
    rig.uploader.start();
    await runFor(rig.clock, 60_000, 100);
    expect(rig.uploads().length).toBeLessThan(8);
    expect(rig.traffic.maxInFlight).toBe(1);
    expect(rig.uploader.stats.consecutiveFailures).toBeGreaterThan(1);
  });

  test('413 halves the batch until it fits', async () => {
    const rig = uploadRig({ maxBatchItems: 100 });
    rig.oracle.maxBodyBytes = 3_000; // about 28 receipts
    rig.add(100);
    rig.uploader.start();
    await runFor(rig.clock, 5_000);
    expect(rig.uploads().map((r) => `${r.outcome}:${r.bodyBytes > 3_000 ? 'big' : 'ok'}`).slice(0, 3)).toEqual(['413:big', '413:big', '200:ok']);
    expect(rig.uploader.batchItems).toBe(25);
    expect(rig.oracle.stored.map((s) => s.idHex)).toEqual(rig.appended.map(idHexOf));
  });

  test('429 waits the Retry-After the oracle gave', async () => {
    const rig = uploadRig();
    rig.oracle.answerNext('/v1/receipts', { status: 429, headers: { 'retry-after': '120' }, json: { error: 'rate_limited' } });
    rig.add();
    rig.uploader.start();
    await runFor(rig.clock, 300_000, 100);
    expect(timeline(rig)).toEqual(['429@1', '200@121']);
  });

  test('429 without Retry-After backs off like a failure', async () => {
    const rig = uploadRig({ backoff: { initialMs: 5_000, jitter: 0 } });
    rig.oracle.answerNext('/v1/receipts', { status: 429, json: { error: 'rate_limited' } });
    rig.add();
    rig.uploader.start();
    await runFor(rig.clock, 60_000, 100);
    expect(timeline(rig)).toEqual(['429@1', '200@6']);
  });

  test('5xx answers are retried with doubling delays, then the counter resets', async () => {
    const rig = uploadRig({ backoff: { initialMs: 5_000, jitter: 0 } });
    rig.oracle.answerNext('/v1/receipts', { status: 503, json: { error: 'unavailable' } }, 3);
    rig.add();
    rig.uploader.start();
    await runFor(rig.clock, 120_000, 100);
    expect(timeline(rig)).toEqual(['503@1', '503@6', '503@16', '200@36']);
    expect(rig.uploader.stats).toMatchObject({ consecutiveFailures: 0, lastError: 'Status 503 unavailable' });
  });

  test.each([400, 415, 422])('%i keeps everything, logs an error and backs off', async (status) => {
    const rig = uploadRig({ backoff: { initialMs: 5_000, jitter: 0 } });
    rig.oracle.answerNext('/v1/receipts', { status, json: { error: 'bad_signature' } }, 2);
    rig.add(3);
    rig.uploader.start();
    await runFor(rig.clock, 4_000, 100);
    expect(rig.queue.size).toBe(3);
    expect(rig.log.lines.some((l) => l.level === 'error' && l.fields.error === `Status ${status} bad_signature`)).toBe(true);
    await runFor(rig.clock, 60_000, 100);
    expect(timeline(rig)).toEqual([`${status}@1`, `${status}@6`, '200@16']);
  });

  test('no answer at all is retried with backoff', async () => {
    const rig = uploadRig({ backoff: { initialMs: 5_000, jitter: 0 } });
    rig.oracle.addOutage(0, 10_000);
    rig.add();
    rig.uploader.start();
    await runFor(rig.clock, 60_000, 100);
    expect(timeline(rig)).toEqual(['network@1', 'network@6', '200@16']);
    expect(rig.uploader.stats.lastError).toMatch(/^Network/);
  });
});
