/**
 * Which listening stations a transmitter's packet can reach: the spatial index (or, to check it, a test
 * of every station) behind a per-transmitter cache. A network that does not change is searched once per
 * transmitter and horizon; any station attaching, leaving or moving makes every list stale.
 *
 * The cache holds at most RECEIVER_CACHE_BUDGET references over all transmitters. A dense network under a
 * wide horizon (every station within reach of every other) would otherwise keep N² of them; past the
 * budget, lists are found again for each packet, which costs time, never a different result.
 * No Node APIs.
 */
import type { Member } from './sim-air-records.js';
import { SpatialGrid, withinRange } from './spatial-index.js';
import { ListArena } from './list-arena.js';

/**
 * 32 Mi references (256 MB, and as much again for the losses SimAir keeps beside each list): a
 * 10,000-hotspot city, whose beacons each reach some 1,250 stations within their horizon, needs 12.5 Mi.
 */
export const RECEIVER_CACHE_BUDGET = 32 * 1024 * 1024;

export class ReceiverSearch {
  private readonly grid: SpatialGrid | null;
  /** Every station ever attached, when there is no grid. */
  private readonly members: Member[] = [];
  /** The stations added and not removed, at their indices: found stations are put in order by number. */
  private readonly byIndex: (Member | undefined)[] = [];
  /** Bumped whenever a station attaches, leaves or moves. */
  private layout = 0;
  private readonly cached: Member[] = [];
  private cachedReferences = 0;
  /** Where the indices of a search are sorted, reused from one search to the next (`sortedWithout`). */
  private scratch = new Int32Array(1024);
  private readonly lists = new ListArena((length) => new Int32Array(length));

  /** `cellSizeM` for the grid, or null to test every station. */
  constructor(cellSizeM: number | null) {
    this.grid = cellSizeM === null ? null : new SpatialGrid(cellSizeM);
  }

  add(member: Member): void {
    this.byIndex[member.index] = member;
    if (!this.grid) this.members.push(member);
    else if (member.listens) this.grid.insert(member);
    this.forget();
  }

  remove(member: Member): void {
    this.byIndex[member.index] = undefined;
    if (member.listens) this.grid?.remove(member);
    this.forget();
  }

  /** Moves `member` to (xM, yM, heightM). */
  move(member: Member, xM: number, yM: number, heightM: number): void {
    if (member.listens) this.grid?.remove(member);
    member.xM = xM;
    member.yM = yM;
    member.heightM = heightM;
    if (member.listens) this.grid?.insert(member);
    this.forget();
  }

  /** The other attached listening stations within `rangeM` of `from`, in station order. */
  within(from: Member, rangeM: number): readonly Member[] {
    if (from.receiversLayout === this.layout && from.receiversRangeM === rangeM) return from.receivers;
    const found = this.grid
      ? this.grid.withinIndices(from.xM, from.yM, rangeM, [])
      : this.members.filter((m) => m.attached && m.listens && withinRange(m, from.xM, from.yM, rangeM)).map((m) => m.index);
    const indices = this.sortedWithout(found, from.index);
    const receivers: Member[] = [];
    for (let i = 0; i < indices.length; i++) receivers.push(this.byIndex[indices[i]] as Member);
    const wasCached = from.receiversLayout === this.layout;
    if (wasCached) this.cachedReferences -= from.receivers.length;
    if (this.cachedReferences + receivers.length > RECEIVER_CACHE_BUDGET) {
      from.receivers = [];
      from.receiverIndices = NO_INDICES;
      from.receiversLayout = -1;
      return receivers;
    }
    if (!wasCached) this.cached.push(from);
    this.cachedReferences += receivers.length;
    from.receivers = receivers;
    from.receiverIndices = indices;
    from.receiversRangeM = rangeM;
    from.receiversLayout = this.layout;
    return receivers;
  }

  /**
   * The station indices in `found` but `own`, in ascending order: sorted as numbers, natively. Sorting
   * the stations themselves by their indices read two station records per comparison, about ten
   * thousand comparisons for a list in a city. They are sorted in a buffer kept for the purpose, then
   * copied to a list from the arena (list-arena.ts).
   */
  private sortedWithout(found: readonly number[], own: number): Int32Array {
    if (this.scratch.length < found.length) this.scratch = new Int32Array(2 * found.length);
    const scratch = this.scratch;
    let count = 0;
    for (let i = 0; i < found.length; i++) if (found[i] !== own) scratch[count++] = found[i];
    const list = this.lists.take(count);
    list.set(scratch.subarray(0, count).sort());
    return list;
  }

  /** Drops every cached list: the next search of each transmitter starts afresh. */
  forget(): void {
    this.layout++;
    for (const member of this.cached) {
      member.receivers = [];
      member.receiverIndices = NO_INDICES;
      member.receiversLayout = -1;
    }
    this.cached.length = 0;
    this.cachedReferences = 0;
  }
}

/** A list of no stations. */
export const NO_INDICES = new Int32Array(0);
