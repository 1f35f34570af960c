/**
 * The Clock port on the machine's own clock and timers: for tests in which firmware runs in real time
 * against a real process (which keeps real time). Monotonic time is whole milliseconds from start.
 */
import type { Clock, TimerHandle } from '../../src/ports.js';

export class RealTimeClock implements Clock {
  private readonly origin = performance.now();
  private readonly timers = new Set<NodeJS.Timeout>();

  now(): number {
    return Math.floor(performance.now() - this.origin);
  }

  wallMs(): number {
    return Date.now();
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, Math.max(0, delayMs));
    this.timers.add(timer);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    clearTimeout(handle as NodeJS.Timeout);
    this.timers.delete(handle as NodeJS.Timeout);
  }

  /** Cancels every timer still pending, so nothing fires after a test. */
  clearAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
