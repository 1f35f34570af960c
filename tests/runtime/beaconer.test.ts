/** The beaconer over many simulated days with small fakes: schedule, refusals and retries, reports, reboots. */
import { decodeBeacon } from '../../proofs/beacon.js';
import { decodeBeaconReport, verifyBeaconReport } from '../../proofs/beacon-report.js';
import { equalBytes } from '../../proofs/bytes.js';
import { entropyEpochAt, ENTROPY_PERIOD_MS, signEntropy, type Entropy } from '../../proofs/entropy.js';
import { DutyCycleAccountant } from '../../hal/radio/duty-cycle.js';
import { BEACON_EPOCH_KEY, EPOCH_END_MARGIN_MS, latestStartMs, nextBeaconTime } from '../../src/beacon-schedule.js';
import { Beaconer, type BeaconerOptions } from '../../src/beaconer.js';
import type { EntropySource } from '../../src/components.js';
import { pocChannelOf, type PocChannel } from '../../src/poc-channel.js';
import type { Radio } from '../../src/ports.js';
import { parseSettings } from '../../src/settings.js';
import { DrivenClock } from '../support/driven-clock.js';
import { hostVerifier, signerFor } from '../support/keys.js';
import { MemoryKeyValue } from '../support/memory-kv.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { memoryLog, seededRng } from '../support/test-ports.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-03-01T00:00:00Z: a UTC midnight, so epoch boundaries fall on whole hours of the run. */
const START_WALL = Date.UTC(2026, 2, 1);
const oracle = signerFor('oracle');
const beaconerKey = signerFor('beaconer');

interface Sent {
  readonly startMs: number;
  readonly startWall: number;
  readonly frame: Uint8Array;
}

/** A radio that transmits for the channel's airtime, reports CAD activity from a script, and records what it sent. */
function fakeRadio(clock: DrivenClock, airtimeMs: number) {
  const sent: Sent[] = [];
  let busyAnswers: boolean[] = [];
  let failNext = false;
  const radio: Pick<Radio, 'transmit' | 'rssi' | 'detectActivity'> = {
    transmit(frame) {
      sent.push({ startMs: clock.now(), startWall: clock.wallMs() as number, frame: frame.slice() });
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('TxDone never came'));
      }
      return new Promise((resolve) => clock.setTimer(resolve, airtimeMs));
    },
    rssi: () => -125,
    detectActivity: () => Promise.resolve(busyAnswers.shift() ?? false),
  };
  return {
    radio,
    sent,
    busyFor(answers: boolean[]) {
      busyAnswers = answers;
    },
    failNextTransmit() {
      failNext = true;
    },
  };
}

/** Oracle entropy for the current minute; `outage(n)` makes the next n fetches fail. */
function fakeEntropy(clock: DrivenClock) {
  let failures = 0;
  const handed: Entropy[] = [];
  const source: EntropySource = {
    async fetch() {
      if (failures > 0) {
        failures--;
        throw new Error('oracle unreachable');
      }
      const epoch = entropyEpochAt(clock.wallMs() as number);
      const data = Uint8Array.from({ length: 32 }, (_, i) => (epoch * 31 + i * 7) & 0xff);
      const entropy = signEntropy({ epoch, data, timeMs: epoch * ENTROPY_PERIOD_MS }, oracle);
      handed.push(entropy);
      return entropy;
    },
  };
  return { source, handed, outage: (n: number) => void (failures = n) };
}

interface RigOptions {
  readonly settings?: Record<string, unknown>;
  readonly wall?: number | null;
  readonly kv?: MemoryKeyValue;
  readonly seed?: number;
  readonly beaconer?: Partial<BeaconerOptions>;
}

function rig(options: RigOptions = {}) {
  const settings = parseSettings({ region: 'EU868', oracleUrl: 'http://oracle.test', oraclePublicKey: oracle.publicKey, ...options.settings });
  const channel: PocChannel = pocChannelOf(settings);
  const clock = new DrivenClock(0, options.wall === null ? undefined : (options.wall ?? START_WALL));
  const air = fakeRadio(clock, channel.beaconAirtimeMs);
  const entropy = fakeEntropy(clock);
  const queue = new MemoryQueue();
  const kv = options.kv ?? new MemoryKeyValue();
  const log = memoryLog();
  const accountant = new DutyCycleAccountant(channel.region, { antennaGainDbi: settings.antennaGainDbi });
  let notified = 0;
  const beaconer = new Beaconer({
    clock, rng: seededRng(options.seed ?? 1), radio: air.radio, signer: beaconerKey, entropy: entropy.source, queue,
    uploads: { notify: () => void notified++ }, kv, log, accountant, lbt: channel.region.lbt,
    channel: {
      frequencyHz: channel.settings.frequencyHz, bandwidthHz: channel.settings.bandwidthHz, dataRate: channel.dataRate,
      airtimeMs: channel.beaconAirtimeMs, txPowerDbm: channel.settings.txPowerDbm,
    },
    intervalMs: settings.beaconIntervalMs,
    ...options.beaconer,
  });
  return { settings, channel, clock, air, entropy, queue, kv, log, beaconer, notified: () => notified };
}

/** Epoch index of a wall time. */
const epochOf = (wall: number, interval: number) => Math.floor(wall / interval);

describe('nextBeaconTime', () => {
  const plan = { intervalMs: 6 * HOUR, airtimeMs: 4_300.5 };
  const epoch0 = Math.floor(START_WALL / plan.intervalMs);
  const latest = (epoch: number) => latestStartMs(epoch, plan);
  /** Rngs that always draw the lowest and the highest 48-bit number. */
  const lowest = { bytes: (n: number) => new Uint8Array(n) };
  const highest = { bytes: (n: number) => new Uint8Array(n).fill(0xff) };

  test('spans the epoch from its start to the last start that leaves room for the airtime', () => {
    expect(latest(epoch0)).toBe((epoch0 + 1) * plan.intervalMs - 4_301 - EPOCH_END_MARGIN_MS);
    expect(nextBeaconTime(START_WALL, -1, plan, lowest)).toEqual({ epoch: epoch0, atWallMs: START_WALL });
    expect(nextBeaconTime(START_WALL, -1, plan, highest)).toEqual({ epoch: epoch0, atWallMs: latest(epoch0) - 1 });
  });

  test('draws from what is left of the epoch after the present', () => {
    const wall = START_WALL + 5 * HOUR;
    expect(nextBeaconTime(wall, -1, plan, lowest).atWallMs).toBe(wall);
    expect(nextBeaconTime(wall, -1, plan, highest).atWallMs).toBe(latest(epoch0) - 1);
  });

  test('moves to the next epoch when this one was done or has no room left', () => {
    expect(nextBeaconTime(START_WALL + HOUR, epoch0, plan, lowest)).toEqual({ epoch: epoch0 + 1, atWallMs: START_WALL + 6 * HOUR });
    expect(nextBeaconTime(latest(epoch0), -1, plan, lowest).epoch).toBe(epoch0 + 1);
  });
});

describe('Beaconer schedule', () => {
  test('sends exactly one beacon in every 6-hour epoch for 100 days, at uniformly spread times', async () => {
    const { clock, air, beaconer, settings } = rig({ seed: 11 });
    beaconer.start();
    await clock.runFor(100 * DAY);
    beaconer.stop();
    const interval = settings.beaconIntervalMs;
    const epochs = air.sent.map((s) => epochOf(s.startWall, interval));
    expect(epochs).toEqual(Array.from({ length: 400 }, (_, i) => epochOf(START_WALL, interval) + i));
    const offsets = air.sent.map((s) => (s.startWall % interval) / interval);
    const quartiles = [0, 0, 0, 0];
    for (const offset of offsets) quartiles[Math.floor(offset * 4)]++;
    // 100 expected in each; 70..130 is about 3.5 standard deviations.
    for (const count of quartiles) expect(count).toBeGreaterThanOrEqual(70);
    for (const count of quartiles) expect(count).toBeLessThanOrEqual(130);
    const mean = offsets.reduce((a, b) => a + b, 0) / offsets.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  test('aligns epochs to UTC midnight, whatever the time it starts at', async () => {
    const startWall = START_WALL + 6 * HOUR - 5_000; // 5 s before the 06:00 boundary: no room for a beacon
    const { clock, air, beaconer } = rig({ wall: startWall, settings: { beaconIntervalMs: 6 * HOUR } });
    beaconer.start();
    await clock.runFor(DAY);
    // Too little of the first epoch was left: the first beacon falls in 06:00–12:00.
    expect(air.sent.map((s) => epochOf(s.startWall, 6 * HOUR) - epochOf(START_WALL, 6 * HOUR))).toEqual([1, 2, 3, 4]);
  });

  test('stays within the duty cycle when the interval asks for more airtime than the sub-band allows', async () => {
    // 868.1 MHz is in a 1 % sub-band: 36 s an hour, about 8 SF12 beacons of 4.3 s; a 1-minute interval asks for 60.
    const { clock, air, beaconer, channel, settings } = rig({
      settings: { pocChannel: { frequencyHz: 868_100_000 }, beaconIntervalMs: 60_000 },
    });
    beaconer.start();
    await clock.runFor(6 * HOUR);
    const airtime = channel.beaconAirtimeMs;
    for (const end of air.sent.map((s) => s.startMs + airtime)) {
      // Airtime inside the hour that ends with this beacon, partial overlaps included.
      let used = 0;
      for (const s of air.sent) used += Math.max(0, Math.min(s.startMs + airtime, end) - Math.max(s.startMs, end - HOUR));
      expect(used).toBeLessThanOrEqual(36_000 + 1e-6);
    }
    expect(air.sent.length).toBeGreaterThan(6 * 7); // it does use the budget it has
    const epochs = air.sent.map((s) => epochOf(s.startWall, settings.beaconIntervalMs));
    expect(new Set(epochs).size).toBe(epochs.length);
    expect(beaconer.stats.refusedDutyCycle).toBeGreaterThan(0);
    expect(beaconer.stats.missedEpochs).toBeGreaterThan(0);
  });

  test('sends nothing while the wall time is unknown, and starts once it is set', async () => {
    const { clock, air, beaconer } = rig({ wall: null });
    beaconer.start();
    await clock.runFor(2 * DAY);
    expect(air.sent).toHaveLength(0);
    expect(beaconer.stats.nextBeaconWallMs).toBeUndefined();
    clock.setWall(START_WALL);
    await clock.runFor(DAY);
    expect(air.sent).toHaveLength(4);
  });
});

describe('Beaconer refusals', () => {
  test('retries in the same epoch while the channel is busy', async () => {
    const { clock, air, beaconer, settings } = rig();
    air.busyFor([true, true]);
    beaconer.start();
    await clock.runFor(6 * HOUR);
    expect(beaconer.stats.refusedBusy).toBe(2);
    expect(air.sent).toHaveLength(1);
    expect(epochOf(air.sent[0].startWall, settings.beaconIntervalMs)).toBe(epochOf(START_WALL, settings.beaconIntervalMs));
  });

  test('retries in the same epoch when no entropy can be had', async () => {
    const { clock, air, beaconer, entropy } = rig();
    entropy.outage(3);
    beaconer.start();
    await clock.runFor(6 * HOUR);
    expect(beaconer.stats.refusedNoEntropy).toBe(3);
    expect(air.sent).toHaveLength(1);
  });

  test('gives an epoch up after its tries run out, and beacons in the next', async () => {
    const { clock, air, beaconer, settings } = rig({ beaconer: { maxAttempts: 4 } });
    air.busyFor(Array.from({ length: 4 }, () => true));
    beaconer.start();
    await clock.runFor(12 * HOUR);
    expect(beaconer.stats.refusedBusy).toBe(4);
    expect(beaconer.stats.missedEpochs).toBe(1);
    expect(air.sent.map((s) => epochOf(s.startWall, settings.beaconIntervalMs) - epochOf(START_WALL, settings.beaconIntervalMs))).toEqual([1]);
  });

  test('counts a failed transmission and does not try again in that epoch', async () => {
    const { clock, air, beaconer, queue } = rig();
    air.failNextTransmit();
    beaconer.start();
    await clock.runFor(6 * HOUR);
    expect(beaconer.stats.refusedRadio).toBe(1);
    expect(air.sent).toHaveLength(1);
    expect(queue.size).toBe(0);
    await clock.runFor(6 * HOUR);
    expect(air.sent).toHaveLength(2);
    expect(beaconer.stats.sent).toBe(1);
  });

  test('never retries past the end of the epoch', async () => {
    const { clock, air, beaconer, settings } = rig({ beaconer: { maxAttempts: 50, retryBaseMs: HOUR, retryMaxMs: HOUR } });
    air.busyFor(Array.from({ length: 50 }, () => true));
    beaconer.start();
    await clock.runFor(5 * DAY);
    const interval = settings.beaconIntervalMs;
    expect(beaconer.stats.refusedBusy).toBeGreaterThan(0);
    for (const s of air.sent) expect(s.startWall % interval).toBeLessThan(interval - 5_000);
    expect(new Set(air.sent.map((s) => epochOf(s.startWall, interval))).size).toBe(air.sent.length);
  });
});

describe('Beaconer reports and persistence', () => {
  test('queues a signed report of each beacon with the true channel, power and TxDone time', async () => {
    const { clock, air, beaconer, queue, channel, entropy, notified } = rig();
    beaconer.start();
    await clock.runFor(DAY);
    expect(queue.size).toBe(4);
    expect(notified()).toBe(4);
    queue.peek(4).forEach((record, i) => {
      const report = decodeBeaconReport(record.bytes);
      expect(verifyBeaconReport(report, hostVerifier)).toBe(true);
      expect(equalBytes(report.frame, air.sent[i].frame)).toBe(true);
      expect(report.frequencyHz).toBe(869_525_000);
      expect(report.dataRate).toBe(0); // SF12BW125
      expect(report.txPowerDdbm).toBe(channel.settings.txPowerDbm * 10);
      expect(report.timeMs).toBe(air.sent[i].startWall + Math.ceil(channel.beaconAirtimeMs));
      const beacon = decodeBeacon(report.frame);
      expect(equalBytes(beacon.beaconer, beaconerKey.publicKey)).toBe(true);
      const used = entropy.handed.find((e) => e.epoch === beacon.entropyEpoch) as Entropy;
      expect(equalBytes(beacon.entropyTag, used.data.subarray(0, 4))).toBe(true);
    });
    expect(beaconer.stats.lastBeaconWallMs).toBe(decodeBeaconReport(queue.peek(4)[3].bytes).timeMs);
  });

  test('draws a new nonce for every beacon', async () => {
    const { clock, air, beaconer } = rig();
    beaconer.start();
    await clock.runFor(2 * DAY);
    const nonces = new Set(air.sent.map((s) => Buffer.from(decodeBeacon(s.frame).nonce).toString('hex')));
    expect(nonces.size).toBe(air.sent.length);
  });

  test('does not beacon twice in one epoch across a reboot', async () => {
    const kv = new MemoryKeyValue();
    const first = rig({ kv, seed: 5, settings: { beaconIntervalMs: DAY } });
    first.beaconer.start();
    await first.clock.runFor(DAY - 60_000);
    first.beaconer.stop();
    expect(first.air.sent).toHaveLength(1);
    expect(kv.get(BEACON_EPOCH_KEY)).toBe(String(epochOf(START_WALL, DAY)));
    // The device restarts late in the same day with a different random stream.
    const second = rig({ kv, seed: 6, wall: START_WALL + DAY - 30 * 60_000, settings: { beaconIntervalMs: DAY } });
    second.beaconer.start();
    await second.clock.runFor(DAY);
    expect(second.air.sent.map((s) => epochOf(s.startWall, DAY))).toEqual([epochOf(START_WALL, DAY) + 1]);
  });

  test('ignores a stored epoch far ahead of the clock (a wrong wall time then) and beacons now', async () => {
    const kv = new MemoryKeyValue();
    kv.set(BEACON_EPOCH_KEY, String(epochOf(START_WALL, 6 * HOUR) + 1000));
    const { clock, air, beaconer, log } = rig({ kv });
    beaconer.start();
    await clock.runFor(6 * HOUR);
    expect(air.sent).toHaveLength(1);
    expect(log.lines.some((l) => l.message === 'stored beacon epoch is ahead of the clock; ignored')).toBe(true);
  });

  test('logs a fault in a port while scheduling and carries on', async () => {
    const inner = seededRng(3);
    let draws = 0;
    const flaky = {
      bytes(n: number) {
        if (++draws === 3) throw new Error('rng fault'); // the draw of the second beacon's time
        return inner.bytes(n);
      },
    };
    const { clock, air, beaconer, log } = rig({ beaconer: { rng: flaky } });
    beaconer.start();
    await clock.runFor(DAY);
    expect(log.lines.some((l) => l.message === 'beaconer fault' && l.fields.error === 'rng fault')).toBe(true);
    expect(air.sent).toHaveLength(4);
  });

  test('stop() ends the schedule, and start() resumes it', async () => {
    const { clock, air, beaconer } = rig();
    beaconer.start();
    beaconer.stop();
    beaconer.stop();
    await clock.runFor(DAY);
    expect(air.sent).toHaveLength(0);
    expect(clock.nextDueMs()).toBeUndefined();
    beaconer.start();
    await clock.runFor(DAY);
    expect(air.sent.length).toBeGreaterThanOrEqual(3);
  });

  test('refuses an interval that does not divide a day', () => {
    expect(() => rig({ beaconer: { intervalMs: 7 * HOUR } })).toThrow(RangeError);
  });
});
