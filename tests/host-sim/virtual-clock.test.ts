/**
 * The virtual clock (host-sim/kernel/virtual-clock.ts): integer milliseconds and a total order of
 * timers, (time, then the order they were set), which every simulated run's determinism rests on.
 */
import fc from 'fast-check';
import { RunawayError, VirtualClock } from '../../host-sim/kernel/virtual-clock.js';

test('timers fire in time order, and in the order they were set within one ms', () => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.setTimer(() => fired.push('c@20'), 20);
  clock.setTimer(() => fired.push('a@10'), 10);
  clock.setTimer(() => fired.push('b@10'), 10);
  clock.setTimer(() => fired.push('d@0'), 0);
  clock.runUntil(100);
  expect(fired).toEqual(['d@0', 'a@10', 'b@10', 'c@20']);
  expect(clock.now()).toBe(100);
  expect(clock.fired).toBe(4);
});

test('a timer set by a callback for the same ms fires after the ones already due then', () => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.setTimer(() => {
    fired.push('first');
    clock.setTimer(() => fired.push('set by first'), 0);
  }, 5);
  clock.setTimer(() => fired.push('second'), 5);
  clock.runUntil(5);
  expect(fired).toEqual(['first', 'second', 'set by first']);
});

test('each callback sees the time it was due, and a delay is rounded up to a whole ms', () => {
  const clock = new VirtualClock(1_000);
  const seen: number[] = [];
  clock.setTimer(() => seen.push(clock.now()), 0.2);
  clock.setTimer(() => seen.push(clock.now()), 2.5);
  clock.setTimer(() => seen.push(clock.now()), -4); // never in the past
  clock.setTimer(() => seen.push(clock.now()), Number.NaN);
  clock.runUntil(1_010);
  expect(seen).toEqual([1_000, 1_000, 1_001, 1_003]);
});

test('a cleared timer never fires, and is not pending or next', () => {
  const clock = new VirtualClock();
  const fired: number[] = [];
  const early = clock.setTimer(() => fired.push(1), 1);
  clock.setTimer(() => fired.push(2), 2);
  expect(clock.pending).toBe(2);
  clock.clearTimer(early);
  clock.clearTimer(early); // harmless twice
  clock.clearTimer(null); // and on something that is not a handle
  expect(clock.pending).toBe(1);
  expect(clock.nextDueMs()).toBe(2);
  clock.runUntilIdle();
  expect(fired).toEqual([2]);
  expect(clock.nextDueMs()).toBeUndefined();
});

test('advance moves on from now; runUntilIdle stops at the last timer fired', () => {
  const clock = new VirtualClock();
  clock.advance(40);
  expect(clock.now()).toBe(40);
  clock.setTimer(() => undefined, 25);
  clock.runUntilIdle();
  expect(clock.now()).toBe(65);
  clock.runUntil(10); // never backwards
  expect(clock.now()).toBe(65);
});

test('a timer that keeps setting itself at zero delay is reported, not left spinning', () => {
  const clock = new VirtualClock();
  const again = (): void => void clock.setTimer(again, 0);
  clock.setTimer(again, 0);
  expect(() => clock.runUntil(1, 1_000)).toThrow(RunawayError);
  expect(() => clock.runUntilIdle(1_000)).toThrow(RunawayError);
  expect(clock.now()).toBe(0);
});

test('wall time follows the monotonic time once it is known', () => {
  const unset = new VirtualClock();
  expect(unset.wallMs()).toBeUndefined();
  const clock = new VirtualClock(500, Date.UTC(2026, 0, 1));
  clock.advance(1_500);
  expect(clock.wallMs()).toBe(Date.UTC(2026, 0, 1) + 1_500);
  clock.setWall(Date.UTC(2027, 0, 1));
  clock.advance(10);
  expect(clock.wallMs()).toBe(Date.UTC(2027, 0, 1) + 10);
  expect(() => clock.setWall(0.5)).toThrow(RangeError);
  expect(() => new VirtualClock(0.5)).toThrow(RangeError);
  expect(() => clock.setTimer(undefined as unknown as () => void, 0)).toThrow(TypeError);
});

/** What the clock should do, written the slow, obvious way: every timer in a list, sorted when needed. */
class ListClock {
  time = 0;
  private seq = 0;
  private readonly timers: { at: number; seq: number; callback: () => void; live: boolean }[] = [];

  setTimer(callback: () => void, delayMs: number): number {
    const delay = Number.isFinite(delayMs) ? Math.max(0, Math.ceil(delayMs)) : 0;
    this.timers.push({ at: this.time + delay, seq: this.seq++, callback, live: true });
    return this.timers.length - 1;
  }

  clearTimer(handle: number): void {
    this.timers[handle].live = false;
  }

  runUntil(targetMs: number): void {
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= targetMs).sort((a, b) => a.at - b.at || a.seq - b.seq);
      if (due.length === 0) break;
      due[0].live = false;
      this.time = due[0].at;
      due[0].callback();
    }
    if (targetMs !== Infinity) this.time = Math.max(this.time, targetMs);
  }
}

type Step = { kind: 'set'; delayMs: number; chained: number } | { kind: 'clear'; pick: number } | { kind: 'run'; byMs: number };

/**
 * Plays `steps` on a clock: timers set (some of which set another, 1 ms on, when they fire), cleared and
 * run. Returns each firing as [timer number, time].
 */
function play(steps: readonly Step[], clock: {
  now(): number; setTimer(callback: () => void, delayMs: number): unknown; clearTimer(handle: never): void; runUntil(targetMs: number): void;
}): [number, number][] {
  const handles: unknown[] = [];
  const fired: [number, number][] = [];
  const set = (delayMs: number, chained: number): void => {
    const id = handles.length;
    handles.push(clock.setTimer(() => {
      fired.push([id, clock.now()]);
      if (chained > 0) set(1, chained - 1);
    }, delayMs));
  };
  for (const step of steps) {
    if (step.kind === 'set') set(step.delayMs, step.chained);
    else if (step.kind === 'clear' && handles.length > 0) clock.clearTimer(handles[step.pick % handles.length] as never);
    else if (step.kind === 'run') clock.runUntil(clock.now() + step.byMs);
  }
  clock.runUntil(Infinity);
  return fired;
}

test('any mix of timers set, cleared and run fires as the obvious model does', () => {
  const delay = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 3, noNaN: true }));
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), delayMs: delay, chained: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('clear' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('run' as const), byMs: fc.integer({ min: 0, max: 30 }) }),
  );
  let firings = 0;
  fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
    const model = new ListClock();
    const expected = play(steps, { now: () => model.time, setTimer: (c, d) => model.setTimer(c, d), clearTimer: (h) => model.clearTimer(h), runUntil: (t) => model.runUntil(t) });
    const clock = new VirtualClock();
    expect(play(steps, clock)).toEqual(expected);
    firings += expected.length;
  }), { numRuns: 300 });
  expect(firings).toBeGreaterThan(200); // about two a run: the runs are not empty
});
