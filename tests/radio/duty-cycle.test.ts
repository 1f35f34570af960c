/**
 * The duty-cycle accountant: refusal reasons, the rolling window, independent sub-bands, the time a
 * refused transmission becomes allowed, and bounded memory that errs only on the safe side.
 */
import fc from 'fast-check';
import { DutyCycleAccountant, DUTY_CYCLE_WINDOW_MS, Refusal, type Transmission } from '../../hal/radio/duty-cycle.js';
import { mhz, regionPlan } from '../../hal/radio/regions.js';

const HOUR = DUTY_CYCLE_WINDOW_MS;
const eu = regionPlan('EU868');
/** 868.1 MHz: the 868.0–868.6 MHz sub-band, 1 % → 36 000 ms an hour. */
const at868 = (airtimeMs: number): Transmission => ({ frequencyHz: mhz(868.1), bandwidthHz: 125_000, airtimeMs, txPowerDbm: 14 });

describe('refusal reasons', () => {
  const accountant = new DutyCycleAccountant(eu);

  test('a channel outside the region is out_of_band', () => {
    const verdict = accountant.check({ ...at868(100), frequencyHz: mhz(915) }, 0);
    expect(verdict).toMatchObject({ ok: false, reason: Refusal.OutOfBand, allowedAtMs: null });
    expect(verdict.ok === false && verdict.message).toMatch(/915 MHz at 125 kHz is not inside one EU868 sub-band/);
  });

  test('power above the sub-band EIRP with the antenna is power_too_high', () => {
    const verdict = accountant.check({ ...at868(100), txPowerDbm: 15 }, 0);
    expect(verdict).toMatchObject({ ok: false, reason: 'power_too_high' });
    expect(verdict.ok === false && verdict.message).toMatch(/at most 14 dBm/);
  });

  test('the antenna gain counts: 14 dBm is too much with a 5 dBi antenna', () => {
    const highGain = new DutyCycleAccountant(eu, { antennaGainDbi: 5 });
    expect(highGain.check(at868(100), 0)).toMatchObject({ ok: false, reason: 'power_too_high' });
  });

  test('a transmission longer than the dwell time is dwell_time', () => {
    const us = new DutyCycleAccountant(regionPlan('US915'));
    const verdict = us.check({ frequencyHz: mhz(919), bandwidthHz: 500_000, airtimeMs: 400.5, txPowerDbm: 20 }, 0);
    expect(verdict).toMatchObject({ ok: false, reason: 'dwell_time' });
    expect(verdict.ok === false && verdict.message).toBe("400.5 ms on air is over US915's dwell time of 400 ms");
    expect(us.check({ frequencyHz: mhz(919), bandwidthHz: 500_000, airtimeMs: 400, txPowerDbm: 20 }, 0).ok).toBe(true);
  });

  test('a transmission longer than the whole hourly budget is duty_cycle with no allowed time', () => {
    // 863–865 MHz allows 0.1 %: 3600 ms an hour, less than a 4268 ms SF12 beacon.
    const verdict = accountant.check({ frequencyHz: mhz(864), bandwidthHz: 125_000, airtimeMs: 4268, txPowerDbm: 14 }, 0);
    expect(verdict).toMatchObject({ ok: false, reason: 'duty_cycle', allowedAtMs: null });
  });

  test('the rules are checked in order: band, power, dwell, duty cycle', () => {
    const verdict = accountant.check({ frequencyHz: mhz(915), bandwidthHz: 125_000, airtimeMs: 1e9, txPowerDbm: 99 }, 0);
    expect(verdict).toMatchObject({ ok: false, reason: 'out_of_band' });
  });
});

describe('the rolling window', () => {
  test('a sub-band with budget left allows the transmission and names its sub-band', () => {
    expect(new DutyCycleAccountant(eu).check(at868(1000), 0)).toEqual({ ok: true, subBand: '868.0–868.6' });
  });

  test('the hour’s budget is 1 % of 3 600 000 ms: 36 000 ms fit, one more millisecond does not', () => {
    const accountant = new DutyCycleAccountant(eu);
    accountant.record(at868(20_000), 0);
    expect(accountant.check(at868(16_000), 100_000).ok).toBe(true);
    expect(accountant.check(at868(16_001), 100_000)).toMatchObject({ ok: false, reason: 'duty_cycle' });
  });

  test('a refused transmission is told when it fits: when enough airtime has slid out of the window', () => {
    const accountant = new DutyCycleAccountant(eu);
    accountant.record(at868(20_000), 0);
    accountant.record(at868(16_000), 100_000);
    const verdict = accountant.check(at868(1_000), 200_000);
    // The window ending with the new frame must start at 1000 ms: t + 1000 − 3 600 000 = 1000.
    expect(verdict).toMatchObject({ ok: false, reason: 'duty_cycle', allowedAtMs: HOUR });
    expect(accountant.check(at868(1_000), HOUR - 1).ok).toBe(false);
    expect(accountant.check(at868(1_000), HOUR).ok).toBe(true);
  });

  test('bookings older than the window no longer count', () => {
    const accountant = new DutyCycleAccountant(eu);
    accountant.record(at868(36_000), 0);
    expect(accountant.usedMs(mhz(868.1), 125_000, 36_000)).toBe(36_000);
    expect(accountant.usedMs(mhz(868.1), 125_000, HOUR + 18_000)).toBe(18_000);
    expect(accountant.usedMs(mhz(868.1), 125_000, HOUR + 36_000)).toBe(0);
    expect(accountant.check(at868(36_000), HOUR + 36_000).ok).toBe(true);
  });

  test('sub-bands are accounted independently', () => {
    const accountant = new DutyCycleAccountant(eu);
    accountant.record(at868(36_000), 0);
    expect(accountant.check(at868(10), 40_000).ok).toBe(false);
    expect(accountant.check({ ...at868(1_000), frequencyHz: mhz(867.1) }, 40_000).ok).toBe(true);
    expect(accountant.check({ ...at868(4_268), frequencyHz: mhz(869.525), txPowerDbm: 27 }, 40_000).ok).toBe(true);
  });

  test('the 10 % sub-band takes 84 SF12 beacons an hour and refuses the 85th', () => {
    const accountant = new DutyCycleAccountant(eu);
    const beacon = { frequencyHz: mhz(869.525), bandwidthHz: 125_000, airtimeMs: 4268.032, txPowerDbm: 27 };
    let t = 0;
    for (let i = 0; i < 84; i++, t += 5_000) {
      expect(accountant.check(beacon, t).ok).toBe(true);
      accountant.record(beacon, t);
    }
    expect(accountant.check(beacon, t)).toMatchObject({ ok: false, reason: 'duty_cycle' });
  });

  test('regions without a duty cycle never refuse for it and keep no bookings', () => {
    const accountant = new DutyCycleAccountant(regionPlan('AU915'));
    const tx = { frequencyHz: mhz(920.7), bandwidthHz: 500_000, airtimeMs: 267, txPowerDbm: 27 };
    for (let t = 0; t < 1_000_000; t += 300) accountant.record(tx, t);
    expect(accountant.check(tx, 1_000_000).ok).toBe(true);
    expect(accountant.usedMs(mhz(920.7), 500_000, 1_000_000)).toBe(0);
  });

  test('a booking still on air counts up to its end', () => {
    const accountant = new DutyCycleAccountant(eu);
    accountant.record(at868(30_000), 0);
    const verdict = accountant.check(at868(10_000), 10_000);
    // The allowed time is after the booking ends: it needs 4000 ms of it out of the window.
    expect(verdict).toMatchObject({ ok: false, allowedAtMs: 4_000 - 10_000 + HOUR });
  });
});

describe('bounded memory', () => {
  test('with two records kept, a third booking merges the closest pair: totals stay exact', () => {
    const accountant = new DutyCycleAccountant(eu, { maxRecords: 2 });
    accountant.record(at868(1_000), 0);
    accountant.record(at868(1_000), 10_000);
    accountant.record(at868(1_000), 500_000);
    expect(accountant.usedMs(mhz(868.1), 125_000, 600_000)).toBe(3_000);
  });

  test('a merged record overstates the airtime of windows that cut between its parts, never understates it', () => {
    const accountant = new DutyCycleAccountant(eu, { maxRecords: 2 });
    accountant.record(at868(1_000), 0);
    accountant.record(at868(1_000), 10_000);
    accountant.record(at868(1_000), 500_000);
    // The window [5000, 3 605 000] holds 2000 ms of real airtime; the merged record sits at 9000–11 000 ms.
    expect(accountant.usedMs(mhz(868.1), 125_000, HOUR + 5_000)).toBe(3_000);
  });

  test('property: whatever the store size, every hour-long window stays within the budget', () => {
    const attempt = fc.record({ gapMs: fc.integer({ min: 0, max: 400_000 }), airtimeMs: fc.integer({ min: 1, max: 12_000 }) });
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 80 }), fc.integer({ min: 2, max: 8 }), (attempts, maxRecords) => {
        const accountant = new DutyCycleAccountant(eu, { maxRecords });
        const sent: [number, number][] = [];
        let t = 0;
        for (const { gapMs, airtimeMs } of attempts) {
          t += gapMs;
          if (sent.length > 0) t = Math.max(t, sent[sent.length - 1][1]);
          if (accountant.check(at868(airtimeMs), t).ok) {
            accountant.record(at868(airtimeMs), t);
            sent.push([t, t + airtimeMs]);
          }
        }
        for (const [, end] of sent) {
          const used = sent.reduce((sum, [s, e]) => sum + Math.max(0, Math.min(e, end) - Math.max(s, end - HOUR)), 0);
          expect(used).toBeLessThanOrEqual(36_000);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('property: with room for every booking, the allowed time is exact (allowed then, refused 1 ms before)', () => {
    const booking = fc.record({ gapMs: fc.integer({ min: 0, max: 300_000 }), airtimeMs: fc.integer({ min: 1, max: 9_000 }) });
    fc.assert(
      fc.property(fc.array(booking, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 9_000 }), (bookings, next) => {
        const accountant = new DutyCycleAccountant(eu, { maxRecords: 64 });
        let t = 0;
        for (const { gapMs, airtimeMs } of bookings) {
          if (accountant.check(at868(airtimeMs), t).ok) accountant.record(at868(airtimeMs), t);
          t += airtimeMs + gapMs;
        }
        const verdict = accountant.check(at868(next), t);
        if (verdict.ok || verdict.allowedAtMs === null) return;
        expect(verdict.allowedAtMs).toBeGreaterThan(t);
        expect(accountant.check(at868(next), verdict.allowedAtMs).ok).toBe(true);
        expect(accountant.check(at868(next), verdict.allowedAtMs - 1).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('validation', () => {
  const accountant = new DutyCycleAccountant(eu);

  test('a time that is not a number is a RangeError', () => {
    expect(() => accountant.check(at868(10), NaN)).toThrow(/time NaN ms/);
    expect(() => accountant.record(at868(10), Infinity)).toThrow(RangeError);
  });

  test('an airtime that is not positive is a RangeError', () => {
    expect(() => accountant.check(at868(0), 0)).toThrow(/airtime 0 ms is not positive/);
    expect(() => accountant.check(at868(NaN), 0)).toThrow(RangeError);
  });

  test('booking a transmission outside the region is a RangeError', () => {
    expect(() => accountant.record({ ...at868(10), frequencyHz: mhz(915) }, 0)).toThrow(RangeError);
  });

  test('the window and the store size must be sensible', () => {
    expect(() => new DutyCycleAccountant(eu, { windowMs: 0 })).toThrow(RangeError);
    expect(() => new DutyCycleAccountant(eu, { maxRecords: 1 })).toThrow(/maxRecords 1/);
  });
});
