/**
 * Runs the simulator's virtual clock forward while the firmware's asynchronous work keeps up with it.
 * The clock fires timers synchronously; runtime code that awaits (an HTTP exchange, a promise chain)
 * resumes only when the event loop turns. So after the events of each virtual millisecond the driver lets
 * the loop turn, and waits until every request in flight has been answered, before time moves on: what
 * a hotspot sees depends on virtual time alone, never on how fast the host answered.
 *
 * A run that stops making progress is reported rather than left spinning: more than `maxEventsPerMs`
 * events without virtual time moving (a timer that keeps re-arming itself at zero delay), or a request
 * still unanswered after `stallMs` of wall time.
 */
import { RunawayError, type VirtualClock } from '../kernel/virtual-clock.js';

/** Something that knows how many requests are in flight and when there are none. */
export interface InFlight {
  readonly pending: number;
  idle(): Promise<void>;
}

export interface DriveOptions {
  /** Requests that must be answered before time moves on. */
  readonly inFlight?: readonly InFlight[];
  /** Called now and then with the virtual time reached (progress bars). */
  readonly onProgress?: (nowMs: number) => void;
  /** Most events at one virtual millisecond before the run counts as stuck. Default 1,000,000. */
  readonly maxEventsPerMs?: number;
  /** Longest wall-clock wait for requests in flight, ms. Default 60,000. */
  readonly stallMs?: number;
}

/** The simulation made no progress: the message says where and why. */
export class StalledRunError extends Error {
  override readonly name = 'StalledRunError';
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Advances `clock` to `targetMs`, firing every timer on the way, waiting for async work between times. */
export async function driveClock(clock: VirtualClock, targetMs: number, options: DriveOptions = {}): Promise<void> {
  const maxEventsPerMs = options.maxEventsPerMs ?? 1_000_000;
  const inFlight = options.inFlight ?? [];
  let progressAt = 0;
  await settle(clock, inFlight, options.stallMs);
  for (;;) {
    const next = clock.nextDueMs();
    if (next === undefined || next > targetMs) break;
    const firedBefore = clock.fired;
    try {
      clock.runUntil(next, maxEventsPerMs);
    } catch (error) {
      if (error instanceof RunawayError) {
        throw new StalledRunError(`more than ${maxEventsPerMs} events at ${describeTime(clock, next)} without time moving on: ` +
          'a timer keeps firing at zero delay', { cause: error });
      }
      throw error;
    }
    if (clock.fired > firedBefore) await settle(clock, inFlight, options.stallMs);
    if (options.onProgress !== undefined && clock.fired - progressAt >= 10_000) {
      progressAt = clock.fired;
      options.onProgress(clock.now());
    }
  }
  clock.runUntil(targetMs);
  await settle(clock, inFlight, options.stallMs);
  options.onProgress?.(clock.now());
}

/** Lets promise callbacks run, then waits for every request in flight (and what their answers start). */
async function settle(clock: VirtualClock, inFlight: readonly InFlight[], stallMs = 60_000): Promise<void> {
  await turn();
  for (;;) {
    const busy = inFlight.filter((f) => f.pending > 0);
    if (busy.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StalledRunError(
        `a request made at ${describeTime(clock, clock.now())} was still unanswered after ${stallMs / 1000} s of wall time`)), stallMs);
    });
    try {
      await Promise.race([Promise.all(busy.map((f) => f.idle())), stalled]);
    } finally {
      clearTimeout(timer);
    }
    await turn();
  }
}

function describeTime(clock: VirtualClock, monotonicMs: number): string {
  const wall = clock.wallMs();
  return wall === undefined ? `${monotonicMs} ms` : new Date(wall - clock.now() + monotonicMs).toISOString();
}
