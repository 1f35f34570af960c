/**
 * OracleStore on one embedded SQLite file (better-sqlite3). Every statement is prepared once, when the
 * store opens; every all-or-nothing write is one SQLite transaction. better-sqlite3 is synchronous, so
 * the async methods only wrap their results: the interface is async for a future networked store.
 * Schema: migrations.ts; statements: sqlite-statements.ts; rows and parameters: sqlite-rows.ts.
 */
import Database from 'better-sqlite3';
import { coverageBounds, type CoverageBounds, type CoverageQuery, type CoverageUplinks } from '../coverage-query.js';
import { hexOf } from '../hex.js';
import type {
  AttestationRecord, EntropyRecord, EpochItem, HotspotRecord, RewardRow, StoredItem, UploadedItem, VerdictUpdate,
} from '../model.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { migrate, pendingMigrations, SchemaVersionError } from './migrations.js';
import { coverageFromRows, mapperReceiptParams, mapperUplinkParams } from './sqlite-mapper.js';
import {
  attestationFromRow, attestationParams, countsFrom, entropyFromRow, epochItemReader, hotspotFromRow, hotspotParams, itemFromRawRow, itemFromRow, itemParams,
  rewardFromRow, verdictParams,
  type AttestationRow, type CountRow, type EntropyRow, type EpochRow, type HotspotRow, type ItemRow, type RewardRecordRow,
} from './sqlite-rows.js';
import { SQL, type Statements } from './sqlite-statements.js';
import type { HotspotSummary, ItemCounts, OracleStore, ReciprocityFacts } from './store.js';

/** The store could not be opened: the message names the path and the problem. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}

/** A verdict was given for an item id the store does not hold; nothing of that write was kept. */
export class UnknownItemError extends Error {
  override readonly name = 'UnknownItemError';
}

/** closeEpoch() for an epoch already closed, or with a reward row of another epoch; nothing was kept. */
export class EpochCloseError extends Error {
  override readonly name = 'EpochCloseError';
}

export interface SqliteStoreOptions {
  /** Open without writing: no migrations, and every write throws. The file must exist at the current schema. */
  readonly readonly?: boolean;
  /**
   * Checkpoint the WAL from a thread of its own (checkpointer.ts) rather than in the middle of writes.
   * For a long-running writer such as the oracle; ignored for ':memory:' and read-only stores.
   */
  readonly backgroundCheckpoints?: boolean;
  /** Hears about failed background checkpoints. */
  readonly onCheckpointError?: (message: string) => void;
  /**
   * For simulations only: keep one write transaction open and commit it after about this many items
   * written (and at flush() and close()), instead of once per upload. Writes then cost no WAL frames
   * until the commit, which is most of what storing costs when uploads come one at a time; but an
   * acknowledged item is not on disk until the commit, which an oracle serving real hotspots must never
   * allow. Other connections see nothing newer than the last commit.
   */
  readonly holdCommitsFor?: number;
  /** Page cache, MiB; default 64 (see configure). */
  readonly cacheMiB?: number;
}

/** One insertItems() call waiting for the next commit. */
interface QueuedInsert {
  readonly items: readonly UploadedItem[];
  readonly resolve: (fresh: boolean[]) => void;
  readonly reject: (error: unknown) => void;
}

/** A commit starts at once when this many items are waiting, rather than at the end of the event-loop turn. */
const MAX_ITEMS_PER_COMMIT = 4_096;

export class SqliteStore implements OracleStore {
  private readonly sql: Statements;
  private readonly writeVerdicts: (updates: readonly VerdictUpdate[]) => void;
  private readonly writeHotspot: (record: HotspotRecord, attestation: AttestationRecord | null | undefined) => void;
  private readonly writeItems: (items: readonly UploadedItem[]) => boolean[];
  private readonly readCoverage: (bounds: CoverageBounds) => CoverageUplinks;
  private readonly writeClose: (epoch: number, closedMs: number, updates: readonly VerdictUpdate[], rewards: readonly RewardRow[]) => void;
  /**
   * Registry entries read so far, by hex key (null: not registered). Ingest asks for the uploader of
   * every upload and the verifier for the hotspots of every group; the registry changes only through
   * putHotspot on this connection (one oracle writes a database), which updates the entry.
   */
  private readonly hotspotCache = new Map<string, HotspotRecord | null>();
  private queuedInserts: QueuedInsert[] = [];
  private queuedItems = 0;
  private commitScheduled = false;

  /** Opens (creating when absent, unless read-only) and migrates the database at `path`; ':memory:' for tests. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    const readonly = options.readonly ?? false;
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly, fileMustExist: readonly });
      configure(db, readonly, options.cacheMiB ?? 64);
      const label = `oracle store ${path}`;
      if (!readonly) migrate(db, label, Date.now);
      else if (pendingMigrations(db, label).length > 0) {
        throw new StoreOpenError(`${label}: its schema is older than this oracle's; open it once read-write to migrate it`);
      }
      const background = options.backgroundCheckpoints === true && !readonly && path !== ':memory:' && path !== '';
      const hold = readonly ? 0 : options.holdCommitsFor ?? 0;
      if (!(Number.isInteger(hold) && hold >= 0)) throw new RangeError(`holdCommitsFor must be a whole number of items, not ${hold}`);
      return new SqliteStore(db, background ? startCheckpointer(path, options.onCheckpointError) : undefined, hold);
    } catch (error) {
      db?.close();
      if (error instanceof SchemaVersionError || error instanceof StoreOpenError) throw error;
      throw new StoreOpenError(`cannot open oracle store ${path}: ${describeOpenFailure(error)}`, { cause: error });
    }
  }

  /** Items written since the held transaction began (holdCommitsFor). */
  private heldItems = 0;

  private constructor(
    private readonly db: Database.Database, private readonly checkpointer: Checkpointer | undefined, private readonly holdCommitsFor: number,
  ) {
    const statements: Partial<Record<keyof typeof SQL, Database.Statement>> = {};
    for (const [name, source] of Object.entries(SQL)) statements[name as keyof typeof SQL] = db.prepare(source);
    this.sql = statements as Statements;
    this.writeItems = db.transaction((items: readonly UploadedItem[]) => items.map((item) => this.insertOne(item)));
    // One read transaction: both statements see the same snapshot, whatever another connection writes.
    this.readCoverage = db.transaction((bounds: CoverageBounds) => coverageFromRows(
      this.sql.coverageUplinks.raw(true).all(bounds) as unknown[][],
      this.sql.coverageHearings.raw(true).all(bounds) as unknown[][],
      (rowid) => (this.sql.hotspotKeyByRowid.get(rowid) as { key: Uint8Array }).key,
    ));
    this.writeVerdicts = db.transaction((updates: readonly VerdictUpdate[]) => this.applyVerdicts(updates));
    this.writeHotspot = db.transaction((record: HotspotRecord, attestation: AttestationRecord | null | undefined) => {
      this.sql.putHotspot.run(hotspotParams(record));
      if (attestation === null) this.sql.deleteAttestation.run(record.key);
      else if (attestation !== undefined) this.sql.putAttestation.run(attestationParams(record.key, attestation));
    });
    this.writeClose = db.transaction((epoch: number, closedMs: number, updates: readonly VerdictUpdate[], rewards: readonly RewardRow[]) => {
      if (this.sql.epochClosed.get(epoch) !== undefined) throw new EpochCloseError(`epoch ${epoch} is already closed`);
      this.sql.insertEpoch.run(epoch, closedMs);
      this.applyVerdicts(updates);
      for (const row of rewards) {
        if (row.epoch !== epoch) throw new EpochCloseError(`closing epoch ${epoch}: a reward row is for epoch ${row.epoch}`);
        this.sql.insertReward.run(row);
      }
    });
    // Inside a held transaction each of the transactions above runs as a savepoint of it.
    if (holdCommitsFor > 0) db.exec('BEGIN');
  }

  /** Commits what a held transaction (holdCommitsFor) has written so far; nothing to do otherwise. */
  async flush(): Promise<void> {
    this.commitInserts();
    this.commitHeld();
  }

  // Registry

  async putHotspot(record: HotspotRecord, attestation?: AttestationRecord | null): Promise<void> {
    this.writeHotspot(record, attestation);
    this.hotspotCache.delete(hexOf(record.key));
  }

  async attestation(key: Uint8Array): Promise<AttestationRecord | undefined> {
    const row = this.sql.attestation.get(key) as AttestationRow | undefined;
    return row === undefined ? undefined : attestationFromRow(row);
  }

  async attestationCounts(): Promise<Map<string, number>> {
    const rows = this.sql.attestationCounts.all() as { vendor: string; n: number }[];
    return new Map(rows.map((row) => [row.vendor.toLowerCase(), row.n]));
  }

  async hotspot(key: Uint8Array): Promise<HotspotRecord | undefined> {
    return this.cachedHotspot(key) ?? undefined;
  }

  async hotspots(keys: readonly Uint8Array[]): Promise<Map<string, HotspotRecord>> {
    const found = new Map<string, HotspotRecord>();
    for (const key of keys) {
      const record = this.cachedHotspot(key);
      if (record !== null) found.set(hexOf(key), record);
    }
    return found;
  }

  private cachedHotspot(key: Uint8Array): HotspotRecord | null {
    const hex = hexOf(key);
    let record = this.hotspotCache.get(hex);
    if (record === undefined) {
      const row = this.sql.hotspot.get(key) as HotspotRow | undefined;
      record = row === undefined ? null : hotspotFromRow(row);
      this.hotspotCache.set(hex, record);
    }
    return record;
  }

  async allHotspots(): Promise<HotspotRecord[]> {
    return (this.sql.allHotspots.all() as HotspotRow[]).map(hotspotFromRow);
  }

  async hotspotCount(): Promise<number> {
    return (this.sql.hotspotCount.get() as { n: number }).n;
  }

  // Entropy

  async putEntropy(record: EntropyRecord): Promise<EntropyRecord> {
    // No await between the two statements, so nothing in this process writes in between; another process
    // that wins the race leaves its row, which is the one returned.
    this.sql.putEntropy.run(record.epoch, record.data, record.timeMs, record.encoded);
    return entropyFromRow(this.sql.entropy.get(record.epoch) as EntropyRow);
  }

  async entropy(epoch: number): Promise<EntropyRecord | undefined> {
    const row = this.sql.entropy.get(epoch) as EntropyRow | undefined;
    return row && entropyFromRow(row);
  }

  async latestEntropy(): Promise<EntropyRecord | undefined> {
    const row = this.sql.latestEntropy.get() as EntropyRow | undefined;
    return row && entropyFromRow(row);
  }

  // Items

  /**
   * Group commit: the calls made in one turn of the event loop (uploads arriving together) share one
   * transaction, written at the end of that turn, and each call resolves once it is committed. Item ids
   * and digests are hashes, so every upload's items land on scattered index pages, and each commit writes
   * every page it touched to the WAL again: one commit for many uploads writes each page once. When a
   * shared commit fails, each call is retried in a transaction of its own, so an error reaches only the
   * upload that caused it.
   */
  insertItems(items: readonly UploadedItem[]): Promise<boolean[]> {
    return new Promise((resolve, reject) => {
      this.queuedInserts.push({ items, resolve, reject });
      this.queuedItems += items.length;
      if (this.queuedItems >= MAX_ITEMS_PER_COMMIT) this.commitInserts();
      else if (!this.commitScheduled) {
        this.commitScheduled = true;
        setImmediate(() => {
          this.commitScheduled = false;
          this.commitInserts();
        });
      }
    });
  }

  async pendingItems(): Promise<StoredItem[]> {
    return (this.sql.pendingItems.raw(true).all() as unknown[][]).map(itemFromRawRow);
  }

  async hasJudged(digest: Uint8Array): Promise<boolean> {
    return (this.sql.hasJudged.get(digest) as { judged: number }).judged === 1;
  }

  async group(digest: Uint8Array): Promise<StoredItem[]> {
    // Raw rows (arrays): the verifier reads every group once, and arrays cost less to build than objects.
    return (this.sql.group.raw(true).all(digest) as unknown[][]).map(itemFromRawRow);
  }

  async item(id: Uint8Array, timeMs: number): Promise<StoredItem | undefined> {
    const row = this.sql.item.get(timeMs, id) as ItemRow | undefined;
    return row === undefined ? undefined : itemFromRow(row);
  }

  /** Each update replaces the item's whole verdict: an optional field it leaves out is cleared to NULL. */
  async saveVerdicts(updates: readonly VerdictUpdate[]): Promise<void> {
    this.writeVerdicts(updates);
  }

  async beaconsOf(beaconer: Uint8Array, fromMs: number, toMs: number): Promise<StoredItem[]> {
    return (this.sql.beaconsOf.all(beaconer, fromMs, toMs) as ItemRow[]).map(itemFromRow);
  }

  async epochItems(epoch: number): Promise<EpochItem[]> {
    // Row by row, so that only the compact items are held, never every raw row at once.
    const read = epochItemReader();
    const items: EpochItem[] = [];
    for (const row of this.sql.epochItems.raw(true).iterate(epoch) as IterableIterator<EpochRow>) items.push(read(row));
    return items;
  }

  async reciprocity(keys: readonly Uint8Array[], fromMs: number, toMs: number): Promise<Map<string, ReciprocityFacts>> {
    const facts = new Map<string, ReciprocityFacts>();
    for (const key of keys) {
      const row = this.sql.reciprocity.get({ key, fromMs, toMs }) as { witness: number; beacon: number };
      facts.set(hexOf(key), { passedWitness: row.witness === 1, passedBeaconWithWitness: row.beacon === 1 });
    }
    return facts;
  }

  async counts(): Promise<ItemCounts> {
    return countsFrom(this.sql.counts.all() as CountRow[]);
  }

  async summary(key: Uint8Array): Promise<HotspotSummary | undefined> {
    const row = this.sql.hotspot.get(key) as HotspotRow | undefined;
    if (!row) return undefined;
    const last = this.sql.lastReceived.get({ key }) as { beacon: number | null; witness: number | null };
    const attestation = this.sql.attestation.get(key) as AttestationRow | undefined;
    return {
      hotspot: hotspotFromRow(row),
      ...(attestation === undefined ? {} : { attestation: attestationFromRow(attestation) }),
      ...(last.beacon === null ? {} : { lastBeaconMs: last.beacon }),
      ...(last.witness === null ? {} : { lastWitnessMs: last.witness }),
      counts: countsFrom(this.sql.countsOf.all(key) as CountRow[]),
    };
  }

  // Mapper items

  async coverageUplinks(options: CoverageQuery = {}): Promise<CoverageUplinks> {
    return this.readCoverage(coverageBounds(options));
  }

  // Epochs and rewards

  async closeEpoch(epoch: number, closedMs: number, updates: readonly VerdictUpdate[], rewards: readonly RewardRow[]): Promise<void> {
    this.writeClose(epoch, closedMs, updates, rewards);
  }

  async lastClosedEpoch(): Promise<number | undefined> {
    return (this.sql.lastClosedEpoch.get() as { epoch: number | null }).epoch ?? undefined;
  }

  async firstOpenEpoch(): Promise<number | undefined> {
    return (this.sql.firstOpenEpoch.get() as { epoch: number } | undefined)?.epoch;
  }

  async rewards(epoch: number): Promise<RewardRow[] | undefined> {
    if (this.sql.epochClosed.get(epoch) === undefined) return undefined;
    return (this.sql.rewards.all(epoch) as RewardRecordRow[]).map(rewardFromRow);
  }

  /**
   * Idempotent. Inserts still waiting for their commit are committed first. Committed writes are already
   * in the file (or its WAL); closing checkpoints the WAL.
   */
  async close(): Promise<void> {
    if (!this.db.open) return;
    this.commitInserts();
    if (this.holdCommitsFor > 0 && this.db.inTransaction) this.db.exec('COMMIT');
    // The checkpoint thread first, so that this connection closes last and removes the WAL.
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }

  private commitInserts(): void {
    const waiting = this.queuedInserts;
    this.queuedInserts = [];
    this.queuedItems = 0;
    if (waiting.length === 0) return;
    let fresh: boolean[];
    try {
      fresh = this.writeItems(waiting.length === 1 ? waiting[0].items : waiting.flatMap((call) => call.items));
    } catch (error) {
      if (waiting.length === 1) waiting[0].reject(error);
      else for (const call of waiting) this.commitAlone(call);
      return;
    }
    let at = 0;
    for (const call of waiting) {
      call.resolve(fresh.slice(at, at + call.items.length));
      at += call.items.length;
    }
    if (this.holdCommitsFor > 0) {
      this.heldItems += at;
      if (this.heldItems >= this.holdCommitsFor) this.commitHeld();
    }
  }

  private commitHeld(): void {
    if (this.holdCommitsFor === 0 || !this.db.open) return;
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.exec('BEGIN');
    this.heldItems = 0;
  }

  private commitAlone(call: QueuedInsert): void {
    try {
      call.resolve(this.writeItems(call.items));
    } catch (error) {
      call.reject(error);
    }
  }

  /** Stores one item in its kind's table; false when its id was there already. */
  private insertOne(item: UploadedItem): boolean {
    switch (item.kind) {
      case 'mapper': return this.sql.insertMapperUplink.run(...mapperUplinkParams(item)).changes === 1;
      case 'mapper-witness': return this.sql.insertMapperReceipt.run(...mapperReceiptParams(item)).changes === 1;
      // PoC items, and anything else, which the items table's CHECK on kind then refuses.
      default: return this.sql.insertItem.run(...itemParams(item)).changes === 1;
    }
  }

  private applyVerdicts(updates: readonly VerdictUpdate[]): void {
    for (const update of updates) {
      if (this.sql.updateVerdict.run(...verdictParams(update)).changes !== 1) {
        throw new UnknownItemError(`verdict for item ${hexOf(update.id)}, which is not stored`);
      }
    }
  }
}

/**
 * WAL lets other connections (a read-only CLI, a backup) read while the oracle writes, and makes a commit
 * one append to the WAL.
 * With WAL, synchronous=NORMAL syncs only at checkpoints: a power cut (not a process crash, which loses
 * nothing committed) can undo the last committed transactions but never corrupts the database
 * (sqlite.org pragma.html#pragma_synchronous). Items acknowledged just before a power cut can be lost,
 * and the devices have dropped them by then: a missed reward, never a wrong one. FULL would cost an fsync
 * per upload. Checkpoints, and so those syncs, come every 10,000 WAL pages (about 40 MiB) instead of
 * SQLite's 1,000: that doubled the insert rate into a 200,000-item file on the 2-core CI machine, and
 * since Linux writes dirty pages back within about 30 s anyway (vm.dirty_expire_centisecs), it barely
 * widens what a power cut can undo. With backgroundCheckpoints a thread checkpoints every half second
 * (checkpointer.ts) and this threshold is only the backstop. journal_size_limit trims the WAL after a checkpoint. busy_timeout
 * lets a second connection (a read-only CLI, a backup) wait for a lock instead of failing at once.
 */
function configure(db: Database.Database, readonly: boolean, cacheMiB: number): void {
  db.pragma('busy_timeout = 5000');
  if (!readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  db.pragma('foreign_keys = ON');
  // 64 MiB of page cache by default (SQLite's is 2 MiB): the items' indexes are written at random places (ids and
  // digests are hashes), and a cache that holds them saves reading pages back for every insert.
  db.pragma(`cache_size = -${Math.round(cacheMiB * 1024)}`);
  // The first read: a file that is not a database fails here rather than at the first query.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

function describeOpenFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (error instanceof TypeError && /directory does not exist/.test(error.message)) return 'its directory does not exist';
  if (code === 'SQLITE_NOTADB') return 'the file is not a SQLite database';
  if (code === 'SQLITE_CANTOPEN') return 'the file cannot be opened (missing, a directory, or not permitted)';
  if (code === 'SQLITE_CORRUPT') return 'the database file is corrupt';
  return error instanceof Error ? error.message : String(error);
}
