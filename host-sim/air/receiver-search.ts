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

/**
 * 32 Mi references (256 MB, and as much again for the losses SimAir keeps beside each list): a
 * 10,000-hotspot city, whose beacons each reach some 1,250 stations within their horizon, needs 12.5 Mi.
 */
export const RECEIVER_CACHE_BUDGET = 32 * 1024 * 1024;

const byIndex = (a: Member, b: Member): number => a.index - b.index;

export class ReceiverSearch {
  private readonly grid: SpatialGrid<Member> | null;
  /** Every station ever attached, when there is no grid. */
  private readonly members: Member[] = [];
  /** Bumped whenever a station attaches, leaves or moves. */
  private layout = 0;
  private readonly cached: Member[] = [];
  private cachedReferences = 0;

  /** `cellSizeM` for the grid, or null to test every station. */
  constructor(cellSizeM: number | null) {
    this.grid = cellSizeM === null ? null : new SpatialGrid<Member>(cellSizeM);
  }

  add(member: Member): void {
    if (!this.grid) this.members.push(member);
    else if (member.listens) this.grid.insert(member);
    this.forget();
  }

  remove(member: Member): void {
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
      ? this.grid.within(from.xM, from.yM, rangeM, [])
      : this.members.filter((m) => m.attached && m.listens && withinRange(m, from.xM, from.yM, rangeM));
    const receivers = found.filter((m) => m !== from).sort(byIndex);
    const wasCached = from.receiversLayout === this.layout;
    if (wasCached) this.cachedReferences -= from.receivers.length;
    if (this.cachedReferences + receivers.length > RECEIVER_CACHE_BUDGET) {
      from.receivers = [];
      from.receiversLayout = -1;
      return receivers;
    }
    if (!wasCached) this.cached.push(from);
    this.cachedReferences += receivers.length;
    from.receivers = receivers;
    from.receiversRangeM = rangeM;
    from.receiversLayout = this.layout;
    return receivers;
  }

  /** Drops every cached list: the next search of each transmitter starts afresh. */
  forget(): void {
    this.layout++;
    for (const member of this.cached) {
      member.receivers = [];
      member.receiversLayout = -1;
    }
    this.cached.length = 0;
    this.cachedReferences = 0;
  }
}
