/**
 * ModdableClock on fakes of "timer" and "time" (tools/xs/moddable-fakes/fake-time.ts): monotonic time
 * across the ESP32 tick count's sign change and wrap, wall time only after SNTP, timers on Timer.set.
 */
import { MAX_TIMER_MS, ModdableClock, TICK_WATCH_MS } from '../../hal/moddable/clock.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { fakeTime, fakeTimer, SystemTime } from '../../tools/xs/moddable-fakes/fake-time.js';

function setUp(ticksAtStart = 0) {
  const world = new VirtualClock();
  const system = new SystemTime(world);
  const Timer = fakeTimer(world);
  const Time = fakeTime(world, system, ticksAtStart);
  const errors: unknown[] = [];
  const clock = new ModdableClock({ Timer, Time, wallNow: () => system.now(), onCallbackError: (e) => errors.push(e) });
  return { world, system, Timer, Time, clock, errors };
}

describe('monotonic time', () => {
  test('starts at the milliseconds since boot and follows Time.ticks', () => {
    const { world, clock } = setUp(5_000);
    expect(clock.now()).toBe(5_000);
    world.advance(1_234);
    expect(clock.now()).toBe(6_234);
  });

  test('keeps counting up when the signed 32-bit tick count turns negative (24.8 days)', () => {
    const { world, clock, Time } = setUp(2 ** 31 - 500);
    const before = clock.now();
    world.advance(1_000);
    expect(Time.ticks).toBeLessThan(0);
    expect(clock.now()).toBe(before + 1_000);
  });

  test('keeps counting up across the 2^32 ms wrap (49.7 days)', () => {
    const { world, clock, Time } = setUp(-200);
    const before = clock.now();
    world.advance(700);
    expect(Time.ticks).toBe(500);
    expect(clock.now()).toBe(before + 700);
  });

  test('stays exact over 100 days read once a day by its own watch timer', () => {
    const { world, clock, Timer } = setUp(0);
    expect(Timer.pending).toBe(1);
    world.advance(100 * TICK_WATCH_MS);
    expect(clock.now()).toBe(100 * TICK_WATCH_MS);
  });
});

describe('wall time', () => {
  test('is undefined until SNTP sets it, although the system clock runs from 1970', () => {
    const { world, clock, system } = setUp();
    world.advance(10_000);
    expect(system.now()).toBe(10_000);
    expect(clock.wallMs()).toBeUndefined();
    expect(clock.wallTimeKnown).toBe(false);
  });

  test('after setWallTime is Date.now, set through Time.set in whole seconds', () => {
    const { world, clock, system } = setUp();
    clock.setWallTime(1_795_262_400);
    expect(system.sets).toEqual([1_795_262_400]);
    world.advance(2_500);
    expect(clock.wallMs()).toBe(1_795_262_402_500);
  });

  test('refuses a wall time that is not whole positive seconds', () => {
    const { clock } = setUp();
    expect(() => clock.setWallTime(1.5)).toThrow(RangeError);
    expect(() => clock.setWallTime(0)).toThrow(RangeError);
    expect(clock.wallMs()).toBeUndefined();
  });
});

describe('timers', () => {
  test('fire once, later, never inside setTimer', () => {
    const { world, clock } = setUp();
    const fired: number[] = [];
    clock.setTimer(() => fired.push(world.now()), 0);
    expect(fired).toEqual([]);
    clock.setTimer(() => fired.push(world.now()), 250);
    world.advance(1_000);
    expect(fired).toEqual([0, 250]);
  });

  test('a cleared timer never fires and clearing a fired one does not reach Timer.clear', () => {
    const { world, clock, Timer } = setUp();
    let fired = 0;
    const first = clock.setTimer(() => fired++, 100);
    const second = clock.setTimer(() => fired++, 100);
    clock.clearTimer(first);
    world.advance(200);
    let clears = 0;
    const realClear = Timer.clear;
    Timer.clear = (timer) => {
      clears++;
      realClear(timer);
    };
    clock.clearTimer(second);
    clock.clearTimer(first);
    clock.clearTimer(undefined);
    expect(fired).toBe(1);
    expect(clears).toBe(0);
  });

  test('a delay longer than one Moddable timer runs as a chain and fires on time', () => {
    const { world, clock } = setUp();
    const delay = 2 * MAX_TIMER_MS + 5;
    let firedAt: number | undefined;
    clock.setTimer(() => (firedAt = world.now()), delay);
    world.advance(MAX_TIMER_MS * 2);
    expect(firedAt).toBeUndefined();
    world.advance(5);
    expect(firedAt).toBe(delay);
  });

  test('clearing a chained timer between links stops it', () => {
    const { world, clock } = setUp();
    let fired = false;
    const handle = clock.setTimer(() => (fired = true), MAX_TIMER_MS + 10);
    world.advance(MAX_TIMER_MS + 1);
    clock.clearTimer(handle);
    world.advance(100);
    expect(fired).toBe(false);
  });

  test('a callback that throws is reported, not passed to the timer loop', () => {
    const { world, clock, errors } = setUp();
    clock.setTimer(() => {
      throw new Error('boom');
    }, 1);
    expect(() => world.advance(5)).not.toThrow();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('boom');
  });

  test('negative and non-finite delays fire at the next turn, fractions round up', () => {
    const { world, clock } = setUp();
    const fired: number[] = [];
    clock.setTimer(() => fired.push(world.now()), -5);
    clock.setTimer(() => fired.push(world.now()), Number.NaN);
    clock.setTimer(() => fired.push(world.now()), 1.2);
    world.advance(10);
    expect(fired).toEqual([0, 0, 2]);
  });
});
