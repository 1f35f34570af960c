/**
 * The beacon reports the verifier has seen lately, by beaconer, so that the beacon-interval check finds
 * a beacon's neighbours in memory instead of asking the store for each one.
 *
 * Exact for any window that starts at or after `coveredFromMs`: every beacon report received from then on
 * reaches add() (the runner starts after its first load and then holds every item ingest stores, in
 * order), so the store would answer the same. For an earlier window around() answers undefined and the
 * caller asks the store. forget() drops what no check will ask about again and moves the cover up.
 */
import { hexOf } from '../hex.js';
import type { StoredItem } from '../model.js';

export class RecentBeacons {
  private readonly byBeaconer = new Map<string, StoredItem[]>();
  /** Every report held, in the order added (about their receive order): forget() drops from the front. */
  private queue: StoredItem[] = [];
  private head = 0;

  constructor(private coveredFromMs: number) {}

  /** A beacon report that has just been stored (other kinds are ignored). */
  add(item: StoredItem): void {
    if (item.kind !== 'beacon') return;
    const key = hexOf(item.uploader);
    const list = this.byBeaconer.get(key);
    if (list === undefined) this.byBeaconer.set(key, [item]);
    else list.push(item);
    this.queue.push(item);
  }

  /** Beacon reports by `beaconer` received in [fromMs, toMs), or undefined if memory does not cover fromMs. */
  around(beaconer: Uint8Array, fromMs: number, toMs: number): StoredItem[] | undefined {
    if (fromMs < this.coveredFromMs) return undefined;
    const list = this.byBeaconer.get(hexOf(beaconer)) ?? [];
    return list.filter((item) => item.receivedMs >= fromMs && item.receivedMs < toMs);
  }

  /**
   * Windows starting before `beforeMs` go to the store from now on, and the reports received before it
   * are let go. The runner calls this every few seconds, so it costs what it drops: it stops at the first
   * report, in the order added, received at or after `beforeMs` (one that arrived out of order stays a
   * little longer, which no window that memory answers can see).
   */
  forget(beforeMs: number): void {
    if (beforeMs <= this.coveredFromMs) return;
    this.coveredFromMs = beforeMs;
    while (this.head < this.queue.length && this.queue[this.head].receivedMs < beforeMs) {
      const item = this.queue[this.head++];
      const key = hexOf(item.uploader);
      const list = this.byBeaconer.get(key);
      if (list === undefined) continue;
      const at = list.indexOf(item);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) this.byBeaconer.delete(key);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
