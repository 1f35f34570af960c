/**
 * Listen before talk against a fake radio whose channel power follows a script over virtual time, and
 * the CAD fallback for regions without an LBT rule.
 */
import { activityClear, assessChannel, listenBeforeTalk } from '../../hal/radio/lbt.js';
import { regionPlan, type LbtRule } from '../../hal/radio/regions.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';

/**
 * The part of a Radio that LBT uses. `rssi()` returns the power the script gives for the current virtual
 * time; `detectActivity()` answers from a queue. Every RSSI reading is logged with its time.
 */
class FakeRadio {
  readonly readings: { atMs: number; dbm: number }[] = [];
  cadAnswers: boolean[] = [];
  cadCalls = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly powerAt: (ms: number) => number,
  ) {}

  rssi(): number {
    const dbm = this.powerAt(this.clock.now());
    this.readings.push({ atMs: this.clock.now(), dbm });
    return dbm;
  }

  detectActivity(): Promise<boolean> {
    this.cadCalls++;
    return Promise.resolve(this.cadAnswers.shift() ?? false);
  }
}

const KR920: LbtRule = { thresholdDbm: -65, listenMs: 6, requiredIn: 'region' };

async function listen(powerAt: (ms: number) => number, rule = KR920, sampleIntervalMs?: number) {
  const clock = new VirtualClock(1_000);
  const radio = new FakeRadio(clock, powerAt);
  const pending = listenBeforeTalk(radio, clock, rule, { sampleIntervalMs });
  clock.runUntilIdle();
  return { result: await pending, radio, clock };
}

describe('listenBeforeTalk', () => {
  test('a quiet channel is clear after the whole listening time, sampled every millisecond', async () => {
    const { result, radio } = await listen(() => -110);
    expect(result).toEqual({ clear: true, samples: 7, maxRssiDbm: -110, listenedMs: 6 });
    expect(radio.readings.map((r) => r.atMs)).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006]);
  });

  test('one sample at the threshold makes the channel busy, and listening stops there', async () => {
    const { result, radio } = await listen((ms) => (ms === 1003 ? -65 : -110));
    expect(result).toEqual({ clear: false, samples: 4, maxRssiDbm: -65, listenedMs: 3 });
    expect(radio.readings).toHaveLength(4);
  });

  test('a signal just below the threshold leaves the channel clear', async () => {
    const { result } = await listen(() => -65.5);
    expect(result.clear).toBe(true);
  });

  test('a signal that appears at the very end of the listening time is still caught', async () => {
    const { result } = await listen((ms) => (ms >= 1006 ? -40 : -120));
    expect(result).toMatchObject({ clear: false, listenedMs: 6 });
  });

  test("Japan's rule (AS923_1) listens 5 ms against −80 dBm: −75 dBm is busy there, clear in KR920", async () => {
    const japan = regionPlan('AS923_1').lbt as LbtRule;
    expect((await listen(() => -75, japan)).result).toMatchObject({ clear: false });
    expect((await listen(() => -75, KR920)).result).toMatchObject({ clear: true });
    expect((await listen(() => -90, japan)).result).toMatchObject({ clear: true, listenedMs: 5, samples: 6 });
  });

  test('a longer sample interval still ends exactly at the listening time', async () => {
    const { result, radio } = await listen(() => -120, KR920, 4);
    expect(radio.readings.map((r) => r.atMs)).toEqual([1000, 1004, 1006]);
    expect(result.listenedMs).toBe(6);
  });

  test('late timers cannot shorten the listening: time is read from the clock', async () => {
    const clock = new VirtualClock(0);
    const radio = new FakeRadio(clock, () => -120);
    const lateClock = {
      now: () => clock.now(),
      wallMs: () => clock.wallMs(),
      setTimer: (callback: () => void, delayMs: number) => clock.setTimer(callback, delayMs + 3),
      clearTimer: (handle: unknown) => clock.clearTimer(handle),
    };
    const pending = listenBeforeTalk(radio, lateClock, KR920);
    clock.runUntilIdle();
    const result = await pending;
    expect(result.listenedMs).toBeGreaterThanOrEqual(6);
    expect(radio.readings.map((r) => r.atMs)).toEqual([0, 4, 8]);
  });

  test('an RSSI that is not a number rejects with a RangeError', async () => {
    await expect(listen(() => NaN)).rejects.toThrow(/RSSI of NaN/);
  });

  test('a radio that throws rejects with its error', async () => {
    const clock = new VirtualClock(0);
    const broken = {
      rssi: () => {
        throw new Error('SPI timeout');
      },
    };
    await expect(listenBeforeTalk(broken, clock, KR920)).rejects.toThrow('SPI timeout');
  });

  test('a sample interval that is not positive is a RangeError', () => {
    const clock = new VirtualClock(0);
    const radio = new FakeRadio(clock, () => -120);
    expect(() => listenBeforeTalk(radio, clock, KR920, { sampleIntervalMs: 0 })).toThrow(RangeError);
  });
});

describe('CAD fallback and assessChannel', () => {
  test('activityClear is the negation of detectActivity', async () => {
    const radio = new FakeRadio(new VirtualClock(0), () => -120);
    radio.cadAnswers = [true, false];
    expect(await activityClear(radio)).toBe(false);
    expect(await activityClear(radio)).toBe(true);
  });

  test('without an LBT rule (EU868) the channel is assessed by CAD and RSSI is not read', async () => {
    const clock = new VirtualClock(0);
    const radio = new FakeRadio(clock, () => -20);
    radio.cadAnswers = [false];
    expect(await assessChannel(radio, clock, regionPlan('EU868').lbt)).toEqual({ clear: true, method: 'cad' });
    expect(radio.readings).toHaveLength(0);
    expect(radio.cadCalls).toBe(1);
  });

  test('CAD that finds a preamble reports the channel busy', async () => {
    const clock = new VirtualClock(0);
    const radio = new FakeRadio(clock, () => -120);
    radio.cadAnswers = [true];
    expect(await assessChannel(radio, clock, null)).toEqual({ clear: false, method: 'cad' });
  });

  test('with an LBT rule (KR920) the rule is applied and CAD is not used', async () => {
    const clock = new VirtualClock(0);
    const radio = new FakeRadio(clock, () => -50);
    const pending = assessChannel(radio, clock, regionPlan('KR920').lbt);
    clock.runUntilIdle();
    const assessment = await pending;
    expect(assessment).toMatchObject({ clear: false, method: 'lbt', listen: { samples: 1, maxRssiDbm: -50 } });
    expect(radio.cadCalls).toBe(0);
  });
});
