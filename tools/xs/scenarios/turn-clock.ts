/**
 * A Clock whose timers run one instant per call, so a host can take an event-loop turn at a time: fire
 * the timers due at the next instant, then let promise jobs run, then collect garbage and read the
 * meters. The virtual clock underneath fires timers synchronously; this wrapper only remembers when
 * each pending timer is due. Device code (no Node APIs), for scenarios run in covey-xs.
 *
 * In covey-xs it marks each callback's start (markEntry): on a device a timer callback is called from
 * native code, so the frames below it here (the scenario's turn, this clock, the virtual clock) are
 * plumbing, and the host reports the stack above the mark separately.
 */
import { VirtualClock } from '../../../host-sim/kernel/virtual-clock.js';
import type { Clock, TimerHandle } from '../../../src/ports.js';
import { xsHost } from './metered-scenario.js';

interface Entry {
  readonly at: number;
  inner: TimerHandle;
}

export class TurnClock implements Clock {
  readonly inner: VirtualClock;
  private readonly pending = new Set<Entry>();
  private readonly markEntry: () => void;

  constructor(startMs = 0, wallAtStartMs?: number) {
    this.inner = new VirtualClock(startMs, wallAtStartMs);
    const host = xsHost();
    this.markEntry = host === undefined ? () => undefined : () => host.markEntry();
  }

  now(): number {
    return this.inner.now();
  }

  wallMs(): number | undefined {
    return this.inner.wallMs();
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    // The virtual clock's own rounding: a fractional or invalid delay never fires early.
    const at = this.inner.now() + Math.max(0, Math.ceil(Number.isFinite(delayMs) ? delayMs : 0));
    const entry: Entry = { at, inner: undefined };
    entry.inner = this.inner.setTimer(() => {
      this.pending.delete(entry);
      this.markEntry();
      callback();
    }, delayMs);
    this.pending.add(entry);
    return entry;
  }

  clearTimer(handle: TimerHandle): void {
    const entry = handle as Entry;
    if (this.pending.delete(entry)) this.inner.clearTimer(entry.inner);
  }

  /** When the next timer is due, or undefined when none is pending. */
  nextDueMs(): number | undefined {
    let next: number | undefined;
    for (const entry of this.pending) if (next === undefined || entry.at < next) next = entry.at;
    return next;
  }

  /** Fires every timer due at the next instant, in order; false when no timer is pending. */
  runNext(): boolean {
    const next = this.nextDueMs();
    if (next === undefined) return false;
    this.inner.runUntil(next);
    return true;
  }
}
