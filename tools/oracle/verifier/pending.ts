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
  /** When it is next to be looked at (PendingGroups' heap); Infinity while taken off it. */
  dueMs: number;
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

/**
 * When an entry should next be looked at: `dueMs` is the earliest time it could be ready (its first
 * report plus the witness lag, or, without a beacon report, plus unknownBeaconAfterMs). The runner takes
 * entries off a heap in that order, so a run costs what is due, not everything that waits.
 */
interface DueRecord {
  readonly dueMs: number;
  readonly seq: number;
  readonly entry: PendingEntry;
}

export class PendingGroups {
  private readonly groups = new Map<string, PendingEntry>();
  private readonly ids = new Set<string>();
  private readonly heap: DueRecord[] = [];
  private seq = 0;

  /** @param witnessLagMs when a group with its beacon report is first worth judging, after its first report */
  constructor(private readonly witnessLagMs = 0) {}

  get size(): number {
    return this.ids.size;
  }

  /** Adds a pending item (once, however often it is offered); false if it was already there. */
  add(item: StoredItem): boolean {
    const id = hexOf(item.id);
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    const key = hexOf(item.digest);
    let entry = this.groups.get(key);
    if (entry === undefined) {
      entry = { key, digest: item.digest, items: [], firstReceivedMs: item.receivedMs, hasBeacon: false, dueMs: Infinity };
      this.groups.set(key, entry);
    }
    entry.items.push(item);
    entry.firstReceivedMs = Math.min(entry.firstReceivedMs, item.receivedMs);
    entry.hasBeacon ||= item.kind === 'beacon';
    // A new item can only make its group ready sooner (an earlier first report, a beacon report).
    this.schedule(entry, entry.firstReceivedMs + this.witnessLagMs);
    return true;
  }

  /** Takes off the entries due by `nowMs`, earliest first; each must be judged or scheduled again. */
  takeDue(nowMs: number): PendingEntry[] {
    const due: PendingEntry[] = [];
    while (this.heap.length > 0 && this.heap[0].dueMs <= nowMs) {
      const { entry, dueMs } = this.pop();
      // Stale: judged since, or scheduled again for another time.
      if (this.groups.get(entry.key) !== entry || entry.dueMs !== dueMs) continue;
      entry.dueMs = Infinity;
      due.push(entry);
    }
    return due;
  }

  /** Looks at `entry` again at `dueMs`, unless it is already due sooner. */
  schedule(entry: PendingEntry, dueMs: number): void {
    if (dueMs >= entry.dueMs) return;
    entry.dueMs = dueMs;
    this.push({ dueMs, seq: this.seq++, entry });
  }

  remove(entry: PendingEntry): void {
    if (this.groups.get(entry.key) !== entry) return;
    this.groups.delete(entry.key);
    for (const item of entry.items) this.ids.delete(hexOf(item.id));
  }

  private push(record: DueRecord): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(record);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(record, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = record;
  }

  private pop(): DueRecord {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as DueRecord;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const child = r < heap.length && earlier(heap[r], heap[l]) ? r : l;
        if (!earlier(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function earlier(a: DueRecord, b: DueRecord): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
}
