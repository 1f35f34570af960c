/** The mapper role on small fakes: when it sends, what it sends, its counter across reboots, refusals and reports. */
import { equalBytes, toHex } from '../../proofs/bytes.js';
import { decodeMapperReport, verifyMapperReport } from '../../proofs/mapper-report.js';
import { decodeMapperUplink, verifyMapperUplink } from '../../proofs/mapper-uplink.js';
import { distanceM, uplinkTrigger, usableFix } from '../../src/mapper-trigger.js';
import type { KeyValue } from '../../src/ports.js';
import { UPLINK_COUNTER_KEY } from '../../src/uplink-counter.js';
import { hostVerifier, portableVerifier } from '../support/keys.js';
import { MemoryKeyValue } from '../support/memory-kv.js';
import { ALTITUDE_M, mapperKey, mapperRig, START_LAT_E7, START_LON_E7, START_WALL } from './mapper-rig.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const startsOf = (sent: readonly { startMs: number }[]) => sent.map((s) => s.startMs / SECOND);
const countersOf = (sent: readonly { frame: Uint8Array }[]) => sent.map((s) => decodeMapperUplink(s.frame).counter);
const fixAt = { latE7: START_LAT_E7, lonE7: START_LON_E7, altitudeM: 30, hdop: 1, satellites: 8, timeMs: START_WALL };

describe('mapper-trigger', () => {
  test('measures 1 m of latitude and 1 km of longitude at 52.5° N', () => {
    expect(distanceM(START_LAT_E7, START_LON_E7, START_LAT_E7 + 90, START_LON_E7)).toBeCloseTo(1.0007, 3);
    // 1 km east at 52.5163° N is 0.0147784° of longitude on a sphere of the mean Earth radius.
    expect(distanceM(START_LAT_E7, START_LON_E7, START_LAT_E7, START_LON_E7 + 147_784)).toBeCloseTo(1000, 0);
  });

  test('measures across the antimeridian the short way', () => {
    expect(distanceM(0, 1_799_999_000, 0, -1_799_999_000)).toBeCloseTo(22.24, 1);
  });

  test('names the rule that makes an uplink due, the distance before the time', () => {
    const rules = { minDistanceM: 70, maxIntervalMs: 300_000 };
    const last = (dLatE7: number, atMs: number) => ({ latE7: START_LAT_E7 - dLatE7, lonE7: START_LON_E7, atMs });
    expect(uplinkTrigger(fixAt, undefined, 0, rules)).toBe('first');
    expect(uplinkTrigger(fixAt, last(6295, 0), 299_999, rules)).toBeUndefined(); // 69.997 m, 1 ms short
    expect(uplinkTrigger(fixAt, last(6296, 0), 1_000, rules)).toBe('moved'); // 70.008 m
    expect(uplinkTrigger(fixAt, last(0, 0), 300_000, rules)).toBe('interval');
    expect(uplinkTrigger(fixAt, last(6296, 0), 300_000, rules)).toBe('moved');
  });

  test.each([
    ['a latitude off the globe', { latE7: 900_000_001 }],
    ['a longitude that is not a number', { lonE7: Number.NaN }],
    ['an altitude that is not a number', { altitudeM: Number.NaN }],
    ['a negative HDOP', { hdop: -0.1 }],
    ['a fractional satellite count', { satellites: 7.5 }],
    ['a time before 1970', { timeMs: -1 }],
  ])('has no usable fix with %s', (_, change) => {
    expect(usableFix({ ...fixAt, ...change })).toBeUndefined();
  });

  test('takes a fix with every field in range as it is', () => {
    expect(usableFix(fixAt)).toBe(fixAt);
    expect(usableFix(undefined)).toBeUndefined();
  });
});

describe('Mapper: when it sends', () => {
  test('sends at the first fix, then every 70 m walked at 1.5 m/s (every 47 s)', async () => {
    const { clock, gps, air, mapper } = mapperRig();
    gps.move(0, 1.5);
    mapper.start();
    await clock.runFor(10 * MINUTE);
    mapper.stop();
    // 70 m at 1.5 m/s is 46.7 s: the first poll past it comes 47 s after the last uplink's poll.
    expect(startsOf(air.sent)).toEqual([0, 47, 94, 141, 188, 235, 282, 329, 376, 423, 470, 517, 564]);
    expect(mapper.stats.sent).toBe(13);
  });

  test('sends every 5 minutes while standing still', async () => {
    const { clock, air, mapper } = mapperRig();
    mapper.start();
    await clock.runFor(21 * MINUTE);
    expect(startsOf(air.sent)).toEqual([0, 300, 600, 900, 1200]);
  });

  test('sends on whichever rule comes first: the time while still, the distance once walking', async () => {
    const { clock, gps, air, mapper } = mapperRig();
    gps.move(400 * SECOND, 1.5).move(500 * SECOND, 0);
    mapper.start();
    await clock.runFor(15 * MINUTE);
    // Still: 0 and 300 s (time). Walking from 400 s: 70 m past the 300 s position at 447 s, then at
    // 494 s (distance). Still again from 500 s: 300 s after the last, at 794 s (time).
    expect(startsOf(air.sent)).toEqual([0, 300, 447, 494, 794]);
  });

  test('uses the distance and interval of the settings', async () => {
    const still = mapperRig({ settings: { mapper: { minDistanceM: 200, maxIntervalMs: 60_000 } } });
    still.mapper.start();
    await still.clock.runFor(3 * MINUTE);
    expect(startsOf(still.air.sent)).toEqual([0, 60, 120, 180]);
    const driving = mapperRig({ settings: { mapper: { minDistanceM: 200, maxIntervalMs: 60_000 } } });
    driving.gps.move(0, 10);
    driving.mapper.start();
    await driving.clock.runFor(MINUTE);
    expect(startsOf(driving.air.sent)).toEqual([0, 20, 40, 60]);
  });

  test('stops polling and sending on stop(), and carries on after start()', async () => {
    const { clock, gps, air, mapper } = mapperRig();
    mapper.start();
    await clock.runFor(10 * SECOND);
    mapper.stop();
    const reads = gps.reads;
    await clock.runFor(HOUR);
    expect(gps.reads).toBe(reads);
    expect(air.sent).toHaveLength(1);
    mapper.start();
    await clock.runFor(SECOND);
    expect(startsOf(air.sent)).toEqual([0, 3610]);
  });
});

describe('Mapper: without a GPS fix', () => {
  test('sends nothing, and counts each uplink the time rule asked for as skipped', async () => {
    const { clock, gps, air, mapper } = mapperRig();
    gps.lose(0, 650 * SECOND);
    mapper.start();
    await clock.runFor(649 * SECOND);
    expect(air.sent).toHaveLength(0);
    // Due at 0 (the first), then every 5 minutes: 0, 300, 600.
    expect(mapper.stats.skippedNoFix).toBe(3);
    await clock.runFor(6 * SECOND);
    expect(startsOf(air.sent)).toEqual([650]);
    expect(mapper.stats).toMatchObject({ sent: 1, skippedNoFix: 3 });
  });

  test('counts the interval from the last uplink across a lost fix, and sends as soon as the fix is back', async () => {
    const { clock, gps, air, mapper } = mapperRig();
    gps.move(0, 1.5).lose(10 * SECOND, 700 * SECOND);
    mapper.start();
    await clock.runFor(750 * SECOND);
    // Skips at 300 and 600 s (the time rule, from the uplink at 0); at 700 s the walker is far away.
    expect(mapper.stats.skippedNoFix).toBe(2);
    expect(startsOf(air.sent).slice(0, 3)).toEqual([0, 700, 747]);
  });

  test('treats a fix with fields out of range, or a receiver that throws, as no fix', async () => {
    const { clock, gps, air, mapper, log } = mapperRig();
    gps.override = { latE7: START_LAT_E7, lonE7: START_LON_E7, altitudeM: Number.NaN, hdop: 1, satellites: 5, timeMs: START_WALL };
    mapper.start();
    await clock.runFor(10 * SECOND);
    gps.fix = () => {
      throw new Error('UART overrun');
    };
    await clock.runFor(5 * MINUTE);
    expect(air.sent).toHaveLength(0);
    expect(mapper.stats.skippedNoFix).toBe(2);
    expect(log.lines.filter((l) => l.message === 'GPS receiver failed')).toHaveLength(1);
  });
});

describe('Mapper: what it sends', () => {
  test('signs an uplink with the fix, HDOP in tenths and the counter, verifiable on the device', async () => {
    const { clock, gps, air, mapper } = mapperRig();
    gps.move(0, 0, -3); // south, 3 m/s
    mapper.start();
    await clock.runFor(30 * SECOND);
    const uplinks = air.sent.map((s) => decodeMapperUplink(s.frame));
    expect(uplinks.map((u) => u.counter)).toEqual([0, 1]);
    const [first, second] = uplinks;
    expect(toHex(first.mapper)).toBe(toHex(mapperKey.publicKey));
    expect([first.latE7, first.lonE7, first.altitudeM, first.hdopDeci, first.satellites]).toEqual([START_LAT_E7, START_LON_E7, 35, 9, 9]);
    expect(ALTITUDE_M).toBe(34.6);
    // 70 m south at 3 m/s: the poll at 24 s, 72 m = 6,475 × 10^-7 degrees.
    expect(startsOf(air.sent)).toEqual([0, 24]);
    expect(START_LAT_E7 - second.latE7).toBe(6475);
    expect(verifyMapperUplink(first, portableVerifier)).toBe(true);
    expect(verifyMapperUplink(second, hostVerifier)).toBe(true);
    expect(mapper.stats.lastCounter).toBe(1);
  });

  test('queues a signed MapperReport of each uplink with the channel, power and TxDone time, and tells the uploader', async () => {
    const { clock, gps, air, mapper, queue, channel, notified } = mapperRig();
    gps.move(0, 1.5);
    mapper.start();
    await clock.runFor(100 * SECOND);
    expect(queue.size).toBe(3);
    expect(notified()).toBe(3);
    queue.peek(3).forEach((record, i) => {
      expect(record.bytes[1]).toBe(9); // MapperReport
      const report = decodeMapperReport(record.bytes);
      expect(verifyMapperReport(report, hostVerifier)).toBe(true);
      expect(equalBytes(report.frame, air.sent[i].frame)).toBe(true);
      expect(report.frequencyHz).toBe(869_525_000);
      expect(report.dataRate).toBe(0); // SF12BW125
      expect(report.txPowerDdbm).toBe(channel.settings.txPowerDbm * 10);
      expect(report.txPowerDdbm).toBe(270);
      expect(report.timeMs).toBe(START_WALL + air.sent[i].startMs + Math.ceil(channel.uplinkAirtimeMs));
    });
    expect(mapper.stats.lastUplinkWallMs).toBe(START_WALL + 94 * SECOND + 4_432);
  });

  test('dates its reports by the GPS time when the wall clock is not set', async () => {
    const { clock, gps, mapper, queue } = mapperRig({ wall: null });
    mapper.start();
    await clock.runFor(10 * SECOND);
    const report = decodeMapperReport(queue.peek(1)[0].bytes);
    expect(report.timeMs).toBe(gps.gpsWallAtStart + 4_432);
  });

  test('counts a report it cannot store, and keeps sending', async () => {
    const { clock, mapper, queue, log } = mapperRig();
    queue.append = () => {
      throw new RangeError('flash full');
    };
    mapper.start();
    await clock.runFor(6 * MINUTE);
    expect(mapper.stats).toMatchObject({ sent: 2, reportFailures: 2 });
    expect(log.lines.filter((l) => l.level === 'error' && l.message === 'mapper report not stored')).toHaveLength(2);
  });
});

describe('Mapper: the uplink counter', () => {
  test('reserves counters 64 at a time in the KeyValue store, before the first of each block goes out', async () => {
    const kv = new MemoryKeyValue();
    const { clock, air, mapper } = mapperRig({ kv, settings: { region: 'US915', mapper: { maxIntervalMs: 10_000 } } });
    mapper.start();
    await clock.runFor(700 * SECOND);
    expect(countersOf(air.sent)).toEqual(Array.from({ length: 71 }, (_, i) => i));
    expect(kv.writes.filter((k) => k === UPLINK_COUNTER_KEY)).toHaveLength(2);
    expect(kv.get(UPLINK_COUNTER_KEY)).toBe('128');
  });

  test('starts past the reserved block after a reboot, so no counter is ever used twice', async () => {
    const kv = new MemoryKeyValue();
    const settings = { region: 'US915', mapper: { maxIntervalMs: 10_000 } };
    const first = mapperRig({ kv, settings });
    first.mapper.start();
    await first.clock.runFor(45 * SECOND); // the power goes at 45 s: counters 0–4 sent, 0–63 reserved
    expect(countersOf(first.air.sent)).toEqual([0, 1, 2, 3, 4]);
    const second = mapperRig({ kv, settings });
    second.mapper.start();
    await second.clock.runFor(25 * SECOND);
    expect(countersOf(second.air.sent)).toEqual([64, 65, 66]);
    expect(kv.get(UPLINK_COUNTER_KEY)).toBe('128');
    const third = mapperRig({ kv, settings, mapper: { counterBlock: 4 } });
    third.mapper.start();
    await third.clock.runFor(45 * SECOND);
    expect(countersOf(third.air.sent)).toEqual([128, 129, 130, 131, 132]);
    expect(kv.get(UPLINK_COUNTER_KEY)).toBe('136');
    const all = [first, second, third].flatMap((rig) => countersOf(rig.air.sent));
    expect(new Set(all).size).toBe(all.length);
  });

  test('sends nothing when the stored counter is unreadable, and leaves it for someone to look at', async () => {
    const kv = new MemoryKeyValue();
    kv.set(UPLINK_COUNTER_KEY, 'twelve');
    const { clock, air, mapper, log } = mapperRig({ kv });
    mapper.start();
    await clock.runFor(25 * SECOND);
    expect(air.sent).toHaveLength(0);
    expect(mapper.stats.refusedCounter).toBe(3); // at 0, 10 and 20 s: one try per fault back-off
    expect(kv.get(UPLINK_COUNTER_KEY)).toBe('twelve');
    expect(log.lines.find((l) => l.level === 'error')?.fields.detail).toMatch(/^Unreadable: /);
  });

  test('does not send when the reservation cannot be stored, and tries again after the back-off', async () => {
    const kv = new MemoryKeyValue();
    let refuse = 1;
    const flaky: KeyValue = {
      get: (key) => kv.get(key),
      set: (key, value) => {
        if (refuse-- > 0) throw new Error('NVS full');
        kv.set(key, value);
      },
      delete: (key) => kv.delete(key),
    };
    const { clock, air, mapper } = mapperRig({ kv: flaky as MemoryKeyValue });
    mapper.start();
    await clock.runFor(15 * SECOND);
    expect(mapper.stats.refusedCounter).toBe(1);
    expect(startsOf(air.sent)).toEqual([10]);
    expect(countersOf(air.sent)).toEqual([0]);
    expect(kv.get(UPLINK_COUNTER_KEY)).toBe('64');
  });
});

describe('Mapper: refusals', () => {
  test('keeps to the duty cycle: a refusal waits for the time the accountant names', async () => {
    // 868.1 MHz is in a 1 % sub-band: 36 s an hour, 8 uplinks of 4.43 s.
    const { clock, air, mapper, channel } = mapperRig({
      settings: { pocChannel: { frequencyHz: 868_100_000 }, mapper: { maxIntervalMs: 10_000 } },
    });
    mapper.start();
    await clock.runFor(HOUR + 10 * MINUTE);
    // The ninth fits once the first has left the hour that ends with it: at 3,600 s.
    expect(startsOf(air.sent).slice(0, 9)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 3600]);
    expect(mapper.stats.refusedDutyCycle).toBe(2);
    expect(mapper.stats.sent).toBe(air.sent.length);
    const airtime = channel.uplinkAirtimeMs;
    for (const end of air.sent.map((s) => s.startMs + airtime)) {
      let used = 0;
      for (const s of air.sent) used += Math.max(0, Math.min(s.startMs + airtime, end) - Math.max(s.startMs, end - HOUR));
      expect(used).toBeLessThanOrEqual(36_000 + 1e-6);
    }
  });

  test('counts a busy channel and tries again at the next poll with the same counter', async () => {
    const { clock, air, mapper } = mapperRig();
    air.busyFor([true, true]);
    mapper.start();
    await clock.runFor(5 * SECOND);
    expect(mapper.stats.refusedBusy).toBe(2);
    expect(startsOf(air.sent)).toEqual([2]);
    expect(countersOf(air.sent)).toEqual([0]); // never on air, so not spent
  });

  test('counts a failed transmission, spends its counter, and tries again after the back-off', async () => {
    const { clock, air, mapper, queue } = mapperRig();
    air.failNext();
    mapper.start();
    await clock.runFor(15 * SECOND);
    expect(mapper.stats.refusedRadio).toBe(1);
    expect(startsOf(air.sent)).toEqual([0, 10]);
    expect(countersOf(air.sent)).toEqual([0, 1]);
    expect(queue.size).toBe(1);
    expect(mapper.stats).toMatchObject({ sent: 1, lastCounter: 1 });
  });

  test('throws nothing out of its timers when the log itself fails', async () => {
    const { clock, mapper, log, air } = mapperRig();
    log.write = () => {
      throw new Error('serial console gone');
    };
    mapper.start();
    await expect(clock.runFor(MINUTE)).resolves.toBeUndefined();
    expect(air.sent).toHaveLength(1);
  });
});
