/**
 * The driver's timers on the Clock port, kept in one place so that close() can cancel every one of them
 * and no callback runs afterwards.
 */
import type { Clock, TimerHandle } from '../../../src/ports.js';

export class DriverTimers {
  private readonly pending = new Set<TimerHandle>();

  constructor(private readonly clock: Clock) {}

  /** Calls `callback` once after `ms`. */
  set(callback: () => void, ms: number): TimerHandle {
    const handle = this.clock.setTimer(() => {
      this.pending.delete(handle);
      callback();
    }, ms);
    this.pending.add(handle);
    return handle;
  }

  clear(handle: TimerHandle | null): void {
    if (handle === null || !this.pending.delete(handle)) return;
    this.clock.clearTimer(handle);
  }

  clearAll(): void {
    for (const handle of this.pending) this.clock.clearTimer(handle);
    this.pending.clear();
  }
}

/** A check that runs `periodMs` after start(); the check calls start() again to keep it going. */
export class PeriodicCheck {
  private handle: TimerHandle | null = null;

  constructor(
    private readonly timers: DriverTimers,
    private readonly periodMs: number,
    private readonly check: () => void,
  ) {}

  /** Arms the check unless it is armed already or the period is 0. */
  start(): void {
    if (this.periodMs > 0 && this.handle === null) {
      this.handle = this.timers.set(() => {
        this.handle = null;
        this.check();
      }, this.periodMs);
    }
  }

  stop(): void {
    this.timers.clear(this.handle);
    this.handle = null;
  }
}
