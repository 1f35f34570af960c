/**
 * The simulated oracle's store as the main thread holds it while the database is on its own thread
 * (store-thread.ts has the why).
 */
import type { CoverageQuery, CoverageUplinks } from '../../tools/oracle/coverage-query.js';
import { hexOf } from '../../tools/oracle/hex.js';
import type {
  AttestationRecord, EntropyRecord, EpochItem, HotspotRecord, RewardRow, StoredItem, UploadedItem, VerdictUpdate,
} from '../../tools/oracle/model.js';
import type { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import type { HotspotSummary, ItemCounts, OracleStore, ReciprocityFacts } from '../../tools/oracle/store/store.js';
import { ItemKeySet, ItemTable } from './item-keys.js';
import type { StoreThread } from './store-thread.js';

/**
 * The oracle's store as the main thread sees it: what answering uploads, onboarding and entropy reads,
 * held in memory; every write passed on to the worker; every other read asked of the worker, which
 * answers after the writes sent before it. It starts empty, like the database the simulator creates.
 */
export class MirrorStore implements OracleStore {
  private readonly hotspotsByKey = new Map<string, HotspotRecord>();
  private readonly attestations = new Map<string, AttestationRecord>();
  private readonly entropyByEpoch = new Map<number, EntropyRecord>();
  private stored = new ItemKeySet(64 * 1024);
  /** The database on this thread, once takeOver() has ended the worker. */
  private local: SqliteStore | undefined;

  constructor(private readonly thread: StoreThread) {}

  async putHotspot(record: HotspotRecord, attestation?: AttestationRecord | null): Promise<void> {
    const hex = hexOf(record.key);
    this.hotspotsByKey.set(hex, record);
    if (attestation === null) this.attestations.delete(hex);
    else if (attestation !== undefined) this.attestations.set(hex, attestation);
    await this.write('putHotspot', record, attestation);
  }

  async attestation(key: Uint8Array): Promise<AttestationRecord | undefined> {
    return this.attestations.get(hexOf(key));
  }

  attestationCounts(): Promise<Map<string, number>> {
    return this.ask('attestationCounts');
  }

  async hotspot(key: Uint8Array): Promise<HotspotRecord | undefined> {
    return this.hotspotsByKey.get(hexOf(key));
  }

  async hotspots(keys: readonly Uint8Array[]): Promise<Map<string, HotspotRecord>> {
    const found = new Map<string, HotspotRecord>();
    for (const key of keys) {
      const hex = hexOf(key);
      const record = this.hotspotsByKey.get(hex);
      if (record !== undefined) found.set(hex, record);
    }
    return found;
  }

  allHotspots(): Promise<HotspotRecord[]> {
    return this.ask('allHotspots');
  }

  async hotspotCount(): Promise<number> {
    return this.hotspotsByKey.size;
  }

  async putEntropy(record: EntropyRecord): Promise<EntropyRecord> {
    const stored = this.entropyByEpoch.get(record.epoch);
    if (stored !== undefined) return stored;
    this.entropyByEpoch.set(record.epoch, record);
    await this.write('putEntropy', record);
    return record;
  }

  async entropy(epoch: number): Promise<EntropyRecord | undefined> {
    return this.entropyByEpoch.get(epoch);
  }

  async latestEntropy(): Promise<EntropyRecord | undefined> {
    let latest: EntropyRecord | undefined;
    for (const record of this.entropyByEpoch.values()) if (latest === undefined || record.epoch > latest.epoch) latest = record;
    return latest;
  }

  /** New or duplicate from memory; the items go to the worker, which stores them and hands them to its verifier. */
  async insertItems(items: readonly UploadedItem[]): Promise<boolean[]> {
    if (this.local !== undefined) return this.local.insertItems(items);
    const fresh = items.map((item) => this.stored.add(tableOf(item), item.timeMs, item.id));
    this.thread.insert(items, fresh);
    return fresh;
  }

  pendingItems(): Promise<StoredItem[]> {
    return this.ask('pendingItems');
  }

  item(id: Uint8Array, timeMs: number): Promise<StoredItem | undefined> {
    return this.ask('item', id, timeMs);
  }

  hasJudged(digest: Uint8Array): Promise<boolean> {
    return this.ask('hasJudged', digest);
  }

  group(digest: Uint8Array): Promise<StoredItem[]> {
    return this.ask('group', digest);
  }

  async saveVerdicts(updates: readonly VerdictUpdate[]): Promise<void> {
    await this.write('saveVerdicts', updates);
  }

  beaconsOf(beaconer: Uint8Array, fromMs: number, toMs: number): Promise<StoredItem[]> {
    return this.ask('beaconsOf', beaconer, fromMs, toMs);
  }

  epochItems(epoch: number): Promise<EpochItem[]> {
    return this.ask('epochItems', epoch);
  }

  reciprocity(keys: readonly Uint8Array[], fromMs: number, toMs: number): Promise<Map<string, ReciprocityFacts>> {
    return this.ask('reciprocity', keys, fromMs, toMs);
  }

  counts(): Promise<ItemCounts> {
    return this.ask('counts');
  }

  summary(key: Uint8Array): Promise<HotspotSummary | undefined> {
    return this.ask('summary', key);
  }

  coverageUplinks(options?: CoverageQuery): Promise<CoverageUplinks> {
    return this.ask('coverageUplinks', options);
  }

  async closeEpoch(epoch: number, closedMs: number, updates: readonly VerdictUpdate[], rewards: readonly RewardRow[]): Promise<void> {
    await this.write('closeEpoch', epoch, closedMs, updates, rewards);
  }

  lastClosedEpoch(): Promise<number | undefined> {
    return this.ask('lastClosedEpoch');
  }

  firstOpenEpoch(): Promise<number | undefined> {
    return this.ask('firstOpenEpoch');
  }

  rewards(epoch: number): Promise<RewardRow[] | undefined> {
    return this.ask('rewards', epoch);
  }

  /** Resolves once everything sent so far is written and committed. */
  flush(): Promise<void> {
    return this.local?.flush() ?? this.thread.request({ op: 'call', method: 'flush', args: [] });
  }

  async close(): Promise<void> {
    await this.thread.close();
    await this.local?.close();
  }

  /**
   * Ends the worker, everything written, and from then on works on `open(dbPath)` on this thread. The
   * worker's memory is freed before the oracle's last, largest piece of work (closing the reward epochs
   * of the run), which then has the main thread's heap to itself.
   */
  async takeOver(open: () => SqliteStore): Promise<SqliteStore> {
    if (this.local !== undefined) return this.local;
    await this.flush();
    await this.thread.close();
    this.local = open();
    this.stored = new ItemKeySet(); // the database answers from now on
    return this.local;
  }

  /** Passes a write on: to the worker without waiting, or to the database here once it has taken over. */
  private async write(method: keyof OracleStore, ...args: unknown[]): Promise<void> {
    if (this.local === undefined) this.thread.post({ op: 'call', method, args });
    else await (this.local[method] as (...values: unknown[]) => Promise<unknown>).apply(this.local, args);
  }

  private ask<T>(method: keyof OracleStore, ...args: unknown[]): Promise<T> {
    if (this.local !== undefined) return (this.local[method] as (...values: unknown[]) => Promise<T>).apply(this.local, args);
    return this.thread.request<T>({ op: 'call', method, args });
  }
}

function tableOf(item: UploadedItem): ItemTable {
  if (item.kind === 'mapper') return ItemTable.MapperUplink;
  if (item.kind === 'mapper-witness') return ItemTable.MapperReceipt;
  return ItemTable.Poc;
}
