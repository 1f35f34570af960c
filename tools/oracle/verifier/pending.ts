/**
 * The items waiting for a verdict, by beacon digest, held in memory between ingest and judging so that
 * the verifier does not read back what ingest has just written. The store stays the record: the runner
 * fills this from the store when it starts (and after any failed write), and ingest adds what it stores.
 */
import { hexOf } from '../hex.js';
import type { ItemFields, StoredItem } from '../model.js';

export interface PendingEntry {
  readonly key: string;
  readonly digest: Uint8Array;
  readonly items: StoredItem[];
  firstReceivedMs: number;
  hasBeacon: boolean;
  /** Whether the store holds judged items of this digest: unknown until asked. */
  judgedInStore?: boolean;
}

/** A stored item before its verdict (without its body, which the verifier never reads). */
export function pendingItem(f: ItemFields): StoredItem {
  const item: Record<string, unknown> = {
    id: f.id, uploader: f.uploader, kind: f.kind, receivedMs: f.receivedMs, digest: f.digest, frequencyHz: f.frequencyHz,
    dataRate: f.dataRate, timeMs: f.timeMs, status: 'pending', reason: 0, passed: false, selected: false,
  };
  if (f.rssiDdbm !== undefined) item.rssiDdbm = f.rssiDdbm;
  if (f.snrDdb !== undefined) item.snrDdb = f.snrDdb;
  if (f.txPowerDdbm !== undefined) item.txPowerDdbm = f.txPowerDdbm;
  if (f.entropyEpoch !== undefined) item.entropyEpoch = f.entropyEpoch;
  if (f.entropyTag !== undefined) item.entropyTag = f.entropyTag;
  return item as unknown as StoredItem;
}

export class PendingGroups {
  private readonly groups = new Map<string, PendingEntry>();
  private readonly ids = new Set<string>();

  get size(): number {
    return this.ids.size;
  }

  /** Adds a pending item (once, however often it is offered). */
  add(item: StoredItem): void {
    const id = hexOf(item.id);
    if (this.ids.has(id)) return;
    this.ids.add(id);
    const key = hexOf(item.digest);
    let entry = this.groups.get(key);
    if (entry === undefined) {
      entry = { key, digest: item.digest, items: [], firstReceivedMs: item.receivedMs, hasBeacon: false };
      this.groups.set(key, entry);
    }
    entry.items.push(item);
    entry.firstReceivedMs = Math.min(entry.firstReceivedMs, item.receivedMs);
    entry.hasBeacon ||= item.kind === 'beacon';
  }

  /** The entries, oldest first as they arrived; a snapshot, safe to remove from while iterating. */
  entries(): PendingEntry[] {
    return [...this.groups.values()];
  }

  remove(entry: PendingEntry): void {
    if (this.groups.get(entry.key) !== entry) return;
    this.groups.delete(entry.key);
    for (const item of entry.items) this.ids.delete(hexOf(item.id));
  }
}
