/**
 * The oracle's clock port. In production it is the machine's wall clock; when the simulator runs the
 * oracle it is the simulator's virtual clock, so that a simulated day keeps its timing checks (entropy
 * age, witness lag, reward epochs) meaningful and a run with the same seed gives the same verdicts.
 */
import type { Clock, TimerHandle } from '../../src/ports.js';

export interface OracleClock {
  /** Now, ms since the Unix epoch. */
  wallMs(): number;
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** The machine's clock. Its timers do not keep the process alive on their own. */
export function systemClock(): OracleClock {
  return {
    wallMs: () => Date.now(),
    setTimer: (callback, delayMs) => {
      const timer = setTimeout(callback, delayMs);
      timer.unref();
      return timer;
    },
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}

/** A runtime Clock (the simulator's VirtualClock) seen as the oracle's; its wall time must be set. */
export function oracleClockFrom(clock: Clock): OracleClock {
  return {
    wallMs: () => {
      const wall = clock.wallMs();
      if (wall === undefined) throw new Error('the oracle needs a clock that knows the wall time');
      return wall;
    },
    setTimer: (callback, delayMs) => clock.setTimer(callback, delayMs),
    clearTimer: (handle) => clock.clearTimer(handle),
  };
}

/**
 * A timer that fires every `periodMs` of `clock` between start() and stop(). `tick` is handed `again`,
 * which arms the next firing: called at once, the period runs from this firing; called when the tick's
 * work is done, from then.
 */
export class Repeating {
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(private readonly clock: OracleClock, private readonly periodMs: number, private readonly tick: (again: () => void) => void) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (!this.running) return;
    this.timer = this.clock.setTimer(() => this.tick(() => this.arm()), this.periodMs);
  }
}
