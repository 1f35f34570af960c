/**
 * Typed arrays handed out as views into a few large buffers, for the air's lists of about a thousand
 * entries per transmitter: the indices of its receivers (receiver-search.ts) and the losses to them
 * (sim-air.ts), all made in the first hours of a run.
 *
 * Made as a typed array of its own, each list had its memory from the C allocator, and a request of a
 * few kilobytes there first merges every small block freed since the last such request (in glibc,
 * malloc_consolidate). In a large run many small buffers come and go between two lists, and one list
 * of 3 KB took about 140 µs, several times the work of filling and sorting it. A view costs no request.
 *
 * A view keeps its whole buffer alive, so a buffer goes back only when every list in it is dropped.
 * Hand out only lists that are dropped together, or that are few: the receiver lists are all dropped
 * when a station attaches, leaves or moves, and only a transmitter's first losses come from here. A
 * list kept long beside others dropped early holds their memory. Views come zeroed, and no two overlap.
 * No Node APIs.
 */
type TypedArray = Int32Array | Float64Array;

/** Entries in each shared buffer. */
export const ARENA_BUFFER_LENGTH = 1 << 18;

export class ListArena<T extends TypedArray> {
  private buffer: T;
  private used = 0;

  /** `make(n)` makes a zeroed array of `n` entries, e.g. `(n) => new Float64Array(n)`. */
  constructor(
    private readonly make: (length: number) => T,
    private readonly bufferLength = ARENA_BUFFER_LENGTH,
  ) {
    this.buffer = make(0);
  }

  /** A zeroed list of `length` entries: a view into a shared buffer, unless it is long enough to stand alone. */
  take(length: number): T {
    if (length * 4 > this.bufferLength) return this.make(length);
    if (this.used + length > this.buffer.length) {
      this.buffer = this.make(this.bufferLength);
      this.used = 0;
    }
    const view = this.buffer.subarray(this.used, this.used + length) as T;
    this.used += length;
    return view;
  }
}
