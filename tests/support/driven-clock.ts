/**
 * A virtual clock that knows when its next timer is due, so a test can run days of simulated time
 * event by event and still let promise callbacks run between events (the virtual clock fires timers
 * synchronously; an `await` in runtime code resumes only when the test yields to the event loop).
 */
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import type { TimerHandle } from '../../src/ports.js';

interface Entry {
  readonly at: number;
  readonly inner: TimerHandle;
}

const yieldToPromises = () => new Promise<void>((resolve) => setImmediate(resolve));

export class DrivenClock extends VirtualClock {
  private readonly due = new Set<Entry>();
  /** Awaited after every event: e.g. real HTTP exchanges that must finish before time moves on. */
  private quiesce: () => Promise<void> = yieldToPromises;

  /** Waits for `wait` (as well as for promise callbacks) after every event. */
  waitAfterEvents(wait: () => Promise<void>): void {
    this.quiesce = async () => {
      await yieldToPromises();
      await wait();
      await yieldToPromises();
    };
  }

  override setTimer(callback: () => void, delayMs: number): TimerHandle {
    const at = this.now() + Math.max(0, Math.ceil(Number.isFinite(delayMs) ? delayMs : 0));
    const entry: Entry = {
      at,
      inner: super.setTimer(() => {
        this.due.delete(entry);
        callback();
      }, delayMs),
    };
    this.due.add(entry);
    return entry;
  }

  override clearTimer(handle: TimerHandle): void {
    const entry = handle as Entry;
    if (!this.due.delete(entry)) return;
    super.clearTimer(entry.inner);
  }

  /** When the next timer is due, or undefined when none is pending. */
  nextDueMs(): number | undefined {
    let next: number | undefined;
    for (const entry of this.due) if (next === undefined || entry.at < next) next = entry.at;
    return next;
  }

  /** Runs to `targetMs` one due time at a time, letting promise callbacks run after each. */
  async run(targetMs: number, maxEvents = 10_000_000): Promise<void> {
    let events = 0;
    await yieldToPromises();
    for (;;) {
      const next = this.nextDueMs();
      if (next === undefined || next > targetMs) break;
      this.runUntil(next);
      await this.quiesce();
      if (++events > maxEvents) throw new Error(`more than ${maxEvents} events before ${targetMs} ms`);
    }
    this.runUntil(targetMs);
    await this.quiesce();
  }

  runFor(ms: number): Promise<void> {
    return this.run(this.now() + ms);
  }
}
