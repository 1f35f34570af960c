/**
 * The uploader over days of virtual time: a 48-hour ingest outage with receipts arriving throughout,
 * and a day of random faults. Everything must be delivered or accounted for exactly once, in order.
 */
import { Reason, type ReasonCode } from '../../proofs/index.js';
import type { HttpRequest } from '../../src/ports.js';
import { backoffCeilingMs, backoffFrom } from '../../src/backoff.js';
import { idHexOf, uploadRig } from '../support/upload-rig.js';
import { runFor } from '../support/test-ports.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';

const HOUR = 3_600_000;
const STEP_MS = 1_000;

/** Queues one receipt every `everyMs` until `untilMs`, recording when each was queued. */
function produce(rig: ReturnType<typeof uploadRig>, everyMs: number, untilMs: number): Map<string, number> {
  const queuedAt = new Map<string, number>();
  const tick = () => {
    rig.add();
    queuedAt.set(idHexOf(rig.appended[rig.appended.length - 1]), rig.clock.now());
    if (rig.clock.now() + everyMs <= untilMs) rig.clock.setTimer(tick, everyMs);
  };
  rig.clock.setTimer(tick, everyMs);
  return queuedAt;
}

describe('Uploader through a 48-hour ingest outage', () => {
  const outage = { fromMs: 1 * HOUR, toMs: 49 * HOUR };
  const timeoutMs = 15_000;
  let rig: ReturnType<typeof uploadRig>;
  let queuedAt: Map<string, number>;

  beforeAll(async () => {
    rig = uploadRig({ timeoutMs, seed: 48 });
    rig.oracle.outageMode = 'timeout';
    rig.oracle.latencyMs = 200;
    rig.oracle.addOutage(outage.fromMs, outage.toMs);
    rig.uploader.start();
    queuedAt = produce(rig, 60_000, 51 * HOUR);
    await runFor(rig.clock, 52 * HOUR, STEP_MS);
  });

  test('delivers every receipt exactly once, in the order queued, and empties the queue', () => {
    expect(rig.appended.length).toBe(51 * 60);
    expect(rig.oracle.stored.map((s) => s.idHex)).toEqual(rig.appended.map(idHexOf));
    expect(rig.queue.size).toBe(0);
    expect(rig.queue.removedSeqs).toEqual(rig.appended.map((_, i) => i + 1));
    expect(rig.queue.unknownRemovals).toEqual([]);
    expect(rig.uploader.stats).toMatchObject({ itemsStored: 51 * 60, itemsDuplicate: 0, itemsRejected: 0, consecutiveFailures: 0 });
  });

  test('uploads within a second of queueing while the oracle is up', () => {
    const lags = rig.oracle.stored
      .filter((s) => s.atMs < outage.fromMs || queuedAt.get(s.idHex)! > outage.toMs + HOUR)
      .map((s) => s.atMs - queuedAt.get(s.idHex)!);
    expect(lags.length).toBeGreaterThan(100);
    expect(Math.max(...lags)).toBeLessThanOrEqual(500 + STEP_MS);
  });

  test('spaces retries by a jittered exponential backoff capped at 30 minutes', () => {
    const backoff = backoffFrom();
    const attempts = rig.uploads().filter((r) => r.outcome === 'network').map((r) => r.atMs);
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]);
    gaps.forEach((gap, i) => {
      // Attempt i + 1 follows failure i + 1, which was declared after the request timed out.
      expect(gap).toBeGreaterThanOrEqual(timeoutMs + backoff.floorMs);
      expect(gap).toBeLessThanOrEqual(timeoutMs + backoffCeilingMs(backoff, i + 1) + 2 * STEP_MS);
    });
    expect(Math.max(...gaps)).toBeGreaterThan(20 * 60_000);
    // Once the ceiling is capped, full jitter spreads the delays over 0–30 min.
    const capped = gaps.filter((_, i) => backoffCeilingMs(backoff, i + 1) === backoff.maxMs);
    // Uniform on 0–30 min: mean 15 min, standard deviation 30 min / √12 ≈ 8.7 min.
    const mean = capped.reduce((a, b) => a + b, 0) / capped.length;
    const sd = Math.sqrt(capped.reduce((a, b) => a + (b - mean) ** 2, 0) / capped.length);
    expect(mean - timeoutMs).toBeGreaterThan(12 * 60_000);
    expect(mean - timeoutMs).toBeLessThan(18 * 60_000);
    expect(sd).toBeGreaterThan(7 * 60_000);
    expect(sd).toBeLessThan(10.5 * 60_000);
  });

  test('makes between 96 and 400 attempts in 48 hours: retries, not hammering', () => {
    const during = rig.uploads().filter((r) => r.atMs >= outage.fromMs && r.atMs < outage.toMs);
    expect(during.length).toBeGreaterThanOrEqual(96);
    expect(during.length).toBeLessThanOrEqual(400);
  });

  test('drains the backlog in full batches, one request at a time, within minutes of the end', () => {
    const after = rig.uploads().filter((r) => r.atMs >= outage.toMs);
    const drain = after.slice(0, Math.ceil((48 * 60) / 50));
    expect(drain.every((r) => r.outcome === 200)).toBe(true);
    expect(drain.slice(0, -1).every((r) => r.items === 50)).toBe(true);
    expect(drain[drain.length - 1].atMs - outage.toMs).toBeLessThan(31 * 60_000);
    expect(rig.traffic.maxInFlight).toBe(1);
    expect(rig.queue.largestPeek).toBe(50);
  });
});

describe('Uploader through a day of random faults', () => {
  test('every receipt is stored or rejected exactly once, stored ones in order', async () => {
    const rig = uploadRig({ seed: 7 });
    const faults = new SeededRng(2026);
    const rejectFor = new Map<string, ReasonCode>();
    rig.oracle.rejectItems((bytes) => rejectFor.get(idHexOf(bytes)));
    const inner = rig.oracle.request.bind(rig.oracle);
    rig.oracle.request = (request: HttpRequest) => {
      injectFault(rig, faults.bytes(1)[0]);
      return inner(request);
    };
    rig.uploader.start();
    for (let minute = 0; minute < 24 * 60; minute++) {
      const count = faults.bytes(1)[0] % 4;
      rig.add(count);
      // About one new receipt in twenty is one the oracle will reject.
      if (count > 0 && faults.bytes(1)[0] < 12) rejectFor.set(idHexOf(rig.appended[rig.appended.length - 1]), Reason.bad_rssi);
      await runFor(rig.clock, 60_000, 5_000);
    }
    await runFor(rig.clock, 2 * HOUR, 5_000);
    const ids = rig.appended.map(idHexOf);
    const rejected = ids.filter((id) => rejectFor.has(id));
    expect(rig.oracle.stored.map((s) => s.idHex)).toEqual(ids.filter((id) => !rejectFor.has(id)));
    expect(rig.uploader.stats.itemsRejected).toBe(rejected.length);
    expect(rig.queue.removedSeqs).toEqual(ids.map((_, i) => i + 1));
    expect(rig.queue.size).toBe(0);
    expect(rig.uploads().some((r) => r.outcome === 'lost')).toBe(true);
  });
});

/** One request in ten loses its answer, gets a 503, a 429, or finds no network. */
function injectFault(rig: ReturnType<typeof uploadRig>, draw: number): void {
  if (draw < 8) rig.oracle.loseAnswers(1);
  else if (draw < 16) rig.oracle.answerNext('/v1/receipts', { status: 503, json: { error: 'unavailable' } });
  else if (draw < 20) rig.oracle.answerNext('/v1/receipts', { status: 429, headers: { 'retry-after': '30' }, json: { error: 'rate_limited' } });
  else if (draw < 26) rig.oracle.addOutage(rig.clock.now(), rig.clock.now() + 1);
}
