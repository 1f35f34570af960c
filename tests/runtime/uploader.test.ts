/** The uploader's timing and batching: prompt, coalesced, one request at a time, a batch at most. */
import { Uploader } from '../../src/uploader.js';
import { ORACLE_URL } from '../support/fake-oracle.js';
import { RIG_HOTSPOT, beaconReportBytes, idHexOf, uploadRig } from '../support/upload-rig.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { memoryLog, runFor } from '../support/test-ports.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { FakeOracle } from '../support/fake-oracle.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';

describe('Uploader timing and batching', () => {
  test('uploads a new receipt within the coalescing delay of notify()', async () => {
    const rig = uploadRig({ coalesceMs: 500 });
    rig.uploader.start();
    await runFor(rig.clock, 10_000);
    rig.add();
    await runFor(rig.clock, 600, 10);
    expect(rig.oracle.stored.map((s) => s.idHex)).toEqual([idHexOf(rig.appended[0])]);
    expect(rig.uploads()[0].atMs).toBe(10_500);
    expect(rig.queue.size).toBe(0);
  });

  test('a burst of notifications within the delay goes out as one batch', async () => {
    const rig = uploadRig({ coalesceMs: 500 });
    rig.uploader.start();
    for (let i = 0; i < 5; i++) {
      rig.add();
      await runFor(rig.clock, 90, 10);
    }
    await runFor(rig.clock, 2_000);
    expect(rig.uploads().map((r) => r.items)).toEqual([5]);
    expect(rig.oracle.stored).toHaveLength(5);
  });

  test('sends what the queue held before start() (records kept across a reboot)', async () => {
    const rig = uploadRig();
    rig.add(3);
    await runFor(rig.clock, 5_000);
    expect(rig.uploads()).toHaveLength(0);
    rig.uploader.start();
    await runFor(rig.clock, 1_000);
    expect(rig.oracle.stored).toHaveLength(3);
  });

  test('splits a backlog into batches of maxBatchItems, oldest first, one after another', async () => {
    const rig = uploadRig({ maxBatchItems: 50 });
    rig.add(120);
    rig.uploader.start();
    await runFor(rig.clock, 2_000);
    expect(rig.uploads().map((r) => r.items)).toEqual([50, 50, 20]);
    expect(rig.oracle.stored.map((s) => s.idHex)).toEqual(rig.appended.map(idHexOf));
    expect(rig.queue.largestPeek).toBe(50);
  });

  test('uploads beacon reports and witness receipts alike', async () => {
    const rig = uploadRig();
    rig.queue.append(beaconReportBytes(7));
    rig.add(1);
    rig.uploader.start();
    await runFor(rig.clock, 1_000);
    expect(rig.oracle.stored.map((s) => s.idHex)).toEqual([idHexOf(beaconReportBytes(7)), idHexOf(rig.appended[0])]);
  });

  test('keeps one request in flight while receipts keep arriving', async () => {
    const rig = uploadRig({ coalesceMs: 200 });
    rig.oracle.latencyMs = 3_000;
    rig.uploader.start();
    for (let i = 0; i < 40; i++) {
      rig.add();
      await runFor(rig.clock, 250, 50);
    }
    await runFor(rig.clock, 10_000);
    expect(rig.traffic.maxInFlight).toBe(1);
    expect(rig.oracle.stored).toHaveLength(40);
    expect(rig.uploads().length).toBeLessThan(10);
  });

  test('reports its state: stopped, waiting, sending, idle', async () => {
    const rig = uploadRig({ coalesceMs: 500 });
    rig.oracle.latencyMs = 1_000;
    const seen = [rig.uploader.state];
    rig.uploader.start();
    rig.add();
    seen.push(rig.uploader.state);
    await runFor(rig.clock, 600, 100);
    seen.push(rig.uploader.state);
    await runFor(rig.clock, 1_500, 100);
    seen.push(rig.uploader.state);
    expect(seen).toEqual(['stopped', 'waiting', 'sending', 'idle']);
  });

  test('notify() while stopped sends nothing', async () => {
    const rig = uploadRig();
    rig.add(2);
    await runFor(rig.clock, 60_000, 1_000);
    expect(rig.oracle.requests).toHaveLength(0);
  });

  test('stop() cancels a scheduled upload: no request after it', async () => {
    const rig = uploadRig({ coalesceMs: 500 });
    rig.uploader.start();
    rig.add();
    rig.uploader.stop();
    await runFor(rig.clock, 3_600_000, 10_000);
    expect(rig.oracle.requests).toHaveLength(0);
    expect(rig.queue.size).toBe(1);
  });

  test('stop() during a request applies its ack and sends nothing more', async () => {
    const rig = uploadRig({ maxBatchItems: 10 });
    rig.oracle.latencyMs = 2_000;
    rig.add(30);
    rig.uploader.start();
    await runFor(rig.clock, 1_000, 100);
    rig.uploader.stop();
    await runFor(rig.clock, 3_600_000, 10_000);
    expect(rig.uploads()).toHaveLength(1);
    expect(rig.queue.size).toBe(20);
  });

  test('stop() during a backoff cancels the retry', async () => {
    const rig = uploadRig();
    rig.oracle.answerNext('/v1/receipts', { status: 503, json: { error: 'unavailable' } });
    rig.add();
    rig.uploader.start();
    await runFor(rig.clock, 600, 100);
    expect(rig.uploader.state).toBe('backingOff');
    rig.uploader.stop();
    await runFor(rig.clock, 3_600_000, 10_000);
    expect(rig.uploads()).toHaveLength(1);
  });

  test('start() after stop() resumes uploading', async () => {
    const rig = uploadRig();
    rig.uploader.start();
    rig.uploader.stop();
    rig.add(2);
    rig.uploader.start();
    await runFor(rig.clock, 1_000);
    expect(rig.oracle.stored).toHaveLength(2);
  });

  test('records the wall time of the last acknowledged upload', async () => {
    const rig = uploadRig();
    rig.uploader.start();
    rig.add();
    await runFor(rig.clock, 1_000, 10);
    expect(rig.uploader.stats.lastUploadWallMs).toBe((rig.clock.wallMs() as number) - 500);
    expect(rig.uploader.stats).toMatchObject({ batchesSent: 1, batchesAcked: 1, itemsStored: 1, consecutiveFailures: 0 });
  });

  test('refuses maxBatchItems beyond the 256 a batch may hold', () => {
    const clock = new VirtualClock(0);
    const make = () => new Uploader({
      queue: new MemoryQueue(), http: new FakeOracle({ clock }), clock, rng: new SeededRng(1), log: memoryLog(),
      oracleUrl: ORACLE_URL, uploader: RIG_HOTSPOT.publicKey, maxBatchItems: 257,
    });
    expect(make).toThrow(RangeError);
  });
});
