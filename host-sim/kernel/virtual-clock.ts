/**
 * The simulator's one clock: integer milliseconds, and timers fired in a total order (time, then the
 * order they were set), so the same program gives the same run every time. Implements the Clock port.
 * Free of Node APIs, so the XS tier can run it beside the drivers.
 */
import type { Clock, TimerHandle } from '../../src/ports.js';

interface Pending {
  readonly at: number;
  readonly seq: number;
  /** Replaced by a no-op when cancelled, so that what it would have run can be collected before its time comes. */
  callback: () => void;
  cancelled: boolean;
}

const NOTHING = (): void => undefined;

/** Thrown by run methods when events keep coming without time reaching the goal. */
export class RunawayError extends Error {
  override get name(): string {
    return 'RunawayError';
  }
}

export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private firedCount = 0;
  /** A binary min-heap on (at, seq). */
  private readonly heap: Pending[] = [];

  /** Wall time minus monotonic time, once the wall time is known. */
  private wallOffset: number | undefined;

  /**
   * @param startMs the monotonic count at the start
   * @param wallAtStartMs wall time at the start (ms since the Unix epoch), or undefined for a clock
   *   that does not know the date yet (a device before SNTP)
   */
  constructor(startMs = 0, wallAtStartMs?: number) {
    if (!Number.isInteger(startMs)) throw new RangeError('the clock starts at an integer ms');
    this.time = startMs;
    if (wallAtStartMs !== undefined) this.setWall(wallAtStartMs);
  }

  now(): number {
    return this.time;
  }

  wallMs(): number | undefined {
    return this.wallOffset === undefined ? undefined : this.time + this.wallOffset;
  }

  /** Sets the wall time as of now (what an SNTP answer does on a device). */
  setWall(wallMs: number): void {
    if (!Number.isInteger(wallMs)) throw new RangeError('wall time is an integer ms');
    this.wallOffset = wallMs - this.time;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    if (typeof callback !== 'function') throw new TypeError('callback must be a function');
    // Integer ms: a fractional delay (an airtime, say) is rounded up so nothing fires early.
    const delay = Math.max(0, Math.ceil(Number.isFinite(delayMs) ? delayMs : 0));
    const entry: Pending = { at: this.time + delay, seq: this.seq++, callback, cancelled: false };
    this.push(entry);
    return entry;
  }

  clearTimer(handle: TimerHandle): void {
    if (handle === null || typeof handle !== 'object' || !('cancelled' in handle)) return;
    const entry = handle as Pending;
    entry.cancelled = true;
    entry.callback = NOTHING;
  }

  /** Pending (not cancelled) timers. */
  get pending(): number {
    return this.heap.filter((e) => !e.cancelled).length;
  }

  /** Timers fired so far. */
  get fired(): number {
    return this.firedCount;
  }

  /** When the next pending timer is due, or undefined when none is. */
  nextDueMs(): number | undefined {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
    return this.heap.length > 0 ? this.heap[0].at : undefined;
  }

  /** Fires every timer due up to `targetMs`, in order, then sets the time to `targetMs`. */
  runUntil(targetMs: number, maxEvents = 1_000_000): void {
    let fired = 0;
    while (this.heap.length > 0 && this.heap[0].at <= targetMs) {
      const next = this.pop();
      if (next.cancelled) continue;
      this.time = next.at;
      this.firedCount++;
      next.callback();
      if (++fired > maxEvents) throw new RunawayError(`more than ${maxEvents} events before ${targetMs} ms`);
    }
    this.time = Math.max(this.time, targetMs);
  }

  /** Advances by `ms`, firing what falls due. */
  advance(ms: number, maxEvents?: number): void {
    this.runUntil(this.time + ms, maxEvents);
  }

  /** Fires timers until none is left; throws RunawayError if that takes more than `maxEvents`. */
  runUntilIdle(maxEvents = 1_000_000): void {
    let fired = 0;
    while (this.heap.length > 0) {
      const next = this.pop();
      if (next.cancelled) continue;
      this.time = next.at;
      this.firedCount++;
      next.callback();
      if (++fired > maxEvents) throw new RunawayError(`still busy after ${maxEvents} events`);
    }
  }

  // Sift with a hole rather than swaps: each level moves one entry, and nothing is allocated.
  private push(entry: Pending): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Pending {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as Pending;
    const size = heap.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const child = r < size && before(heap[r], heap[l]) ? r : l;
        if (!before(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
