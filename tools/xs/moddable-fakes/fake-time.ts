/**
 * Fakes of Moddable's `timer` and `time` modules and of the ESP32's system clock, on a simulated Clock,
 * for the adapters' tests (tests/moddable/) and for the entry point run in XS
 * (tests/xs/moddable-main-in-xs.test.ts). They behave as the device's do where covey depends on it
 * (hal/moddable/moddable-api.ts cites the sources):
 * - Timer.set fires once, later, never inside set; Timer.clear of a fired or cleared timer does nothing;
 * - Time.ticks is a signed 32-bit millisecond count that wraps (start it near the wrap with `ticksAtStart`);
 * - the system clock starts near 1970 at power-on and reads what Time.set(seconds) put there since.
 * Device-legal code (no Node APIs): the XS tier bundles it.
 */
import type { Clock, TimerHandle } from '../../../src/ports.js';

/** A timer object as Timer.set returns it. */
export interface FakeTimer {
  handle: TimerHandle | undefined;
  readonly repeat: boolean;
}

export interface FakeTimerModule {
  set(callback: () => void, interval?: number): FakeTimer;
  repeat(callback: () => void, interval: number): FakeTimer;
  clear(timer: FakeTimer | undefined): void;
  delay(ms: number): void;
  /** Timers pending now (repeating ones included). */
  readonly pending: number;
  /** Every ms value given to delay(), in order. */
  readonly delays: readonly number[];
}

/**
 * The Timer module on `clock`. `advance(ms)` is what a blocking Timer.delay does to time: the simulated
 * clock moves on (a VirtualClock's runUntil); without it delay only records the call.
 */
export function fakeTimer(clock: Pick<Clock, 'setTimer' | 'clearTimer'>, advance?: (ms: number) => void): FakeTimerModule {
  const live = new Set<FakeTimer>();
  const delays: number[] = [];
  const schedule = (timer: FakeTimer, callback: () => void, interval: number): void => {
    timer.handle = clock.setTimer(() => {
      if (!live.has(timer)) return;
      if (timer.repeat) schedule(timer, callback, interval);
      else live.delete(timer);
      callback();
    }, interval);
  };
  const start = (callback: () => void, interval: number, repeat: boolean): FakeTimer => {
    if (typeof callback !== 'function') throw new TypeError('Timer: callback must be a function');
    const timer: FakeTimer = { handle: undefined, repeat };
    live.add(timer);
    schedule(timer, callback, Math.max(0, interval | 0));
    return timer;
  };
  return {
    set: (callback, interval = 0) => start(callback, interval, false),
    repeat: (callback, interval) => start(callback, interval, true),
    clear(timer) {
      if (timer === undefined || !live.delete(timer)) return;
      clock.clearTimer(timer.handle);
    },
    delay(ms) {
      delays.push(ms);
      advance?.(ms);
    },
    get pending() {
      return live.size;
    },
    get delays() {
      return delays;
    },
  };
}

/**
 * The ESP32's system clock, which Date.now() reads: it starts at `bootWallMs` (default 0, 1970) at
 * power-on, runs with the simulated clock, and jumps when Time.set sets it.
 */
export class SystemTime {
  private readonly clock: Pick<Clock, 'now'>;
  private offsetMs: number;
  /** Every Time.set(seconds), in order. */
  readonly sets: number[];

  constructor(clock: Pick<Clock, 'now'>, bootWallMs = 0) {
    this.clock = clock;
    this.offsetMs = bootWallMs - clock.now();
    this.sets = [];
  }

  /** Date.now() on the device. */
  now(): number {
    return this.clock.now() + this.offsetMs;
  }

  set(seconds: number): void {
    if (!Number.isInteger(seconds)) throw new TypeError('Time.set: seconds must be an integer');
    this.sets.push(seconds);
    this.offsetMs = seconds * 1000 - this.clock.now();
  }
}

export interface FakeTimeModule {
  readonly ticks: number;
  set(seconds: number): void;
}

/** The Time module: ticks as the ESP32 gives them (signed 32-bit, wrapping), set() on `system`. */
export function fakeTime(clock: Pick<Clock, 'now'>, system: SystemTime, ticksAtStart = 0): FakeTimeModule {
  const base = ticksAtStart - clock.now();
  return {
    get ticks() {
      return (base + clock.now()) | 0;
    },
    set: (seconds) => system.set(seconds),
  };
}
