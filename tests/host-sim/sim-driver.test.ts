/**
 * The simulator's clock driver (host-sim/sim/driver.ts): it waits for asynchronous work between times,
 * and reports a run that stops making progress instead of spinning.
 */
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { driveClock, StalledRunError, type InFlight } from '../../host-sim/sim/driver.js';

test('a promise chain started by an event finishes before time moves on', async () => {
  const clock = new VirtualClock(0, Date.UTC(2026, 0, 1));
  const seen: number[] = [];
  clock.setTimer(() => {
    void (async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
      seen.push(clock.now());
    })();
  }, 100);
  clock.setTimer(() => seen.push(-clock.now()), 101);
  await driveClock(clock, 1000);
  expect(seen).toEqual([100, -101]);
  expect(clock.now()).toBe(1000);
});

test('requests in flight are answered before the next time', async () => {
  const clock = new VirtualClock();
  let pending = 0;
  let resolveIdle: (() => void) | undefined;
  const inFlight: InFlight = {
    get pending() { return pending; },
    idle: () => new Promise<void>((resolve) => { resolveIdle = resolve; }),
  };
  const order: string[] = [];
  clock.setTimer(() => {
    pending = 1;
    setTimeout(() => {
      order.push('answered');
      pending = 0;
      resolveIdle?.();
    }, 20);
  }, 10);
  clock.setTimer(() => order.push('next event'), 11);
  await driveClock(clock, 100, { inFlight: [inFlight] });
  expect(order).toEqual(['answered', 'next event']);
});

test('a timer that keeps re-arming itself at zero delay is reported with the time it happened', async () => {
  const clock = new VirtualClock(0, Date.UTC(2026, 0, 1));
  const spin = () => clock.setTimer(spin, 0);
  clock.setTimer(spin, 5_000);
  await expect(driveClock(clock, 10_000, { maxEventsPerMs: 1_000 })).rejects.toThrow(StalledRunError);
  await expect(driveClock(new VirtualClock(), 1, { maxEventsPerMs: 1_000 })).resolves.toBeUndefined();
});

test('a request that is never answered ends the run after the stall time, saying when it was made', async () => {
  const clock = new VirtualClock(0, Date.UTC(2026, 0, 1));
  const never: InFlight = { pending: 1, idle: () => new Promise<void>(() => undefined) };
  clock.setTimer(() => undefined, 60_000);
  await expect(driveClock(clock, 120_000, { inFlight: [never], stallMs: 50 }))
    .rejects.toThrow(/2026-01-01T00:00:00\.000Z was still unanswered after 0\.05 s/);
});
