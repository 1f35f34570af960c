/**
 * A virtual clock that knows when its next timer is due, so a test can run days of simulated time
 * event by event and still let promise callbacks run between events (the virtual clock fires timers
 * synchronously; an `await` in runtime code resumes only when the test yields to the event loop).
 */
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';

const yieldToPromises = () => new Promise<void>((resolve) => setImmediate(resolve));

export class DrivenClock extends VirtualClock {
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
