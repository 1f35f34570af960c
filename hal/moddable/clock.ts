/**
 * The Clock port (src/ports.ts) on Moddable's `timer` and `time` modules and the system wall clock.
 *
 * Monotonic time. `Time.ticks` on the ESP32 is a 32-bit millisecond tick count handed to XS as a signed
 * integer (moddable-api.ts, TimeModule): negative after 24.8 days, back to 0 after 49.7. A hotspot runs for
 * months, so `now()` unwraps it: it adds the unsigned 32-bit difference since the previous reading, which is
 * exact as long as two readings are less than 2^32 ms apart. A repeating timer reads it once a day, so that
 * holds however quiet the runtime is.
 *
 * Wall time. `wallMs()` is `Date.now()` only once `setWallTime` has been called with an SNTP answer
 * (hal/moddable/network.ts); before that it is undefined, as the port requires: after a power-on the ESP32's
 * system time starts near 1970, and a receipt or beacon dated from it would be worthless. SNTP answers in
 * whole seconds, so the wall time is up to a second behind (plus the network's delay).
 *
 * Timers. `setTimer` uses `Timer.set` and returns its own handle, so that clearing a timer that already fired
 * never reaches Moddable, and a delay longer than one Moddable timer should carry (MAX_TIMER_MS, well inside
 * the signed 32-bit interval modTimer keeps) runs as a chain of timers. A callback that throws is handed to
 * `onCallbackError` instead of reaching the native timer loop.
 */
import type { Clock, TimerHandle } from '../../src/ports.js';
import type { TimeModule, TimerModule } from './moddable-api.js';

/** Longest single Moddable timer, ms (2^30, about 12.4 days). */
export const MAX_TIMER_MS = 2 ** 30;

/** How often the tick count is read even if nothing else reads it: once a day, far below 2^32 ms. */
export const TICK_WATCH_MS = 86_400_000;

export interface ModdableClockOptions<T> {
  readonly Timer: TimerModule<T>;
  readonly Time: TimeModule;
  /** The system wall clock, ms since 1970: `Date.now` on the device. */
  readonly wallNow: () => number;
  /** Called with whatever a timer callback threw. Default: ignore it. */
  readonly onCallbackError?: (error: unknown) => void;
}

/** A timer handed out by setTimer. */
interface PendingTimer<T> {
  timer: T | undefined;
  done: boolean;
}

/** `T`: the Timer module's timer objects. */
export class ModdableClock<T = unknown> implements Clock {
  private readonly Timer: TimerModule<T>;
  private readonly Time: TimeModule;
  private readonly wallNow: () => number;
  private readonly onCallbackError: (error: unknown) => void;
  private lastTicks: number;
  private elapsedMs: number;
  private wallKnown: boolean;
  private readonly tickWatch: T;

  constructor(options: ModdableClockOptions<T>) {
    this.Timer = options.Timer;
    this.Time = options.Time;
    this.wallNow = options.wallNow;
    this.onCallbackError = options.onCallbackError ?? (() => undefined);
    this.lastTicks = this.readTicks();
    // Milliseconds since boot, as far as one 32-bit reading can tell.
    this.elapsedMs = this.lastTicks >>> 0;
    this.wallKnown = false;
    this.tickWatch = this.Timer.repeat(() => this.now(), TICK_WATCH_MS);
  }

  now(): number {
    const ticks = this.readTicks();
    this.elapsedMs += (ticks - this.lastTicks) >>> 0;
    this.lastTicks = ticks;
    return this.elapsedMs;
  }

  wallMs(): number | undefined {
    return this.wallKnown ? this.wallNow() : undefined;
  }

  /** True once an SNTP answer set the system time. */
  get wallTimeKnown(): boolean {
    return this.wallKnown;
  }

  /** Sets the system time to `seconds` since 1970 (an SNTP answer) and makes wall time known. */
  setWallTime(seconds: number): void {
    if (!Number.isInteger(seconds) || seconds <= 0) throw new RangeError(`wall time must be whole seconds since 1970, got ${String(seconds)}`);
    this.Time.set(seconds);
    this.wallKnown = true;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    if (typeof callback !== 'function') throw new TypeError('callback must be a function');
    const pending: PendingTimer<T> = { timer: undefined, done: false };
    this.arm(pending, callback, Math.max(0, Math.ceil(Number.isFinite(delayMs) ? delayMs : 0)));
    return pending;
  }

  clearTimer(handle: TimerHandle): void {
    const pending = handle as PendingTimer<T> | undefined;
    if (pending === undefined || pending === null || typeof pending !== 'object' || pending.done !== false) return;
    pending.done = true;
    if (pending.timer !== undefined) this.Timer.clear(pending.timer);
    pending.timer = undefined;
  }

  /** Stops the daily tick watch; timers already set still fire. */
  close(): void {
    this.Timer.clear(this.tickWatch);
  }

  private arm(pending: PendingTimer<T>, callback: () => void, remainingMs: number): void {
    const stepMs = Math.min(remainingMs, MAX_TIMER_MS);
    pending.timer = this.Timer.set(() => {
      pending.timer = undefined;
      if (pending.done) return;
      if (remainingMs > stepMs) return this.arm(pending, callback, remainingMs - stepMs);
      pending.done = true;
      try {
        callback();
      } catch (error) {
        this.onCallbackError(error);
      }
    }, stepMs);
  }

  private readTicks(): number {
    const ticks = this.Time.ticks;
    if (!Number.isInteger(ticks)) throw new TypeError(`Time.ticks is not an integer: ${String(ticks)}`);
    return ticks | 0;
  }
}
