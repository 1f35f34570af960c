/**
 * The simulated oracle's database and verifier on a thread of their own (`covey sim --ingest in-process`).
 *
 * Storing items and judging them is about a quarter of the work of a large run, and none of it changes
 * what any hotspot sees: an upload's answer depends only on what the oracle has stored before (stored or
 * duplicate), on the registry and on entropy. So the main thread keeps those in memory (MirrorStore) and
 * answers at once, and every write goes, in order, to a worker thread that owns the SQLite file and runs
 * the verifier on it (store-worker.ts), on the main thread's virtual clock: a verifier run is a message
 * carrying the virtual time it happens at. The worker handles messages one at a time in the order they
 * were sent, so the database ends as a run on one thread would leave it, and the same scenario and seed
 * give the same result.
 *
 * An ack is given before the item is in the database: a real oracle must never do that, since a power
 * cut would lose what it acknowledged (docs/oracle.md). A simulated oracle has no power to lose.
 *
 * The worker checks that it stored exactly the items the main thread said were new. Any failure there
 * (that check, a write refused by the database) stops the worker's writes; `failure` holds it, and
 * flush() and close() reject with it, so the run fails rather than reports what was not stored.
 */
import { Worker } from 'node:worker_threads';
import type { CoverageQuery, CoverageUplinks } from '../../tools/oracle/coverage-query.js';
import { Repeating } from '../../tools/oracle/clock.js';
import { hexOf } from '../../tools/oracle/hex.js';
import type {
  AttestationRecord, EntropyRecord, EpochItem, HotspotRecord, RewardRow, StoredItem, UploadedItem, VerdictUpdate,
} from '../../tools/oracle/model.js';
import type { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import type { HotspotSummary, ItemCounts, OracleStore, ReciprocityFacts } from '../../tools/oracle/store/store.js';
import { VerifierRunner, type OracleJudge, type RunResult, type VerifierRunnerOptions } from '../../tools/oracle/verifier/runner.js';
import { InsertChunkWriter } from './insert-chunk.js';
import { ItemKeySet, ItemTable } from './item-keys.js';
import type { Numbered, ToMain, ToWorker, ToWorkerBatch, WorkerSetup } from './store-wire.js';

/** Items and other messages held before they are sent to the worker together. */
const HELD_MESSAGES = 1024;

// From the TypeScript sources (tsx, jest) the worker needs tsx's loader registered in its own thread.
const WORKER_URL = new URL(import.meta.url).pathname.endsWith('.ts')
  ? new URL('./store-worker-tsx.mjs', import.meta.url)
  : new URL('./store-worker.js', import.meta.url);

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The worker, and the ordered stream of messages to it. */
export class StoreThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private readonly exited: Promise<void>;
  private held: Numbered[] = [];
  private readonly chunk = new InsertChunkWriter();
  /** Messages and items held. */
  private heldCount = 0;
  private closing: Promise<void> | undefined;
  private ended = false;
  private closeSent = false;
  /** Why the worker stopped writing, if it did. */
  failure: Error | undefined;

  private constructor(setup: WorkerSetup) {
    this.worker = new Worker(WORKER_URL, { workerData: setup });
    this.worker.on('message', (message: ToMain) => this.receive(message));
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) => this.worker.once('exit', (code) => {
      this.ended = true;
      if (this.closing !== undefined) this.fail(new Error("the oracle's database thread has closed"), false);
      else this.fail(new Error(`the oracle's database thread stopped (exit code ${code})`));
      resolve();
    }));
  }

  /** Starts the worker; messages wait for it to load (ready() says when it has opened the database). */
  static start(setup: WorkerSetup): StoreThread {
    return new StoreThread(setup);
  }

  /** Resolves once the worker has opened the database, rejects if it could not. */
  ready(): Promise<void> {
    return this.request({ op: 'sync' });
  }

  /**
   * Sends without waiting for an answer; a failure shows in `failure`. Such messages are held and sent
   * many at a time (a postMessage costs tens of microseconds, most of what sending one upload's items
   * would cost); a request sends what is held first.
   */
  post(message: ToWorker): void {
    if (this.failure !== undefined) return;
    this.closeChunk();
    this.held.push({ ...message, id: 0 });
    if (++this.heldCount >= HELD_MESSAGES) this.send();
  }

  /** Passes items on to be stored, `fresh` saying which ingest counted new. */
  insert(items: readonly UploadedItem[], fresh: readonly boolean[]): void {
    if (this.failure !== undefined) return;
    this.chunk.add(items, fresh);
    this.heldCount += items.length;
    if (this.heldCount >= HELD_MESSAGES) this.send();
  }

  /** Sends, and resolves with the worker's answer once it has handled everything sent before. */
  request<T>(message: ToWorker): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.ended || this.closeSent) return Promise.reject(new Error("the oracle's database thread has closed"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.closeChunk();
      this.held.push({ ...message, id });
      this.send();
    });
  }

  /** Closes the database and ends the worker; rejects with `failure` if there was one. Once is enough. */
  close(): Promise<void> {
    this.closing ??= this.end();
    return this.closing;
  }

  private async end(): Promise<void> {
    if (this.failure === undefined && !this.ended) {
      const closed = this.request({ op: 'close' });
      this.closeSent = true;
      await closed.catch(() => undefined);
    } else {
      await this.worker.terminate();
    }
    await this.exited;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Ends the items written since the last message, so that what comes next follows them. */
  private closeChunk(): void {
    if (this.chunk.size > 0) this.held.push({ op: 'insert', chunk: this.chunk.take(), id: 0 });
  }

  private send(): void {
    this.closeChunk();
    if (this.held.length === 0) return;
    const batch = this.held;
    this.held = [];
    this.heldCount = 0;
    const transfer: ArrayBuffer[] = [];
    for (const message of batch) {
      if (message.op === 'insert') transfer.push(message.chunk.bytes.buffer as ArrayBuffer, message.chunk.numbers.buffer as ArrayBuffer, message.chunk.extra.buffer as ArrayBuffer);
    }
    this.worker.postMessage({ batch } satisfies ToWorkerBatch, transfer);
  }

  private receive(message: ToMain): void {
    if ('failure' in message) {
      this.fail(new Error(`the simulated oracle's database: ${message.failure}`));
      return;
    }
    const waiting = this.waiting.get(message.id);
    if (waiting === undefined) return;
    this.waiting.delete(message.id);
    if ('error' in message) waiting.reject(new Error(message.error));
    else waiting.resolve(message.value);
  }

  private fail(error: Error, sticky = true): void {
    if (sticky) this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}

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

/**
 * The oracle's verifier, run by the worker: its timer stays on the main thread's clock, and each tick
 * sends the virtual time of the run. Items reach the worker's verifier through the worker's own inserts,
 * so admit() has nothing to do here until takeOver() brings the verifier to this thread.
 */
export class RemoteJudge implements OracleJudge {
  private remotePending = 0;
  private local: VerifierRunner | undefined;
  private readonly timer: Repeating;
  private busy: Promise<unknown> | undefined;

  constructor(private readonly thread: StoreThread, private readonly options: VerifierRunnerOptions) {
    thread.post({ op: 'judge', config: options.config });
    // The next run is timed from this one's start: it happens on the worker, and nothing here waits for it.
    this.timer = new Repeating(options.clock, options.config.verifyEveryMs, (again) => {
      this.runOnce().catch((error: unknown) => options.onError?.(error));
      again();
    });
  }

  admit(items: readonly UploadedItem[]): void {
    this.local?.admit(items);
  }

  /** From now on, runs a VerifierRunner over `store` here; it loads what is pending from the store. */
  takeOver(store: OracleStore): void {
    this.local ??= new VerifierRunner({ ...this.options, store });
  }

  runOnce(nowMs = this.options.clock.wallMs(), closeAtMs = nowMs): Promise<RunResult> {
    if (this.local !== undefined) return this.local.runOnce(nowMs, closeAtMs);
    const run = this.thread.request<{ result: RunResult; pendingCount: number }>({ op: 'run', nowMs, closeAtMs }).then(({ result, pendingCount }) => {
      this.remotePending = pendingCount;
      if (result.judged > 0 || result.closedEpochs.length > 0) this.options.onRun?.(result);
      return result;
    });
    this.busy = run.catch(() => undefined);
    return run;
  }

  start(): void {
    this.timer.start();
  }

  stop(): void {
    this.timer.stop();
  }

  get pendingCount(): number {
    return this.local?.pendingCount ?? this.remotePending;
  }

  async settled(): Promise<void> {
    await this.busy;
    await this.local?.settled();
  }
}
